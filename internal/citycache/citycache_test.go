package citycache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetBuildsOnceForConcurrentCallers(t *testing.T) {
	var builds atomic.Int32
	release := make(chan struct{})
	c := New("test index", func(ctx context.Context, city string) (string, error) {
		builds.Add(1)
		<-release
		return "index of " + city, nil
	})

	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = c.Get(context.Background(), "almaty")
		}()
	}
	time.Sleep(10 * time.Millisecond) // let them all wait on the one build
	close(release)
	wg.Wait()

	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for 8 concurrent callers, want 1", n)
	}
	for _, v := range got {
		if v != "index of almaty" {
			t.Errorf("Get = %q", v)
		}
	}
}

func TestInvalidateRebuilds(t *testing.T) {
	version := 0
	c := New("test index", func(ctx context.Context, city string) (int, error) {
		version++
		return version, nil
	})
	ctx := context.Background()
	if err := c.Warm(ctx, "astana"); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Get(ctx, "astana"); v != 1 {
		t.Errorf("Get after Warm = %d, want the warmed 1", v)
	}
	c.Invalidate("astana")
	if v, _ := c.Get(ctx, "astana"); v != 2 {
		t.Errorf("Get after Invalidate = %d, want a rebuilt 2", v)
	}
}

func TestFailedBuildIsNotKept(t *testing.T) {
	fail := true
	c := New("test index", func(ctx context.Context, city string) (int, error) {
		if fail {
			return 0, errors.New("database away")
		}
		return 7, nil
	})
	ctx := context.Background()
	if _, err := c.Get(ctx, "almaty"); err == nil {
		t.Fatal("Get of a failing build returned no error")
	}
	fail = false
	if v, err := c.Get(ctx, "almaty"); err != nil || v != 7 {
		t.Errorf("Get after the failure = %d, %v; want a fresh build", v, err)
	}
}

// TestCallerLeavingDoesNotSpoilTheBuild: the visitor who started a build
// gives up; the build still serves the next one.
func TestCallerLeavingDoesNotSpoilTheBuild(t *testing.T) {
	release := make(chan struct{})
	var builds atomic.Int32
	c := New("test index", func(ctx context.Context, city string) (int, error) {
		builds.Add(1)
		<-release
		return 1, ctx.Err()
	})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, "almaty"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with a cancelled context: %v", err)
	}
	close(release)
	if v, err := c.Get(context.Background(), "almaty"); err != nil || v != 1 {
		t.Errorf("next Get = %d, %v; want the build the first caller started", v, err)
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
}

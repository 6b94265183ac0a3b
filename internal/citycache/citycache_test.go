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

// TestMaxAge: a value older than the cache's maximum age is built again in
// the background; the old value is served until the new one is ready, and
// an invalidation meanwhile wins.
func TestMaxAge(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)
	var builds atomic.Int32
	release := make(chan struct{}, 10)
	c := WithMaxAge("test seats", 15*time.Second, func(ctx context.Context, city string) (int32, error) {
		n := builds.Add(1)
		if n > 1 {
			<-release
		}
		return n, nil
	})
	c.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ctx := context.Background()

	if v, _ := c.Get(ctx, "almaty"); v != 1 {
		t.Fatalf("first value %d", v)
	}
	advance(10 * time.Second)
	if v, _ := c.Get(ctx, "almaty"); v != 1 || builds.Load() != 1 {
		t.Fatalf("a young value was rebuilt: %d, %d builds", v, builds.Load())
	}
	advance(10 * time.Second)
	if v, _ := c.Get(ctx, "almaty"); v != 1 {
		t.Fatalf("an old value was not served while the new one builds: %d", v)
	}
	for builds.Load() < 2 {
		time.Sleep(time.Millisecond) // the refresh is on its way
	}
	if v, _ := c.Get(ctx, "almaty"); v != 1 || builds.Load() != 2 {
		t.Fatalf("%d builds for one refresh (value %d)", builds.Load(), v)
	}
	release <- struct{}{}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if v, _ := c.Get(ctx, "almaty"); v == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the refreshed value never came")
		}
		time.Sleep(time.Millisecond)
	}

	// A refresh overtaken by an invalidation is dropped.
	advance(20 * time.Second)
	c.Get(ctx, "almaty") // starts build 3
	for builds.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	c.Invalidate("almaty")
	release <- struct{}{} // build 3 ends, dropped
	release <- struct{}{} // build 4, of the Get below
	if v, _ := c.Get(ctx, "almaty"); v != 4 {
		t.Errorf("after an invalidation: value %d, want 4", v)
	}
}

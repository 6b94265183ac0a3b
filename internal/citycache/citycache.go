// Package citycache keeps one value per city in memory: an index built from
// the database on first use (or when warmed at start), shared by every
// request that asks while it builds, and dropped by Invalidate when the
// city's data changes, so that the next request builds it afresh. A cache
// may also have a maximum age, after which a value is rebuilt in the
// background while the old one is still served.
package citycache

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Cache holds a value of type T for each city. It is safe for concurrent
// use.
type Cache[T any] struct {
	name  string // what the values are, for errors
	build func(ctx context.Context, city string) (T, error)

	maxAge time.Duration // 0: values live until invalidated
	now    func() time.Time

	mu     sync.Mutex
	cities map[string]*entry[T]
}

// entry is a city's value, or its building in progress.
type entry[T any] struct {
	ready      chan struct{} // closed when val or err is set
	val        T
	err        error
	built      time.Time // when the build began
	refreshing bool      // a newer value is being built in the background
}

// New returns a cache whose values build makes; name says what they are.
func New[T any](name string, build func(ctx context.Context, city string) (T, error)) *Cache[T] {
	return &Cache[T]{name: name, build: build, cities: make(map[string]*entry[T])}
}

// WithMaxAge returns a cache whose values are rebuilt once they are older
// than maxAge: the first Get after that starts a build in the background
// and is answered with the old value, as are the calls until the new one is
// ready. For figures that change all the time but may be a few seconds
// behind, such as the seats a school has left.
func WithMaxAge[T any](name string, maxAge time.Duration, build func(ctx context.Context, city string) (T, error)) *Cache[T] {
	c := New(name, build)
	c.maxAge, c.now = maxAge, time.Now
	return c
}

// Get returns the value of city, building it once however many callers ask
// at the same time. The build runs to its end even when the caller that
// started it leaves, since others may be waiting; a caller whose ctx ends
// first gets ctx's error. A failed build is not kept.
func (c *Cache[T]) Get(ctx context.Context, city string) (T, error) {
	c.mu.Lock()
	e, ok := c.cities[city]
	if !ok {
		e = &entry[T]{ready: make(chan struct{}), built: c.clock()}
		c.cities[city] = e
		c.mu.Unlock()
		go c.fill(context.WithoutCancel(ctx), city, e)
	} else {
		c.refreshOld(ctx, city, e)
		c.mu.Unlock()
	}

	select {
	case <-e.ready:
		return e.val, e.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("%s of %s: %w", c.name, city, ctx.Err())
	}
}

func (c *Cache[T]) clock() time.Time {
	if c.now == nil {
		return time.Time{}
	}
	return c.now()
}

// refreshOld starts a background build of city when its ready entry e is
// older than the cache's maximum age; the new value replaces e when it is
// ready, unless e was invalidated meanwhile. c.mu is held.
func (c *Cache[T]) refreshOld(ctx context.Context, city string, e *entry[T]) {
	if c.maxAge <= 0 || e.refreshing || c.now().Sub(e.built) < c.maxAge {
		return
	}
	select {
	case <-e.ready:
	default:
		return // still building
	}
	e.refreshing = true
	next := &entry[T]{ready: make(chan struct{}), built: c.now()}
	go func() {
		next.val, next.err = c.build(context.WithoutCancel(ctx), city)
		close(next.ready)
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.cities[city] != e {
			return // invalidated meanwhile: the next Get builds afresh
		}
		if next.err != nil {
			e.refreshing, e.built = false, c.now() // keep the old value; try again later
			return
		}
		c.cities[city] = next
	}()
}

func (c *Cache[T]) fill(ctx context.Context, city string, e *entry[T]) {
	e.val, e.err = c.build(ctx, city)
	if e.err != nil {
		c.mu.Lock()
		if c.cities[city] == e {
			delete(c.cities, city)
		}
		c.mu.Unlock()
	}
	close(e.ready)
}

// Warm builds the value of city now, if it is not built yet, so that the
// first visitor does not wait for it.
func (c *Cache[T]) Warm(ctx context.Context, city string) error {
	_, err := c.Get(ctx, city)
	return err
}

// Invalidate drops the value of city; the next Get builds it afresh. A
// build in progress finishes for those waiting on it, but is not kept.
func (c *Cache[T]) Invalidate(city string) {
	c.mu.Lock()
	delete(c.cities, city)
	c.mu.Unlock()
}

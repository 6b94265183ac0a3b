// Package citycache keeps one value per city in memory: an index built from
// the database on first use (or when warmed at start), shared by every
// request that asks while it builds, and dropped by Invalidate when the
// city's data changes, so that the next request builds it afresh.
package citycache

import (
	"context"
	"fmt"
	"sync"
)

// Cache holds a value of type T for each city. It is safe for concurrent
// use.
type Cache[T any] struct {
	name  string // what the values are, for errors
	build func(ctx context.Context, city string) (T, error)

	mu     sync.Mutex
	cities map[string]*entry[T]
}

// entry is a city's value, or its building in progress.
type entry[T any] struct {
	ready chan struct{} // closed when val or err is set
	val   T
	err   error
}

// New returns a cache whose values build makes; name says what they are.
func New[T any](name string, build func(ctx context.Context, city string) (T, error)) *Cache[T] {
	return &Cache[T]{name: name, build: build, cities: make(map[string]*entry[T])}
}

// Get returns the value of city, building it once however many callers ask
// at the same time. The build runs to its end even when the caller that
// started it leaves, since others may be waiting; a caller whose ctx ends
// first gets ctx's error. A failed build is not kept.
func (c *Cache[T]) Get(ctx context.Context, city string) (T, error) {
	c.mu.Lock()
	e, ok := c.cities[city]
	if !ok {
		e = &entry[T]{ready: make(chan struct{})}
		c.cities[city] = e
		c.mu.Unlock()
		go c.fill(context.WithoutCancel(ctx), city, e)
	} else {
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

package main

import (
	"context"
	"log/slog"
	"time"
)

// invalidator is an in-memory index of city data that can be told to
// rebuild one city's part.
type invalidator interface{ Invalidate(city string) }

// refresher polls the cities' data versions and, when one changes (an
// import ran, in this process or another), invalidates that city in every
// in-memory index.
type refresher struct {
	versions func(context.Context) (map[string]int64, error)
	indexes  []invalidator
	every    time.Duration
	logger   *slog.Logger
	seen     map[string]int64
}

// newRefresher returns a refresher of the indexes that are not nil.
func newRefresher(versions func(context.Context) (map[string]int64, error), every time.Duration, logger *slog.Logger, indexes ...invalidator) *refresher {
	r := &refresher{versions: versions, every: every, logger: logger}
	for _, ix := range indexes {
		if ix != nil {
			r.indexes = append(r.indexes, ix)
		}
	}
	return r
}

// run polls until ctx is done. The versions at start are taken as the
// ones the indexes were built from.
func (r *refresher) run(ctx context.Context) {
	r.check(ctx)
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.check(ctx)
		}
	}
}

// check reads the versions once and invalidates the cities that changed
// since the last read; it returns them.
func (r *refresher) check(ctx context.Context) []string {
	vs, err := r.versions(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.logger.Warn("data versions", slog.Any("error", err))
		}
		return nil
	}
	first := r.seen == nil
	if first {
		r.seen = vs
		return nil
	}
	var changed []string
	for city, v := range vs {
		if r.seen[city] == v {
			continue
		}
		changed = append(changed, city)
		for _, ix := range r.indexes {
			ix.Invalidate(city)
		}
		r.logger.Info("city data changed; indexes invalidated", "city", city, "version", v)
	}
	r.seen = vs
	return changed
}

// refreshEvery is how often serve polls the data versions.
const refreshEvery = 3 * time.Second

// invalidators returns those of the values that are in-memory indexes; a
// nil value or one without Invalidate is left out.
func invalidators(values ...any) []invalidator {
	var out []invalidator
	for _, v := range values {
		if ix, ok := v.(invalidator); ok && ix != nil {
			out = append(out, ix)
		}
	}
	return out
}

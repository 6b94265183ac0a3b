package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"sakura/internal/catchment"
	"sakura/internal/city"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// cityIndex is an in-memory index of city data (the cities themselves, the
// school registry, the teacher registry, the address and catchment indexes): built per city,
// dropped when the city's data changes.
type cityIndex interface {
	Invalidate(city string)
	Warm(ctx context.Context, city string) error
}

// The indexes serve builds, each held to the interface at compile time: one
// that lost a method would otherwise go stale after an import unnoticed.
var (
	_ cityIndex = (*city.Directory)(nil)
	_ cityIndex = (*school.Service)(nil)
	_ cityIndex = (*teacher.Index)(nil)
	_ cityIndex = (*catchment.Finder)(nil)
)

// refresher keeps the indexes current. It builds every city's indexes at
// start, then polls the cities' data versions and, when one changes (an
// import ran, in this process or another), rebuilds that city's indexes.
type refresher struct {
	versions func(context.Context) (map[string]int64, error)
	indexes  []cityIndex
	every    time.Duration
	logger   *slog.Logger

	mu   sync.Mutex // one check at a time: the ticker's or a page's
	seen map[string]int64
}

// refreshEvery is how often serve polls the data versions.
const refreshEvery = 3 * time.Second

func newRefresher(versions func(context.Context) (map[string]int64, error), every time.Duration,
	logger *slog.Logger, indexes ...cityIndex) *refresher {
	return &refresher{versions: versions, every: every, logger: logger, indexes: indexes}
}

// run warms the cities, then polls until ctx is done. The versions at the
// first check are taken as the ones the indexes were built from.
func (r *refresher) run(ctx context.Context, cities []string) {
	r.check(ctx)
	start := time.Now()
	for _, c := range cities {
		r.warm(ctx, c)
	}
	r.logger.Info("indexes warm", "cities", len(cities), "took", time.Since(start).Round(time.Millisecond))

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

// check reads the versions once and rebuilds the cities that changed since
// the last read; it returns them.
func (r *refresher) check(ctx context.Context) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
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
		r.logger.Info("city data changed; rebuilding its indexes", "city", city, "version", v)
		r.warm(ctx, city)
	}
	r.seen = vs
	return changed
}

// warm builds a city's indexes; a failure is logged and left to the first
// request, which tries again.
func (r *refresher) warm(ctx context.Context, city string) {
	for _, ix := range r.indexes {
		if err := ix.Warm(ctx, city); err != nil && ctx.Err() == nil {
			r.logger.Warn("warm index", "city", city, slog.Any("error", err))
		}
	}
}

package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// FailureMode says what a node does while its shared Redis is unreachable
// (GATEHOUSE_REDIS_FAILURE).
type FailureMode string

const (
	// FailOpen keeps serving on limits and counters in this process's
	// memory: each node enforces every limit on its own, so a cluster of N
	// nodes admits up to N times a limit until Redis returns. Sign-in stays
	// up. The default.
	FailOpen FailureMode = "open"
	// FailClosed refuses every operation that needs a limit or counter
	// (sign-ins, registration, second-factor challenges) with a 503
	// unavailable problem until Redis returns: limits are never weaker
	// than configured, at the price of a sign-in outage.
	FailClosed FailureMode = "closed"
)

// ErrUnavailable is wrapped by every error a FailClosed Failover returns
// while Redis is unreachable.
var ErrUnavailable = errors.New("ratelimit: shared store unavailable")

// probeEvery is how often a Failover that saw Redis fail tries it again;
// in between it does not wait on a dead Redis (a dial timeout per request
// would turn an outage into slow sign-ins).
const probeEvery = time.Second

// Failover puts a policy on a shared Store (Redis) for when it is
// unreachable: local limits (FailOpen) or refusal (FailClosed). Each
// transition is logged once and exported as gatehouse_ratelimit_shared_up;
// operations answered locally or refused are counted.
type Failover struct {
	shared Store
	local  *Memory
	mode   FailureMode
	log    *slog.Logger
	now    func() time.Time

	mu        sync.Mutex
	down      bool
	lastProbe time.Time
	cause     error

	up       prometheus.Gauge
	degraded *prometheus.CounterVec
}

// NewFailover wraps shared with the failure policy mode.
func NewFailover(shared Store, mode FailureMode, log *slog.Logger, now func() time.Time) *Failover {
	return &Failover{
		shared: shared, local: NewMemory(now), mode: mode, log: log, now: now,
		up: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gatehouse_ratelimit_shared_up",
			Help: "1 while the shared rate-limit store (Redis) answers, 0 while it is unreachable."}),
		degraded: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_ratelimit_shared_failures_total",
			Help: "Rate-limit operations that could not use Redis, by outcome: local (GATEHOUSE_REDIS_FAILURE=open) or refused (closed)."},
			[]string{"outcome"}),
	}
}

// Describe and Collect make the Failover a Prometheus collector.
func (f *Failover) Describe(ch chan<- *prometheus.Desc) {
	f.up.Describe(ch)
	f.degraded.Describe(ch)
}

func (f *Failover) Collect(ch chan<- prometheus.Metric) {
	f.mu.Lock()
	if f.down {
		f.up.Set(0)
	} else {
		f.up.Set(1)
	}
	f.mu.Unlock()
	f.up.Collect(ch)
	f.degraded.Collect(ch)
}

// Check reports the last Redis failure while Redis is considered down, for
// the HTTP edge (httpx.Outages) of a FailClosed node; nil otherwise.
func (f *Failover) Check(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down && f.mode == FailClosed {
		return fmt.Errorf("%w: %w", ErrUnavailable, f.cause)
	}
	return nil
}

// skipShared reports whether Redis is down and was probed too recently to
// be tried again; otherwise the caller tries it (and is the probe).
func (f *Failover) skipShared() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.down {
		return false
	}
	if f.now().Sub(f.lastProbe) < probeEvery {
		return true
	}
	f.lastProbe = f.now()
	return false
}

// outage reports whether err means Redis itself failed (not a bad argument
// or the caller's own cancellation), and records the transitions.
func (f *Failover) outage(ctx context.Context, err error) bool {
	if err == nil {
		f.mu.Lock()
		if f.down {
			f.down, f.cause = false, nil
			f.log.InfoContext(ctx, "ratelimit: Redis is back; shared limits restored")
		}
		f.mu.Unlock()
		return false
	}
	if errors.Is(err, ErrInvalid) || ctx.Err() != nil {
		return false
	}
	f.mu.Lock()
	if !f.down {
		f.down, f.lastProbe = true, f.now()
		msg := "ratelimit: Redis unreachable; enforcing limits in this process's memory until it returns (GATEHOUSE_REDIS_FAILURE=open)"
		if f.mode == FailClosed {
			msg = "ratelimit: Redis unreachable; refusing rate-limited operations with 503 until it returns (GATEHOUSE_REDIS_FAILURE=closed)"
		}
		f.log.ErrorContext(ctx, msg, "err", err)
	}
	f.cause = err
	f.mu.Unlock()
	return true
}

// do runs op on Redis unless it is known down, and applies the policy when
// it is.
func do[T any](ctx context.Context, f *Failover, op func(Store) (T, error)) (T, error) {
	var err error
	if !f.skipShared() {
		var v T
		v, err = op(f.shared)
		if !f.outage(ctx, err) {
			return v, err
		}
	}
	if f.mode == FailClosed {
		f.degraded.WithLabelValues("refused").Inc()
		var zero T
		f.mu.Lock()
		cause := f.cause
		f.mu.Unlock()
		return zero, fmt.Errorf("%w: %w", ErrUnavailable, cause)
	}
	f.degraded.WithLabelValues("local").Inc()
	return op(f.local)
}

// Allow implements Limiter.
func (f *Failover) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	return do(ctx, f, func(s Store) (Result, error) { return s.Allow(ctx, key, l) })
}

// Reset implements Limiter.
func (f *Failover) Reset(ctx context.Context, key string) error {
	_, err := do(ctx, f, func(s Store) (struct{}, error) { return struct{}{}, s.Reset(ctx, key) })
	return err
}

// Incr implements Counter.
func (f *Failover) Incr(ctx context.Context, key string, window time.Duration) (int64, error) {
	return do(ctx, f, func(s Store) (int64, error) { return s.Incr(ctx, key, window) })
}

// Count implements Counter.
func (f *Failover) Count(ctx context.Context, key string, window time.Duration) (int64, error) {
	return do(ctx, f, func(s Store) (int64, error) { return s.Count(ctx, key, window) })
}

// AddUnique implements Counter.
func (f *Failover) AddUnique(ctx context.Context, key, member string, window time.Duration) (int64, error) {
	return do(ctx, f, func(s Store) (int64, error) { return s.AddUnique(ctx, key, member, window) })
}

// Clear implements Counter.
func (f *Failover) Clear(ctx context.Context, key string) error {
	_, err := do(ctx, f, func(s Store) (struct{}, error) { return struct{}{}, s.Clear(ctx, key) })
	return err
}

// Lock implements Counter.
func (f *Failover) Lock(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return do(ctx, f, func(s Store) (bool, error) { return s.Lock(ctx, key, ttl) })
}

// Locked implements Counter.
func (f *Failover) Locked(ctx context.Context, key string) (time.Duration, bool, error) {
	type locked struct {
		d  time.Duration
		ok bool
	}
	v, err := do(ctx, f, func(s Store) (locked, error) {
		d, ok, err := s.Locked(ctx, key)
		return locked{d, ok}, err
	})
	return v.d, v.ok, err
}

// Unlock implements Counter.
func (f *Failover) Unlock(ctx context.Context, key string) error {
	_, err := do(ctx, f, func(s Store) (struct{}, error) { return struct{}{}, s.Unlock(ctx, key) })
	return err
}

// Close closes the shared store.
func (f *Failover) Close() error { return f.shared.Close() }

var _ Store = (*Failover)(nil)

// Package ratelimit holds the shared throttling state of Gatehouse: GCRA
// rate limits (Limiter), sliding-window counters, distinct-member counts and
// temporary locks (Counter). A Store is one of two backends with the same
// contract: Memory for a single node, Redis when several nodes sit behind
// one load balancer. Package ratelimittest is the suite both pass.
//
// Keys are opaque strings chosen by the caller (e.g. "login:ip:203.0.113.9",
// "login:user:<tenant>:<id>"). The limiter, the counters, the distinct sets
// and the locks live in separate namespaces, so one key string may be used
// by all four without interference.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"

	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// DefaultPrefix namespaces every Redis key that Open creates.
const DefaultPrefix = "gh:"

// MaxCount caps the events one counter key and the members one distinct
// set remember inside a window, so a flood cannot grow a key without bound.
// Past the cap Incr and AddUnique stop recording and return MaxCount: the
// count saturates, which is enough for any threshold below it.
const MaxCount = 10_000

// maxTolerance caps Burst × Per/Rate, keeping the arithmetic far from
// overflow (Redis computes in float64 microseconds).
const maxTolerance = 10 * 365 * 24 * time.Hour

// ErrInvalid is wrapped by every error caused by a bad argument (an empty
// key, a non-positive rate, window or TTL).
var ErrInvalid = errors.New("ratelimit: invalid argument")

// Limit is a generic cell rate (GCRA, equivalent to a token bucket): Rate
// requests per Per on average, with up to Burst allowed back to back. A
// full bucket holds Burst tokens and one token comes back every Per/Rate.
// Burst 0 means Burst = Rate.
type Limit struct {
	Rate  int
	Per   time.Duration
	Burst int
}

// interval is the emission interval Per/Rate and burst the effective burst.
func (l Limit) interval() (time.Duration, int, error) {
	if l.Rate <= 0 || l.Per <= 0 || l.Burst < 0 {
		return 0, 0, fmt.Errorf("%w: limit %d per %v burst %d", ErrInvalid, l.Rate, l.Per, l.Burst)
	}
	burst := l.Burst
	if burst == 0 {
		burst = l.Rate
	}
	t := l.Per / time.Duration(l.Rate)
	if t < time.Microsecond {
		return 0, 0, fmt.Errorf("%w: limit %d per %v is finer than 1µs", ErrInvalid, l.Rate, l.Per)
	}
	if time.Duration(burst) > maxTolerance/t {
		return 0, 0, fmt.Errorf("%w: burst %d of %v spans more than %v", ErrInvalid, burst, t, maxTolerance)
	}
	return t, burst, nil
}

// Result is the outcome of one Allow call.
type Result struct {
	// Allowed reports whether the request may proceed; when it is true the
	// request has been counted.
	Allowed bool
	// Remaining is how many more requests would be allowed right now.
	Remaining int
	// RetryAfter is how long to wait before the next request is allowed:
	// > 0 when Allowed is false, 0 otherwise.
	RetryAfter time.Duration
	// ResetAfter is how long until the key is back to a full burst.
	ResetAfter time.Duration
}

// Limiter enforces rate limits per key.
type Limiter interface {
	// Allow counts one request against key under l, unless it would exceed
	// l, in which case it reports Allowed false and a RetryAfter > 0 and
	// counts nothing. Use the same Limit for a key on every call. Concurrent
	// calls are atomic: of N racing calls on a fresh key exactly
	// min(N, Burst) are allowed, on every node sharing the store.
	Allow(ctx context.Context, key string, l Limit) (Result, error)
	// Reset forgets key's rate-limit state, giving it a full burst again.
	// Counters, distinct sets and locks are untouched.
	Reset(ctx context.Context, key string) error
}

// Counter holds sliding-window counts and temporary locks, the primitives
// of velocity checks and lockouts.
type Counter interface {
	// Incr records one event under key and returns the number of events in
	// the sliding window (now-window, now], this one included, capped at
	// MaxCount. Use the same window for a key on every call.
	Incr(ctx context.Context, key string, window time.Duration) (int64, error)
	// Count returns the number of events recorded by Incr under key in the
	// last window, without recording one. A key never incremented counts 0.
	Count(ctx context.Context, key string, window time.Duration) (int64, error)
	// AddUnique records member under key and returns how many distinct
	// members were recorded in the last window (e.g. accounts tried from
	// one IP), capped at MaxCount. Counting is exact. Re-adding a member
	// refreshes its time.
	AddUnique(ctx context.Context, key, member string, window time.Duration) (int64, error)
	// Clear forgets the events and members recorded under key by Incr and
	// AddUnique (e.g. failed logins after a success).
	Clear(ctx context.Context, key string) error

	// Lock sets a lock on key for ttl if none is held and reports whether
	// this call set it. It does not extend a held lock.
	Lock(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Locked reports whether key is locked and for how much longer.
	Locked(ctx context.Context, key string) (time.Duration, bool, error)
	// Unlock removes the lock on key; unlocking a free key is not an error.
	Unlock(ctx context.Context, key string) error
}

// Store is a Limiter and a Counter on one backend.
type Store interface {
	Limiter
	Counter
	// Close releases the backend (a Redis connection pool that Open made).
	Close() error
}

// Open returns the store for url: "" means process memory (a single node),
// redis://, rediss:// or unix:// a Redis shared by all nodes, keys prefixed
// with DefaultPrefix. The Redis connection is checked with a PING.
func Open(rawURL string) (Store, error) {
	if rawURL == "" {
		return NewMemory(time.Now), nil
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		// url.Error quotes the URL, password included: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("ratelimit: redis URL: %w", err)
	}
	// A dead Redis must cost a request about a second, not go-redis's 5 s
	// dial and 3 s read defaults; the URL's own timeouts win.
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 2 * time.Second
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = time.Second
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = time.Second
	}
	client := redis.NewClient(opts)
	if telemetry.Enabled() { // a client span per command (no values, only the command name)
		if err := redisotel.InstrumentTracing(client, redisotel.WithDBStatement(false)); err != nil {
			return nil, fmt.Errorf("ratelimit: redis tracing: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("ratelimit: redis at %s: %w", opts.Addr, err)
	}
	s := NewRedis(client, DefaultPrefix)
	s.owned = true
	return s, nil
}

func checkKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalid)
	}
	return nil
}

func checkWindow(what string, d time.Duration) error {
	if d < time.Millisecond {
		return fmt.Errorf("%w: %s %v is under 1ms", ErrInvalid, what, d)
	}
	return nil
}

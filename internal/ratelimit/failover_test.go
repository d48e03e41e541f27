package ratelimit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// flaky is a shared store that fails every call while down.
type flaky struct {
	ratelimit.Store
	down  bool
	calls int
}

var errDial = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (f *flaky) Allow(ctx context.Context, key string, l ratelimit.Limit) (ratelimit.Result, error) {
	f.calls++
	if f.down {
		return ratelimit.Result{}, errDial
	}
	return f.Store.Allow(ctx, key, l)
}

func TestFailover(t *testing.T) {
	ctx := context.Background()
	lim := ratelimit.Limit{Rate: 2, Per: time.Hour}
	for _, mode := range []ratelimit.FailureMode{ratelimit.FailOpen, ratelimit.FailClosed} {
		t.Run(string(mode), func(t *testing.T) {
			now := time.Unix(1_700_000_000, 0)
			clock := func() time.Time { return now }
			shared := &flaky{Store: ratelimit.NewMemory(clock)}
			var logs bytes.Buffer
			f := ratelimit.NewFailover(shared, mode, slog.New(slog.NewTextHandler(&logs, nil)), clock)

			if res, err := f.Allow(ctx, "k", lim); err != nil || !res.Allowed {
				t.Fatalf("up: %+v %v", res, err)
			}
			if _, err := f.Allow(ctx, "k", ratelimit.Limit{}); !errors.Is(err, ratelimit.ErrInvalid) || f.Check(ctx) != nil {
				t.Fatalf("a bad argument is the caller's error, not an outage: %v", err)
			}

			shared.down = true
			for i := range 3 {
				res, err := f.Allow(ctx, "k", lim)
				switch mode {
				case ratelimit.FailOpen:
					// The local store starts empty: a burst of 2, then refusals.
					if err != nil || res.Allowed != (i < 2) {
						t.Fatalf("open, call %d: %+v %v", i, res, err)
					}
				case ratelimit.FailClosed:
					if !errors.Is(err, ratelimit.ErrUnavailable) || f.Check(ctx) == nil {
						t.Fatalf("closed, call %d: %v", i, err)
					}
				}
			}
			if shared.calls != 3 { // up, bad argument, the first call that found it down
				t.Errorf("Redis was tried %d times; once known down it waits for the next probe", shared.calls)
			}
			if n := strings.Count(logs.String(), "Redis unreachable"); n != 1 {
				t.Errorf("logged %d times, want once:\n%s", n, logs.String())
			}

			shared.down = false
			now = now.Add(2 * time.Second)
			if res, err := f.Allow(ctx, "k", lim); err != nil || !res.Allowed {
				t.Fatalf("after recovery the shared store answers again: %+v %v", res, err)
			}
			if f.Check(ctx) != nil || !strings.Contains(logs.String(), "Redis is back") {
				t.Fatalf("recovery not recorded:\n%s", logs.String())
			}
		})
	}
}

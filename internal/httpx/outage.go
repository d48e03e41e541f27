package httpx

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// RetryAfterOutage is the Retry-After of a 503 for a backing service that is
// down: long enough not to stampede it as it comes back, short enough that
// clients notice the recovery quickly.
const RetryAfterOutage = 5 * time.Second

// Unavailable is the 503 problem for a backing service (the database, Redis)
// that cannot be reached. Its type is stable, so clients can retry on it;
// cause is logged, never sent.
func Unavailable(detail string, cause error) *Problem {
	p := NewProblem(http.StatusServiceUnavailable, TypeUnavailable, "Service unavailable", detail)
	p.Header = http.Header{"Retry-After": {strconv.Itoa(int(RetryAfterOutage / time.Second))}}
	p.Cause = cause
	return p
}

// databaseUnavailable answers store.ErrUnavailable however deep in a chain.
func databaseUnavailable(cause error) *Problem {
	return Unavailable("The database is unreachable. Retry shortly.", cause)
}

// Check reports why a backing service is down, or nil when it is up.
type Check func(ctx context.Context) error

// Outages turns a 5xx that a handler writes while a backing service is down
// into the 503 unavailable problem with Retry-After, whatever wrote it (the
// OAuth engine answers storage errors with its own 500 server_error, whose
// description may quote the driver). Only failing responses run the
// checks, so healthy traffic pays nothing; a check should be cheap and
// bounded (cached, short timeout). 503s are left as they are.
func Outages(checks ...Check) Middleware {
	checks = slices.Clone(checks)
	for i, c := range checks {
		checks[i] = rememberDown(c)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&outageWriter{ResponseWriter: w, r: r, checks: checks}, r)
		})
	}
}

type outageWriter struct {
	http.ResponseWriter
	r        *http.Request
	checks   []Check
	wrote    bool
	replaced bool
}

func (o *outageWriter) WriteHeader(code int) {
	if o.wrote {
		return
	}
	o.wrote = true
	if code >= 500 && code != http.StatusServiceUnavailable {
		if err := o.down(); err != nil {
			o.replaced = true
			for k := range o.Header() {
				o.Header().Del(k)
			}
			WriteProblem(o.ResponseWriter, o.r, Unavailable("A backing service is unreachable. Retry shortly.", err))
			return
		}
	}
	o.ResponseWriter.WriteHeader(code)
}

func (o *outageWriter) Write(b []byte) (int, error) {
	if !o.wrote {
		o.WriteHeader(http.StatusOK)
	}
	if o.replaced {
		return len(b), nil // the original body (which may quote the cause) is dropped
	}
	return o.ResponseWriter.Write(b)
}

func (o *outageWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

func (o *outageWriter) down() error {
	ctx, cancel := context.WithTimeout(o.r.Context(), time.Second)
	defer cancel()
	var errs []error
	for _, c := range o.checks {
		if err := c(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// rememberDown answers from a failure seen in the last second without
// running c again: during an outage every request fails, and each must not
// pay (and add) another probe. Success is never remembered, so a fault
// right after recovery is judged afresh.
func rememberDown(c Check) Check {
	var (
		mu   sync.Mutex
		err  error
		seen time.Time
	)
	return func(ctx context.Context) error {
		mu.Lock()
		if err != nil && time.Since(seen) < time.Second {
			defer mu.Unlock()
			return err
		}
		mu.Unlock()
		e := c(ctx)
		mu.Lock()
		err, seen = e, time.Now()
		mu.Unlock()
		return e
	}
}

package ratelimit

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// RetryAfterSeconds is d in whole seconds for a Retry-After header,
// rounded up and at least 1, so a client that waits that long is allowed.
func RetryAfterSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// WriteRetryAfter sets the Retry-After header to d (see RetryAfterSeconds).
func WriteRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.FormatInt(RetryAfterSeconds(d), 10))
}

// TooManyRequests is the 429 problem (type urn:gatehouse:problem:rate-limited)
// with a Retry-After header, for handlers that check a limit themselves
// (e.g. per identifier, once the body is parsed) and return the problem.
func TooManyRequests(retryAfter time.Duration) *httpx.Problem {
	p := tooManyRequests(retryAfter)
	p.Header = http.Header{"Retry-After": {strconv.FormatInt(RetryAfterSeconds(retryAfter), 10)}}
	return p
}

func tooManyRequests(retryAfter time.Duration) *httpx.Problem {
	s := RetryAfterSeconds(retryAfter)
	unit := " seconds."
	if s == 1 {
		unit = " second."
	}
	return httpx.NewProblem(http.StatusTooManyRequests, httpx.TypeRateLimited, "Too many requests",
		"Too many requests. Try again in "+strconv.FormatInt(s, 10)+unit)
}

type resultKey struct{}

// ResultFrom returns the Result that Middleware put in the context of a
// request it passed on or rejected.
func ResultFrom(ctx context.Context) (Result, bool) {
	r, ok := ctx.Value(resultKey{}).(Result)
	return r, ok
}

// DefaultOnLimited writes the 429 problem for the Result in r's context;
// Middleware has already set Retry-After.
func DefaultOnLimited(w http.ResponseWriter, r *http.Request) {
	res, _ := ResultFrom(r.Context())
	httpx.WriteProblem(w, r, tooManyRequests(res.RetryAfter))
}

// Middleware limits requests by key(r) under lim. A request for which key
// reports false is not limited. A rejected request gets Retry-After and is
// handed to onLimited (DefaultOnLimited when nil), which writes the 429;
// both it and the next handler find the Result with ResultFrom.
//
// If the store fails (Redis down) the request is let through and the error
// logged, unless it is a Failover in FailClosed mode, whose ErrUnavailable
// becomes the 503 unavailable problem.
func Middleware(l Limiter, key func(*http.Request) (string, bool), lim Limit, onLimited http.Handler) func(http.Handler) http.Handler {
	if onLimited == nil {
		onLimited = http.HandlerFunc(DefaultOnLimited)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			k, ok := key(r)
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			ctx := r.Context()
			res, err := l.Allow(ctx, k, lim)
			if errors.Is(err, ErrUnavailable) { // GATEHOUSE_REDIS_FAILURE=closed
				httpx.WriteProblem(w, r, httpx.Unavailable("Rate limiting is unavailable. Retry shortly.", err))
				return
			}
			if err != nil {
				httpx.Log(ctx).WarnContext(ctx, "rate limiter unavailable, request allowed", "err", err)
				next.ServeHTTP(w, r)
				return
			}
			r = r.WithContext(context.WithValue(ctx, resultKey{}, res))
			if !res.Allowed {
				WriteRetryAfter(w, res.RetryAfter)
				onLimited.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

package ratelimit_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

func TestRetryAfterSeconds(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int64
	}{
		{0, 1},
		{-time.Second, 1},
		{time.Nanosecond, 1},
		{time.Second, 1},
		{time.Second + time.Nanosecond, 2},
		{2500 * time.Millisecond, 3},
		{time.Hour, 3600},
	} {
		if got := ratelimit.RetryAfterSeconds(tc.d); got != tc.want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", tc.d, got, tc.want)
		}
		w := httptest.NewRecorder()
		ratelimit.WriteRetryAfter(w, tc.d)
		if got, want := w.Header().Values("Retry-After"), []string{strconv.FormatInt(tc.want, 10)}; len(got) != 1 || got[0] != want[0] {
			t.Errorf("WriteRetryAfter(%v) header = %q, want %q", tc.d, got, want)
		}
	}
}

// byHeader keys requests by X-Key and leaves requests without it alone.
func byHeader(r *http.Request) (string, bool) {
	k := r.Header.Get("X-Key")
	return "test:" + k, k != ""
}

func serve(h http.Handler, key string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/login", nil)
	if key != "" {
		r.Header.Set("X-Key", key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// passed answers 204 when Middleware left its Result in the context.
var passed = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if _, found := ratelimit.ResultFrom(r.Context()); !found {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
})

func TestMiddleware(t *testing.T) {
	m, clk := newMemory(t)
	lim := ratelimit.Limit{Rate: 1, Per: 10 * time.Second, Burst: 2}
	h := ratelimit.Middleware(m, byHeader, lim, nil)(passed)

	for i := range 2 {
		if w := serve(h, "1.2.3.4"); w.Code != http.StatusNoContent || w.Header().Get("Retry-After") != "" {
			t.Fatalf("request %d: %d %v", i+1, w.Code, w.Header())
		}
	}
	clk.Advance(500 * time.Millisecond)
	w := serve(h, "1.2.3.4")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("request past the burst: %d, want 429", w.Code)
	}
	if got := w.Header().Values("Retry-After"); len(got) != 1 || got[0] != "10" {
		t.Errorf("Retry-After = %q, want [10] (9.5s rounded up)", got)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var p httpx.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != "urn:gatehouse:problem:rate-limited" || p.Status != 429 || p.Title != "Too many requests" ||
		p.Detail != "Too many requests. Try again in 10 seconds." || p.Instance != "/login" {
		t.Errorf("problem = %+v", p)
	}

	// Another key has its own budget; a request without a key is not limited.
	if w := serve(h, "5.6.7.8"); w.Code != http.StatusNoContent {
		t.Errorf("other key: %d", w.Code)
	}
	for range 5 {
		if w := serve(h, ""); w.Code != http.StatusInternalServerError { // passed finds no Result
			t.Errorf("unkeyed request: %d, want it passed on without a Result", w.Code)
		}
	}
	clk.Advance(10 * time.Second)
	if w := serve(h, "1.2.3.4"); w.Code != http.StatusNoContent {
		t.Errorf("after Retry-After: %d", w.Code)
	}
}

func TestMiddlewareCustomOnLimited(t *testing.T) {
	m, _ := newMemory(t)
	var got ratelimit.Result
	onLimited := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = ratelimit.ResultFrom(r.Context())
		w.WriteHeader(http.StatusTeapot)
	})
	h := ratelimit.Middleware(m, byHeader, ratelimit.Limit{Rate: 1, Per: time.Minute, Burst: 1}, onLimited)(passed)
	serve(h, "k")
	w := serve(h, "k")
	if w.Code != http.StatusTeapot || w.Header().Get("Retry-After") != "60" {
		t.Fatalf("limited request: %d %v", w.Code, w.Header())
	}
	if got.Allowed || got.RetryAfter != time.Minute {
		t.Errorf("Result seen by onLimited = %+v", got)
	}
}

type failing struct{}

func (failing) Allow(context.Context, string, ratelimit.Limit) (ratelimit.Result, error) {
	return ratelimit.Result{}, errors.New("redis down")
}
func (failing) Reset(context.Context, string) error { return nil }

// TestMiddlewareFailsOpen: a broken store must not lock everyone out.
func TestMiddlewareFailsOpen(t *testing.T) {
	n := 0
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n++ })
	h := ratelimit.Middleware(failing{}, byHeader, ratelimit.Limit{Rate: 1, Per: time.Minute}, nil)(next)
	for range 3 {
		serve(h, "k")
	}
	if n != 3 {
		t.Errorf("%d of 3 requests passed with a failing store", n)
	}
}

// TestTooManyRequests checks the problem a handler returns itself, written
// by the shared problem writer with exactly one Retry-After.
func TestTooManyRequests(t *testing.T) {
	p := ratelimit.TooManyRequests(1500 * time.Millisecond)
	w := httptest.NewRecorder()
	httpx.WriteProblem(w, httptest.NewRequest(http.MethodPost, "/login", nil), p)
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("status = %d", w.Code)
	}
	if got := w.Header().Values("Retry-After"); len(got) != 1 || got[0] != "2" {
		t.Errorf("Retry-After = %q, want [2]", got)
	}
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if d := ratelimit.TooManyRequests(time.Second).Detail; d != "Too many requests. Try again in 1 second." {
		t.Errorf("detail for 1s = %q", d)
	}
	if body["type"] != httpx.TypeRateLimited || body["status"] != float64(429) || body["detail"] != "Too many requests. Try again in 2 seconds." {
		t.Errorf("body = %v", body)
	}
}

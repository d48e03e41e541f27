package ratelimittest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

var isolationTests = []test{
	{"Isolation/Keys", testKeyIsolation},
	{"Isolation/Kinds", testKindIsolation},
}

var concurrencyTests = []test{
	{"Concurrency/Allow", testConcurrentAllow},
	{"Concurrency/Counters", testConcurrentCounters},
	{"Concurrency/Lock", testConcurrentLock},
}

var argumentTests = []test{
	{"Arguments/Invalid", testInvalid},
	{"Arguments/CanceledContext", testCanceled},
}

// testKeyIsolation checks that keys differing only in case or in
// characters that Redis treats specially are separate.
func testKeyIsolation(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 1}
	keys := []string{"user:a", "user:A", "user:a ", "user:{a}", "{user:a}", "user:*", "user:a}"}
	for _, k := range keys {
		if res := allow(t, h, k, l); !res.Allowed {
			t.Fatalf("first request on %q rejected", k)
		}
		wantN(t, "Incr "+k, incr(t, h, k, window), 1)
		wantN(t, "AddUnique "+k, addUnique(t, h, k, "m", window), 1)
		if !lock(t, h, k, time.Hour) {
			t.Fatalf("Lock %q = false", k)
		}
	}
	for _, k := range keys {
		if res := allow(t, h, k, l); res.Allowed {
			t.Fatalf("second request on %q allowed", k)
		}
	}
	// Resetting, clearing and unlocking one key leaves the others alone.
	must(t, h.Store.Reset(t.Context(), keys[0]))
	must(t, h.Store.Clear(t.Context(), keys[0]))
	must(t, h.Store.Unlock(t.Context(), keys[0]))
	for _, k := range keys[1:] {
		if res := allow(t, h, k, l); res.Allowed {
			t.Fatalf("%q allowed after another key was reset", k)
		}
		wantN(t, "Count "+k, count(t, h, k, window), 1)
		if _, ok := locked(t, h, k); !ok {
			t.Fatalf("%q unlocked with another key", k)
		}
	}
}

// testKindIsolation checks that the limiter, counter, distinct-set and lock
// state under one key string are independent.
func testKindIsolation(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 1}
	allow(t, h, "k", l)
	wantN(t, "Incr", incr(t, h, "k", window), 1)
	wantN(t, "AddUnique", addUnique(t, h, "k", "m", window), 1)
	lock(t, h, "k", time.Hour)

	must(t, h.Store.Clear(t.Context(), "k"))
	if res := allow(t, h, "k", l); res.Allowed {
		t.Fatal("Clear reset the limiter")
	}
	if _, ok := locked(t, h, "k"); !ok {
		t.Fatal("Clear removed the lock")
	}
	incr(t, h, "k", window)
	must(t, h.Store.Reset(t.Context(), "k"))
	wantN(t, "Count after Reset", count(t, h, "k", window), 1)
	must(t, h.Store.Unlock(t.Context(), "k"))
	wantN(t, "Count after Unlock", count(t, h, "k", window), 1)
	if res := allow(t, h, "k", l); !res.Allowed {
		t.Fatal("limiter not reset by Reset")
	}
}

const racers = 24

// race runs fn on racers goroutines released together.
func race(fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range racers {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

func testConcurrentAllow(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 5}
	var allowed atomic.Int64
	race(func(int) {
		res, err := h.Store.Allow(context.Background(), "hot", l)
		if err != nil {
			t.Error(err)
			return
		}
		if res.Allowed {
			allowed.Add(1)
		}
	})
	if n := allowed.Load(); n != 5 {
		t.Fatalf("%d of %d racing requests allowed, want exactly the burst of 5", n, racers)
	}
}

func testConcurrentCounters(t *testing.T, h Harness) {
	var mu sync.Mutex
	seen := map[int64]bool{}
	race(func(i int) {
		n, err := h.Store.Incr(context.Background(), "hot", time.Minute)
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := h.Store.AddUnique(context.Background(), "hot", fmt.Sprint(i%(racers/2)), time.Minute); err != nil {
			t.Error(err)
		}
		mu.Lock()
		seen[n] = true
		mu.Unlock()
	})
	// Each Incr saw a distinct count: none was lost or doubled.
	for n := int64(1); n <= racers; n++ {
		if !seen[n] {
			t.Errorf("no Incr returned %d: %v", n, seen)
		}
	}
	wantN(t, "Count", count(t, h, "hot", time.Minute), racers)
	wantN(t, "distinct members", addUnique(t, h, "hot", "0", time.Minute), racers/2)
}

func testConcurrentLock(t *testing.T, h Harness) {
	var won atomic.Int64
	race(func(int) {
		ok, err := h.Store.Lock(context.Background(), "acct", time.Minute)
		if err != nil {
			t.Error(err)
			return
		}
		if ok {
			won.Add(1)
		}
	})
	if n := won.Load(); n != 1 {
		t.Fatalf("%d of %d racing Lock calls won, want 1", n, racers)
	}
}

func testInvalid(t *testing.T, h Harness) {
	ctx := t.Context()
	s := h.Store
	good := ratelimit.Limit{Rate: 1, Per: time.Second, Burst: 1}
	for _, l := range []ratelimit.Limit{
		{Rate: 0, Per: time.Second},
		{Rate: -1, Per: time.Second},
		{Rate: 1, Per: 0},
		{Rate: 1, Per: time.Second, Burst: -1},
		{Rate: 1_000_000, Per: time.Millisecond}, // finer than 1µs
		{Rate: 1, Per: 24 * time.Hour, Burst: 1_000_000},
	} {
		if _, err := s.Allow(ctx, "k", l); !errors.Is(err, ratelimit.ErrInvalid) {
			t.Errorf("Allow(%+v) error = %v, want ErrInvalid", l, err)
		}
	}
	errs := map[string]error{}
	_, errs["Allow empty key"] = s.Allow(ctx, "", good)
	errs["Reset empty key"] = s.Reset(ctx, "")
	_, errs["Incr empty key"] = s.Incr(ctx, "", time.Second)
	_, errs["Incr zero window"] = s.Incr(ctx, "k", 0)
	_, errs["Incr sub-millisecond window"] = s.Incr(ctx, "k", time.Microsecond)
	_, errs["Count empty key"] = s.Count(ctx, "", time.Second)
	_, errs["Count zero window"] = s.Count(ctx, "k", 0)
	_, errs["AddUnique empty key"] = s.AddUnique(ctx, "", "m", time.Second)
	_, errs["AddUnique negative window"] = s.AddUnique(ctx, "k", "m", -time.Second)
	errs["Clear empty key"] = s.Clear(ctx, "")
	_, errs["Lock empty key"] = s.Lock(ctx, "", time.Second)
	_, errs["Lock zero TTL"] = s.Lock(ctx, "k", 0)
	_, _, errs["Locked empty key"] = s.Locked(ctx, "")
	errs["Unlock empty key"] = s.Unlock(ctx, "")
	for what, err := range errs {
		if !errors.Is(err, ratelimit.ErrInvalid) {
			t.Errorf("%s: error = %v, want ErrInvalid", what, err)
		}
	}
	// Nothing was recorded by the rejected calls.
	wantN(t, "Count", count(t, h, "k", time.Second), 0)
	if _, ok := locked(t, h, "k"); ok {
		t.Error("a rejected Lock locked the key")
	}
}

func testCanceled(t *testing.T, h Harness) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s := h.Store
	errs := map[string]error{}
	_, errs["Allow"] = s.Allow(ctx, "k", ratelimit.Limit{Rate: 1, Per: time.Second})
	errs["Reset"] = s.Reset(ctx, "k")
	_, errs["Incr"] = s.Incr(ctx, "k", time.Second)
	_, errs["Count"] = s.Count(ctx, "k", time.Second)
	_, errs["AddUnique"] = s.AddUnique(ctx, "k", "m", time.Second)
	errs["Clear"] = s.Clear(ctx, "k")
	_, errs["Lock"] = s.Lock(ctx, "k", time.Second)
	_, _, errs["Locked"] = s.Locked(ctx, "k")
	errs["Unlock"] = s.Unlock(ctx, "k")
	for what, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: error = %v, want context.Canceled", what, err)
		}
	}
}

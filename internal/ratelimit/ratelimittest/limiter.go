package ratelimittest

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// period is the emission interval of the limits below: short, for
// real-time backends, and long enough that the calls of one step take a
// small part of it.
const period = 200 * time.Millisecond

var limiterTests = []test{
	{"Limiter/BurstThenReject", testBurstThenReject},
	{"Limiter/RefillOverTime", testRefill},
	{"Limiter/BurstDefaultsToRate", testBurstDefault},
	{"Limiter/Reset", testReset},
}

func allow(t *testing.T, h Harness, key string, l ratelimit.Limit) ratelimit.Result {
	t.Helper()
	res, err := h.Store.Allow(t.Context(), key, l)
	must(t, err)
	return res
}

func testBurstThenReject(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 5, Per: 5 * period, Burst: 3}
	for i := range 3 {
		res := allow(t, h, "k", l)
		if !res.Allowed || res.Remaining != 2-i || res.RetryAfter != 0 {
			t.Fatalf("request %d: %+v, want allowed with %d remaining", i+1, res, 2-i)
		}
		approx(t, "ResetAfter", res.ResetAfter, time.Duration(i+1)*period, h.Slack)
	}
	// Rejections are not counted: the wait does not grow.
	for i := range 2 {
		res := allow(t, h, "k", l)
		if res.Allowed || res.Remaining != 0 {
			t.Fatalf("request %d over the burst: %+v, want rejected", 4+i, res)
		}
		approx(t, "RetryAfter", res.RetryAfter, period, h.Slack)
		approx(t, "ResetAfter", res.ResetAfter, 3*period, h.Slack)
	}
}

func testRefill(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 1, Per: period, Burst: 2}
	allow(t, h, "k", l)
	allow(t, h, "k", l)
	res := allow(t, h, "k", l)
	if res.Allowed || res.RetryAfter <= 0 {
		t.Fatalf("over the burst: %+v", res)
	}
	if h.Slack == 0 {
		// Exactly at the edge: one nanosecond early is still too early.
		h.Sleep(res.RetryAfter - 1)
		if res := allow(t, h, "k", l); res.Allowed || res.RetryAfter != 1 {
			t.Fatalf("1ns before RetryAfter: %+v", res)
		}
		h.Sleep(1)
	} else {
		h.Sleep(res.RetryAfter)
	}
	// One token came back, and only one.
	if res := allow(t, h, "k", l); !res.Allowed || res.Remaining != 0 {
		t.Fatalf("after RetryAfter: %+v, want allowed with 0 remaining", res)
	}
	if res := allow(t, h, "k", l); res.Allowed {
		t.Fatalf("second request after one refill: %+v, want rejected", res)
	}
	// A long pause refills the bucket up to the burst, no further.
	h.Sleep(5 * period)
	for i := range 2 {
		if res := allow(t, h, "k", l); !res.Allowed || res.Remaining != 1-i {
			t.Fatalf("request %d after a long pause: %+v", i+1, res)
		}
	}
	if res := allow(t, h, "k", l); res.Allowed {
		t.Fatalf("refill exceeded the burst: %+v", res)
	}
}

func testBurstDefault(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 3, Per: time.Hour}
	for i := range 3 {
		if res := allow(t, h, "k", l); !res.Allowed {
			t.Fatalf("request %d: %+v, want allowed", i+1, res)
		}
	}
	res := allow(t, h, "k", l)
	if res.Allowed {
		t.Fatalf("fourth request: %+v, want rejected", res)
	}
	approx(t, "RetryAfter", res.RetryAfter, 20*time.Minute, h.Slack)
}

func testReset(t *testing.T, h Harness) {
	l := ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 2}
	allow(t, h, "k", l)
	allow(t, h, "k", l)
	if res := allow(t, h, "k", l); res.Allowed {
		t.Fatalf("over the burst: %+v", res)
	}
	must(t, h.Store.Reset(t.Context(), "k"))
	for i := range 2 {
		if res := allow(t, h, "k", l); !res.Allowed || res.Remaining != 1-i {
			t.Fatalf("request %d after Reset: %+v", i+1, res)
		}
	}
	must(t, h.Store.Reset(t.Context(), "never-used"))
}

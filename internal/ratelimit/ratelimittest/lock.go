package ratelimittest

import (
	"testing"
	"time"
)

var lockTests = []test{
	{"Lock/SetIfAbsent", testLockSetIfAbsent},
	{"Lock/Expires", testLockExpires},
	{"Lock/Unlock", testUnlock},
}

func lock(t *testing.T, h Harness, key string, ttl time.Duration) bool {
	t.Helper()
	ok, err := h.Store.Lock(t.Context(), key, ttl)
	must(t, err)
	return ok
}

func locked(t *testing.T, h Harness, key string) (time.Duration, bool) {
	t.Helper()
	d, ok, err := h.Store.Locked(t.Context(), key)
	must(t, err)
	return d, ok
}

func testLockSetIfAbsent(t *testing.T, h Harness) {
	if d, ok := locked(t, h, "acct"); ok || d != 0 {
		t.Fatalf("Locked before Lock = %v, %v", d, ok)
	}
	if !lock(t, h, "acct", time.Minute) {
		t.Fatal("first Lock = false")
	}
	d, ok := locked(t, h, "acct")
	if !ok {
		t.Fatal("Locked after Lock = false")
	}
	approx(t, "remaining", d, time.Minute, h.Slack)
	// A second Lock fails and does not extend the first.
	h.Sleep(period)
	if lock(t, h, "acct", time.Hour) {
		t.Fatal("second Lock = true")
	}
	d, _ = locked(t, h, "acct")
	approx(t, "remaining after a failed Lock", d, time.Minute-period, h.Slack)
}

func testLockExpires(t *testing.T, h Harness) {
	ttl := 2 * period
	lock(t, h, "acct", ttl)
	h.Sleep(ttl / 2)
	if d, ok := locked(t, h, "acct"); !ok {
		t.Fatalf("Locked halfway = %v, false", d)
	}
	h.Sleep(ttl/2 + ttl/8)
	if d, ok := locked(t, h, "acct"); ok {
		t.Fatalf("Locked after the TTL = %v, true", d)
	}
	if !lock(t, h, "acct", ttl) {
		t.Fatal("Lock after expiry = false")
	}
}

func testUnlock(t *testing.T, h Harness) {
	lock(t, h, "acct", time.Hour)
	must(t, h.Store.Unlock(t.Context(), "acct"))
	if _, ok := locked(t, h, "acct"); ok {
		t.Fatal("Locked after Unlock = true")
	}
	if !lock(t, h, "acct", time.Hour) {
		t.Fatal("Lock after Unlock = false")
	}
	must(t, h.Store.Unlock(t.Context(), "never-locked"))
}

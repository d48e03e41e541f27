package ratelimittest

import (
	"testing"
	"time"
)

// window is the sliding window of the counter tests; they sleep at most
// half of it plus a margin at a time.
const window = 2 * period

var counterTests = []test{
	{"Counter/SlidingWindow", testSlidingWindow},
	{"Counter/CountDoesNotRecord", testCountDoesNotRecord},
	{"Counter/Clear", testClear},
}

var uniqueTests = []test{
	{"Unique/DistinctMembers", testDistinct},
	{"Unique/SlidingWindow", testUniqueWindow},
	{"Unique/Clear", testUniqueClear},
}

func incr(t *testing.T, h Harness, key string, w time.Duration) int64 {
	t.Helper()
	n, err := h.Store.Incr(t.Context(), key, w)
	must(t, err)
	return n
}

func count(t *testing.T, h Harness, key string, w time.Duration) int64 {
	t.Helper()
	n, err := h.Store.Count(t.Context(), key, w)
	must(t, err)
	return n
}

func addUnique(t *testing.T, h Harness, key, member string, w time.Duration) int64 {
	t.Helper()
	n, err := h.Store.AddUnique(t.Context(), key, member, w)
	must(t, err)
	return n
}

func wantN(t *testing.T, what string, got, want int64) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %d, want %d", what, got, want)
	}
}

func testSlidingWindow(t *testing.T, h Harness) {
	for i := range 3 {
		wantN(t, "Incr", incr(t, h, "k", window), int64(i+1))
	}
	wantN(t, "Count", count(t, h, "k", window), 3)
	h.Sleep(window / 2)
	wantN(t, "Incr after half a window", incr(t, h, "k", window), 4)
	// A shorter look-back sees only the recent event, and drops nothing.
	wantN(t, "Count over a quarter window", count(t, h, "k", window/4), 1)
	wantN(t, "Count over the window", count(t, h, "k", window), 4)
	// The first three slide out, the fourth stays.
	h.Sleep(window/2 + window/8)
	wantN(t, "Count once the first events are a window old", count(t, h, "k", window), 1)
	wantN(t, "Incr", incr(t, h, "k", window), 2)
	h.Sleep(window + window/8)
	wantN(t, "Count a window after the last event", count(t, h, "k", window), 0)
	wantN(t, "Incr on an expired key", incr(t, h, "k", window), 1)
}

// testWindowEdge pins the edge on a fake clock: an event counts while it is
// less than a window old.
func testWindowEdge(t *testing.T, h Harness) {
	incr(t, h, "k", window)
	h.Sleep(window - 1)
	wantN(t, "Count 1ns before the edge", count(t, h, "k", window), 1)
	h.Sleep(1)
	wantN(t, "Count at the edge", count(t, h, "k", window), 0)

	addUnique(t, h, "u", "a", window)
	h.Sleep(window - 1)
	wantN(t, "AddUnique 1ns before the edge", addUnique(t, h, "u", "b", window), 2)
	h.Sleep(1)
	wantN(t, "AddUnique at the edge", addUnique(t, h, "u", "c", window), 2)
}

func testCountDoesNotRecord(t *testing.T, h Harness) {
	wantN(t, "Count of a new key", count(t, h, "k", window), 0)
	wantN(t, "Count of a new key", count(t, h, "k", window), 0)
	wantN(t, "Incr", incr(t, h, "k", window), 1)
	wantN(t, "Count", count(t, h, "k", window), 1)
	wantN(t, "Count", count(t, h, "k", window), 1)
}

func testClear(t *testing.T, h Harness) {
	incr(t, h, "k", window)
	incr(t, h, "k", window)
	addUnique(t, h, "k", "a", window)
	must(t, h.Store.Clear(t.Context(), "k"))
	wantN(t, "Count after Clear", count(t, h, "k", window), 0)
	wantN(t, "Incr after Clear", incr(t, h, "k", window), 1)
	wantN(t, "AddUnique after Clear", addUnique(t, h, "k", "b", window), 1)
	must(t, h.Store.Clear(t.Context(), "never-used"))
}

func testDistinct(t *testing.T, h Harness) {
	for i, m := range []string{"alice", "bob", "alice", "carol", "bob", "Alice"} {
		want := []int64{1, 2, 2, 3, 3, 4}[i]
		wantN(t, "AddUnique "+m, addUnique(t, h, "ip", m, window), want)
	}
	// Members are opaque bytes: separators and braces are not special.
	wantN(t, "AddUnique odd member", addUnique(t, h, "ip", "a:{b}*?", window), 5)
	wantN(t, "AddUnique empty member", addUnique(t, h, "ip", "", window), 6)
}

func testUniqueWindow(t *testing.T, h Harness) {
	addUnique(t, h, "ip", "a", window)
	addUnique(t, h, "ip", "b", window)
	h.Sleep(window / 2)
	// Re-adding a refreshes it; b keeps its first time.
	wantN(t, "AddUnique a again", addUnique(t, h, "ip", "a", window), 2)
	h.Sleep(window/2 + window/8)
	wantN(t, "AddUnique c after b aged out", addUnique(t, h, "ip", "c", window), 2)
	h.Sleep(window + window/8)
	wantN(t, "AddUnique a window after the last", addUnique(t, h, "ip", "d", window), 1)
}

func testUniqueClear(t *testing.T, h Harness) {
	addUnique(t, h, "ip", "a", window)
	addUnique(t, h, "ip", "b", window)
	must(t, h.Store.Clear(t.Context(), "ip"))
	wantN(t, "AddUnique after Clear", addUnique(t, h, "ip", "a", window), 1)
}

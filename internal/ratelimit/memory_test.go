package ratelimit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit/ratelimittest"
)

func newMemory(t *testing.T) (*ratelimit.Memory, *ratelimittest.Clock) {
	clk := ratelimittest.NewClock()
	m := ratelimit.NewMemory(clk.Now)
	t.Cleanup(func() { _ = m.Close() })
	return m, clk
}

func TestMemoryConformance(t *testing.T) {
	h := func(t *testing.T) ratelimittest.Harness {
		m, clk := newMemory(t)
		return ratelimittest.Harness{Store: m, Sleep: clk.Advance}
	}
	ratelimittest.Run(t, h)
	ratelimittest.RunExactClock(t, h)
}

// TestMemorySweepsExpiredEntries checks that memory stays bounded: entries
// of every kind are dropped once their window has passed.
func TestMemorySweepsExpiredEntries(t *testing.T) {
	m, clk := newMemory(t)
	ctx := t.Context()
	const keys = 20_000
	for i := range keys {
		k := fmt.Sprint("ip:", i)
		if _, err := m.Allow(ctx, k, ratelimit.Limit{Rate: 1, Per: time.Second}); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Incr(ctx, k, time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := m.AddUnique(ctx, k, "m", time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Lock(ctx, k, time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Entries(); n != 4*keys {
		t.Fatalf("Entries = %d, want %d", n, 4*keys)
	}
	// Growth alone triggers sweeps, but nothing had expired yet.
	clk.Advance(2 * time.Minute)
	// One write per shard (keys spread over all shards) sweeps it.
	for i := range 1000 {
		if _, err := m.Incr(ctx, fmt.Sprint("new:", i), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Entries(); n > 1000 {
		t.Fatalf("Entries after expiry = %d, want only the 1000 new ones", n)
	}
}

// TestMemoryLongRunningKey checks that a key that is never idle does not
// accumulate: its log holds only the events of one window.
func TestMemoryLongRunningKey(t *testing.T) {
	m, clk := newMemory(t)
	ctx := t.Context()
	for i := range 100_000 {
		n, err := m.Incr(ctx, "busy", 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if i >= 10 && n != 10 {
			t.Fatalf("event %d: count %d, want 10", i, n)
		}
		if _, err := m.AddUnique(ctx, "busy", fmt.Sprint(i%7), 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		clk.Advance(10 * time.Millisecond)
	}
	if n := m.Entries(); n != 2 {
		t.Fatalf("Entries = %d, want 2", n)
	}
	// Both structures compact: what they hold is bounded by a small
	// multiple of the window's content, not by the 100k events.
	if events, stamps := m.Footprint("busy"); events > 200 || stamps > 200 {
		t.Fatalf("Footprint = %d events, %d stamps; want ≤ 200 each", events, stamps)
	}
}

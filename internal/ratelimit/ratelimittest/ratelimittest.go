// Package ratelimittest is the conformance suite every ratelimit.Store
// passes (memory always, Redis when CI provides one), and a fake clock for
// tests of code built on the memory store.
package ratelimittest

import (
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// Harness is one backend under test.
type Harness struct {
	// Store is empty, and no other test sees its keys.
	Store ratelimit.Store
	// Sleep lets d pass for Store: it advances a fake clock, or sleeps when
	// Store runs on real time.
	Sleep func(d time.Duration)
	// Slack is how far a duration that Store reports may fall short of the
	// exact value, because real time passes between calls; 0 on a fake
	// clock, where the suite checks exact values and window edges.
	Slack time.Duration
}

type test struct {
	name string
	fn   func(t *testing.T, h Harness)
}

// Run runs the suite. newHarness is called once per subtest, from parallel
// subtests, and must return a fresh, isolated store; it should release the
// store and its keys in t.Cleanup. Durations are a few hundred
// milliseconds, so a real-time backend finishes in about a second.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	run(t, newHarness, limiterTests, counterTests, uniqueTests, lockTests, isolationTests, concurrencyTests, argumentTests)
}

// RunExactClock runs the checks that need a fake clock (Slack 0): window
// edges to the nanosecond, which real time cannot hit.
func RunExactClock(t *testing.T, newHarness func(t *testing.T) Harness) {
	run(t, newHarness, []test{{"Counter/WindowEdge", testWindowEdge}})
}

func run(t *testing.T, newHarness func(t *testing.T) Harness, groups ...[]test) {
	for _, g := range groups {
		for _, tc := range g {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tc.fn(t, newHarness(t))
			})
		}
	}
}

// Clock is a fake clock for ratelimit.NewMemory: pass c.Now, then Advance.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at 2026-01-01T00:00:00Z.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// approx fails unless got is in [want-slack, want].
func approx(t *testing.T, what string, got, want, slack time.Duration) {
	t.Helper()
	if got > want || got < want-slack {
		t.Errorf("%s = %v, want %v (slack %v)", what, got, want, slack)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package risk_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// TestPairLock: with back-off and lock at the same count, the third
// failure locks the account+IP pair; the summary shows it; the user's known
// device and other addresses are unaffected.
func TestPairLock(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		u := e.users("locked", 1)[0]
		e.observe(e.attempt(u, "192.0.2.40", "desk"), true)
		e.policy(riskpolicy.Policy{PairBackoffAfter: 3, PairLockAfter: 3, NewDevice: "notify"})
		bad := e.attempt(u, "198.51.100.40", "")
		for i := range 3 {
			if e.engine.PairLocked(t.Context(), bad) {
				t.Fatalf("pair locked after %d failures", i)
			}
			e.observe(bad, false)
		}
		if !e.engine.PairLocked(t.Context(), bad) {
			t.Fatal("PairLocked: the locked pair is not reported")
		}
		// The known device from another address is its own pair.
		if e.engine.PairLocked(t.Context(), e.attempt(u, "198.51.100.41", "desk")) {
			t.Fatal("PairLocked: the known device elsewhere is reported")
		}
		if unknown := e.attempt("", "198.51.100.40", ""); e.engine.PairLocked(t.Context(), unknown) {
			t.Fatal("PairLocked: an unknown account is reported")
		}
		a := e.assess(bad)
		if a.Decision != riskpolicy.Deny || !a.Fired("pair_locked") || a.RetryAfter <= 0 || a.RetryAfter > 15*time.Minute {
			t.Fatalf("locked pair: %s %v %+v", a.Decision, a.RetryAfter, a.Reasons)
		}
		// Same address, the user's known device: its own pair, not locked.
		if a := e.assess(e.attempt(u, "198.51.100.40", "desk")); a.Decision == riskpolicy.Deny {
			t.Fatalf("known device behind the locked address: %+v", a.Reasons)
		}
		if a := e.assess(e.attempt(u, "198.51.100.41", "")); a.Decision == riskpolicy.Deny {
			t.Fatalf("another address: %+v", a.Reasons)
		}
		s, err := e.engine.Summary(t.Context(), e.tenant, u)
		if err != nil {
			t.Fatal(err)
		}
		if s.AccountFailures != 3 || len(s.Locks) != 1 || s.Locks[0].Source != "ip:198.51.100.40" || s.Locks[0].RetryAfter <= 0 {
			t.Fatalf("summary %+v", s)
		}
	})
}

// TestBackoffDoublesThenLocks runs on the memory counters, whose clock the
// test controls.
func TestBackoffDoublesThenLocks(t *testing.T) {
	e := newEnv(t, memoryBackend)
	u := e.users("slow", 1)[0]
	at := e.attempt(u, "198.51.100.50", "browser")
	var waits []time.Duration
	for range 10 {
		a := e.assess(at)
		if a.Decision == riskpolicy.Deny {
			t.Fatalf("denied while the back-off should be over: %+v", a.Reasons)
		}
		e.observe(at, false)
		a = e.assess(at)
		waits = append(waits, a.RetryAfter)
		e.clock.Advance(a.RetryAfter)
	}
	want := []time.Duration{0, 0, 1, 2, 4, 8, 16, 32, 64, 15 * 60}
	for i, w := range want {
		if w < 15*60 {
			w *= time.Second
		} else {
			w = 15 * time.Minute
		}
		if waits[i] != w {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	a := e.assess(at)
	if a.Decision != riskpolicy.Allow {
		t.Fatalf("after the lock expired: %s %+v", a.Decision, a.Reasons)
	}
	// A success clears the pair's failures.
	e.observe(at, true)
	e.observe(at, false)
	if a := e.assess(at); a.Decision != riskpolicy.Allow {
		t.Fatalf("first failure after a success: %+v", a.Reasons)
	}
}

func TestShadowMode(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		u := e.users("shadow", 1)[0]
		e.observe(e.attempt(u, "192.0.2.60", "a"), true)
		e.policy(riskpolicy.Policy{Shadow: true, DenyCIDRs: []string{"198.51.100.0/24"}})
		a := e.assess(e.attempt(u, "198.51.100.60", "b"))
		if a.Decision != riskpolicy.Allow || !a.Shadow || a.Enforced != riskpolicy.Deny || !a.Fired("ip_denied") || !a.Fired("new_device") {
			t.Fatalf("shadow: %+v", a)
		}
	})
}

func TestOperatorLists(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		e.policy(riskpolicy.Policy{DenyCIDRs: []string{"198.51.100.0/24", "2001:db8:bad::/48"}, AllowCIDRs: []string{"198.51.100.7"}})
		for ip, want := range map[string]riskpolicy.Decision{
			"198.51.100.8":      riskpolicy.Deny,
			"2001:db8:bad::1":   riskpolicy.Deny,
			"198.51.100.7":      riskpolicy.Allow, // allowed wins
			"::ffff:192.0.2.61": riskpolicy.Allow,
		} {
			if a := e.assess(e.attempt("", ip, "")); a.Decision != want {
				t.Errorf("%s: %s %+v", ip, a.Decision, a.Reasons)
			}
		}
	})
}

// TestBreachedPassword: a breached password is no reason to refuse, but the
// login must require a change after the sign-in.
func TestBreachedPassword(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		u := e.users("weak", 1)[0]
		at := e.attempt(u, "192.0.2.62", "")
		at.Password = "password123"
		a := e.assess(at)
		if a.Decision != riskpolicy.Allow || !a.RequirePasswordChange || !a.Fired("breached_password") {
			t.Fatalf("breached: %+v", a)
		}
		at.Password = "a long unlisted sentence about teapots"
		if a := e.assess(at); a.RequirePasswordChange {
			t.Fatalf("unlisted password flagged: %+v", a)
		}
	})
}

// TestUnknownLogins: identifiers that match no user are counted under a
// keyed hash of the identifier, so guessing them also backs off.
func TestUnknownLogins(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		at := e.attempt("", "198.51.100.70", "")
		at.Login = "Nobody@Example.org"
		for range 3 {
			e.observe(at, false)
		}
		at.Login = " nobody@example.org"
		if a := e.assess(at); !a.Fired("pair_backoff") {
			t.Fatalf("unknown login not backed off: %+v", a.Reasons)
		}
		at.Login = "somebody@example.org"
		if a := e.assess(at); a.Decision != riskpolicy.Allow {
			t.Fatalf("another unknown login: %+v", a.Reasons)
		}
	})
}

func TestErrors(t *testing.T) {
	e := newEnv(t, memoryBackend)
	if _, err := e.engine.Assess(t.Context(), risk.Attempt{}); !errors.Is(err, risk.ErrInvalid) {
		t.Errorf("Assess without tenant: %v", err)
	}
	if err := e.engine.Observe(t.Context(), risk.Attempt{}, risk.Outcome{}); !errors.Is(err, risk.ErrInvalid) {
		t.Errorf("Observe without tenant: %v", err)
	}
	at := e.attempt("no-such-user", "192.0.2.1", "")
	if _, err := e.engine.Assess(t.Context(), at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Assess for an unknown user ID: %v", err)
	}
	at = e.attempt("", "192.0.2.1", "")
	at.TenantID = "no-such-tenant"
	if _, err := e.engine.Assess(t.Context(), at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Assess for an unknown tenant: %v", err)
	}
	if _, err := e.engine.Summary(t.Context(), e.tenant, "no-such-user"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Summary of an unknown user: %v", err)
	}
}

// TestTwoNodes: two engines on their own Redis connections, as two nodes
// behind one load balancer, share back-offs, locks and flags.
func TestTwoNodes(t *testing.T) {
	e := newEnv(t, memoryBackend)
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "ghtest:risk:" + hex.EncodeToString(b[:]) + ":"
	a := *e.engine
	a.Counters = redisNode(t, prefix)
	other := *e.engine
	other.Counters = redisNode(t, prefix)
	u := e.users("shared", 1)[0]
	e.policy(riskpolicy.Policy{PairBackoffAfter: 3, PairLockAfter: 3})
	at := e.attempt(u, "198.51.100.80", "")
	for range 3 {
		if err := a.Observe(t.Context(), at, risk.Outcome{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := other.Assess(t.Context(), at)
	if err != nil || got.Decision != riskpolicy.Deny || !got.Fired("pair_locked") {
		t.Fatalf("the other node: %+v %v", got, err)
	}
}

// countingRisk counts the policy and history reads of a RiskRepo.
type countingRisk struct {
	store.RiskRepo
	reads int
}

func (c *countingRisk) Policy(ctx context.Context, tenantID string) (riskpolicy.Policy, error) {
	c.reads++
	return c.RiskRepo.Policy(ctx, tenantID)
}

func (c *countingRisk) History(ctx context.Context, tenantID, userID string) (*riskpolicy.History, error) {
	c.reads++
	return c.RiskRepo.History(ctx, tenantID, userID)
}

// TestObserveAssessed: the outcome of an attempt assessed in the same
// request is observed under the policy and device verdict of its
// assessment, without reading them again, and counts exactly as a plain
// Observe: failures from the user's known device go to the device's
// pair, not to its address's.
func TestObserveAssessed(t *testing.T) {
	e := newEnv(t, memoryBackend)
	reads := &countingRisk{RiskRepo: e.engine.Risk}
	e.engine.Risk = reads
	u := e.users("assessed", 1)[0]
	e.observe(e.attempt(u, "192.0.2.70", "desk"), true)
	e.policy(riskpolicy.Policy{PairBackoffAfter: 2, PairLockAfter: 2})
	known := e.attempt(u, "192.0.2.70", "desk")
	for range 2 {
		a := e.assess(known)
		if !a.KnownDevice {
			t.Fatalf("the user's device is not known: %+v", a)
		}
		reads.reads = 0
		if err := e.engine.Observe(t.Context(), known, risk.Outcome{Assessed: &a}); err != nil {
			t.Fatal(err)
		}
		if reads.reads != 0 {
			t.Fatalf("Observe of an assessed attempt read the policy or history %d times", reads.reads)
		}
	}
	if a := e.assess(known); !a.Fired("pair_locked") {
		t.Fatalf("the known device's pair after 2 failures: %+v", a.Reasons)
	}
	if a := e.assess(e.attempt(u, "192.0.2.70", "")); a.Decision == riskpolicy.Deny {
		t.Fatalf("the address's own pair was counted: %+v", a.Reasons)
	}
	// Once the lock is over, a success is recorded in the history.
	e.clock.Advance(16 * time.Minute)
	a := e.assess(known)
	if a.Decision != riskpolicy.Allow {
		t.Fatalf("after the lock: %+v", a.Reasons)
	}
	if err := e.engine.Observe(t.Context(), known, risk.Outcome{Success: true, Factor: "password", Assessed: &a}); err != nil {
		t.Fatal(err)
	}
	h, err := e.db.Risk().History(t.Context(), e.tenant, u)
	if err != nil || h.Successes != 2 {
		t.Fatalf("history after the assessed success: %+v %v", h, err)
	}
}

package risk_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
)

// TestCredentialStuffing: one IP tries 500 accounts, 2% with the right
// password. The source is flagged after StuffingAccounts accounts with
// mostly failures; from then on every attempt is challenged or throttled,
// so no valid pair (all placed after the first few accounts) gets in.
func TestCredentialStuffing(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		victims := e.users("stuffed", 500)
		l := e.startLegit(10)
		var in, challenged, denied int
		flagAt := riskpolicy.Policy{}.Effective().StuffingAccounts
		for i, id := range victims {
			valid := i%50 == 25 // 10 of 500
			at := e.attempt(id, "203.0.113.66", "attacker-"+fmt.Sprint(i))
			at.Password = fmt.Sprintf("leaked-%d", i)
			a, ok := e.signIn(at, valid)
			switch {
			case ok:
				in++
			case a.Decision == riskpolicy.Challenge:
				challenged++
			case a.Decision == riskpolicy.Deny:
				denied++
			}
			if i >= flagAt && a.Decision == riskpolicy.Allow {
				t.Fatalf("attempt %d after the flag was allowed: %+v", i, a.Reasons)
			}
		}
		l.finish(t)
		if in != 0 {
			t.Errorf("%d accounts taken over", in)
		}
		if challenged+denied < 490 {
			t.Errorf("only %d challenged and %d throttled of 500", challenged, denied)
		}
		t.Logf("%s: %d challenged, %d throttled, %d taken over; %d legitimate sign-ins, none denied", b.name, challenged, denied, in, l.attempts)

	})
}

// TestStuffingFromOneNetwork: the same attack spread over the addresses of
// one /24 flags the network, so a fresh address in it is challenged too.
func TestStuffingFromOneNetwork(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		victims := e.users("net", 60)
		limit := riskpolicy.Policy{}.Effective().StuffingSubnetAccounts
		unchallenged := 0
		for i, id := range victims {
			a, _ := e.signIn(e.attempt(id, fmt.Sprintf("203.0.113.%d", 1+i), ""), false)
			if a.Decision == riskpolicy.Allow {
				unchallenged++
			}
		}
		if unchallenged > limit {
			t.Errorf("%d unchallenged attempts from the network, want at most %d", unchallenged, limit)
		}
		if a := e.assess(e.attempt(victims[0], "203.0.113.250", "")); a.Decision == riskpolicy.Allow || !a.Fired("credential_stuffing") {
			t.Errorf("fresh address in the flagged network: %s %+v", a.Decision, a.Reasons)
		}
		if a := e.assess(e.attempt(victims[0], "203.0.114.1", "")); a.Fired("credential_stuffing") {
			t.Errorf("the next network was flagged too: %+v", a.Reasons)
		}
	})
}

// TestBruteForceFrom50IPs: 50 addresses guess one account's password. Each
// address is backed off after 3 failures; after 20 failures on the account
// every unknown device is challenged. The real user on a known device is
// never held back, and on a new device is challenged, never denied: there
// is no global account lock.
func TestBruteForceFrom50IPs(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		victim := e.users("victim", 1)[0]
		e.observe(e.attempt(victim, "192.0.2.10", "victim-phone"), true)
		// New devices only notify here, so that the brute-force defences
		// alone are what stop the attacker.
		e.policy(riskpolicy.Policy{NewDevice: "notify", NewCountry: "notify"})
		l := e.startLegit(5)
		checked := 0 // password checks the attacker got without a challenge
		var backedOff int
		for ip := range 50 {
			for try := range 10 {
				at := e.attempt(victim, fmt.Sprintf("198.51.%d.%d", 100+ip/200, 1+ip), fmt.Sprintf("bot-%d", ip))
				at.Password = fmt.Sprintf("guess-%d-%d", ip, try)
				a, _ := e.signIn(at, false)
				if a.Decision == riskpolicy.Allow {
					checked++
				}
				if a.Fired("pair_backoff") || a.Fired("pair_locked") {
					backedOff++
					if a.RetryAfter <= 0 {
						t.Fatalf("back-off without RetryAfter: %+v", a)
					}
				}
			}
			// The real user, on the known phone, from home: always allowed.
			if a := e.assess(e.attempt(victim, "192.0.2.10", "victim-phone")); a.Decision != riskpolicy.Allow {
				t.Fatalf("after IP %d the real user was %s: %+v", ip, a.Decision, a.Reasons)
			}
		}
		l.finish(t)
		if limit := (riskpolicy.Policy{}).Effective().AccountChallengeAfter; checked > limit {
			t.Errorf("attacker had %d unchallenged guesses, want at most %d", checked, limit)
		}
		if backedOff == 0 {
			t.Error("no address was backed off")
		}
		// The real user on a new laptop somewhere else: challenged, not denied.
		a := e.assess(e.attempt(victim, "192.0.2.77", "victim-new-laptop"))
		if a.Decision != riskpolicy.Challenge || !a.Fired("account_under_attack") {
			t.Errorf("real user on a new device: %s %+v", a.Decision, a.Reasons)
		}
		s, err := e.engine.Summary(t.Context(), e.tenant, victim)
		if err != nil {
			t.Fatal(err)
		}
		if s.AccountFailures < 50 || len(s.History.Devices) != 1 {
			t.Errorf("summary: %d failures, devices %+v", s.AccountFailures, s.History.Devices)
		}
		t.Logf("%s: %d unchallenged guesses, %d backed off; %d legitimate sign-ins, none denied", b.name, checked, backedOff, l.attempts)
	})
}

// TestPasswordSpraying: one password against 100 accounts from 25
// networks, 4 accounts each. After SprayAccounts accounts failed with it,
// every attempt with that password is challenged, whatever its source.
func TestPasswordSpraying(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		victims := e.users("sprayed", 100)
		l := e.startLegit(5)
		limit := riskpolicy.Policy{}.Effective().SprayAccounts
		unchallenged := 0
		for i, id := range victims {
			at := e.attempt(id, fmt.Sprintf("172.16.%d.9", i/4), "")
			at.Password = "Winter2026!"
			a, _ := e.signIn(at, false)
			if a.Decision == riskpolicy.Allow {
				unchallenged++
			} else if !a.Fired("password_spraying") {
				t.Fatalf("attempt %d stopped by something else: %+v", i, a.Reasons)
			}
		}
		l.finish(t)
		if unchallenged > limit {
			t.Errorf("%d accounts tried without a challenge, want at most %d", unchallenged, limit)
		}
		// Another password from a fresh source is not affected.
		at := e.attempt(victims[0], "172.31.0.1", "")
		at.Password = "something else entirely"
		if a := e.assess(at); a.Fired("password_spraying") {
			t.Errorf("an unrelated password was flagged: %+v", a.Reasons)
		}
		t.Logf("%s: %d of 100 sprayed attempts unchallenged", b.name, unchallenged)
	})
}

// TestImpossibleTravel: a sign-in in Berlin, then one from New York ten
// minutes later on the same device: challenged as impossible travel and a
// new country, and the user is to be told.
func TestImpossibleTravel(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		u := e.users("traveller", 1)[0]
		l := e.startLegit(5)
		e.observe(e.attempt(u, "192.0.2.20", "laptop"), true)
		e.clock.Advance(10 * time.Minute)
		a := e.assess(e.attempt(u, "198.51.100.20", "laptop"))
		l.finish(t)
		if a.Decision != riskpolicy.Challenge || !a.Fired("impossible_travel") || !a.Fired("new_country") || !a.NotifyNewDevice {
			t.Fatalf("New York 10 minutes after Berlin: %s %+v", a.Decision, a.Reasons)
		}
		// Ten hours later the same trip is plausible; only the new
		// country remains.
		e.clock.Advance(10 * time.Hour)
		a = e.assess(e.attempt(u, "198.51.100.20", "laptop"))
		if a.Fired("impossible_travel") || !a.Fired("new_country") {
			t.Fatalf("ten hours later: %+v", a.Reasons)
		}
	})
}

// TestNewDevice: a known user on a new device from their own network is
// allowed and flagged for a notice (the default action, score); a new
// device on a new network is challenged; once a sign-in completes the
// device is known. A tenant may challenge every new device.
func TestNewDevice(t *testing.T) {
	forBackends(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		u := e.users("gadget", 1)[0]
		l := e.startLegit(5)
		e.observe(e.attempt(u, "192.0.2.30", "old-phone"), true)
		if a := e.assess(e.attempt(u, "192.0.2.30", "second-browser")); a.Decision != riskpolicy.Allow || !a.Fired("new_device") || !a.NotifyNewDevice {
			t.Fatalf("new device, same address: %s %+v", a.Decision, a.Reasons)
		}
		at := e.attempt(u, "100.64.3.7", "new-phone") // same country (none known), another network
		a := e.assess(at)
		if a.Decision != riskpolicy.Challenge || !a.Fired("new_device") || !a.Fired("new_network") || !a.NotifyNewDevice || a.Fired("new_country") {
			t.Fatalf("new device on a new network: %s %+v", a.Decision, a.Reasons)
		}
		e.observe(at, true) // the challenge was passed
		if a := e.assess(at); a.Decision != riskpolicy.Allow || a.NotifyNewDevice {
			t.Fatalf("after a completed sign-in: %s %+v", a.Decision, a.Reasons)
		}
		// A tenant may challenge every new device, or only notify.
		e.policy(riskpolicy.Policy{NewDevice: "challenge"})
		if a := e.assess(e.attempt(u, "192.0.2.30", "tablet")); a.Decision != riskpolicy.Challenge || !a.NotifyNewDevice {
			t.Fatalf("challenge policy: %s %+v", a.Decision, a.Reasons)
		}
		e.policy(riskpolicy.Policy{NewDevice: "notify"})
		if a := e.assess(e.attempt(u, "100.64.9.9", "tablet")); a.Decision != riskpolicy.Allow || !a.NotifyNewDevice {
			t.Fatalf("notify-only policy: %s %+v", a.Decision, a.Reasons)
		}
		l.finish(t)
	})
}

package riskpolicy

import (
	"errors"
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// veteran has signed in 12 times from device d1 in Berlin (DE, 192.0.2.0/24).
func veteran() *History {
	h := &History{}
	for i := range 12 {
		h.RecordSuccess(Place{At: t0.Add(time.Duration(i-12) * 24 * time.Hour), Country: "DE", Lat: 52.52, Lon: 13.405, HasCoords: true}, "d1", "192.0.2.0/24")
	}
	return h
}

func home() Signals {
	return Signals{Now: t0, Network: "192.0.2.0/24", Country: "DE", Lat: 52.52, Lon: 13.405, HasCoords: true, DeviceID: "d1", KnownDevice: true, History: veteran()}
}

// newDevice makes the attempt come from a device the user never used.
func newDevice(s *Signals) { s.DeviceID, s.KnownDevice = "d2", false }

func TestEvaluate(t *testing.T) {
	p := Policy{}.Effective()
	cases := []struct {
		name  string
		pol   Policy
		mod   func(*Signals)
		want  Decision
		rules []string
	}{
		{"known device at home", p, func(*Signals) {}, Allow, nil},
		{"first sign-in ever is never new", p, func(s *Signals) { s.History, s.KnownDevice = &History{}, false }, Allow, nil},
		// A new device alone, from the user's network, is told about, not
		// challenged (the default action, score); with one more signal it is.
		{"new device", p, newDevice, Allow, []string{RuleNewDevice}},
		{"new device on a new network", p, func(s *Signals) { newDevice(s); s.Network = "203.0.113.0/24" }, Challenge, []string{RuleNewDevice, RuleNewNetwork}},
		{"new device at an unusual hour", p, func(s *Signals) { newDevice(s); s.Now = t0.Add(7 * time.Hour) }, Challenge, []string{RuleNewDevice, RuleUnusualHour}},
		{"new device after failures", p, func(s *Signals) { newDevice(s); s.AccountFailures = 3 }, Challenge, []string{RuleNewDevice, RuleAccountFailures}},
		{"new device from a failing address", p, func(s *Signals) { newDevice(s); s.IPFailures = 30 }, Challenge, []string{RuleNewDevice, RuleIPVelocity}},
		{"new device, challenge", func() Policy { q := p; q.NewDevice = ActionChallenge; return q }(), newDevice, Challenge, []string{RuleNewDevice}},
		{"new device, notify only", func() Policy { q := p; q.NewDevice = ActionNotify; return q }(), func(s *Signals) { newDevice(s); s.Network = "203.0.113.0/24" }, Allow, []string{RuleNewDevice, RuleNewNetwork}},
		{"failures, known device", p, func(s *Signals) { s.AccountFailures = 3 }, Allow, nil},
		{"new country and network", p, func(s *Signals) { s.Country, s.Network, s.HasCoords = "FR", "203.0.113.0/24", false }, Challenge, []string{RuleNewCountry, RuleNewNetwork}},
		{"impossible travel", p, func(s *Signals) {
			s.History.Last.At = t0.Add(-10 * time.Minute)
			s.Lat, s.Lon = 40.7128, -74.006
		}, Challenge, []string{RuleImpossibleTravel}},
		{"possible travel", p, func(s *Signals) {
			s.History.Last.At = t0.Add(-10 * time.Hour)
			s.Lat, s.Lon = 48.8566, 2.3522
		}, Allow, nil},
		{"pair locked", p, func(s *Signals) { s.PairLocked = 14 * time.Minute }, Deny, []string{RulePairLocked}},
		{"pair back-off", p, func(s *Signals) { s.PairBackoff = 4 * time.Second }, Deny, []string{RulePairBackoff}},
		{"account attacked, known device", p, func(s *Signals) { s.AccountFailures = 500 }, Allow, nil},
		{"account attacked, unknown device", p, func(s *Signals) { s.AccountFailures = 500; s.KnownDevice = false; s.History = &History{} }, Challenge, []string{RuleAccountAttacked}},
		{"stuffing source, known device is challenged not throttled", p, func(s *Signals) { s.SourceFlagged, s.SourceThrottle = true, time.Minute }, Challenge, []string{RuleCredentialStuffer}},
		{"stuffing source throttled", p, func(s *Signals) {
			s.SourceFlagged, s.SourceThrottle, s.KnownDevice, s.History = true, time.Minute, false, nil
		}, Deny, []string{RuleCredentialStuffer, RuleSourceThrottled}},
		{"allow list skips source rules", func() Policy { q := p; return q }(), func(s *Signals) {
			s.IPAllowed, s.SourceFlagged, s.SourceThrottle, s.IPFailures = true, true, time.Minute, 1000
		}, Allow, []string{RuleIPAllowed}},
		{"deny list", p, func(s *Signals) { s.IPDenied = true }, Deny, []string{RuleIPDenied}},
		{"sprayed password", p, func(s *Signals) { s.PasswordSprayed = true }, Challenge, []string{RulePasswordSpraying}},
		{"velocity alone does not decide", p, func(s *Signals) { s.IPFailures, s.SubnetFailures = 30, 100 }, Allow, []string{RuleIPVelocity, RuleSubnetVelocity}},
		{"unusual hour", p, func(s *Signals) { s.Now = t0.Add(7 * time.Hour) }, Allow, []string{RuleUnusualHour}},
		{"shadow mode", func() Policy { q := p; q.Shadow = true; return q }(), func(s *Signals) { s.PairLocked = time.Minute }, Allow, []string{RulePairLocked}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := home()
			c.mod(&s)
			a := Evaluate(c.pol, s)
			if a.Decision != c.want {
				t.Errorf("decision %s, want %s (reasons %+v)", a.Decision, c.want, a.Reasons)
			}
			if len(a.Reasons) != len(c.rules) {
				t.Errorf("reasons %+v, want rules %v", a.Reasons, c.rules)
			}
			for _, r := range c.rules {
				if !a.Fired(r) {
					t.Errorf("%s did not fire: %+v", r, a.Reasons)
				}
			}
		})
	}
}

func TestEvaluateFlags(t *testing.T) {
	p := Policy{}.Effective()
	s := home()
	s.DeviceID, s.KnownDevice, s.BreachedPassword = "d9", false, true
	a := Evaluate(p, s)
	if !a.NotifyNewDevice || !a.RequirePasswordChange {
		t.Errorf("flags: %+v", a)
	}
	s = home()
	s.PairBackoff = 3 * time.Second
	if a := Evaluate(p, s); a.RetryAfter != 3*time.Second || a.Score < p.DenyScore {
		t.Errorf("back-off: %+v", a)
	}
	p.Shadow = true
	if a := Evaluate(p, s); !a.Shadow || a.Decision != Allow || a.Enforced != Deny || a.RetryAfter != 0 {
		t.Errorf("shadow: %+v", a)
	}
	p.Shadow, p.BreachedPassword = false, ActionOff
	s = home()
	s.BreachedPassword = true
	if a := Evaluate(p, s); a.RequirePasswordChange || len(a.Reasons) != 0 {
		t.Errorf("breached check off: %+v", a)
	}
}

func TestHaversine(t *testing.T) {
	// Berlin to New York is about 6,385 km.
	if d := Haversine(52.52, 13.405, 40.7128, -74.006); math.Abs(d-6385) > 15 {
		t.Errorf("Berlin-New York %.0f km", d)
	}
	if d := Haversine(10, 20, 10, 20); d != 0 {
		t.Errorf("same point %.3f", d)
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := (Policy{}).Validate(); err != nil {
		t.Fatal(err)
	}
	ok := Policy{Shadow: true, ChallengeScore: 40, NewDevice: ActionNotify, AllowCIDRs: []string{"10.0.0.0/8", "192.0.2.1"}, DenyCIDRs: []string{"2001:db8::/32"}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, p := range map[string]Policy{
		"max_travel_kmh":    {MaxTravelKmh: 5},
		"deny_score":        {ChallengeScore: 300},
		"pair_lock_after":   {PairBackoffAfter: 20},
		"new_country":       {NewCountry: "maybe"},
		"breached_password": {BreachedPassword: ActionDeny},
		"deny_cidrs":        {DenyCIDRs: []string{"10.0.0.0/99"}},
		"allow_cidrs":       {AllowCIDRs: []string{"nonsense"}},
	} {
		var fe *FieldError
		if err := p.Validate(); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
}

func TestHistoryCaps(t *testing.T) {
	h := &History{}
	for i := range MaxDevices + 5 {
		h.RecordSuccess(Place{At: t0.Add(time.Duration(i) * time.Minute)}, string(rune('a'+i)), "")
	}
	if len(h.Devices) != MaxDevices || h.KnowsDevice("a") || !h.KnowsDevice(string(rune('a'+MaxDevices+4))) {
		t.Errorf("devices %d, oldest kept %v", len(h.Devices), h.KnowsDevice("a"))
	}
	h.RecordLock("ip:192.0.2.1", t0.Add(time.Hour), t0)
	h.RecordLock("ip:192.0.2.1", t0.Add(2*time.Hour), t0)
	if len(h.Locks) != 1 || !h.Locks[0].Until.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("locks %+v", h.Locks)
	}
	h.PruneLocks(t0.Add(3 * time.Hour))
	if h.Locks != nil {
		t.Errorf("expired locks kept: %+v", h.Locks)
	}
}

package riskpolicy

import (
	"fmt"
	"math"
	"time"
)

// Decision is the outcome of an assessment.
type Decision string

const (
	Allow     Decision = "allow"
	Challenge Decision = "challenge" // step-up: the user's strongest factor, or an email code
	Deny      Decision = "deny"
)

func (d Decision) rank() int {
	switch d {
	case Challenge:
		return 1
	case Deny:
		return 2
	}
	return 0
}

// Rule names, as recorded in reasons. They are stable: operators filter
// events and dashboards by them.
const (
	RuleIPDenied          = "ip_denied"
	RuleIPAllowed         = "ip_allowed"
	RulePairLocked        = "pair_locked"
	RulePairBackoff       = "pair_backoff"
	RuleAccountAttacked   = "account_under_attack"
	RuleAccountFailures   = "account_failures"
	RuleIPVelocity        = "ip_velocity"
	RuleSubnetVelocity    = "subnet_velocity"
	RuleCredentialStuffer = "credential_stuffing"
	RuleSourceThrottled   = "source_throttled"
	RulePasswordSpraying  = "password_spraying"
	RuleNewDevice         = "new_device"
	RuleNewCountry        = "new_country"
	RuleNewNetwork        = "new_network"
	RuleUnusualHour       = "unusual_hour"
	RuleImpossibleTravel  = "impossible_travel"
	RuleBreachedPassword  = "breached_password"
)

// Scores of the informational rules, which never decide alone. A new
// device under the default action (score) adds NewDeviceScore: below the
// default challenge_score (50) alone, at or above it with a new network,
// an unusual hour, account failures or velocity.
const (
	VelocityScore   = 20
	NewNetworkScore = 10
	UnusualScore    = 10
	FailuresScore   = 10
	NewDeviceScore  = 40
)

// Signals are the facts gathered about one sign-in attempt.
type Signals struct {
	Now     time.Time
	Network string // /24 or /48 key
	Country string
	// Lat/Lon of the attempt, when HasCoords.
	Lat, Lon  float64
	HasCoords bool

	DeviceID    string
	KnownDevice bool

	// History of the user; nil when the identifier matched no user.
	History *History

	IPAllowed, IPDenied bool

	// PairLocked and PairBackoff are how long the account+source pair
	// must still wait (0: not locked).
	PairLocked, PairBackoff time.Duration
	AccountFailures         int64
	IPFailures              int64
	SubnetFailures          int64
	// SourceFlagged: the IP or its network is flagged for credential
	// stuffing; SourceThrottle is how long it must wait (0: may proceed).
	SourceFlagged  bool
	SourceThrottle time.Duration
	// PasswordSprayed: the attempted password is flagged for spraying.
	PasswordSprayed  bool
	BreachedPassword bool
}

// Reason is one rule that fired.
type Reason struct {
	Rule   string `json:"rule"`
	Detail string `json:"detail,omitempty"`
	Score  int    `json:"score"`
	// Action is the least decision the rule demands on its own.
	Action Decision `json:"action"`
}

// Assessment is the engine's answer for one attempt.
type Assessment struct {
	// Decision is what the login must do. In shadow mode it is always
	// allow; Enforced then says what would have been done.
	Decision Decision
	Enforced Decision
	Score    int
	Reasons  []Reason
	// RetryAfter is how long the source must wait when denied by a
	// back-off, lock or throttle (0 otherwise, and in shadow mode).
	RetryAfter time.Duration
	// NotifyNewDevice: after a successful sign-in, tell the user about
	// the new device or country (with a "this wasn't me" link).
	NotifyNewDevice bool
	// RequirePasswordChange: the password is breached; after a
	// successful sign-in the user must change it.
	RequirePasswordChange bool
	Shadow                bool
	// Policy is the effective policy the attempt was assessed under, and
	// KnownDevice whether its device is one the user signed in from
	// before: what recording the attempt's outcome needs, so that the
	// request that assessed it need not read them again.
	Policy      Policy
	KnownDevice bool
}

// Fired reports whether rule is among the reasons.
func (a *Assessment) Fired(rule string) bool {
	for _, r := range a.Reasons {
		if r.Rule == rule {
			return true
		}
	}
	return false
}

// Evaluate applies the (effective) policy to the signals. It is a pure
// function: the same inputs give the same assessment.
func Evaluate(p Policy, s Signals) Assessment {
	a := Assessment{Policy: p, KnownDevice: s.KnownDevice}
	add := func(rule, detail string, score int, act Decision) {
		a.Reasons = append(a.Reasons, Reason{Rule: rule, Detail: detail, Score: score, Action: act})
		a.Score += score
	}
	wait := func(d time.Duration) {
		a.RetryAfter = max(a.RetryAfter, d)
	}
	byAction := func(rule, detail string, act Action) {
		switch act {
		case ActionNotify:
			add(rule, detail, 0, Allow)
		case ActionChallenge:
			add(rule, detail, p.ChallengeScore, Challenge)
		case ActionDeny:
			add(rule, detail, p.DenyScore, Deny)
		}
	}

	switch {
	case s.IPAllowed:
		add(RuleIPAllowed, "address in the allow list", 0, Allow)
	case s.IPDenied:
		add(RuleIPDenied, "address in the deny list", p.DenyScore, Deny)
	}
	if s.PairLocked > 0 {
		add(RulePairLocked, fmt.Sprintf("too many failures from this source; locked for %s", round(s.PairLocked)), p.DenyScore, Deny)
		wait(s.PairLocked)
	} else if s.PairBackoff > 0 {
		add(RulePairBackoff, fmt.Sprintf("repeated failures from this source; wait %s", round(s.PairBackoff)), p.DenyScore, Deny)
		wait(s.PairBackoff)
	}
	switch {
	case s.KnownDevice:
	case s.AccountFailures >= int64(p.AccountChallengeAfter):
		add(RuleAccountAttacked, fmt.Sprintf("%d failures on this account in the window", s.AccountFailures), p.ChallengeScore, Challenge)
	case s.AccountFailures >= int64(p.PairBackoffAfter):
		add(RuleAccountFailures, fmt.Sprintf("%d failures on this account in the window", s.AccountFailures), FailuresScore, Allow)
	}
	if !s.IPAllowed {
		if s.IPFailures >= int64(p.IPFailures) {
			add(RuleIPVelocity, fmt.Sprintf("%d failures from this address", s.IPFailures), VelocityScore, Allow)
		}
		if s.SubnetFailures >= int64(p.SubnetFailures) {
			add(RuleSubnetVelocity, fmt.Sprintf("%d failures from %s", s.SubnetFailures, s.Network), VelocityScore, Allow)
		}
		if s.SourceFlagged && p.CredentialStuffer != ActionOff {
			byAction(RuleCredentialStuffer, "many accounts with mostly failures from this source", p.CredentialStuffer)
			// The real user's known device is challenged, never throttled.
			if s.SourceThrottle > 0 && !s.KnownDevice {
				add(RuleSourceThrottled, fmt.Sprintf("source throttled; wait %s", round(s.SourceThrottle)), p.DenyScore, Deny)
				wait(s.SourceThrottle)
			}
		}
	}
	if s.PasswordSprayed {
		byAction(RulePasswordSpraying, "this password failed on many accounts", p.PasswordSpraying)
	}
	contextual(p, s, &a, add, byAction)
	if s.BreachedPassword && p.BreachedPassword != ActionOff {
		add(RuleBreachedPassword, "password is in the breached list; change required after sign-in", 0, Allow)
		a.RequirePasswordChange = true
	}

	a.Enforced = Allow
	switch {
	case a.Score >= p.DenyScore:
		a.Enforced = Deny
	case a.Score >= p.ChallengeScore:
		a.Enforced = Challenge
	}
	for _, r := range a.Reasons {
		if r.Action.rank() > a.Enforced.rank() {
			a.Enforced = r.Action
		}
	}
	if a.Enforced != Deny {
		a.RetryAfter = 0
	}
	a.Decision = a.Enforced
	if p.Shadow {
		a.Shadow, a.Decision, a.RetryAfter = true, Allow, 0
	}
	return a
}

// contextual applies the rules that compare the attempt with the user's
// history. A user without history has nothing to compare with: the first
// sign-in is never "new".
func contextual(p Policy, s Signals, a *Assessment, add func(string, string, int, Decision), byAction func(string, string, Action)) {
	h := s.History
	if h.Empty() {
		return
	}
	if !s.KnownDevice && p.NewDevice != ActionOff {
		if p.NewDevice == ActionScore {
			add(RuleNewDevice, "first sign-in from this device", NewDeviceScore, Allow)
		} else {
			byAction(RuleNewDevice, "first sign-in from this device", p.NewDevice)
		}
		a.NotifyNewDevice = true
	}
	if s.Country != "" && len(h.Countries) > 0 && !h.KnowsCountry(s.Country) && p.NewCountry != ActionOff {
		byAction(RuleNewCountry, "first sign-in from "+s.Country, p.NewCountry)
		a.NotifyNewDevice = true
	}
	if s.Network != "" && len(h.Networks) > 0 && !h.KnowsNetwork(s.Network) {
		add(RuleNewNetwork, "first sign-in from "+s.Network, NewNetworkScore, Allow)
	}
	if h.Successes >= 10 && !h.UsualHour(s.Now) {
		add(RuleUnusualHour, fmt.Sprintf("no earlier sign-in at %02d h UTC", s.Now.UTC().Hour()), UnusualScore, Allow)
	}
	if l := h.Last; l != nil && l.HasCoords && s.HasCoords && p.ImpossibleTravel != ActionOff {
		km := Haversine(l.Lat, l.Lon, s.Lat, s.Lon)
		hours := s.Now.Sub(l.At).Hours()
		// Under a minute apart, or not moved, nothing can be inferred.
		if km > 0 && hours > 0 {
			if kmh := km / max(hours, 1.0/60); kmh > float64(p.MaxTravelKmh) {
				byAction(RuleImpossibleTravel, fmt.Sprintf("%.0f km from the last sign-in in %s: %.0f km/h", km, round(s.Now.Sub(l.At)), kmh), p.ImpossibleTravel)
			}
		}
	}
}

// earthRadiusKm is the mean radius of the Earth.
const earthRadiusKm = 6371.0088

// Haversine is the great-circle distance in km between two points given in
// degrees.
func Haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
}

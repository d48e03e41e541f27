// Package riskpolicy holds the pure part of risk-based authentication: a
// tenant's policy, a user's sign-in history, the signals of one attempt and
// the rules that turn them into a score, reasons and a decision. It does no
// I/O; internal/risk gathers the signals (counters, geolocation, history)
// and keeps them up to date.
package riskpolicy

import (
	"fmt"
	"net/netip"
	"strings"
)

// Action is what a policy does when a rule fires.
type Action string

const (
	ActionDefault   Action = ""          // the rule's default action
	ActionOff       Action = "off"       // the rule is not evaluated
	ActionNotify    Action = "notify"    // recorded (and, for new devices, the user is told)
	ActionScore     Action = "score"     // notify, and add the rule's score (new devices: NewDeviceScore)
	ActionChallenge Action = "challenge" // step-up authentication
	ActionDeny      Action = "deny"
)

// Policy is a tenant's risk configuration. Its zero value means "all
// defaults" (that is what a tenant without configuration stores): a zero
// number or empty action takes the default from Defaults, so stored
// policies pick up better defaults when those change.
type Policy struct {
	// Shadow evaluates every rule and records what it would have done, but
	// every decision returned is allow.
	Shadow bool `json:"shadow,omitempty"`

	// ChallengeScore and DenyScore turn the summed score into a decision.
	ChallengeScore int `json:"challenge_score,omitempty"`
	DenyScore      int `json:"deny_score,omitempty"`

	// FailureWindowSeconds is the sliding window of every failure counter.
	FailureWindowSeconds int `json:"failure_window_seconds,omitempty"`

	// Brute force on one account from one source (IP, or the user's known
	// device): after PairBackoffAfter failures each further failure makes
	// the pair wait BackoffBaseSeconds × 2^(n−PairBackoffAfter); after
	// PairLockAfter the pair is locked for PairLockSeconds. The account as
	// such is never locked.
	PairBackoffAfter   int `json:"pair_backoff_after,omitempty"`
	BackoffBaseSeconds int `json:"backoff_base_seconds,omitempty"`
	PairLockAfter      int `json:"pair_lock_after,omitempty"`
	PairLockSeconds    int `json:"pair_lock_seconds,omitempty"`
	// AccountChallengeAfter failures on one account from all sources make
	// every sign-in to it from an unknown device a challenge.
	AccountChallengeAfter int `json:"account_challenge_after,omitempty"`

	// IPFailures and SubnetFailures add VelocityScore when a source's
	// failures in the window reach them.
	IPFailures     int `json:"ip_failures,omitempty"`
	SubnetFailures int `json:"subnet_failures,omitempty"`

	// Credential stuffing: a source (IP, or its /24 or /48) that tried
	// StuffingAccounts distinct accounts (StuffingSubnetAccounts for the
	// network) with a failure ratio of at least StuffingFailurePercent is
	// flagged for the window: it is throttled to StuffingThrottlePerMinute
	// attempts and every attempt from it is challenged.
	StuffingAccounts          int `json:"stuffing_accounts,omitempty"`
	StuffingSubnetAccounts    int `json:"stuffing_subnet_accounts,omitempty"`
	StuffingFailurePercent    int `json:"stuffing_failure_percent,omitempty"`
	StuffingThrottlePerMinute int `json:"stuffing_throttle_per_minute,omitempty"`

	// SprayAccounts distinct accounts failing with one password (from any
	// source) within SprayWindowSeconds flag the password: attempts using
	// it are challenged.
	SprayAccounts      int `json:"spray_accounts,omitempty"`
	SprayWindowSeconds int `json:"spray_window_seconds,omitempty"`

	// MaxTravelKmh is the impossible-travel threshold.
	MaxTravelKmh int `json:"max_travel_kmh,omitempty"`

	// Actions of the contextual rules.
	NewDevice         Action `json:"new_device,omitempty"`
	NewCountry        Action `json:"new_country,omitempty"`
	ImpossibleTravel  Action `json:"impossible_travel,omitempty"`
	CredentialStuffer Action `json:"credential_stuffing,omitempty"`
	PasswordSpraying  Action `json:"password_spraying,omitempty"`
	// BreachedPassword: notify (default) lets a correct breached password
	// in and requires a password change; off ignores the list.
	BreachedPassword Action `json:"breached_password,omitempty"`

	// AllowCIDRs are trusted networks (an office): their attempts skip the
	// source velocity and stuffing rules. DenyCIDRs (e.g. Tor exits) are
	// denied outright unless also allowed.
	AllowCIDRs []string `json:"allow_cidrs,omitempty"`
	DenyCIDRs  []string `json:"deny_cidrs,omitempty"`
}

// Defaults are the values a zero field stands for.
var Defaults = Policy{
	ChallengeScore:            50,
	DenyScore:                 200,
	FailureWindowSeconds:      15 * 60,
	PairBackoffAfter:          3,
	BackoffBaseSeconds:        1,
	PairLockAfter:             10,
	PairLockSeconds:           15 * 60,
	AccountChallengeAfter:     20,
	IPFailures:                30,
	SubnetFailures:            100,
	StuffingAccounts:          10,
	StuffingSubnetAccounts:    30,
	StuffingFailurePercent:    80,
	StuffingThrottlePerMinute: 10,
	SprayAccounts:             10,
	SprayWindowSeconds:        60 * 60,
	MaxTravelKmh:              1000,
	// A new device alone, from a network the user knows, is how people
	// open a second browser or app: told about, not challenged. Combined
	// with a new network, an unusual hour, velocity or failures it is.
	NewDevice:         ActionScore,
	NewCountry:        ActionChallenge,
	ImpossibleTravel:  ActionChallenge,
	CredentialStuffer: ActionChallenge,
	PasswordSpraying:  ActionChallenge,
	BreachedPassword:  ActionNotify,
}

// Effective returns p with every zero field replaced by its default.
func (p Policy) Effective() Policy {
	d := Defaults
	ints := []struct{ v, def *int }{
		{&p.ChallengeScore, &d.ChallengeScore}, {&p.DenyScore, &d.DenyScore},
		{&p.FailureWindowSeconds, &d.FailureWindowSeconds}, {&p.PairBackoffAfter, &d.PairBackoffAfter},
		{&p.BackoffBaseSeconds, &d.BackoffBaseSeconds}, {&p.PairLockAfter, &d.PairLockAfter},
		{&p.PairLockSeconds, &d.PairLockSeconds}, {&p.AccountChallengeAfter, &d.AccountChallengeAfter},
		{&p.IPFailures, &d.IPFailures}, {&p.SubnetFailures, &d.SubnetFailures},
		{&p.StuffingAccounts, &d.StuffingAccounts}, {&p.StuffingSubnetAccounts, &d.StuffingSubnetAccounts},
		{&p.StuffingFailurePercent, &d.StuffingFailurePercent}, {&p.StuffingThrottlePerMinute, &d.StuffingThrottlePerMinute},
		{&p.SprayAccounts, &d.SprayAccounts}, {&p.SprayWindowSeconds, &d.SprayWindowSeconds},
		{&p.MaxTravelKmh, &d.MaxTravelKmh},
	}
	for _, f := range ints {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	acts := []struct{ v, def *Action }{
		{&p.NewDevice, &d.NewDevice}, {&p.NewCountry, &d.NewCountry}, {&p.ImpossibleTravel, &d.ImpossibleTravel},
		{&p.CredentialStuffer, &d.CredentialStuffer}, {&p.PasswordSpraying, &d.PasswordSpraying},
		{&p.BreachedPassword, &d.BreachedPassword},
	}
	for _, f := range acts {
		if *f.v == ActionDefault {
			*f.v = *f.def
		}
	}
	return p
}

// FieldError names the JSON member of a Policy that is invalid.
type FieldError struct {
	Field, Msg string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Validate checks p (as stored: zeros mean defaults) and returns the first
// problem as a *FieldError.
func (p Policy) Validate() error {
	ranges := []struct {
		name     string
		v        int
		min, max int
	}{
		{"challenge_score", p.ChallengeScore, 1, 10000},
		{"deny_score", p.DenyScore, 1, 10000},
		{"failure_window_seconds", p.FailureWindowSeconds, 60, 7 * 86400},
		{"pair_backoff_after", p.PairBackoffAfter, 1, 1000},
		{"backoff_base_seconds", p.BackoffBaseSeconds, 1, 3600},
		{"pair_lock_after", p.PairLockAfter, 1, 1000},
		{"pair_lock_seconds", p.PairLockSeconds, 60, 7 * 86400},
		{"account_challenge_after", p.AccountChallengeAfter, 1, 100000},
		{"ip_failures", p.IPFailures, 1, 100000},
		{"subnet_failures", p.SubnetFailures, 1, 100000},
		{"stuffing_accounts", p.StuffingAccounts, 2, 10000},
		{"stuffing_subnet_accounts", p.StuffingSubnetAccounts, 2, 10000},
		{"stuffing_failure_percent", p.StuffingFailurePercent, 1, 100},
		{"stuffing_throttle_per_minute", p.StuffingThrottlePerMinute, 1, 100000},
		{"spray_accounts", p.SprayAccounts, 2, 10000},
		{"spray_window_seconds", p.SprayWindowSeconds, 60, 7 * 86400},
		{"max_travel_kmh", p.MaxTravelKmh, 100, 100000},
	}
	for _, r := range ranges {
		if r.v != 0 && (r.v < r.min || r.v > r.max) {
			return &FieldError{r.name, fmt.Sprintf("must be from %d to %d", r.min, r.max)}
		}
	}
	e := p.Effective()
	if e.DenyScore < e.ChallengeScore {
		return &FieldError{"deny_score", "must not be below challenge_score"}
	}
	if e.PairLockAfter < e.PairBackoffAfter {
		return &FieldError{"pair_lock_after", "must not be below pair_backoff_after"}
	}
	acts := []struct {
		name string
		v    Action
		ok   []Action
	}{
		{"new_device", p.NewDevice, []Action{ActionOff, ActionNotify, ActionScore, ActionChallenge, ActionDeny}},
		{"new_country", p.NewCountry, []Action{ActionOff, ActionNotify, ActionChallenge, ActionDeny}},
		{"impossible_travel", p.ImpossibleTravel, []Action{ActionOff, ActionNotify, ActionChallenge, ActionDeny}},
		{"credential_stuffing", p.CredentialStuffer, []Action{ActionOff, ActionNotify, ActionChallenge, ActionDeny}},
		{"password_spraying", p.PasswordSpraying, []Action{ActionOff, ActionNotify, ActionChallenge, ActionDeny}},
		{"breached_password", p.BreachedPassword, []Action{ActionOff, ActionNotify}},
	}
	for _, a := range acts {
		if a.v != ActionDefault && !hasAction(a.ok, a.v) {
			return &FieldError{a.name, fmt.Sprintf("want one of %v", a.ok)}
		}
	}
	for name, list := range map[string][]string{"allow_cidrs": p.AllowCIDRs, "deny_cidrs": p.DenyCIDRs} {
		if len(list) > 1000 {
			return &FieldError{name, "at most 1000 entries"}
		}
		if _, err := ParsePrefixes(list); err != nil {
			return &FieldError{name, err.Error()}
		}
	}
	return nil
}

func hasAction(list []Action, a Action) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// ParsePrefixes parses CIDRs or single addresses into masked prefixes.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := ParsePrefix(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ParsePrefix parses one CIDR or address (a host prefix), masked, with
// IPv4-mapped IPv6 turned into IPv4.
func ParsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a CIDR or IP address", s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, bad
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, bad
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

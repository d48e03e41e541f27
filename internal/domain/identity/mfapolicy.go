package identity

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// MFA policy modes.
const (
	MFAModeOff         = "off"
	MFAModeOptional    = "optional" // the default ("")
	MFAModeRequired    = "required"
	MFAModeConditional = "conditional"
)

// Duration is a time.Duration written as a Go duration string in JSON ("168h").
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts a duration string ("168h") or nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*d = Duration(n)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MFAWebAuthn is a tenant's WebAuthn relying-party settings; empty fields
// default to the issuer's host and origin and the tenant's display name.
type MFAWebAuthn struct {
	RPID               string   `json:"rp_id,omitempty"`
	RPOrigins          []string `json:"rp_origins,omitempty"`
	RPName             string   `json:"rp_name,omitempty"`
	RequireAttestation bool     `json:"require_attestation,omitempty"`
	// UserVerification is "required", "preferred" (default) or "discouraged".
	UserVerification string `json:"user_verification,omitempty"`
}

// MFAPolicy is a tenant's multi-factor policy, stored on the tenant as
// JSON. The zero value is MFA optional with TOTP, WebAuthn and recovery
// codes allowed and email OTP and SMS off. It lives here rather than in
// domain/factor (which aliases it as mfa.Policy) because Tenant embeds it
// and Evaluate reads a User.
type MFAPolicy struct {
	Mode string `json:"mode,omitempty"` // "" means optional
	// RequiredRoles (conditional): users whose Attributes["roles"] (array
	// of strings) contains one of these need MFA.
	RequiredRoles []string `json:"required_roles,omitempty"`
	// RequiredClients (conditional): sign-ins to these client_ids need MFA.
	RequiredClients []string `json:"required_clients,omitempty"`
	// PhishingResistantRoles: users with these roles must use WebAuthn;
	// it applies whatever the mode except off.
	PhishingResistantRoles []string `json:"phishing_resistant_roles,omitempty"`
	// GracePeriod lets a user without a factor skip enrolment for this long
	// after the later of their creation and EnforcedSince; 0 means no grace.
	GracePeriod Duration `json:"grace_period,omitempty"`
	// EnforcedSince is when the policy last started requiring MFA, so that
	// existing users get the grace period from then. Set by the Admin API.
	EnforcedSince *time.Time `json:"enforced_since,omitempty"`
	AllowEmailOTP bool       `json:"allow_email_otp,omitempty"`
	// TrustUpstreamMFA lets a federated sign-in whose identity provider
	// asserted MFA count as one (amr "fed" and "mfa"): no second factor
	// is asked here then.
	TrustUpstreamMFA   bool        `json:"trust_upstream_mfa,omitempty"`
	AllowSMS           bool        `json:"allow_sms,omitempty"`
	SMSWebhookURL      string      `json:"sms_webhook_url,omitempty"`
	RememberDeviceDays int         `json:"remember_device_days,omitempty"` // 0 = off
	WebAuthn           MFAWebAuthn `json:"webauthn"`
}

// MFARequirement is what the policy demands of one sign-in.
type MFARequirement struct {
	Required          bool // a second factor is needed
	PhishingResistant bool // only WebAuthn satisfies it
	// GraceUntil is set when a factor is required, the user has none yet
	// and may still skip enrolment until then.
	GraceUntil *time.Time
}

// Roles returns the user's Attributes["roles"] strings.
func (u *User) Roles() []string {
	if u == nil {
		return nil
	}
	var out []string
	switch rs := u.Attributes["roles"].(type) {
	case []any:
		for _, r := range rs {
			if s, ok := r.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = rs
	}
	return out
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// Evaluate says what a sign-in of u to clientID needs at now; hasFactor
// tells whether u has enrolled a second factor.
func (p MFAPolicy) Evaluate(u *User, clientID string, hasFactor bool, now time.Time) MFARequirement {
	var r MFARequirement
	if p.Mode == MFAModeOff {
		return r
	}
	roles := u.Roles()
	r.PhishingResistant = intersects(roles, p.PhishingResistantRoles)
	switch p.Mode {
	case MFAModeRequired:
		r.Required = true
	case MFAModeConditional:
		r.Required = intersects(roles, p.RequiredRoles) || (clientID != "" && slices.Contains(p.RequiredClients, clientID))
	}
	r.Required = r.Required || r.PhishingResistant
	if r.Required && !hasFactor && p.GracePeriod > 0 {
		start := time.Time{}
		if u != nil {
			start = u.CreatedAt
		}
		if p.EnforcedSince != nil && p.EnforcedSince.After(start) {
			start = *p.EnforcedSince
		}
		if until := start.Add(time.Duration(p.GracePeriod)); now.Before(until) {
			r.GraceUntil = &until
		}
	}
	return r
}

// ValidateMFAPolicy checks a tenant's MFA policy: a known mode, web URLs
// for the SMS webhook (it receives codes) and the WebAuthn origins, and
// durations in range.
func ValidateMFAPolicy(p *MFAPolicy) error {
	ve := &ValidationError{}
	switch p.Mode {
	case "", MFAModeOff, MFAModeOptional, MFAModeRequired, MFAModeConditional:
	default:
		ve.Add("/mfa/mode", "must be off, optional, required or conditional")
	}
	if p.GracePeriod < 0 {
		ve.Add("/mfa/grace_period", "must not be negative")
	}
	if p.RememberDeviceDays < 0 || p.RememberDeviceDays > 365 {
		ve.Add("/mfa/remember_device_days", "must be 0 to 365")
	}
	if p.SMSWebhookURL != "" {
		ve.AddErr("/mfa/sms_webhook_url", ValidateWebURL(p.SMSWebhookURL))
	}
	if p.AllowSMS && p.SMSWebhookURL == "" {
		ve.Add("/mfa/sms_webhook_url", "must be set when allow_sms is true")
	}
	for i, o := range p.WebAuthn.RPOrigins {
		ve.AddErr("/mfa/webauthn/rp_origins/"+strconv.Itoa(i), ValidateWebURL(o))
	}
	switch p.WebAuthn.UserVerification {
	case "", "required", "preferred", "discouraged":
	default:
		ve.Add("/mfa/webauthn/user_verification", "must be required, preferred or discouraged")
	}
	return ve.Err()
}

// Package factor holds the multi-factor authentication domain: factor types,
// a user's enrolled factors, a tenant's MFA policy and the RFC 8176 AMR /
// ACR vocabulary. It imports neither net/http nor database/sql.
package factor

import (
	"encoding/json"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// FactorType names a kind of second factor. The values are part of the
// public contract (API, events): add new ones, never rename.
type FactorType string

const (
	WebAuthn FactorType = "webauthn"       // passkey or security key
	TOTP     FactorType = "totp"           // RFC 6238 authenticator app
	Recovery FactorType = "recovery_codes" // the set of codes is one factor
	// EmailOTP is implicit when the tenant allows it and the user's email
	// is verified; it is never stored as a factor.
	EmailOTP FactorType = "email_otp"
	SMS      FactorType = "sms" // weak: phishable and SIM-swappable
)

// Factor is one enrolled second factor of a user.
type Factor struct {
	ID, TenantID, UserID string
	Type                 FactorType
	Name                 string // user-given ("YubiKey 5", "iPhone")
	CreatedAt            time.Time
	LastUsedAt           *time.Time
	// Data is the factor's secret material as JSON: WebAuthn credential,
	// sealed TOTP secret and last used step, hashed recovery codes, SMS
	// phone number. Internal: never exposed by the API.
	Data json.RawMessage
	Weak bool // SMS
	// Version is bumped on every update (optimistic concurrency, so a
	// single-use code or TOTP step is consumed at most once).
	Version int64
}

// Policy is a tenant's MFA policy (identity.MFAPolicy, stored on the
// tenant as JSON); see there. Its Evaluate method says what one sign-in needs.
type Policy = identity.MFAPolicy

// WebAuthnPolicy is the tenant's WebAuthn relying-party settings.
type WebAuthnPolicy = identity.MFAWebAuthn

// Requirement is what the policy demands of one sign-in.
type Requirement = identity.MFARequirement

// Duration is a time.Duration written as a Go duration string in JSON.
type Duration = identity.Duration

// Policy modes.
const (
	ModeOff         = identity.MFAModeOff
	ModeOptional    = identity.MFAModeOptional
	ModeRequired    = identity.MFAModeRequired
	ModeConditional = identity.MFAModeConditional
)

// AMR values (RFC 8176) and ACR values.
const (
	AMRPassword = "pwd"
	AMROTP      = "otp"
	AMRHardware = "hwk"
	AMRSoftware = "swk"
	AMRUser     = "user"
	AMRSMS      = "sms"
	AMRMFA      = "mfa"

	ACRPassword          = "urn:gatehouse:acr:pwd"
	ACRMFA               = "urn:gatehouse:acr:mfa"
	ACRPhishingResistant = "phr"
	// ACRPhishingResistantURN is accepted as a synonym of "phr".
	ACRPhishingResistantURN = "urn:gatehouse:acr:phr"
)

// Package identity holds the core identity aggregates: tenants, users,
// password credentials, OAuth clients and admin API keys. It imports neither
// net/http nor database/sql; storage and transport live elsewhere.
package identity

import (
	"encoding/json"
	"time"
)

// DefaultTenantSlug names the tenant created on first start. Admin API paths
// without a tenant act on it.
const DefaultTenantSlug = "default"

// Tenant is an isolated customer realm: its own users, clients, issuer and
// settings. Every other aggregate belongs to exactly one tenant.
type Tenant struct {
	ID          string
	Slug        string // URL-safe, unique; used in paths (/admin/v1/tenants/{slug})
	DisplayName string
	// Region is where the tenant's customer data lives (data residency).
	// Empty means the process's home region.
	Region string
	// AttributeSchema is a JSON Schema (draft 2020-12) that custom user
	// attributes must satisfy. Empty means any JSON object is accepted.
	AttributeSchema json.RawMessage
	// Branding is how the tenant's hosted pages look.
	Branding Branding
	// Onboarding is how people join and sign in to the tenant.
	Onboarding Onboarding
	// MFA is the tenant's multi-factor policy (mfa.Policy).
	MFA MFAPolicy
	// Retention is how long the tenant keeps audit events, ended
	// sessions and unverified accounts; zero values keep them.
	Retention Retention
	// DefaultAPI is the identifier of the API a token is for when its
	// request names no resource but asks for that API's scopes; "" for
	// none (issue 14).
	DefaultAPI string
	// DCR is who may register clients dynamically (dcr.go).
	DCR DCRPolicy
	// Residency places new users' personal data in a region (residency.go).
	Residency Residency
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Retention says how many days a tenant keeps what it no longer needs
// (GDPR Art. 5(1)(e), storage limitation). Zero keeps it; a background
// job enforces the rest.
type Retention struct {
	// AuditEventsDays: audit events older than this are purged behind a
	// checkpoint that keeps the chain verifiable.
	AuditEventsDays int `json:"audit_events_days,omitempty"`
	// EndedSessionsDays: sessions revoked or expired this long ago are
	// deleted.
	EndedSessionsDays int `json:"ended_sessions_days,omitempty"`
	// UnverifiedAccountsDays: accounts with no verified email or phone,
	// unchanged and not signed in to for this long, are erased.
	UnverifiedAccountsDays int `json:"unverified_accounts_days,omitempty"`
}

// IsZero reports whether the tenant keeps everything.
func (r Retention) IsZero() bool { return r == Retention{} }

// Branding styles a tenant's hosted pages.
type Branding struct {
	LogoURI      string `json:"logo_uri,omitempty"`
	PrimaryColor string `json:"primary_color,omitempty"` // #rrggbb
}

// Onboarding holds a tenant's self-service settings. The zero value is the
// default (registration open, unverified users may sign in, no terms), so
// the booleans are stated negatively; the API shows them positively.
type Onboarding struct {
	RegistrationDisabled bool `json:"registration_disabled,omitempty"`
	// RequireVerifiedEmail refuses sign-in to users whose email is unverified.
	RequireVerifiedEmail bool `json:"require_verified_email,omitempty"`
	// TermsVersion, when set, must be accepted to register; the user records
	// the version and when.
	TermsVersion string `json:"terms_version,omitempty"`
	TermsURI     string `json:"terms_uri,omitempty"` // https
}

// Address is the OIDC "address" claim (OIDC Core 5.1.1).
type Address struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"street_address,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postal_code,omitempty"`
	Country       string `json:"country,omitempty"`
}

// Profile carries the standard OIDC profile claims (OIDC Core 5.1) that are
// not otherwise first-class fields of User.
type Profile struct {
	Name              string   `json:"name,omitempty"`
	GivenName         string   `json:"given_name,omitempty"`
	FamilyName        string   `json:"family_name,omitempty"`
	MiddleName        string   `json:"middle_name,omitempty"`
	Nickname          string   `json:"nickname,omitempty"`
	PreferredUsername string   `json:"preferred_username,omitempty"`
	Profile           string   `json:"profile,omitempty"`
	Picture           string   `json:"picture,omitempty"`
	Website           string   `json:"website,omitempty"`
	Gender            string   `json:"gender,omitempty"`
	Birthdate         string   `json:"birthdate,omitempty"`
	Zoneinfo          string   `json:"zoneinfo,omitempty"`
	Locale            string   `json:"locale,omitempty"`
	Address           *Address `json:"address,omitempty"`
}

// User is a customer identity within one tenant.
type User struct {
	ID       string // stable, UUIDv7 (time-ordered, used for stable list order)
	TenantID string

	Email         string // unique per tenant, compared case-insensitively
	EmailVerified bool
	Username      string // optional; unique per tenant (case-insensitive) when set
	Phone         string // optional, E.164
	PhoneVerified bool

	Profile    Profile
	Attributes map[string]any // validated against the tenant's AttributeSchema

	Disabled    bool
	LockedUntil *time.Time // temporary lock (e.g. brute-force defence)

	// TermsVersion is the tenant terms version the user accepted, at
	// TermsAcceptedAt; empty and nil when none was asked for.
	TermsVersion    string
	TermsAcceptedAt *time.Time

	// Region is the data-residency region holding the user's personal
	// data ("" without regions). On create it asks for a region; the
	// store sets it on reads. It is not a column: the region's database
	// is where the row is.
	Region string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // optimistic concurrency; bumped on every update
}

// Locked reports whether the user is temporarily locked at time now.
func (u *User) Locked(now time.Time) bool {
	return u.LockedUntil != nil && now.Before(*u.LockedUntil)
}

// PasswordCredential is a user's password, as an argon2id PHC string.
type PasswordCredential struct {
	TenantID  string
	UserID    string
	Hash      string
	UpdatedAt time.Time
}

// APIKey is an admin API credential. The bearer token is "gh_<ID>_<secret>";
// only the keyed hash of the secret is stored.
type APIKey struct {
	ID         string
	TenantID   string
	Name       string
	Scopes     []string
	SecretHash []byte
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

// Active reports whether the key may be used at time now.
func (k *APIKey) Active(now time.Time) bool {
	if k.RevokedAt != nil {
		return false
	}
	return k.ExpiresAt == nil || now.Before(*k.ExpiresAt)
}

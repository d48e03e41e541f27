// Package oauth holds the OAuth 2.0 / OpenID Connect provider's domain:
// clients with their typed settings and validation (client.go,
// clientsettings.go), and the provider's state: authorization requests,
// browser sessions, consents, refresh-token families, device
// authorizations, pushed requests, signing keys and token revocations. Secrets (codes, refresh tokens, session cookies, device
// codes) are never stored: only their SHA-256, so a database leak does not
// leak live credentials. Pure types and rules: no HTTP, no SQL.
package oauth

import (
	"slices"
	"time"
)

// AuthRequest is one authorization request, from /authorize until its code
// is exchanged (then it is kept, marked, to detect code replay).
type AuthRequest struct {
	ID       string
	TenantID string

	ClientID            string
	RedirectURI         string
	State               string
	Nonce               string
	Scopes              []string
	ResponseType        string
	ResponseMode        string
	CodeChallenge       string
	CodeChallengeMethod string
	Prompt              []string // none, login, consent, select_account
	MaxAge              *time.Duration
	LoginHint           string
	UILocales           []string
	ACRValues           []string
	// Resource is the API the tokens are for (RFC 8707), "" for none.
	Resource string
	// OrgID is the organization the sign-in is scoped to, "" for none.
	OrgID string
	// DPoPJKT is the dpop_jkt of the request (RFC 9449 10): the code's
	// token request must prove this key. "" for none.
	DPoPJKT string
	// AuthorizationDetails is the RFC 9396 authorization_details the
	// request asked for, validated, as a canonical JSON array; "" for none.
	AuthorizationDetails string

	// Set when the user has authenticated (and consented).
	UserID    string
	SessionID string
	AuthTime  time.Time
	AMR       []string
	ACR       string
	Done      bool

	// CodeHash is SHA-256 of the authorization code once issued.
	CodeHash []byte
	// CodeUsedAt is set when the code is exchanged; a second exchange is a
	// replay, which revokes what the first produced (RFC 6749 4.1.2).
	CodeUsedAt *time.Time
	// Issued records what the code exchange produced, for that revocation.
	IssuedAccessJTI string
	IssuedFamilyID  string

	CreatedAt time.Time
	ExpiresAt time.Time
}

// Session is a browser session: the server-side record behind the session
// cookie, giving single sign-on across the tenant's clients.
type Session struct {
	ID        string // public ID (UUIDv7), used in APIs and the sid claim
	TenantID  string
	UserID    string
	TokenHash []byte // SHA-256 of the cookie value

	IP        string
	UserAgent string
	AuthTime  time.Time
	AMR       []string
	ACR       string

	// Pending is what the sign-in that started the session still owes (a
	// second factor, a risk challenge, a password change), each step
	// once. A session that owes anything is not signed in: only the
	// login's own step pages may use it, to pay what it owes.
	Pending []Step
	// NotifyNewDevice: the sign-in came from a new device or country and
	// owes a risk challenge; the user is told about the new device once
	// it is passed (until then nobody signed in).
	NotifyNewDevice bool

	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute lifetime
	RevokedAt  *time.Time
}

// Active reports whether the session is usable at now given the idle timeout.
func (s *Session) Active(now time.Time, idle time.Duration) bool {
	if s.RevokedAt != nil || !now.Before(s.ExpiresAt) {
		return false
	}
	return idle <= 0 || now.Sub(s.LastSeenAt) < idle
}

// Step is one thing a sign-in owes before its session counts as signed
// in (Session.Pending). The values are stored: they are stable.
type Step string

const (
	// StepSecondFactor: the tenant's MFA policy asks this sign-in for a
	// second factor (urn:gatehouse:acr:mfa); a user without one enrols
	// one and uses it.
	StepSecondFactor Step = "second_factor"
	// StepPhishingResistant: the policy asks for a phishing-resistant
	// factor (WebAuthn, acr phr).
	StepPhishingResistant Step = "phishing_resistant"
	// StepRiskChallenge: the risk engine challenged the sign-in. Only a
	// factor the user had before the sign-in started, or a code to the
	// verified email address, answers it.
	StepRiskChallenge Step = "risk_challenge"
	// StepPasswordChange: the password must be changed first (it is
	// breached, or the user reported a sign-in as not theirs).
	StepPasswordChange Step = "password_change"
)

// Owes reports whether the session still owes step.
func (s *Session) Owes(step Step) bool { return slices.Contains(s.Pending, step) }

// SignedIn reports whether the session owes nothing.
func (s *Session) SignedIn() bool { return len(s.Pending) == 0 }

// Owe adds steps to what the session owes, each once.
func (s *Session) Owe(steps ...Step) {
	for _, st := range steps {
		if st != "" && !s.Owes(st) {
			s.Pending = append(s.Pending, st)
		}
	}
}

// Pay removes steps from what the session owes; with the risk challenge
// goes the new-device notice it held back (the caller sends it).
func (s *Session) Pay(steps ...Step) {
	s.Pending = slices.DeleteFunc(s.Pending, func(st Step) bool { return slices.Contains(steps, st) })
	if len(s.Pending) == 0 {
		s.Pending = nil
	}
	if slices.Contains(steps, StepRiskChallenge) {
		s.NotifyNewDevice = false
	}
}

// Consent is the set of scopes a user granted a client.
type Consent struct {
	TenantID  string
	UserID    string
	ClientID  string
	Scopes    []string
	CreatedAt time.Time
	UpdatedAt time.Time

	// AuthorizationDetails the user allowed the client (RFC 9396), each a
	// canonical JSON object (Detail.Canonical).
	AuthorizationDetails []string
}

// CoversDetails reports whether the consent includes every detail in
// want (canonical JSON objects).
func (c *Consent) CoversDetails(want []string) bool {
	for _, d := range want {
		if !slices.Contains(c.AuthorizationDetails, d) {
			return false
		}
	}
	return true
}

// Covers reports whether the consent includes every scope in want.
func (c *Consent) Covers(want []string) bool {
	for _, s := range want {
		if !slices.Contains(c.Scopes, s) {
			return false
		}
	}
	return true
}

// RefreshToken is one refresh token of a rotation family. Using a token
// rotates it: the old one is marked and a new one of the same family is
// issued. Presenting a rotated token again is reuse, which revokes the
// whole family (OAuth 2.0 Security BCP 4.14).
type RefreshToken struct {
	ID        string
	TenantID  string
	FamilyID  string
	TokenHash []byte

	ClientID  string
	UserID    string
	SessionID string
	Scopes    []string
	Audience  []string
	AuthTime  time.Time
	AMR       []string
	ACR       string
	// OrgID is the organization the tokens are for, "" for none.
	OrgID string
	// DPoPJKT binds a public client's token to a DPoP key (RFC 9449 5):
	// a refresh must prove it. "" for none.
	DPoPJKT string
	// AuthorizationDetails granted (RFC 9396), a canonical JSON array; ""
	// for none. A refresh may keep or narrow them.
	AuthorizationDetails string

	CreatedAt       time.Time
	ExpiresAt       time.Time // sliding: this token's own lifetime
	FamilyExpiresAt time.Time // absolute: no rotation extends past it
	RotatedAt       *time.Time
	RevokedAt       *time.Time
}

// Usable reports whether the token may be exchanged at now.
func (t *RefreshToken) Usable(now time.Time) bool {
	return t.RotatedAt == nil && t.RevokedAt == nil && now.Before(t.ExpiresAt) && now.Before(t.FamilyExpiresAt)
}

// DeviceState is where a device authorization stands.
type DeviceState string

const (
	DevicePending  DeviceState = "pending"
	DeviceApproved DeviceState = "approved"
	DeviceDenied   DeviceState = "denied"
)

// DeviceAuthorization is an RFC 8628 device authorization.
type DeviceAuthorization struct {
	TenantID       string
	DeviceCodeHash []byte
	UserCode       string // normalised: uppercase, no separators
	ClientID       string
	Scopes         []string
	// Resource is the API (RFC 8707) the tokens are for; "" for none.
	Resource string
	// AuthorizationDetails the device asked for (RFC 9396): a canonical
	// JSON array, "" for none. Like Resource, fixed at creation.
	AuthorizationDetails string
	State                DeviceState
	UserID               string
	AuthTime             time.Time
	AMR                  []string
	CreatedAt            time.Time
	ExpiresAt            time.Time
	// PollInterval is how long the device must wait between polls, in
	// whole seconds; it grows each time the device polls too fast
	// (slow_down, RFC 8628 3.5).
	PollInterval time.Duration
	// LastPolledAt is the time of the device's last poll; nil before the
	// first.
	LastPolledAt *time.Time
}

// PushedRequest is an RFC 9126 pushed authorization request: the client's
// parameters, stored under a one-time request_uri.
type PushedRequest struct {
	TenantID  string
	ID        string // the random part of urn:ietf:params:oauth:request_uri:<ID>
	ClientID  string
	Params    map[string][]string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SigningKey is a tenant's token-signing key. The private key is stored
// sealed with the master key; the public JWK is stored in the clear.
type SigningKey struct {
	TenantID  string
	ID        string // kid
	Alg       string // RS256, ES256, EdDSA
	Private   []byte // sealed PKCS#8
	PublicJWK []byte // JSON Web Key

	CreatedAt time.Time
	// RetiredAt: the key stops signing (a newer one took over).
	RetiredAt *time.Time
	// ExpiresAt: the key leaves the JWKS, once every token it signed has expired.
	ExpiresAt *time.Time
}

// RevocationKind says what a revocation entry matches.
type RevocationKind string

const (
	// RevokeJTI denies one access token by its jti until it would expire.
	RevokeJTI RevocationKind = "jti"
	// RevokeUser denies every access token of a user issued before NotBefore.
	RevokeUser RevocationKind = "user"
	// RevokeClient denies every access token of a client issued before NotBefore.
	RevokeClient RevocationKind = "client"
	// RevokeSession denies every access token of a session issued before NotBefore.
	RevokeSession RevocationKind = "session"
)

// Revocation makes stateless JWT access tokens revocable: introspection
// and the gateway consult the (cached) list.
type Revocation struct {
	TenantID  string
	Kind      RevocationKind
	Key       string    // jti, user ID, client ID or session ID
	NotBefore time.Time // tokens issued (iat) before this are revoked
	ExpiresAt time.Time // the entry can be dropped after this
	CreatedAt time.Time
}

// OpaqueToken is an access token issued as a random string (a per-client
// option), stored by hash so introspection can find it.
type OpaqueToken struct {
	TenantID  string
	ID        string // jti
	TokenHash []byte
	ClientID  string
	UserID    string // "" for client credentials
	SessionID string
	Scopes    []string
	Audience  []string
	Claims    map[string]any // extra claims to report on introspection
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// Package mfa is the multi-factor service: enrolment and verification of
// TOTP, WebAuthn (passkeys and security keys), recovery codes, email and
// SMS one-time codes; sign-in challenges with an attempt limit; remembered
// devices; and the notification mail and event of every factor change. It
// knows nothing of HTTP: the account and Admin APIs (internal/accountapi,
// internal/adminapi) and the hosted login (internal/login) drive it.
//
// Secrets at rest: TOTP secrets are sealed with the keyring; recovery,
// email and SMS codes are stored as keyed hashes (HMAC) and compared in
// constant time; single use is enforced inside the store's atomic update
// (optimistic version check), so two concurrent uses of one code or TOTP
// step succeed once.
package mfa

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Errors. ErrInvalidCode counts an attempt against the challenge.
var (
	ErrInvalidCode      = errors.New("mfa: invalid code")
	ErrChallengeDead    = errors.New("mfa: challenge expired, used or out of attempts")
	ErrReplay           = errors.New("mfa: code already used")
	ErrUnknownChallenge = errors.New("mfa: unknown challenge")
	ErrRateLimited      = errors.New("mfa: too many attempts, try again later")
	// ErrNotAllowed: the factor is not allowed by the tenant's policy (or
	// the user cannot use it, e.g. no verified email for email OTP).
	ErrNotAllowed = errors.New("mfa: factor not allowed")
	// ErrNotFound: no such factor of that user.
	ErrNotFound = errors.New("mfa: factor not found")
	// ErrInvalid wraps bad input (a malformed WebAuthn response, an empty
	// name); the message says what.
	ErrInvalid = errors.New("mfa: invalid input")
	// ErrInvalidName is ErrInvalid for a factor name.
	ErrInvalidName = fmt.Errorf("%w: factor name", ErrInvalid)
)

// Service implements the factors. Keys, Mail and Templates are required.
type Service struct {
	Keyring   *secret.Keyring
	Mail      mail.Sender
	Templates *mail.Templates
	// Events records factor changes; nil means events.Nop.
	Events events.Recorder
	// Limiter limits challenges and code checks per user; nil means none.
	Limiter ratelimit.Limiter
	// ChallengeLimit is the per-user limit; zero means 10 per 5 minutes.
	ChallengeLimit ratelimit.Limit
	Now            func() time.Time
	// HTTPClient posts to SMS webhooks; nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	Log        *slog.Logger
}

// Target names the tenant, store and issuer the service acts on.
type Target struct {
	Tenant *identity.Tenant
	Store  store.Store
	// Issuer is the tenant's issuer URL (https://host[/t/slug]); WebAuthn
	// defaults the relying party ID and origin to its host and origin.
	Issuer string
	// RiskChallenge: the risk engine asked for this challenge. Email
	// codes are then allowed (to a verified address) even when the
	// tenant's policy is off or does not allow them: a user without a
	// factor still has a way to prove it is them.
	RiskChallenge bool
	// FactorsUntil, when set, hides the factors created after it: a risk
	// challenge may only be answered with a factor the user had when the
	// challenged sign-in started, never with one added since (by whoever
	// holds the password). Listing, challenging and verifying all see only
	// the older factors.
	FactorsUntil time.Time
}

// TOTPEnrolment is a started TOTP enrolment, shown once to the user.
type TOTPEnrolment struct {
	ID        string
	Secret    string // base32
	URL       string // otpauth://
	QRSVG     []byte // the URL as a QR code (SVG)
	ExpiresAt time.Time
}

// Challenge is a started sign-in challenge.
type Challenge struct {
	ID        string
	Kind      factor.FactorType
	ExpiresAt time.Time
	// WebAuthnOptions are the navigator.credentials.get options (kind WebAuthn).
	WebAuthnOptions []byte
	// Masked is where a code went: "a***@example.com", "+49******12".
	Masked string
}

// Answer is the user's response to a challenge.
type Answer struct {
	Code     string // TOTP, email, SMS or recovery code
	WebAuthn []byte // the assertion (PublicKeyCredential JSON)
}

// Result is a verified factor.
type Result struct {
	UserID string
	Factor *factor.Factor // nil for email OTP (not a stored factor)
	AMR    []string
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) events() events.Recorder {
	if s.Events == nil {
		return events.Nop{}
	}
	return s.Events
}

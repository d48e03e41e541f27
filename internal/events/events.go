// Package events defines Gatehouse's security and account events: what
// happened, to whom, from where, and what the system decided. Producers
// (login, onboarding, MFA, the Admin API, the risk engine) call a
// Recorder; the audit log stores events in a hash chain and the webhook
// outbox delivers them to subscribers.
package events

import (
	"context"
	"time"
)

// Event types. They are part of the public contract (Admin API filters,
// webhook payloads): add new ones, never rename.
const (
	LoginSucceeded   = "login.succeeded"
	LoginFailed      = "login.failed"
	LoginChallenged  = "login.challenged"
	LoginDenied      = "login.denied"
	AccountLocked    = "account.locked"
	MFAAdded         = "mfa.added"
	MFARemoved       = "mfa.removed"
	MFAReset         = "mfa.reset"
	MFAChallengeUsed = "mfa.recovery_code_used"
	PasswordChanged  = "password.changed"
	PasswordReset    = "password.reset"
	EmailChanged     = "email.changed"
	SessionRevoked   = "session.revoked"
	ConsentGranted   = "consent.granted"
	ConsentWithdrawn = "consent.withdrawn"
	UserRegistered   = "user.registered"
	UserDeleted      = "user.deleted"
	// OrganizationJoined: a user accepted an organization invitation
	// (data: org_id, invitation_id).
	OrganizationJoined = "organization.joined"
	SAMLSSO            = "saml.sso" // an AuthnRequest answered or refused
	SAMLSLO            = "saml.slo" // a LogoutRequest answered or refused
	// AdminAction prefixes admin API actions: "admin.user.updated", …
	AdminAction = "admin."
)

// Event is one security or account event.
type Event struct {
	ID       string // set by the recorder when empty (UUIDv7)
	TenantID string
	Type     string
	Time     time.Time // set by the recorder when zero
	UserID   string    // the subject, when there is one
	// ActorID is who acted when not the subject: an API key ID, an admin.
	ActorID   string
	IP        string
	DeviceID  string
	UserAgent string
	// Decision and Reasons are the risk engine's verdict, when one was made.
	Decision string
	Reasons  []string
	// Data carries event-specific details (factor type, client ID, …).
	// Never secrets or passwords.
	Data map[string]any
}

// Recorder records events. Implementations must be safe for concurrent use.
// Record failing must not fail the user's action unless the caller says
// so; callers log the error.
type Recorder interface {
	Record(ctx context.Context, e Event) error
}

// Nop discards events.
type Nop struct{}

func (Nop) Record(context.Context, Event) error { return nil }

// Func adapts a function to Recorder.
type Func func(ctx context.Context, e Event) error

func (f Func) Record(ctx context.Context, e Event) error { return f(ctx, e) }

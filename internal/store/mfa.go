package store

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
)

// MFAChallenge is an in-flight MFA step: an enrolment being confirmed
// (TOTP secret sealed in Data, WebAuthn registration session) or a sign-in
// challenge (WebAuthn assertion session in Data, email/SMS code as a
// keyed hash in CodeHash). UserID is "" for a username-less passkey login.
type MFAChallenge struct {
	TenantID  string
	ID        string // generated on Create
	UserID    string
	Kind      string // e.g. "totp_enrol", "webauthn_register", "webauthn", "email_otp"
	Data      []byte
	CodeHash  []byte
	Attempts  int
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Open reports whether c may still be answered at now: not used, not
// expired, and under maxAttempts wrong answers (0 means no limit).
func (c *MFAChallenge) Open(now time.Time, maxAttempts int) bool {
	if c.UsedAt != nil || !now.Before(c.ExpiresAt) {
		return false
	}
	return maxAttempts <= 0 || c.Attempts < maxAttempts
}

// RememberedDevice is the server record of a "remember this device"
// cookie: deleting it revokes the cookie.
type RememberedDevice struct {
	TenantID  string
	ID        string // generated on Create
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// MFARepo stores a tenant's MFA factors, challenges and remembered
// devices. The user is a foreign key: deleting the user deletes them all.
type MFARepo interface {
	// CreateFactor inserts f, generating ID, CreatedAt (if zero) and
	// Version. ErrNotFound if the user does not exist in the tenant.
	CreateFactor(ctx context.Context, f *factor.Factor) error
	// GetFactor returns the user's factor, or ErrNotFound.
	GetFactor(ctx context.Context, tenantID, userID, id string) (*factor.Factor, error)
	// ListFactors returns the user's factors in creation order.
	ListFactors(ctx context.Context, tenantID, userID string) ([]factor.Factor, error)
	// UpdateFactor applies fn atomically and bumps Version; fn may change
	// Name, LastUsedAt and Data only. Concurrent updates are serialised:
	// fn always sees the latest committed state, so a code or TOTP step
	// marked used by one caller is seen as used by the next. An error from
	// fn aborts with nothing written.
	UpdateFactor(ctx context.Context, tenantID, userID, id string, fn func(*factor.Factor) error) (*factor.Factor, error)
	// DeleteFactor removes one factor; ErrNotFound if absent.
	DeleteFactor(ctx context.Context, tenantID, userID, id string) error
	// DeleteFactors removes all the user's factors of the given types (all
	// types when none are given) and returns how many.
	DeleteFactors(ctx context.Context, tenantID, userID string, types ...factor.FactorType) (int64, error)

	// CreateChallenge inserts c, generating ID and (if zero) CreatedAt.
	CreateChallenge(ctx context.Context, c *MFAChallenge) error
	// GetChallenge returns the challenge, used and expired ones included,
	// or ErrNotFound.
	GetChallenge(ctx context.Context, tenantID, id string) (*MFAChallenge, error)
	// UpdateChallenge applies fn atomically; fn may change Attempts and
	// UsedAt only. An error from fn aborts with nothing written.
	UpdateChallenge(ctx context.Context, tenantID, id string, fn func(*MFAChallenge) error) (*MFAChallenge, error)
	// DeleteExpiredChallenges removes challenges (of every tenant) that
	// expired before t.
	DeleteExpiredChallenges(ctx context.Context, before time.Time) (int64, error)

	// CreateDevice inserts d, generating ID and (if zero) CreatedAt.
	CreateDevice(ctx context.Context, d *RememberedDevice) error
	// GetDevice returns the device record, or ErrNotFound.
	GetDevice(ctx context.Context, tenantID, id string) (*RememberedDevice, error)
	// DeleteDevices forgets all the user's remembered devices.
	DeleteDevices(ctx context.Context, tenantID, userID string) (int64, error)
	// DeleteExpiredDevices removes device records (of every tenant) that
	// expired before t.
	DeleteExpiredDevices(ctx context.Context, before time.Time) (int64, error)
}

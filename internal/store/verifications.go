package store

import (
	"context"
	"time"
)

// Verification is one issued proof of control over a user's address: a
// short code the user types, or a link token. Only a hash is stored: a
// keyed hash (HMAC) for codes, whose space is small, and SHA-256 for the
// 256-bit link tokens. Either kind completes the purpose, after which all
// of the user's open verifications for it are used.
type Verification struct {
	TenantID string
	ID       string // generated on Create
	UserID   string
	Purpose  string // e.g. "verify_email"
	Kind     string // VerificationCode or VerificationLink
	Hash     []byte // unique per tenant
	// AuthRequestID is the authorization request the user came from, to
	// continue it after verification; "" when none.
	AuthRequestID string
	Attempts      int
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UsedAt        *time.Time
}

// Verification kinds.
const (
	VerificationCode = "code"
	VerificationLink = "link"
)

// Open reports whether v may still be redeemed at now: not used, not
// expired, and under maxAttempts failed tries (0 means no limit).
func (v *Verification) Open(now time.Time, maxAttempts int) bool {
	if v.UsedAt != nil || !now.Before(v.ExpiresAt) {
		return false
	}
	return maxAttempts <= 0 || v.Attempts < maxAttempts
}

// VerificationRepo stores verification codes and link tokens. The user is
// a foreign key: deleting the user deletes its verifications.
type VerificationRepo interface {
	// Create inserts v, generating ID and (if zero) CreatedAt. ErrConflict
	// if the hash is in use in the tenant.
	Create(ctx context.Context, v *Verification) error
	// GetByHash returns the verification with that hash, used and expired
	// ones included, or ErrNotFound.
	GetByHash(ctx context.Context, tenantID string, hash []byte) (*Verification, error)
	// Latest returns the user's newest verification of purpose and kind,
	// used and expired ones included, or ErrNotFound.
	Latest(ctx context.Context, tenantID, userID, purpose, kind string) (*Verification, error)
	// Update applies fn atomically; fn may change Attempts and UsedAt
	// only. An error from fn aborts with nothing written.
	Update(ctx context.Context, tenantID, id string, fn func(*Verification) error) (*Verification, error)
	// UseAll marks every unused verification of the user for purpose used
	// at t and returns how many.
	UseAll(ctx context.Context, tenantID, userID, purpose string, at time.Time) (int64, error)
	// DeleteExpired removes verifications (of every tenant) that expired before t.
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

package store

import (
	"context"
	"errors"
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

// ErrTooSoon: Issue found a verification of the user and purpose newer
// than the cool-down allows, and stored nothing.
var ErrTooSoon = errors.New("store: a verification was issued moments ago")

// Issuance is a new set of codes and links for one user and purpose.
type Issuance struct {
	UserID, Purpose string
	// Since is the cool-down: when the user has a verification of Purpose
	// created after it, nothing is stored. Zero stores regardless.
	Since time.Time
	// Replace marks the user's unused verifications of Purpose used (at
	// the first new row's CreatedAt) before the new ones are stored.
	Replace bool
	// New are the rows, each of UserID and Purpose; IDs are generated.
	New []*Verification
}

// VerificationRepo stores verification codes and link tokens. The user is
// a foreign key: deleting the user deletes its verifications.
type VerificationRepo interface {
	// Create inserts v, generating ID and (if zero) CreatedAt. ErrConflict
	// if the hash is in use in the tenant.
	Create(ctx context.Context, v *Verification) error
	// Issue checks the cool-down and stores in.New as one atomic step,
	// also across nodes: in one transaction that holds the user's row
	// lock, so concurrent issuers for the same user queue. Inside the
	// cool-down it stores nothing and returns the newest verification of
	// the purpose with ErrTooSoon. ErrNotFound if the user is not in the
	// tenant; ErrConflict if a hash is in use.
	Issue(ctx context.Context, tenantID string, in Issuance) (*Verification, error)
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

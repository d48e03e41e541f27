package store

import (
	"context"
	"time"
)

// UserKeyRepo holds each user's data key, sealed with the master keyring.
// Personal fields of audit events about a user are sealed with it; the key
// goes with the user (the row is deleted with the user), which leaves
// those fields unreadable: crypto-shredding.
type UserKeyRepo interface {
	// Ensure stores sealed as the user's key unless the user already has
	// one, and returns the key the user has now. ErrNotFound when the user
	// does not exist (an erased user never gets a key again).
	Ensure(ctx context.Context, tenantID, userID string, sealed []byte) ([]byte, error)
	// Keys returns the sealed keys of those of userIDs that have one.
	Keys(ctx context.Context, tenantID string, userIDs []string) (map[string][]byte, error)
}

// AuditCheckpoint is where a tenant's audit chain starts after a
// retention purge: the Seq and Hash of the last purged record, and the ID
// of the audit event (type audit.purged, still in the chain) that recorded
// the purge and names the same Seq and Hash.
type AuditCheckpoint struct {
	TenantID string
	Seq      int64
	Hash     []byte
	EventID  string
	PurgedAt time.Time
}

// AuditPurger removes the oldest part of a tenant's audit chain.
type AuditPurger interface {
	// Checkpoint returns the tenant's checkpoint, or ErrNotFound when its
	// chain was never purged.
	Checkpoint(ctx context.Context, tenantID string) (*AuditCheckpoint, error)
	// LastBefore returns the newest record of the tenant's chain with
	// Time < before, or ErrNotFound.
	LastBefore(ctx context.Context, tenantID string, before time.Time) (*AuditRecord, error)
	// Purge moves the tenant's checkpoint to cp and deletes the records
	// with Seq <= cp.Seq, in one transaction, and returns how many went.
	// A checkpoint never moves back: cp.Seq below the current one is
	// ErrConflict. The database refuses deleting records above the
	// checkpoint.
	Purge(ctx context.Context, cp AuditCheckpoint) (int64, error)
}

// RetentionRepo finds and removes what a tenant's retention settings say
// is kept no longer.
type RetentionRepo interface {
	// DeleteEndedSessions deletes the tenant's sessions that were revoked,
	// or expired, before the given time.
	DeleteEndedSessions(ctx context.Context, tenantID string, before time.Time) (int64, error)
	// StaleUnverifiedUsers returns up to limit IDs of the tenant's users
	// with neither email nor phone verified, created and last changed
	// before the given time, and with no session seen since.
	StaleUnverifiedUsers(ctx context.Context, tenantID string, before time.Time, limit int) ([]string, error)
	// DeleteUserDeliveries deletes the webhook deliveries queued for
	// events about the user (their payloads hold the user's data).
	DeleteUserDeliveries(ctx context.Context, tenantID, userID string) (int64, error)
}

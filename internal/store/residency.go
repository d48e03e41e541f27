package store

import "context"

// Identifier kinds in the user directory.
const (
	DirectoryID       = "id"
	DirectoryEmail    = "email"
	DirectoryUsername = "username"
	// DirectoryFederated keys a federated identity: the connection and
	// the upstream's subject (a sign-in looks it up before the user is
	// known).
	DirectoryFederated = "federated"
)

// DirectoryEntry maps one identifier of a user, as a keyed hash, to the
// region holding the user's personal data.
type DirectoryEntry struct {
	TenantID string
	Kind     string // DirectoryID, DirectoryEmail, DirectoryUsername or DirectoryFederated
	Key      []byte // keyed hash of the normalised identifier
	UserID   string
	Region   string
}

// UserDirectoryRepo is the main database's index of users by region
// (data residency): it never holds an identifier in clear.
type UserDirectoryRepo interface {
	// Put inserts entries. ErrConflict if a key belongs to another user;
	// nothing is written then.
	Put(ctx context.Context, entries []DirectoryEntry) error
	// Lookup finds the entry for a key, or ErrNotFound.
	Lookup(ctx context.Context, tenantID, kind string, key []byte) (*DirectoryEntry, error)
	// Replace swaps every entry of the user for entries (an email change,
	// a move to another region). ErrConflict as Put.
	Replace(ctx context.Context, tenantID, userID string, entries []DirectoryEntry) error
	// Delete removes one entry (an unlinked federated identity); no error
	// if there is none.
	Delete(ctx context.Context, tenantID, kind string, key []byte) error
	// DeleteUser removes the user's entries.
	DeleteUser(ctx context.Context, tenantID, userID string) error
	// Regions counts the tenant's users per region.
	Regions(ctx context.Context, tenantID string) (map[string]int64, error)
}

// DirectoryStore is a store that holds the user directory.
type DirectoryStore interface {
	UserDirectory() UserDirectoryRepo
}

// SkeletonStore is a main database that can reduce a user it holds in full
// to a skeleton (a user created before regions were configured, migrated
// into one: regional.Router.Migrate).
type SkeletonStore interface {
	// Skeleton deletes everything personal about the user from the
	// database (password, second factors, challenges, remembered devices,
	// verifications, sessions and tokens, consents, risk history, privacy
	// ledger and decisions, exports, data key, federated identities) and
	// blanks the user's row to its ID and timestamps, as a skeleton row
	// is; the directory rows that reference the user (roles,
	// memberships) stay. ErrNotFound for an unknown user.
	Skeleton(ctx context.Context, tenantID, userID string) error
}

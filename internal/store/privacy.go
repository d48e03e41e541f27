package store

import (
	"context"
	"time"
)

// Purpose is something a tenant processes personal data for (issue 15).
// ID is a slug the tenant chooses; Version starts at 1 and is what the
// privacy service leaves after an update (it bumps it on a material
// change, which asks users again).
type Purpose struct {
	TenantID    string
	ID          string
	Name        string
	Description string
	LegalBasis  string // consent, contract, legitimate_interest, legal_obligation
	Required    bool
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ConsentEntry is one decision in a user's append-only consent ledger.
// ID is also the receipt's ID; Receipt is the signed receipt (a compact
// JWS) the privacy service made for the entry.
type ConsentEntry struct {
	TenantID       string
	ID             string
	UserID         string
	PurposeID      string
	PurposeVersion int64
	Granted        bool
	Channel        string // registration, preference_centre, api, admin
	IP             string
	UserAgent      string
	ActorID        string // the admin (API key) who recorded it, if any
	Evidence       string // where an admin decision is documented
	Receipt        string
	At             time.Time
}

// PurposeDecision is a user's current decision about one purpose: the
// latest ledger entry for it.
type PurposeDecision struct {
	PurposeID string
	Version   int64
	Granted   bool
	At        time.Time
	ReceiptID string
}

// PrivacyRepo stores a tenant's privacy purposes and its users' consent
// ledger. The ledger has no update or delete: entries go only with their
// user (or tenant).
type PrivacyRepo interface {
	// CreatePurpose inserts p (CreatedAt, UpdatedAt and Version 1 when
	// unset). ErrConflict if the ID is taken in the tenant.
	CreatePurpose(ctx context.Context, p *Purpose) error
	GetPurpose(ctx context.Context, tenantID, id string) (*Purpose, error)
	// ListPurposes pages by ID.
	ListPurposes(ctx context.Context, tenantID string, p Page) (items []Purpose, next string, err error)
	// UpdatePurpose applies fn atomically and keeps the Version fn leaves
	// (TenantID, ID and CreatedAt are kept; UpdatedAt is set).
	UpdatePurpose(ctx context.Context, tenantID, id string, fn func(*Purpose) error) (*Purpose, error)
	// DeletePurpose removes the purpose and the users' current decisions
	// about it; the ledger keeps its entries. ErrNotFound if absent.
	DeletePurpose(ctx context.Context, tenantID, id string) error

	// Record appends the entries (all of one tenant) to the ledger and
	// makes each its user's current decision, all or nothing. ErrNotFound
	// if a user is absent; ErrConflict if an entry ID exists.
	Record(ctx context.Context, entries []ConsentEntry) error
	// Decisions returns the user's current decisions, ordered by purpose ID.
	Decisions(ctx context.Context, tenantID, userID string) ([]PurposeDecision, error)
	// History pages the user's ledger by entry ID (oldest first).
	History(ctx context.Context, tenantID, userID string, p Page) (items []ConsentEntry, next string, err error)
	// Entry returns one of the user's entries. ErrNotFound if it is
	// another user's.
	Entry(ctx context.Context, tenantID, userID, id string) (*ConsentEntry, error)
}

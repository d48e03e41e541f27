package store

import (
	"context"
	"encoding/json"
	"time"
)

// Connection is a tenant's link to an upstream identity provider or
// directory (federation, issue 12). Config holds the type's settings as
// JSON (internal/federation reads it); SecretsSealed holds its secrets,
// sealed with the keyring, or nil when it has none.
type Connection struct {
	TenantID         string
	ID               string // a slug the admin may choose
	Type             string // oidc, oauth2, github, google, microsoft, apple, saml, ldap
	DisplayName      string
	Enabled          bool
	ShowOnLogin      bool
	Domains          []string
	Provisioning     string // jit or link_only
	LinkByEmail      string // never or verified
	AttributeMapping map[string]string
	Config           json.RawMessage
	SecretsSealed    []byte
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int64
}

// FederatedIdentity links a user to their identity at a connection.
type FederatedIdentity struct {
	TenantID     string
	ConnectionID string
	Subject      string // the upstream's stable identifier of the person
	UserID       string
	Email        string // as the upstream last asserted it
	LinkedAt     time.Time
	LastUsedAt   *time.Time
}

// ConnectionRepo stores connections and the identities linked through
// them. Every method is scoped to one tenant; another tenant's rows are
// ErrNotFound.
type ConnectionRepo interface {
	// Create inserts c, setting timestamps and Version (ID is required);
	// ErrConflict when the tenant has a connection with that ID.
	Create(ctx context.Context, c *Connection) error
	Get(ctx context.Context, tenantID, id string) (*Connection, error)
	// List pages the tenant's connections in ID order.
	List(ctx context.Context, tenantID string, p Page) (items []Connection, next string, err error)
	// Update as TenantRepo.Update; fn may not change the ID or the type.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*Connection) error) (*Connection, error)
	// Delete removes the connection and the identities linked through it.
	Delete(ctx context.Context, tenantID, id string) error

	// Link inserts an identity (LinkedAt set if zero); ErrConflict when
	// the subject is linked already, or the user has an identity at the
	// connection; ErrNotFound when the user or connection does not exist.
	Link(ctx context.Context, fi *FederatedIdentity) error
	// IdentityBySubject finds who (connectionID, subject) signs in as.
	IdentityBySubject(ctx context.Context, tenantID, connectionID, subject string) (*FederatedIdentity, error)
	// Identities lists a user's identities, ordered by connection ID.
	Identities(ctx context.Context, tenantID, userID string) ([]FederatedIdentity, error)
	// Used records a sign-in through an identity: LastUsedAt and the
	// email the upstream asserted this time.
	Used(ctx context.Context, tenantID, connectionID, subject, email string, at time.Time) error
	// Unlink removes the user's identity at the connection.
	Unlink(ctx context.Context, tenantID, userID, connectionID string) error

	// ConsumeAssertion records the ID (its hash) of a SAML assertion the
	// connection accepted, until expiresAt: ErrReused if it holds that ID
	// unexpired at now (an expired record is replaced), ErrNotFound for an
	// unknown connection. Of racing calls on any nodes exactly one wins.
	ConsumeAssertion(ctx context.Context, tenantID, connectionID string, idHash []byte, expiresAt, now time.Time) error
	// DeleteExpiredAssertions removes records (of every tenant) that
	// expired before t.
	DeleteExpiredAssertions(ctx context.Context, before time.Time) (int64, error)
}

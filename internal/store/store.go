// Package store defines the persistence contract: one repository interface
// per aggregate, the sentinel errors every backend returns, and the Resolver
// that picks a backend per tenant (the seam for data residency).
//
// Every tenant-owned method takes the tenant ID explicitly and every query a
// backend runs filters on it: no method can read or write across tenants.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// Sentinel errors. Backends wrap driver errors into these so callers never
// inspect SQL error codes.
var (
	// ErrNotFound: no row with that key in that tenant.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique constraint (email, username, slug, key) would be violated.
	ErrConflict = errors.New("store: conflict")
	// ErrVersionMismatch: the row's version is not the one the caller expected.
	ErrVersionMismatch = errors.New("store: version mismatch")
	// ErrReused: a single-use value was presented again: a refresh token
	// that was already rotated or revoked (the caller revokes the whole
	// family), or a client assertion's jti.
	ErrReused = errors.New("store: refresh token reused")
	// ErrInvalidInput: the engine cannot store or compare a value, such as
	// text with a NUL character or invalid UTF-8 on PostgreSQL (SQLSTATE
	// 22021, 22P05). Callers answer it as bad input (400), not as a fault.
	// The HTTP edge refuses such text before it reaches a store; this is
	// the backstop.
	ErrInvalidInput = errors.New("store: invalid input")
	// ErrUnavailable: the database cannot be reached (refused, dropped,
	// shutting down, or no connection within the pool's bound). It is
	// transient: the HTTP edge answers 503 with Retry-After, not 500.
	ErrUnavailable = errors.New("store: database unavailable")
)

// Page asks for one page of a list, ordered by ID ascending (IDs are
// UUIDv7, so this is creation order and stable).
type Page struct {
	Limit int    // 1..MaxLimit; 0 means DefaultLimit
	After string // return rows with ID > After; "" for the first page
}

const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Norm returns p with Limit clamped into range.
func (p Page) Norm() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit > MaxLimit {
		p.Limit = MaxLimit
	}
	return p
}

// TenantRepo stores tenants. Tenants are the directory that maps a tenant to
// its region, so they live in the control-plane store.
type TenantRepo interface {
	// Create inserts t. ErrConflict if the slug is taken.
	Create(ctx context.Context, t *identity.Tenant) error
	// Get returns the tenant by ID, or ErrNotFound.
	Get(ctx context.Context, id string) (*identity.Tenant, error)
	// GetBySlug returns the tenant by slug, or ErrNotFound.
	GetBySlug(ctx context.Context, slug string) (*identity.Tenant, error)
	// List returns one page; next is the After of the following page, "" at the end.
	List(ctx context.Context, p Page) (items []identity.Tenant, next string, err error)
	// Update loads the tenant, applies fn and saves it atomically, bumping
	// Version and UpdatedAt. If ifVersion > 0 and differs from the stored
	// version: ErrVersionMismatch. An error from fn aborts with nothing written.
	Update(ctx context.Context, id string, ifVersion int64, fn func(*identity.Tenant) error) (*identity.Tenant, error)
	// Delete removes the tenant and everything it owns. ErrNotFound if absent.
	Delete(ctx context.Context, id string) error
}

// UserFilter narrows a user list. Empty fields do not filter.
type UserFilter struct {
	Email     string // exact, case-insensitive
	Username  string // exact, case-insensitive
	Query     string // case-insensitive substring of email or username
	AttrKey   string // with AttrValue: top-level custom attribute equals the string value
	AttrValue string
}

// UserRepo stores users of a tenant.
type UserRepo interface {
	// Create inserts u (u.ID, timestamps and Version set by the caller or,
	// if empty/zero, by the store). ErrConflict on duplicate email/username.
	Create(ctx context.Context, tenantID string, u *identity.User) error
	Get(ctx context.Context, tenantID, id string) (*identity.User, error)
	// GetByEmail matches case-insensitively.
	GetByEmail(ctx context.Context, tenantID, email string) (*identity.User, error)
	// GetByUsername matches case-insensitively.
	GetByUsername(ctx context.Context, tenantID, username string) (*identity.User, error)
	List(ctx context.Context, tenantID string, f UserFilter, p Page) (items []identity.User, next string, err error)
	// Update as TenantRepo.Update; ErrConflict if the new email/username is taken.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*identity.User) error) (*identity.User, error)
	// Delete removes the user and their credentials.
	Delete(ctx context.Context, tenantID, id string) error
}

// PasswordRepo stores password credentials (argon2id PHC strings).
type PasswordRepo interface {
	// Set creates or replaces the user's password. ErrNotFound if the user
	// does not exist in that tenant.
	Set(ctx context.Context, tenantID, userID, hash string) error
	// Get returns the credential, or ErrNotFound if the user has none.
	Get(ctx context.Context, tenantID, userID string) (*identity.PasswordCredential, error)
	Delete(ctx context.Context, tenantID, userID string) error
}

// ClientRepo stores OAuth clients of a tenant.
type ClientRepo interface {
	// Create inserts c. ErrConflict if the client_id exists in the tenant.
	Create(ctx context.Context, tenantID string, c *oauth.Client) error
	Get(ctx context.Context, tenantID, clientID string) (*oauth.Client, error)
	List(ctx context.Context, tenantID string, p Page) (items []oauth.Client, next string, err error)
	Update(ctx context.Context, tenantID, clientID string, ifVersion int64, fn func(*oauth.Client) error) (*oauth.Client, error)
	Delete(ctx context.Context, tenantID, clientID string) error
}

// APIKeyRepo stores admin API keys. Like tenants, they are control-plane data.
type APIKeyRepo interface {
	Create(ctx context.Context, k *identity.APIKey) error
	// Get returns a key by its ID regardless of tenant: the bearer token
	// carries the ID, and the caller checks the key's tenant against the
	// request's.
	Get(ctx context.Context, id string) (*identity.APIKey, error)
	List(ctx context.Context, tenantID string, p Page) (items []identity.APIKey, next string, err error)
	// Revoke sets RevokedAt. ErrNotFound if the key is not in that tenant.
	Revoke(ctx context.Context, tenantID, id string, at time.Time) error
	// Touch records a use (best effort, throttled by the caller).
	Touch(ctx context.Context, id string, at time.Time) error
}

// IdempotencyRecord is a stored response to a POST carrying Idempotency-Key.
type IdempotencyRecord struct {
	TenantID    string
	Key         string // scope-qualified: principal + method + path + client key
	RequestHash []byte // SHA-256 of the request body
	Status      int    // 0 while the first request is still in flight
	Header      map[string]string
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyRepo stores responses for Idempotency-Key replays.
type IdempotencyRepo interface {
	// Begin claims the key. If a record already exists it is returned with
	// ErrConflict and nothing is written.
	Begin(ctx context.Context, rec *IdempotencyRecord) (*IdempotencyRecord, error)
	// Finish stores the response for a claimed key.
	Finish(ctx context.Context, tenantID, key string, status int, header map[string]string, body []byte) error
	// Abandon releases a claim whose request failed before producing a response worth replaying.
	Abandon(ctx context.Context, tenantID, key string) error
	// Expire removes records created before t.
	Expire(ctx context.Context, before time.Time) (int64, error)
}

// SettingsRepo is a small key/value table for process-wide state, such as
// the hash of the generated bootstrap admin token.
type SettingsRepo interface {
	Get(ctx context.Context, key string) ([]byte, error) // ErrNotFound if unset
	// SetIfAbsent stores value unless key exists; reports whether it stored.
	SetIfAbsent(ctx context.Context, key string, value []byte) (bool, error)
	Set(ctx context.Context, key string, value []byte) error
}

// Store is one database: a backend (SQLite or PostgreSQL) with all repositories.
type Store interface {
	Tenants() TenantRepo
	Users() UserRepo
	Passwords() PasswordRepo
	Clients() ClientRepo
	APIKeys() APIKeyRepo
	Idempotency() IdempotencyRepo
	Settings() SettingsRepo
	// Verifications holds email verification codes and link tokens.
	Verifications() VerificationRepo
	// Audit is the hash-chained audit log (audit.go).
	Audit() AuditRepo
	// Webhooks holds webhook subscriptions and the delivery outbox.
	Webhooks() WebhookRepo
	// Logouts holds the clients of each session and the back-channel
	// logout outbox (logout.go).
	Logouts() LogoutRepo
	// Risk holds tenants' risk policies and users' sign-in history (risk.go).
	Risk() RiskRepo
	// MFA holds second factors, MFA challenges and remembered devices.
	MFA() MFARepo
	// MailTemplates holds tenants' mail template overrides.
	MailTemplates() MailTemplateRepo
	// APIs and Roles hold the tenants' APIs, client grants, roles and
	// role assignments (authz.go).
	APIs() APIRepo
	Roles() RoleRepo
	// Organizations holds the tenants' organizations, members and the
	// members' roles (orgs.go).
	Organizations() OrganizationRepo
	OrgInvitations() OrgInvitationRepo
	// Connections holds federation connections and federated identities.
	Connections() ConnectionRepo
	// Privacy holds the privacy purposes and the consent ledger (privacy.go).
	Privacy() PrivacyRepo
	// Exports holds users' data exports (export.go).
	Exports() ExportRepo
	// UserKeys holds users' data keys for crypto-shredding (erasure.go).
	UserKeys() UserKeyRepo
	// Retention removes what tenants' retention settings no longer keep
	// (erasure.go).
	Retention() RetentionRepo
	// InitialAccessTokens are dynamic client registration's (dcr.go).
	InitialAccessTokens() InitialAccessTokenRepo
	// Analytics holds the analytics rollups (analytics.go).
	Analytics() AnalyticsRepo
	// OAuthRepos are the OAuth/OIDC provider's repositories (oauth.go).
	OAuthRepos
	// SAMLRepos are the SAML identity provider's repositories (saml.go).
	SAMLRepos
	// InTx runs fn with a Store whose repositories share one transaction;
	// it commits if fn returns nil and rolls back otherwise.
	InTx(ctx context.Context, fn func(tx Store) error) error
	// Ready reports whether the database is reachable and fully migrated.
	Ready(ctx context.Context) error
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	Close() error
}

// Resolver returns the Store that holds a tenant's customer data. Today one
// process has one database; data residency adds a region -> Store mapping
// behind this interface without touching the repositories or their callers.
type Resolver interface {
	// Control is the store for control-plane data (tenants, API keys, settings).
	Control() Store
	// ForTenant returns the store for the tenant's data.
	ForTenant(ctx context.Context, t *identity.Tenant) (Store, error)
}

// Single is a Resolver backed by one Store for everything.
type Single struct{ S Store }

func (s Single) Control() Store { return s.S }
func (s Single) ForTenant(context.Context, *identity.Tenant) (Store, error) {
	return s.S, nil
}

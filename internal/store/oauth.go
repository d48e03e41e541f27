package store

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// OAuthRepos are the repositories of the OAuth/OIDC provider's state. All
// are tenant-scoped: every method takes the tenant ID and filters on it.
type OAuthRepos interface {
	AuthRequests() AuthRequestRepo
	Sessions() SessionRepo
	Consents() ConsentRepo
	RefreshTokens() RefreshTokenRepo
	DeviceAuthorizations() DeviceAuthorizationRepo
	PushedRequests() PushedRequestRepo
	SigningKeys() SigningKeyRepo
	Revocations() RevocationRepo
	OpaqueTokens() OpaqueTokenRepo
	ClientAssertions() ClientAssertionRepo
	DPoPProofs() DPoPProofRepo
}

// AuthRequestRepo stores authorization requests.
type AuthRequestRepo interface {
	// Create inserts r (ID generated if empty).
	Create(ctx context.Context, r *oauth.AuthRequest) error
	Get(ctx context.Context, tenantID, id string) (*oauth.AuthRequest, error)
	// GetByCode finds the request whose code hashes to codeHash.
	GetByCode(ctx context.Context, tenantID string, codeHash []byte) (*oauth.AuthRequest, error)
	// Update applies fn atomically; an error from fn aborts with nothing written.
	Update(ctx context.Context, tenantID, id string, fn func(*oauth.AuthRequest) error) (*oauth.AuthRequest, error)
	Delete(ctx context.Context, tenantID, id string) error
	// DeleteExpired removes requests (of every tenant) that expired before t.
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// SessionRepo stores browser sessions.
type SessionRepo interface {
	Create(ctx context.Context, s *oauth.Session) error
	Get(ctx context.Context, tenantID, id string) (*oauth.Session, error)
	GetByToken(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.Session, error)
	// ListByUser returns the user's sessions that are not revoked and not
	// past their absolute expiry, in ID order.
	ListByUser(ctx context.Context, tenantID, userID string, p Page) (items []oauth.Session, next string, err error)
	// Update applies fn atomically (re-authentication adds AMR, etc.).
	Update(ctx context.Context, tenantID, id string, fn func(*oauth.Session) error) (*oauth.Session, error)
	// Touch records activity; it never resurrects a revoked session.
	Touch(ctx context.Context, tenantID, id string, at time.Time, ip, userAgent string) error
	// Revoke sets RevokedAt (first revocation wins). ErrNotFound if absent.
	Revoke(ctx context.Context, tenantID, id string, at time.Time) error
	// RevokeAllForUser revokes every active session of the user; returns how many.
	RevokeAllForUser(ctx context.Context, tenantID, userID string, at time.Time) (int64, error)
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// ConsentRepo stores granted scopes per user and client.
type ConsentRepo interface {
	Get(ctx context.Context, tenantID, userID, clientID string) (*oauth.Consent, error)
	// Upsert creates or replaces the consent.
	Upsert(ctx context.Context, c *oauth.Consent) error
	// ListByUser pages by client ID.
	ListByUser(ctx context.Context, tenantID, userID string, p Page) (items []oauth.Consent, next string, err error)
	Delete(ctx context.Context, tenantID, userID, clientID string) error
}

// RefreshTokenRepo stores refresh tokens and their rotation families.
type RefreshTokenRepo interface {
	Create(ctx context.Context, t *oauth.RefreshToken) error
	Get(ctx context.Context, tenantID, id string) (*oauth.RefreshToken, error)
	GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.RefreshToken, error)
	// Rotate marks old as rotated and inserts next (same family) in one
	// transaction. If old is already rotated or revoked it writes nothing
	// and returns ErrReused: concurrent rotations of one token let exactly
	// one win.
	Rotate(ctx context.Context, tenantID, oldID string, next *oauth.RefreshToken, at time.Time) error
	// RevokeFamily revokes every token of the family; returns how many.
	RevokeFamily(ctx context.Context, tenantID, familyID string, at time.Time) (int64, error)
	// RevokeForUser revokes the user's tokens; clientID "" means all clients.
	RevokeForUser(ctx context.Context, tenantID, userID, clientID string, at time.Time) (int64, error)
	// RevokeForClient revokes every token of a client.
	RevokeForClient(ctx context.Context, tenantID, clientID string, at time.Time) (int64, error)
	// RevokeForSession revokes the tokens issued under a browser session.
	RevokeForSession(ctx context.Context, tenantID, sessionID string, at time.Time) (int64, error)
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// DeviceAuthorizationRepo stores RFC 8628 device authorizations.
type DeviceAuthorizationRepo interface {
	// Create inserts d; ErrConflict if its user code is taken by an
	// unexpired authorization of the tenant.
	Create(ctx context.Context, d *oauth.DeviceAuthorization) error
	GetByDeviceCode(ctx context.Context, tenantID string, deviceCodeHash []byte) (*oauth.DeviceAuthorization, error)
	GetByUserCode(ctx context.Context, tenantID, userCode string) (*oauth.DeviceAuthorization, error)
	// Update applies fn atomically, found by user code.
	Update(ctx context.Context, tenantID, userCode string, fn func(*oauth.DeviceAuthorization) error) (*oauth.DeviceAuthorization, error)
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// PushedRequestRepo stores RFC 9126 pushed authorization requests.
type PushedRequestRepo interface {
	Create(ctx context.Context, r *oauth.PushedRequest) error
	// Take returns the request and deletes it (request_uri is one-time).
	Take(ctx context.Context, tenantID, id string) (*oauth.PushedRequest, error)
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// SigningKeyRepo stores token-signing keys.
type SigningKeyRepo interface {
	Create(ctx context.Context, k *oauth.SigningKey) error
	// List returns all keys of the tenant, newest first (retired and
	// expired included: the caller decides what to publish).
	List(ctx context.Context, tenantID string) ([]oauth.SigningKey, error)
	// Retire sets RetiredAt and ExpiresAt of a key (first retirement wins).
	Retire(ctx context.Context, tenantID, id string, retiredAt, expiresAt time.Time) error
	Delete(ctx context.Context, tenantID, id string) error
	// ListTenantsWithKeys returns the IDs of tenants that have keys (for
	// background rotation).
	ListTenantsWithKeys(ctx context.Context) ([]string, error)
	// Locked runs fn in one transaction that holds the tenant's key lock,
	// with a repository bound to that transaction: nodes that create or
	// rotate a tenant's keys at the same time take turns, so each sees the
	// other's keys and the tenant ends with one active key per algorithm.
	// Only key changes take the lock; reads never wait for it.
	Locked(ctx context.Context, tenantID string, fn func(keys SigningKeyRepo) error) error
}

// RevocationRepo stores access-token revocations.
type RevocationRepo interface {
	// Add inserts or replaces (tenant, kind, key), keeping the later NotBefore.
	Add(ctx context.Context, r *oauth.Revocation) error
	// Since returns every revocation of every tenant created at or after t,
	// oldest first, for caches to catch up.
	Since(ctx context.Context, t time.Time) ([]oauth.Revocation, error)
	// Get returns one entry, or ErrNotFound.
	Get(ctx context.Context, tenantID string, kind oauth.RevocationKind, key string) (*oauth.Revocation, error)
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// OpaqueTokenRepo stores opaque access tokens.
type OpaqueTokenRepo interface {
	Create(ctx context.Context, t *oauth.OpaqueToken) error
	GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.OpaqueToken, error)
	Revoke(ctx context.Context, tenantID, id string, at time.Time) error
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// ClientAssertionRepo remembers the jti of each private_key_jwt client
// assertion (RFC 7523) until the assertion expires, so that every node
// accepts an assertion once.
type ClientAssertionRepo interface {
	// Use records the client's assertion jti (its hash) until expiresAt.
	// ErrReused if the client used it before and that use has not expired
	// at now; an expired earlier use is replaced. ErrNotFound for an
	// unknown client.
	Use(ctx context.Context, tenantID, clientID string, jtiHash []byte, expiresAt, now time.Time) error
	// DeleteExpired removes uses (of every tenant) that expired before t.
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// DPoPProofRepo remembers used DPoP proofs (RFC 9449 11.1) until they
// could no longer be accepted, so that every node accepts a proof once.
type DPoPProofRepo interface {
	// Use records the proof's key (a hash of its key thumbprint and jti)
	// until expiresAt. ErrReused if it is held and unexpired at now; an
	// expired earlier use is replaced.
	Use(ctx context.Context, tenantID string, key []byte, expiresAt, now time.Time) error
	// DeleteExpired removes uses (of every tenant) that expired before t.
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

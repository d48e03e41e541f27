package store

import (
	"context"
	"time"
)

// SAMLRepos are the SAML identity provider's repositories.
type SAMLRepos interface {
	SAMLServiceProviders() SAMLServiceProviderRepo
	SAMLRequestIDs() SAMLRequestIDRepo
	SAMLCerts() SAMLCertRepo
	SAMLSessions() SAMLSessionRepo
}

// SAML NameID formats a service provider can be given.
const (
	NameIDEmail       = "emailAddress"
	NameIDPersistent  = "persistent"
	NameIDTransient   = "transient"
	NameIDUnspecified = "unspecified"
)

// SAMLServiceProvider is a SAML 2.0 service provider registered with a
// tenant's identity provider. Entity ID, ACS and SLO URLs and certificates
// come from its metadata or were given explicitly; the rest is policy.
type SAMLServiceProvider struct {
	TenantID string
	ID       string // UUIDv7, the sp_id
	Name     string
	EntityID string // unique in the tenant
	ACSURLs  []string
	SLOURL   string // "" when none
	// SOAPSLOURL is the SingleLogoutService with the SOAP binding its
	// metadata declares (back-channel logout); "" when none.
	SOAPSLOURL string
	// MetadataURL is where the metadata was read from; "" when none.
	MetadataURL    string
	SigningCerts   []string // PEM; verify signed AuthnRequests
	EncryptionCert string   // PEM; "" when none
	NameIDFormat   string   // NameIDEmail, …
	// Attributes maps SAML attribute names to user fields or custom
	// attribute keys.
	Attributes            map[string]string
	SignResponse          bool
	SignAssertion         bool
	EncryptAssertion      bool
	RequireSignedRequests bool
	AllowIdPInitiated     bool
	SessionLifetime       time.Duration // whole seconds
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int64
}

// SAMLServiceProviderRepo stores a tenant's SAML service providers.
type SAMLServiceProviderRepo interface {
	// Create inserts sp, setting ID (if empty), timestamps and Version.
	// ErrConflict if the entity ID is registered in the tenant.
	Create(ctx context.Context, sp *SAMLServiceProvider) error
	Get(ctx context.Context, tenantID, id string) (*SAMLServiceProvider, error)
	// GetByEntityID finds the tenant's service provider with that exact
	// entity ID, or ErrNotFound.
	GetByEntityID(ctx context.Context, tenantID, entityID string) (*SAMLServiceProvider, error)
	List(ctx context.Context, tenantID string, p Page) (items []SAMLServiceProvider, next string, err error)
	// Update as TenantRepo.Update; ErrConflict if the new entity ID is taken.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*SAMLServiceProvider) error) (*SAMLServiceProvider, error)
	// Delete removes the service provider and its used request IDs.
	Delete(ctx context.Context, tenantID, id string) error
}

// SAMLRequestIDRepo remembers the IDs of the AuthnRequests (their hashes)
// each service provider sent until they could no longer be fresh, so every
// node accepts a request once.
type SAMLRequestIDRepo interface {
	// Use records the request ID hash until expiresAt. ErrReused if the
	// service provider used it before and that use has not expired at now;
	// an expired earlier use is replaced. ErrNotFound for an unknown
	// service provider.
	Use(ctx context.Context, tenantID, spID string, idHash []byte, expiresAt, now time.Time) error
	// DeleteExpired removes uses (of every tenant) that expired before t.
	DeleteExpired(ctx context.Context, before time.Time) (int64, error)
}

// SAMLCert is one of a tenant's SAML signing certificates. A new one is
// announced (ActivatedAt nil: metadata lists it, nothing is signed with
// it), then activated (it signs; the previous one is retired), and a
// retired one leaves metadata.
type SAMLCert struct {
	TenantID    string
	ID          string
	Private     []byte // sealed PKCS#8
	CertDER     []byte // the self-signed X.509 certificate
	CreatedAt   time.Time
	ActivatedAt *time.Time
	RetiredAt   *time.Time
}

// SAMLCertRepo stores SAML signing certificates.
type SAMLCertRepo interface {
	Create(ctx context.Context, c *SAMLCert) error
	// List returns the tenant's certificates that are not retired, newest
	// first.
	List(ctx context.Context, tenantID string) ([]SAMLCert, error)
	// Activate sets ActivatedAt (the first activation wins).
	Activate(ctx context.Context, tenantID, id string, at time.Time) error
	// Retire sets RetiredAt (the first retirement wins).
	Retire(ctx context.Context, tenantID, id string, at time.Time) error
	// Locked runs fn in one transaction holding the tenant's key lock (the
	// one SigningKeyRepo.Locked takes), so nodes that create or rotate a
	// tenant's certificates at once take turns.
	Locked(ctx context.Context, tenantID string, fn func(certs SAMLCertRepo) error) error
}

// SAMLSession records that a Gatehouse session signed into a service
// provider (a session participant, for single logout): the NameID and the
// SessionIndex of the assertion the SP was sent.
type SAMLSession struct {
	TenantID     string
	SessionID    string
	SPID         string
	NameID       string
	NameIDFormat string // the SAML URI; "" when unknown
	SessionIndex string
	CreatedAt    time.Time
}

// SAMLSessionRepo stores the service providers each session signed into.
// Rows go when their session or their service provider is deleted.
type SAMLSessionRepo interface {
	// Record stores p, replacing the NameID, format and SessionIndex of an
	// earlier sign-in of the same session into the same SP. ErrNotFound
	// if the session or the service provider does not exist.
	Record(ctx context.Context, p *SAMLSession) error
	// ListBySession returns the session's participants, by SP ID.
	ListBySession(ctx context.Context, tenantID, sessionID string) ([]SAMLSession, error)
	// FindBySP returns the sessions that signed into the SP with that
	// NameID and, if sessionIndexes is not empty, one of those
	// SessionIndexes (a LogoutRequest's principal), at most 100.
	FindBySP(ctx context.Context, tenantID, spID, nameID string, sessionIndexes []string) ([]SAMLSession, error)
	// DeleteBySession forgets the session's participants (it was logged
	// out); deleting none is not an error.
	DeleteBySession(ctx context.Context, tenantID, sessionID string) error
}

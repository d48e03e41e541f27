package oidc

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Each grant reaches the store through the few methods it needs, named
// here with the contract it relies on (ory/fosite's handler/oauth2
// storage.go style). Every lookup returns store.ErrNotFound for an
// unknown key and any other error only when the store failed; the grants
// answer the first with the grant's OAuth error and the second with
// server_error (serverError).

// codeStore is the authorization code grant's (code.go).
type codeStore interface {
	// GetByCode finds the request whose code hashes to codeHash.
	GetByCode(ctx context.Context, tenantID string, codeHash []byte) (*oauth.AuthRequest, error)
	Get(ctx context.Context, tenantID, id string) (*oauth.AuthRequest, error)
	// Update applies fn atomically; fn's error aborts it and is returned
	// as is, which is how a concurrent redemption is detected.
	Update(ctx context.Context, tenantID, id string, fn func(*oauth.AuthRequest) error) (*oauth.AuthRequest, error)
}

// refreshStore is the refresh token grant's (refresh.go), and what the
// code grant needs to revoke a replayed code's family.
type refreshStore interface {
	GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.RefreshToken, error)
	// Rotate returns store.ErrReused when old was rotated or revoked
	// meanwhile: of two concurrent uses exactly one wins.
	Rotate(ctx context.Context, tenantID, oldID string, next *oauth.RefreshToken, at time.Time) error
	Create(ctx context.Context, t *oauth.RefreshToken) error
	RevokeFamily(ctx context.Context, tenantID, familyID string, at time.Time) (int64, error)
}

// deviceStore is the device grant's polling (device.go).
type deviceStore interface {
	GetByDeviceCode(ctx context.Context, tenantID string, deviceCodeHash []byte) (*oauth.DeviceAuthorization, error)
	// Update applies fn atomically to the authorization found by user
	// code; fn's error aborts it and is returned as is.
	Update(ctx context.Context, tenantID, userCode string, fn func(*oauth.DeviceAuthorization) error) (*oauth.DeviceAuthorization, error)
}

// Interface guards: the store's repositories meet each flow's needs.
var (
	_ codeStore    = store.AuthRequestRepo(nil)
	_ refreshStore = store.RefreshTokenRepo(nil)
	_ deviceStore  = store.DeviceAuthorizationRepo(nil)
)

// codes, refreshes and devices give a flow its narrow view of the
// tenant's store.
func codes(t *tenancy.Tenant) codeStore        { return t.Store.AuthRequests() }
func refreshes(t *tenancy.Tenant) refreshStore { return t.Store.RefreshTokens() }
func devices(t *tenancy.Tenant) deviceStore    { return t.Store.DeviceAuthorizations() }

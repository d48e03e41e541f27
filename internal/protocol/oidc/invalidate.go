package oidc

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/cluster"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// Changes announced by the cluster bus (internal/cluster): another node, or
// this one, changed a client, stored a revocation or disabled a user, and
// this node drops what it cached about it. The caches' TTLs and the
// revocation list's poll stay as the backstop for a node that missed it.

// Invalidate applies one announced change to the provider's caches
// (clients and their tenant's CORS origins, what clients may get of
// APIs) and the token service's (the revocation list and verified
// tokens). Tenants and signing keys belong to their own caches
// (tenancy.Resolver, keys.Manager), which the caller updates.
func (p *Provider) Invalidate(ctx context.Context, e cluster.Event) {
	switch e.Kind {
	case cluster.ClientChanged:
		p.clients.invalidate(e.Tenant, e.ID)
		p.origins.Invalidate(e.Tenant)
	case cluster.RevocationAdded:
		p.tokens.RevocationAdded(ctx, e.Tenant, oauth.RevocationKind(e.RevKind), e.ID)
	case cluster.UserChanged:
		p.tokens.UserChanged(e.Tenant, e.ID)
	case cluster.TenantChanged:
		p.origins.Invalidate(e.Tenant)
	case cluster.APIsChanged:
		p.apis.Invalidate(e.Tenant)
		p.rar.invalidate(e.Tenant)
	case cluster.Resync:
		p.clients.c.InvalidateAll()
		p.apis.InvalidateAll()
		p.rar.invalidateAll()
		p.origins.InvalidateAll()
		p.tokens.Resync(ctx)
	}
}

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

// Invalidate applies one announced change to the provider's caches:
// clients and their tenant's CORS origins, the revocation list and
// verified tokens. Tenants and signing keys belong to their own caches
// (tenancy.Resolver, keys.Manager), which the caller updates.
func (p *Provider) Invalidate(ctx context.Context, e cluster.Event) {
	switch e.Kind {
	case cluster.ClientChanged:
		p.clients.invalidate(e.Tenant, e.ID)
		p.origins.Invalidate(e.Tenant)
	case cluster.RevocationAdded:
		p.revocationAdded(ctx, e.Tenant, oauth.RevocationKind(e.RevKind), e.ID)
	case cluster.UserChanged:
		p.dropVerified(func(at *accessToken) bool { return at.UserID == e.ID }, e.Tenant)
	case cluster.TenantChanged:
		p.origins.Invalidate(e.Tenant)
	case cluster.APIsChanged:
		p.apis.invalidate(e.Tenant)
	case cluster.Resync:
		p.clients.c.InvalidateAll()
		p.apis.c.InvalidateAll()
		p.origins.InvalidateAll()
		p.verified.InvalidateAll()
		p.revoked.refresh(ctx, true)
	}
}

// revocationAdded reads the announced entry and applies it at once. The
// entry is read by its key, not by time: the list's own poll goes by
// creation time, which nodes with skewed clocks or slow commits can leave
// behind it. If the read fails the poll is forced instead.
func (p *Provider) revocationAdded(ctx context.Context, tenantID string, kind oauth.RevocationKind, key string) {
	r, err := p.revoked.control().Revocations().Get(ctx, tenantID, kind, key)
	if err != nil {
		p.log.WarnContext(ctx, "reading an announced revocation failed; reloading the list", "tenant_id", tenantID, "err", err)
		p.revoked.refresh(ctx, true)
		return
	}
	p.revoked.mu.Lock()
	p.revoked.put(*r)
	p.revoked.mu.Unlock()
}

// dropVerified forgets the tenant's verified tokens that match, so the next
// presentation is checked again.
func (p *Provider) dropVerified(match func(*accessToken) bool, tenantID string) {
	prefix := tenantID + "\x00"
	for k, at := range p.verified.All() {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix && match(at) {
			p.verified.Invalidate(k)
		}
	}
}

package oidc

import (
	"context"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The engine's storage interface asks for the same client several times per
// request, and every request needs its tenant: both are cached briefly.
// Admin changes invalidate the local entry at once; other nodes see them
// within the TTL.

type tenantCache struct {
	admin *directory.Service
	c     *otter.Cache[string, *Tenant]
}

func newTenantCache(a *directory.Service, ttl time.Duration) *tenantCache {
	return &tenantCache{admin: a, c: otter.Must(&otter.Options[string, *Tenant]{
		MaximumSize:      10_000,
		ExpiryCalculator: otter.ExpiryWriting[string, *Tenant](ttl),
	})}
}

func (tc *tenantCache) get(ctx context.Context, slug, rootIssuer string) (*Tenant, error) {
	if t, ok := tc.c.GetIfPresent(slug); ok {
		return t, nil
	}
	sc, err := tc.admin.Resolve(ctx, slug)
	if err != nil {
		return nil, err
	}
	if slug != "" && sc.Tenant.Slug != slug { // looked up by ID: only slugs name issuers
		return nil, store.ErrNotFound
	}
	t := &Tenant{Tenant: sc.Tenant, Store: sc.Store, Issuer: rootIssuer}
	if slug != "" && slug != identity.DefaultTenantSlug {
		t.Base = TenantPrefix + "/" + slug
		t.Issuer = strings.TrimSuffix(rootIssuer, "/") + t.Base
	}
	tc.c.Set(slug, t)
	return t, nil
}

type clientCache struct {
	p *Provider
	c *otter.Cache[string, *client]
}

func newClientCache(p *Provider, ttl time.Duration) *clientCache {
	return &clientCache{p: p, c: otter.Must(&otter.Options[string, *client]{
		MaximumSize:      100_000,
		ExpiryCalculator: otter.ExpiryWriting[string, *client](ttl),
	})}
}

func (cc *clientCache) get(ctx context.Context, t *Tenant, id string) (*client, error) {
	key := t.ID + "\x00" + id
	if c, ok := cc.c.GetIfPresent(key); ok {
		return c, nil
	}
	ic, err := t.Store.Clients().Get(ctx, t.ID, id)
	if err != nil {
		return nil, err
	}
	c := newClient(ctx, cc.p, t, ic)
	cc.c.Set(key, c)
	return c, nil
}

func (cc *clientCache) invalidate(tenantID, id string) { cc.c.Invalidate(tenantID + "\x00" + id) }

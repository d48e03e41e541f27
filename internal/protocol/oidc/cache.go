package oidc

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/maypok86/otter/v2"
)

// The engine's storage interface asks for the same client several times per
// request, and every request needs its tenant: both are cached briefly.
// Admin changes invalidate the local entry at once; other nodes drop theirs
// when PostgreSQL announces the change (invalidate.go, internal/cluster),
// with the TTL as the backstop.

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

func (cc *clientCache) get(ctx context.Context, t *tenancy.Tenant, id string) (*client, error) {
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

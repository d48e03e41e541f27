// Package tenancy is the request's tenant: the tenant record, the store
// holding its data, its issuer and its base URL path. It is resolved once
// per request (by slug, from the path) and read from the context by every
// transport package, so no package keeps its own tenant type or lookup.
package tenancy

import (
	"context"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Prefix is the path under which named tenants' issuers and pages live:
// {issuer}/t/{slug}/…. The default tenant lives at the root.
const Prefix = "/t"

// Tenant is the tenant a request is for, with its store and issuer.
type Tenant struct {
	*identity.Tenant
	Store  store.Store
	Issuer string
	// Base is the path prefix of the tenant's endpoints ("" or /t/{slug}).
	Base string
}

// PathSlug is the tenant's slug as it appears in paths: "" for the default
// tenant.
func (t *Tenant) PathSlug() string {
	if t.Base == "" {
		return ""
	}
	return t.Tenant.Slug
}

type ctxKey struct{}

// From returns the request's tenant, nil outside a tenant-resolved request.
func From(ctx context.Context) *Tenant {
	t, _ := ctx.Value(ctxKey{}).(*Tenant)
	return t
}

// With returns ctx carrying t.
func With(ctx context.Context, t *Tenant) context.Context {
	return context.WithValue(ctx, ctxKey{}, t)
}

// Resolver finds tenants by slug, caching them briefly: every request needs
// its tenant. Admin changes invalidate the local entry at once; other nodes
// drop theirs when the cluster bus announces the change (PostgreSQL), or
// within the TTL.
type Resolver struct {
	dir    Directory
	issuer string
	c      *otter.Cache[string, *Tenant]
}

// Directory looks a tenant up by slug or ID ("" for the default) and
// picks its store (directory.Service).
type Directory interface {
	Resolve(ctx context.Context, tenant string) (*Tenant, error)
}

// NewResolver returns a resolver for tenants under the root issuer.
func NewResolver(dir Directory, rootIssuer string, ttl time.Duration) *Resolver {
	return &Resolver{dir: dir, issuer: rootIssuer, c: otter.Must(&otter.Options[string, *Tenant]{
		MaximumSize:      10_000,
		ExpiryCalculator: otter.ExpiryWriting[string, *Tenant](ttl),
	})}
}

// Resolve finds a tenant by slug ("" for the default). It answers
// store.ErrNotFound for an unknown slug, and for a tenant ID: only slugs
// name issuers.
func (r *Resolver) Resolve(ctx context.Context, slug string) (*Tenant, error) {
	if t, ok := r.c.GetIfPresent(slug); ok {
		return t, nil
	}
	sc, err := r.dir.Resolve(ctx, slug)
	if err != nil {
		return nil, err
	}
	if slug != "" && sc.Tenant.Slug != slug {
		return nil, store.ErrNotFound
	}
	t := Of(sc.Tenant, sc.Store, r.issuer)
	r.c.Set(slug, t)
	return t, nil
}

// Of is the request tenant of a tenant record: its issuer and base path
// follow from its slug under the root issuer. Every resolution builds it
// here, cached or not, so no caller holds a tenant without them.
func Of(rec *identity.Tenant, st store.Store, rootIssuer string) *Tenant {
	t := &Tenant{Tenant: rec, Store: st, Issuer: rootIssuer}
	if rec.Slug != identity.DefaultTenantSlug {
		t.Base = Prefix + "/" + rec.Slug
		t.Issuer = strings.TrimSuffix(rootIssuer, "/") + t.Base
	}
	return t
}

// Invalidate drops a cached tenant, after an admin change to it (on this
// node, or on another as the cluster bus announces).
func (r *Resolver) Invalidate(slug string) { r.c.Invalidate(slug) }

// InvalidateAll drops every cached tenant (the cluster bus may have missed
// changes).
func (r *Resolver) InvalidateAll() { r.c.InvalidateAll() }

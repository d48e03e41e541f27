package adminapi

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Every Admin API operation acts on one tenant: the {tenant} of
// /admin/v1/tenants/{tenant}/…, or the default tenant on the paths
// without one. tenantMiddleware resolves it once, checks that the caller
// may act on it, and leaves it in the context (tenancy.From), so no
// handler looks a tenant up or maps the lookup's errors. It reads the
// directory, not the protocol's cached tenancy.Resolver: a tenant's
// record and ETag must be current here, and admins may name a tenant by
// its ID as well as its slug.

// platformOps act on the tenant collection and need a platform credential
// before any tenant is resolved; DeleteTenant resolves its own.
var platformOps = []string{"listTenants", "createTenant", "deleteTenant"}

func (b *base) tenantMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if slices.Contains(platformOps, restapi.Operation(ctx)) {
			next.ServeHTTP(w, r)
			return
		}
		t, err := b.resolve(ctx, restapi.PathParam(ctx, "tenant"))
		if err != nil {
			httpx.WriteProblem(w, r, restapi.Problem(err))
			return
		}
		next.ServeHTTP(w, r.WithContext(tenancy.With(ctx, t)))
	})
}

// resolve finds a tenant by slug or ID ("" for the default) and checks
// that the caller may act on it.
func (b *base) resolve(ctx context.Context, tenant string) (*tenancy.Tenant, error) {
	p := principalFrom(ctx)
	denied := httpx.Forbidden("This credential may not act on that tenant.")
	sc, err := b.svc.Resolve(ctx, tenant)
	if errors.Is(err, store.ErrNotFound) && p != nil && p.TenantID != "" {
		return nil, denied // a tenant-bound key learns nothing about other tenants
	}
	if err != nil {
		return nil, err
	}
	if p == nil || !p.CanAccessTenant(sc.Tenant) {
		return nil, denied
	}
	return tenancy.Of(sc.Tenant, sc.Store, b.provider.Issuer()), nil
}

// requirePlatform rejects callers bound to a single tenant.
func requirePlatform(ctx context.Context) error {
	if p := principalFrom(ctx); p == nil || p.TenantID != "" {
		return httpx.Forbidden("Only platform credentials may manage tenants.")
	}
	return nil
}

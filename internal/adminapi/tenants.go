package adminapi

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

func (a *Tenants) ListTenants(ctx context.Context, r gen.ListTenantsRequestObject) (gen.ListTenantsResponseObject, error) {
	if err := requirePlatform(ctx); err != nil {
		return nil, err
	}
	pg, err := restapi.Page(r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	items, next, err := a.svc.ListTenants(ctx, pg)
	if err != nil {
		return nil, err
	}
	out := gen.ListTenants200JSONResponse{Items: make([]gen.Tenant, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = TenantJSON(&items[i])
	}
	return out, nil
}

func (a *Tenants) CreateTenant(ctx context.Context, r gen.CreateTenantRequestObject) (gen.CreateTenantResponseObject, error) {
	if err := requirePlatform(ctx); err != nil {
		return nil, err
	}
	in := r.Body
	t := &identity.Tenant{Slug: in.Slug, DisplayName: restapi.Val(in.DisplayName), Region: restapi.Val(in.Region)}
	if t.DisplayName == "" {
		t.DisplayName = t.Slug
	}
	applyBranding(&t.Branding, in.Branding)
	applyOnboarding(&t.Onboarding, in.Onboarding)
	if err := applyMFAPolicy(&t.MFA, in.Mfa, a.now()); err != nil {
		return nil, err
	}
	if err := applyRetention(&t.Retention, in.Retention); err != nil {
		return nil, err
	}
	t.Residency = residencyFrom(in.Residency)
	if in.AttributeSchema != nil {
		b, err := json.Marshal(in.AttributeSchema)
		if err != nil {
			return nil, err
		}
		t.AttributeSchema = b
	}
	if err := a.svc.CreateTenant(ctx, t); err != nil {
		return nil, err
	}
	a.recordAdmin(ctx, t.ID, "tenant.created", "", map[string]any{"slug": t.Slug})
	loc := "/admin/v1/tenants/" + t.Slug
	return gen.CreateTenant201JSONResponse{Body: TenantJSON(t), Headers: gen.CreateTenant201ResponseHeaders{ETag: restapi.ETag(t.Version), Location: &loc}}, nil
}

func (a *Tenants) GetTenant(ctx context.Context, r gen.GetTenantRequestObject) (gen.GetTenantResponseObject, error) {
	sc := tenancy.From(ctx)
	return gen.GetTenant200JSONResponse{Body: TenantJSON(sc.Tenant), Headers: gen.GetTenant200ResponseHeaders{ETag: restapi.ETag(sc.Tenant.Version)}}, nil
}

func (a *Tenants) UpdateTenant(ctx context.Context, r gen.UpdateTenantRequestObject) (gen.UpdateTenantResponseObject, error) {
	version, in, err := restapi.Patch(r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	if in.Region != nil {
		// Moving a tenant's data between regions is a migration, not a field edit.
		if err := requirePlatform(ctx); err != nil {
			return nil, err
		}
	}
	defaultAPI, err := a.checkDefaultAPI(ctx, r.Tenant, in.DefaultAPI)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.UpdateTenant(ctx, r.Tenant, version, func(t *identity.Tenant) error {
		if in.DisplayName != nil {
			t.DisplayName = *in.DisplayName
		}
		if in.Region != nil {
			t.Region = *in.Region
		}
		applyBranding(&t.Branding, in.Branding)
		applyOnboarding(&t.Onboarding, in.Onboarding)
		if err := applyMFAPolicy(&t.MFA, in.Mfa, a.now()); err != nil {
			return err
		}
		if err := applyRetention(&t.Retention, in.Retention); err != nil {
			return err
		}
		if in.DefaultAPI.IsSpecified() {
			t.DefaultAPI = defaultAPI
		}
		if err := applyDCR(&t.DCR, in.Dcr, in.DcrRequireSoftwareStatement, in.DcrSoftwareStatementJwks); err != nil {
			return err
		}
		if in.Residency.IsSpecified() {
			t.Residency = identity.Residency{}
			if !in.Residency.IsNull() {
				p, _ := in.Residency.Get()
				t.Residency = residencyFrom(&p)
			}
		}
		if in.AttributeSchema.IsSpecified() {
			t.AttributeSchema = nil
			if !in.AttributeSchema.IsNull() {
				s, _ := in.AttributeSchema.Get()
				b, err := json.Marshal(s)
				if err != nil {
					return err
				}
				t.AttributeSchema = b
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The protocol endpoints see the change at once on this node (the
	// registration endpoint and discovery follow the tenant's dcr).
	a.provider.InvalidateTenant(t.Slug)
	if t.Slug == identity.DefaultTenantSlug {
		a.provider.InvalidateTenant("")
	}
	a.recordAdmin(ctx, t.ID, "tenant.updated", "", map[string]any{"slug": t.Slug})
	return gen.UpdateTenant200JSONResponse{Body: TenantJSON(t), Headers: gen.UpdateTenant200ResponseHeaders{ETag: restapi.ETag(t.Version)}}, nil
}

func (a *Tenants) DeleteTenant(ctx context.Context, r gen.DeleteTenantRequestObject) (gen.DeleteTenantResponseObject, error) {
	if err := requirePlatform(ctx); err != nil {
		return nil, err
	}
	sc, err := a.resolve(ctx, r.Tenant)
	if err != nil {
		return nil, err
	}
	// The tenant's own audit chain goes with it: the deletion is recorded
	// in the default tenant's, the platform's, where the caller's
	// credential lives (requirePlatform).
	platform, err := a.resolve(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := a.svc.DeleteTenant(ctx, r.Tenant); err != nil {
		return nil, err
	}
	a.provider.InvalidateTenant(sc.Tenant.Slug)
	a.recordAdmin(ctx, platform.Tenant.ID, "tenant.deleted", "", map[string]any{"slug": sc.Tenant.Slug, "tenant_id": sc.Tenant.ID})
	return gen.DeleteTenant204Response{}, nil
}

// checkDefaultAPI returns the default API a patch sets ("" to clear it);
// the identifier must be one of the tenant's APIs. It reads before the
// update's transaction, as the tenant's other checks do.
func (a *Tenants) checkDefaultAPI(ctx context.Context, tenant string, in nullable.Nullable[string]) (string, error) {
	if !in.IsSpecified() || in.IsNull() {
		return "", nil
	}
	id, _ := in.Get()
	sc, err := a.resolve(ctx, tenant)
	if err != nil {
		return "", err
	}
	_, err = sc.Store.APIs().GetByIdentifier(ctx, sc.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", httpx.Validation("The default API is not an API of this tenant.",
			httpx.FieldError{Field: "/default_api", Message: "no API with the identifier " + id + " in this tenant"})
	}
	return id, err
}

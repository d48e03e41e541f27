package accountapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Organizations lists the organizations the caller is a member of.
type Organizations struct{ *base }

func (a *Organizations) listMyOrganizations(ctx context.Context, tenant string, limit *int, cursor *string) (gen.AccountOrganizationList, error) {
	acct, err := me(ctx, tenant)
	if err != nil {
		return gen.AccountOrganizationList{}, err
	}
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.AccountOrganizationList{}, err
	}
	t := tenancy.From(ctx)
	items, next, err := t.Store.Organizations().ListForUser(ctx, t.ID, acct.token.UserID, pg)
	if err != nil {
		return gen.AccountOrganizationList{}, err
	}
	out := gen.AccountOrganizationList{Items: make([]gen.AccountOrganization, len(items)), NextCursor: restapi.NextCursor(next)}
	for i, o := range items {
		out.Items[i] = gen.AccountOrganization{ID: o.ID, Name: o.Name, DisplayName: o.DisplayName}
	}
	return out, nil
}

func (a *Organizations) ListMyOrganizations(ctx context.Context, r gen.ListMyOrganizationsRequestObject) (gen.ListMyOrganizationsResponseObject, error) {
	out, err := a.listMyOrganizations(ctx, "", r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListMyOrganizations200JSONResponse(out), nil
}

func (a *Organizations) ListTenantMyOrganizations(ctx context.Context, r gen.ListTenantMyOrganizationsRequestObject) (gen.ListTenantMyOrganizationsResponseObject, error) {
	out, err := a.listMyOrganizations(ctx, r.Tenant, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantMyOrganizations200JSONResponse(out), nil
}

package authzapi

import (
	"context"
	"errors"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Invitations into organizations: the mail (internal/accounts) links to
// the hosted login's accept page, {issuer}/invite/organization.

func orgInvitationJSON(inv *store.OrgInvitation) gen.OrganizationInvitation {
	return gen.OrganizationInvitation{ID: inv.ID, OrgID: inv.OrgID, Email: openapi_types.Email(inv.Email),
		Roles: nonNil(inv.RoleIDs), CreatedAt: inv.CreatedAt.UTC(), ExpiresAt: inv.ExpiresAt.UTC()}
}

var errNoAccounts = errors.New("authzapi: no accounts service configured (Organizations.Accounts)")

func (a *Organizations) listInvitations(ctx context.Context, orgID string, limit *int, cursor *string) (gen.OrganizationInvitationList, error) {
	items, next, err := listedUnder(ctx, limit, cursor, org(ctx, orgID), func(sc *tenancy.Tenant, pg store.Page) ([]store.OrgInvitation, string, error) {
		return sc.Store.OrgInvitations().ListPending(ctx, sc.Tenant.ID, orgID, time.Now(), pg)
	}, orgInvitationJSON)
	return gen.OrganizationInvitationList{Items: items, NextCursor: next}, err
}

func (a *Organizations) createInvitation(ctx context.Context, orgID string, in *gen.OrganizationInvitationCreate) (gen.OrganizationInvitation, error) {
	sc := tenancy.From(ctx)
	if a.Accounts == nil {
		return gen.OrganizationInvitation{}, httpx.Internal(errNoAccounts)
	}
	if in == nil {
		return gen.OrganizationInvitation{}, httpx.Validation("A request body is required.")
	}
	o, err := sc.Store.Organizations().Get(ctx, sc.Tenant.ID, orgID)
	if err != nil {
		return gen.OrganizationInvitation{}, err
	}
	name := sc.Tenant.DisplayName
	if name == "" {
		name = sc.Tenant.Slug
	}
	inv, err := a.Accounts.InviteToOrganization(ctx, accounts.Target{Scope: sc, Name: name}, sc.Issuer+"/invite/organization",
		accounts.OrgInvitee{Org: o, Email: string(in.Email), Roles: restapi.Val(in.Roles),
			TTL: time.Duration(restapi.Val(in.ExpiresInSeconds)) * time.Second})
	if err != nil {
		return gen.OrganizationInvitation{}, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "organization.invitation_created", "", map[string]any{"org_id": orgID, "invitation_id": inv.ID, "roles": nonNil(inv.RoleIDs)})
	return orgInvitationJSON(inv), nil
}

func (a *Organizations) deleteInvitation(ctx context.Context, orgID, id string) error {
	return audited(ctx, a.Base, "organization.invitation_deleted", "", map[string]any{"org_id": orgID, "invitation_id": id}, func(sc *tenancy.Tenant) error {
		return sc.Store.OrgInvitations().Delete(ctx, sc.Tenant.ID, orgID, id)
	})
}

func (a *Organizations) ListOrganizationInvitations(ctx context.Context, r gen.ListOrganizationInvitationsRequestObject) (gen.ListOrganizationInvitationsResponseObject, error) {
	return answer(func(out gen.OrganizationInvitationList) gen.ListOrganizationInvitationsResponseObject {
		return gen.ListOrganizationInvitations200JSONResponse(out)
	})(a.listInvitations(ctx, r.OrgID, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) CreateOrganizationInvitation(ctx context.Context, r gen.CreateOrganizationInvitationRequestObject) (gen.CreateOrganizationInvitationResponseObject, error) {
	return answer(func(out gen.OrganizationInvitation) gen.CreateOrganizationInvitationResponseObject {
		return gen.CreateOrganizationInvitation201JSONResponse(out)
	})(a.createInvitation(ctx, r.OrgID, r.Body))
}

func (a *Organizations) DeleteOrganizationInvitation(ctx context.Context, r gen.DeleteOrganizationInvitationRequestObject) (gen.DeleteOrganizationInvitationResponseObject, error) {
	return done[gen.DeleteOrganizationInvitationResponseObject](gen.DeleteOrganizationInvitation204Response{}, a.deleteInvitation(ctx, r.OrgID, r.InvitationID))
}

func (a *Organizations) ListTenantOrganizationInvitations(ctx context.Context, r gen.ListTenantOrganizationInvitationsRequestObject) (gen.ListTenantOrganizationInvitationsResponseObject, error) {
	return answer(func(out gen.OrganizationInvitationList) gen.ListTenantOrganizationInvitationsResponseObject {
		return gen.ListTenantOrganizationInvitations200JSONResponse(out)
	})(a.listInvitations(ctx, r.OrgID, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) CreateTenantOrganizationInvitation(ctx context.Context, r gen.CreateTenantOrganizationInvitationRequestObject) (gen.CreateTenantOrganizationInvitationResponseObject, error) {
	return answer(func(out gen.OrganizationInvitation) gen.CreateTenantOrganizationInvitationResponseObject {
		return gen.CreateTenantOrganizationInvitation201JSONResponse(out)
	})(a.createInvitation(ctx, r.OrgID, r.Body))
}

func (a *Organizations) DeleteTenantOrganizationInvitation(ctx context.Context, r gen.DeleteTenantOrganizationInvitationRequestObject) (gen.DeleteTenantOrganizationInvitationResponseObject, error) {
	return done[gen.DeleteTenantOrganizationInvitationResponseObject](gen.DeleteTenantOrganizationInvitation204Response{}, a.deleteInvitation(ctx, r.OrgID, r.InvitationID))
}

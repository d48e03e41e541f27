package authzapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Organizations serves the tenant's organizations (B2B), their members
// and the members' roles in them (issue 14).
type Organizations struct {
	*resource.Base
	// Accounts mails invitations into organizations (orginvitations.go);
	// nil makes those operations fail with 500.
	Accounts *accounts.Service
}

// OrganizationJSON renders an organization.
func OrganizationJSON(o *store.Organization) gen.Organization {
	return gen.Organization{ID: o.ID, Name: o.Name, DisplayName: o.DisplayName,
		Branding:    gen.Branding{LogoURI: restapi.Ptr(o.LogoURI), PrimaryColor: restapi.Ptr(o.PrimaryColor)},
		Connections: nonNil(o.Connections), Domains: nonNil(o.Domains),
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version}
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// orgProblem maps an organization repository's refusal.
func orgProblem(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return httpx.Conflict("An organization with this name already exists in the tenant.")
	}
	return err
}

// setOrgFields applies what a create or a patch names, checking the
// branding (shown on the login page), that each connection exists in
// the tenant, and storing domains in lower case, each once.
func setOrgFields(ctx context.Context, sc *tenancy.Tenant, o *store.Organization, branding *gen.Branding, conns, domains *[]string) error {
	if branding != nil {
		b := identity.Branding{LogoURI: o.LogoURI, PrimaryColor: o.PrimaryColor}
		if branding.LogoURI != nil {
			b.LogoURI = *branding.LogoURI
		}
		if branding.PrimaryColor != nil {
			b.PrimaryColor = *branding.PrimaryColor
		}
		if err := identity.ValidateBranding(&b); err != nil {
			return err
		}
		o.LogoURI, o.PrimaryColor = b.LogoURI, b.PrimaryColor
	}
	if conns != nil {
		o.Connections = nil
		for i, id := range *conns {
			if _, err := sc.Store.Connections().Get(ctx, sc.Tenant.ID, id); errors.Is(err, store.ErrNotFound) {
				return httpx.Validation("A connection is unknown.",
					httpx.FieldError{Field: fmt.Sprintf("/connections/%d", i), Message: "no connection " + id + " in this tenant"})
			} else if err != nil {
				return err
			}
			o.Connections = appendOnce(o.Connections, id)
		}
	}
	if domains != nil {
		o.Domains = nil
		for _, d := range *domains {
			o.Domains = appendOnce(o.Domains, strings.ToLower(d))
		}
	}
	return nil
}

func appendOnce(l []string, v string) []string {
	for _, x := range l {
		if x == v {
			return l
		}
	}
	return append(l, v)
}

func (a *Organizations) listOrgs(ctx context.Context, limit *int, cursor *string) (gen.OrganizationList, error) {
	items, next, err := listed(ctx, limit, cursor, func(sc *tenancy.Tenant, pg store.Page) ([]store.Organization, string, error) {
		return sc.Store.Organizations().List(ctx, sc.Tenant.ID, pg)
	}, OrganizationJSON)
	return gen.OrganizationList{Items: items, NextCursor: next}, err
}

func (a *Organizations) createOrg(ctx context.Context, in *gen.OrganizationCreate) (gen.Organization, error) {
	sc := tenancy.From(ctx)
	o := &store.Organization{TenantID: sc.Tenant.ID, Name: in.Name, DisplayName: restapi.Val(in.DisplayName)}
	if o.DisplayName == "" {
		o.DisplayName = in.Name
	}
	if err := identity.ValidateTenantText(o.DisplayName); err != nil {
		return gen.Organization{}, httpx.Validation("The display name is not allowed.", httpx.FieldError{Field: "/display_name", Message: err.Error()})
	}
	if err := setOrgFields(ctx, sc, o, in.Branding, in.Connections, in.Domains); err != nil {
		return gen.Organization{}, err
	}
	if err := sc.Store.Organizations().Create(ctx, o); err != nil {
		return gen.Organization{}, orgProblem(err)
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "organization.created", "", map[string]any{"org_id": o.ID, "name": o.Name})
	return OrganizationJSON(o), nil
}

func (a *Organizations) getOrg(ctx context.Context, id string) (gen.Organization, error) {
	get := func(sc *tenancy.Tenant) (*store.Organization, error) {
		return sc.Store.Organizations().Get(ctx, sc.Tenant.ID, id)
	}
	return got(ctx, get, OrganizationJSON)
}

func (a *Organizations) updateOrg(ctx context.Context, id string, ifm *string, in1, in2 *gen.OrganizationPatch) (gen.Organization, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.Organization{}, err
	}
	if in.DisplayName != nil {
		if err := identity.ValidateTenantText(*in.DisplayName); err != nil {
			return gen.Organization{}, httpx.Validation("The display name is not allowed.", httpx.FieldError{Field: "/display_name", Message: err.Error()})
		}
	}
	o, err := sc.Store.Organizations().Update(ctx, sc.Tenant.ID, id, version, func(o *store.Organization) error {
		if in.Name != nil {
			o.Name = *in.Name
		}
		if in.DisplayName != nil {
			o.DisplayName = *in.DisplayName
		}
		return setOrgFields(ctx, sc, o, in.Branding, in.Connections, in.Domains)
	})
	if err != nil {
		return gen.Organization{}, orgProblem(err)
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "organization.updated", "", map[string]any{"org_id": id})
	return OrganizationJSON(o), nil
}

func (a *Organizations) deleteOrg(ctx context.Context, id string) error {
	return audited(ctx, a.Base, "organization.deleted", "", map[string]any{"org_id": id}, func(sc *tenancy.Tenant) error {
		return sc.Store.Organizations().Delete(ctx, sc.Tenant.ID, id)
	})
}

// org is listedUnder's check that the path's organization exists in the
// tenant.
func org(ctx context.Context, id string) func(sc *tenancy.Tenant) error {
	return func(sc *tenancy.Tenant) error { return exists(sc.Store.Organizations().Get(ctx, sc.Tenant.ID, id)) }
}

func memberJSON(m *store.Member) gen.OrganizationMember {
	return gen.OrganizationMember{UserID: m.UserID, JoinedAt: m.CreatedAt}
}

func (a *Organizations) listMembers(ctx context.Context, orgID string, limit *int, cursor *string) (gen.OrganizationMemberList, error) {
	items, next, err := listedUnder(ctx, limit, cursor, org(ctx, orgID), func(sc *tenancy.Tenant, pg store.Page) ([]store.Member, string, error) {
		return sc.Store.Organizations().ListMembers(ctx, sc.Tenant.ID, orgID, pg)
	}, memberJSON)
	return gen.OrganizationMemberList{Items: items, NextCursor: next}, err
}

func (a *Organizations) addMember(ctx context.Context, orgID string, in *gen.OrganizationMemberAdd) (gen.OrganizationMember, error) {
	sc := tenancy.From(ctx)
	m, err := sc.Store.Organizations().AddMember(ctx, sc.Tenant.ID, orgID, in.UserID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return gen.OrganizationMember{}, httpx.NotFound("No such organization, or no such user, in this tenant.")
	case errors.Is(err, store.ErrConflict):
		return gen.OrganizationMember{}, httpx.Conflict("The user is a member of the organization already.")
	case err != nil:
		return gen.OrganizationMember{}, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "membership.added", in.UserID, map[string]any{"org_id": orgID})
	return memberJSON(m), nil
}

func (a *Organizations) removeMember(ctx context.Context, orgID, userID string) error {
	return audited(ctx, a.Base, "membership.removed", userID, map[string]any{"org_id": orgID}, func(sc *tenancy.Tenant) error {
		return sc.Store.Organizations().RemoveMember(ctx, sc.Tenant.ID, orgID, userID)
	})
}

func (a *Organizations) listMemberRoles(ctx context.Context, orgID, userID string, limit *int, cursor *string) (gen.RoleList, error) {
	items, next, err := listedUnder(ctx, limit, cursor,
		func(sc *tenancy.Tenant) error {
			return exists(sc.Store.Organizations().GetMember(ctx, sc.Tenant.ID, orgID, userID))
		},
		func(sc *tenancy.Tenant, pg store.Page) ([]store.Role, string, error) {
			return sc.Store.Organizations().ListMemberRoles(ctx, sc.Tenant.ID, orgID, userID, pg)
		}, RoleJSON)
	return gen.RoleList{Items: items, NextCursor: next}, err
}

func (a *Organizations) assignMemberRoles(ctx context.Context, orgID, userID string, in *gen.UserRolesAssign) error {
	return audited(ctx, a.Base, "membership.roles_assigned", userID, map[string]any{"org_id": orgID, "roles": in.Roles}, func(sc *tenancy.Tenant) error {
		return notFoundAs(sc.Store.Organizations().AssignMemberRoles(ctx, sc.Tenant.ID, orgID, userID, in.Roles),
			"The user is not a member of the organization, or a role does not exist in this tenant; no role was assigned.")
	})
}

func (a *Organizations) removeMemberRole(ctx context.Context, orgID, userID, roleID string) error {
	return audited(ctx, a.Base, "membership.role_removed", userID, map[string]any{"org_id": orgID, "role_id": roleID}, func(sc *tenancy.Tenant) error {
		return sc.Store.Organizations().UnassignMemberRole(ctx, sc.Tenant.ID, orgID, userID, roleID)
	})
}

func (a *Organizations) ListOrganizations(ctx context.Context, r gen.ListOrganizationsRequestObject) (gen.ListOrganizationsResponseObject, error) {
	return answer(func(out gen.OrganizationList) gen.ListOrganizationsResponseObject {
		return gen.ListOrganizations200JSONResponse(out)
	})(a.listOrgs(ctx, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) CreateOrganization(ctx context.Context, r gen.CreateOrganizationRequestObject) (gen.CreateOrganizationResponseObject, error) {
	return answer(func(out gen.Organization) gen.CreateOrganizationResponseObject {
		return gen.CreateOrganization201JSONResponse{Body: out, Headers: gen.CreateOrganization201ResponseHeaders{ETag: restapi.ETag(out.Version), Location: restapi.Ptr(location("", "organizations") + out.ID)}}
	})(a.createOrg(ctx, r.Body))
}

func (a *Organizations) GetOrganization(ctx context.Context, r gen.GetOrganizationRequestObject) (gen.GetOrganizationResponseObject, error) {
	return answer(func(out gen.Organization) gen.GetOrganizationResponseObject {
		return gen.GetOrganization200JSONResponse{Body: out, Headers: gen.GetOrganization200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.getOrg(ctx, r.OrgID))
}

func (a *Organizations) UpdateOrganization(ctx context.Context, r gen.UpdateOrganizationRequestObject) (gen.UpdateOrganizationResponseObject, error) {
	return answer(func(out gen.Organization) gen.UpdateOrganizationResponseObject {
		return gen.UpdateOrganization200JSONResponse{Body: out, Headers: gen.UpdateOrganization200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.updateOrg(ctx, r.OrgID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody))
}

func (a *Organizations) DeleteOrganization(ctx context.Context, r gen.DeleteOrganizationRequestObject) (gen.DeleteOrganizationResponseObject, error) {
	return done[gen.DeleteOrganizationResponseObject](gen.DeleteOrganization204Response{}, a.deleteOrg(ctx, r.OrgID))
}

func (a *Organizations) ListOrganizationMembers(ctx context.Context, r gen.ListOrganizationMembersRequestObject) (gen.ListOrganizationMembersResponseObject, error) {
	return answer(func(out gen.OrganizationMemberList) gen.ListOrganizationMembersResponseObject {
		return gen.ListOrganizationMembers200JSONResponse(out)
	})(a.listMembers(ctx, r.OrgID, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) AddOrganizationMember(ctx context.Context, r gen.AddOrganizationMemberRequestObject) (gen.AddOrganizationMemberResponseObject, error) {
	return answer(func(out gen.OrganizationMember) gen.AddOrganizationMemberResponseObject {
		return gen.AddOrganizationMember201JSONResponse(out)
	})(a.addMember(ctx, r.OrgID, r.Body))
}

func (a *Organizations) RemoveOrganizationMember(ctx context.Context, r gen.RemoveOrganizationMemberRequestObject) (gen.RemoveOrganizationMemberResponseObject, error) {
	return done[gen.RemoveOrganizationMemberResponseObject](gen.RemoveOrganizationMember204Response{}, a.removeMember(ctx, r.OrgID, r.UserID))
}

func (a *Organizations) ListOrganizationMemberRoles(ctx context.Context, r gen.ListOrganizationMemberRolesRequestObject) (gen.ListOrganizationMemberRolesResponseObject, error) {
	return answer(func(out gen.RoleList) gen.ListOrganizationMemberRolesResponseObject {
		return gen.ListOrganizationMemberRoles200JSONResponse(out)
	})(a.listMemberRoles(ctx, r.OrgID, r.UserID, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) AssignOrganizationMemberRoles(ctx context.Context, r gen.AssignOrganizationMemberRolesRequestObject) (gen.AssignOrganizationMemberRolesResponseObject, error) {
	return done[gen.AssignOrganizationMemberRolesResponseObject](gen.AssignOrganizationMemberRoles204Response{}, a.assignMemberRoles(ctx, r.OrgID, r.UserID, r.Body))
}

func (a *Organizations) RemoveOrganizationMemberRole(ctx context.Context, r gen.RemoveOrganizationMemberRoleRequestObject) (gen.RemoveOrganizationMemberRoleResponseObject, error) {
	return done[gen.RemoveOrganizationMemberRoleResponseObject](gen.RemoveOrganizationMemberRole204Response{}, a.removeMemberRole(ctx, r.OrgID, r.UserID, r.RoleID))
}

func (a *Organizations) ListTenantOrganizations(ctx context.Context, r gen.ListTenantOrganizationsRequestObject) (gen.ListTenantOrganizationsResponseObject, error) {
	return answer(func(out gen.OrganizationList) gen.ListTenantOrganizationsResponseObject {
		return gen.ListTenantOrganizations200JSONResponse(out)
	})(a.listOrgs(ctx, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) CreateTenantOrganization(ctx context.Context, r gen.CreateTenantOrganizationRequestObject) (gen.CreateTenantOrganizationResponseObject, error) {
	return answer(func(out gen.Organization) gen.CreateTenantOrganizationResponseObject {
		return gen.CreateTenantOrganization201JSONResponse{Body: out, Headers: gen.CreateTenantOrganization201ResponseHeaders{ETag: restapi.ETag(out.Version), Location: restapi.Ptr(location(r.Tenant, "organizations") + out.ID)}}
	})(a.createOrg(ctx, r.Body))
}

func (a *Organizations) GetTenantOrganization(ctx context.Context, r gen.GetTenantOrganizationRequestObject) (gen.GetTenantOrganizationResponseObject, error) {
	return answer(func(out gen.Organization) gen.GetTenantOrganizationResponseObject {
		return gen.GetTenantOrganization200JSONResponse{Body: out, Headers: gen.GetTenantOrganization200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.getOrg(ctx, r.OrgID))
}

func (a *Organizations) UpdateTenantOrganization(ctx context.Context, r gen.UpdateTenantOrganizationRequestObject) (gen.UpdateTenantOrganizationResponseObject, error) {
	return answer(func(out gen.Organization) gen.UpdateTenantOrganizationResponseObject {
		return gen.UpdateTenantOrganization200JSONResponse{Body: out, Headers: gen.UpdateTenantOrganization200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.updateOrg(ctx, r.OrgID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody))
}

func (a *Organizations) DeleteTenantOrganization(ctx context.Context, r gen.DeleteTenantOrganizationRequestObject) (gen.DeleteTenantOrganizationResponseObject, error) {
	return done[gen.DeleteTenantOrganizationResponseObject](gen.DeleteTenantOrganization204Response{}, a.deleteOrg(ctx, r.OrgID))
}

func (a *Organizations) ListTenantOrganizationMembers(ctx context.Context, r gen.ListTenantOrganizationMembersRequestObject) (gen.ListTenantOrganizationMembersResponseObject, error) {
	return answer(func(out gen.OrganizationMemberList) gen.ListTenantOrganizationMembersResponseObject {
		return gen.ListTenantOrganizationMembers200JSONResponse(out)
	})(a.listMembers(ctx, r.OrgID, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) AddTenantOrganizationMember(ctx context.Context, r gen.AddTenantOrganizationMemberRequestObject) (gen.AddTenantOrganizationMemberResponseObject, error) {
	return answer(func(out gen.OrganizationMember) gen.AddTenantOrganizationMemberResponseObject {
		return gen.AddTenantOrganizationMember201JSONResponse(out)
	})(a.addMember(ctx, r.OrgID, r.Body))
}

func (a *Organizations) RemoveTenantOrganizationMember(ctx context.Context, r gen.RemoveTenantOrganizationMemberRequestObject) (gen.RemoveTenantOrganizationMemberResponseObject, error) {
	return done[gen.RemoveTenantOrganizationMemberResponseObject](gen.RemoveTenantOrganizationMember204Response{}, a.removeMember(ctx, r.OrgID, r.UserID))
}

func (a *Organizations) ListTenantOrganizationMemberRoles(ctx context.Context, r gen.ListTenantOrganizationMemberRolesRequestObject) (gen.ListTenantOrganizationMemberRolesResponseObject, error) {
	return answer(func(out gen.RoleList) gen.ListTenantOrganizationMemberRolesResponseObject {
		return gen.ListTenantOrganizationMemberRoles200JSONResponse(out)
	})(a.listMemberRoles(ctx, r.OrgID, r.UserID, r.Params.Limit, r.Params.Cursor))
}

func (a *Organizations) AssignTenantOrganizationMemberRoles(ctx context.Context, r gen.AssignTenantOrganizationMemberRolesRequestObject) (gen.AssignTenantOrganizationMemberRolesResponseObject, error) {
	return done[gen.AssignTenantOrganizationMemberRolesResponseObject](gen.AssignTenantOrganizationMemberRoles204Response{}, a.assignMemberRoles(ctx, r.OrgID, r.UserID, r.Body))
}

func (a *Organizations) RemoveTenantOrganizationMemberRole(ctx context.Context, r gen.RemoveTenantOrganizationMemberRoleRequestObject) (gen.RemoveTenantOrganizationMemberRoleResponseObject, error) {
	return done[gen.RemoveTenantOrganizationMemberRoleResponseObject](gen.RemoveTenantOrganizationMemberRole204Response{}, a.removeMemberRole(ctx, r.OrgID, r.UserID, r.RoleID))
}

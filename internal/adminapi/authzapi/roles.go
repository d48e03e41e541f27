package authzapi

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Roles serves the tenant's roles and their assignment to users (issue 14).
type Roles struct{ *resource.Base }

// RoleJSON renders a role.
func RoleJSON(r *store.Role) gen.Role {
	perms := make([]gen.Permission, len(r.Permissions))
	for i, p := range r.Permissions {
		perms[i] = gen.Permission{API: p.API, Scope: p.Scope}
	}
	return gen.Role{ID: r.ID, Name: r.Name, Description: r.Description, Permissions: perms,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

func permissions(in []gen.Permission) []store.Permission {
	out := make([]store.Permission, len(in))
	for i, p := range in {
		out[i] = store.Permission{API: p.API, Scope: p.Scope}
	}
	return out
}

// roleProblem maps a role repository's refusal.
func roleProblem(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return httpx.Conflict("A role with this name already exists in the tenant.")
	}
	return authzProblem(err, "/permissions")
}

func (a *Roles) listRoles(ctx context.Context, limit *int, cursor *string) (gen.RoleList, error) {
	items, next, err := listed(ctx, limit, cursor, func(sc *tenancy.Tenant, pg store.Page) ([]store.Role, string, error) {
		return sc.Store.Roles().List(ctx, sc.Tenant.ID, pg)
	}, RoleJSON)
	return gen.RoleList{Items: items, NextCursor: next}, err
}

func (a *Roles) createRole(ctx context.Context, in *gen.RoleCreate) (gen.Role, error) {
	sc := tenancy.From(ctx)
	r := &store.Role{TenantID: sc.Tenant.ID, Name: in.Name, Description: restapi.Val(in.Description),
		Permissions: permissions(restapi.Val(in.Permissions))}
	if err := sc.Store.Roles().Create(ctx, r); err != nil {
		return gen.Role{}, roleProblem(err)
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "role.created", "", map[string]any{"role_id": r.ID, "name": r.Name})
	return RoleJSON(r), nil
}

func (a *Roles) getRole(ctx context.Context, id string) (gen.Role, error) {
	return got(ctx, func(sc *tenancy.Tenant) (*store.Role, error) { return sc.Store.Roles().Get(ctx, sc.Tenant.ID, id) }, RoleJSON)
}

func (a *Roles) updateRole(ctx context.Context, id string, ifm *string, in1, in2 *gen.RolePatch) (gen.Role, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.Role{}, err
	}
	r, err := sc.Store.Roles().Update(ctx, sc.Tenant.ID, id, version, func(r *store.Role) error {
		if in.Name != nil {
			r.Name = *in.Name
		}
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.Permissions != nil {
			r.Permissions = permissions(*in.Permissions)
		}
		return nil
	})
	if err != nil {
		return gen.Role{}, roleProblem(err)
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "role.updated", "", map[string]any{"role_id": id})
	return RoleJSON(r), nil
}

func (a *Roles) deleteRole(ctx context.Context, id string) error {
	return audited(ctx, a.Base, "role.deleted", "", map[string]any{"role_id": id}, func(sc *tenancy.Tenant) error {
		return sc.Store.Roles().Delete(ctx, sc.Tenant.ID, id)
	})
}

func (a *Roles) listUserRoles(ctx context.Context, userID string, limit *int, cursor *string) (gen.RoleList, error) {
	items, next, err := listedUnder(ctx, limit, cursor,
		func(sc *tenancy.Tenant) error { return exists(sc.Store.Users().Get(ctx, sc.Tenant.ID, userID)) },
		func(sc *tenancy.Tenant, pg store.Page) ([]store.Role, string, error) {
			return sc.Store.Roles().ListForUser(ctx, sc.Tenant.ID, userID, pg)
		}, RoleJSON)
	return gen.RoleList{Items: items, NextCursor: next}, err
}

func (a *Roles) assign(ctx context.Context, userID string, in *gen.UserRolesAssign) error {
	return audited(ctx, a.Base, "role.assigned", userID, map[string]any{"roles": in.Roles}, func(sc *tenancy.Tenant) error {
		return notFoundAs(sc.Store.Roles().Assign(ctx, sc.Tenant.ID, userID, in.Roles),
			"No such user, or no such role, in this tenant; no role was assigned.")
	})
}

func (a *Roles) unassign(ctx context.Context, userID, roleID string) error {
	return audited(ctx, a.Base, "role.unassigned", userID, map[string]any{"role_id": roleID}, func(sc *tenancy.Tenant) error {
		return sc.Store.Roles().Unassign(ctx, sc.Tenant.ID, userID, roleID)
	})
}

func (a *Roles) ListRoles(ctx context.Context, r gen.ListRolesRequestObject) (gen.ListRolesResponseObject, error) {
	return answer(func(out gen.RoleList) gen.ListRolesResponseObject { return gen.ListRoles200JSONResponse(out) })(a.listRoles(ctx, r.Params.Limit, r.Params.Cursor))
}

func (a *Roles) CreateRole(ctx context.Context, r gen.CreateRoleRequestObject) (gen.CreateRoleResponseObject, error) {
	return answer(func(out gen.Role) gen.CreateRoleResponseObject {
		loc := location("", "roles") + out.ID
		return gen.CreateRole201JSONResponse{Body: out, Headers: gen.CreateRole201ResponseHeaders{ETag: restapi.ETag(out.Version), Location: &loc}}
	})(a.createRole(ctx, r.Body))
}

func (a *Roles) GetRole(ctx context.Context, r gen.GetRoleRequestObject) (gen.GetRoleResponseObject, error) {
	return answer(func(out gen.Role) gen.GetRoleResponseObject {
		return gen.GetRole200JSONResponse{Body: out, Headers: gen.GetRole200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.getRole(ctx, r.RoleID))
}

func (a *Roles) UpdateRole(ctx context.Context, r gen.UpdateRoleRequestObject) (gen.UpdateRoleResponseObject, error) {
	return answer(func(out gen.Role) gen.UpdateRoleResponseObject {
		return gen.UpdateRole200JSONResponse{Body: out, Headers: gen.UpdateRole200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.updateRole(ctx, r.RoleID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody))
}

func (a *Roles) DeleteRole(ctx context.Context, r gen.DeleteRoleRequestObject) (gen.DeleteRoleResponseObject, error) {
	return done[gen.DeleteRoleResponseObject](gen.DeleteRole204Response{}, a.deleteRole(ctx, r.RoleID))
}

func (a *Roles) ListUserRoles(ctx context.Context, r gen.ListUserRolesRequestObject) (gen.ListUserRolesResponseObject, error) {
	return answer(func(out gen.RoleList) gen.ListUserRolesResponseObject { return gen.ListUserRoles200JSONResponse(out) })(a.listUserRoles(ctx, r.UserID, r.Params.Limit, r.Params.Cursor))
}

func (a *Roles) AssignUserRoles(ctx context.Context, r gen.AssignUserRolesRequestObject) (gen.AssignUserRolesResponseObject, error) {
	return done[gen.AssignUserRolesResponseObject](gen.AssignUserRoles204Response{}, a.assign(ctx, r.UserID, r.Body))
}

func (a *Roles) RemoveUserRole(ctx context.Context, r gen.RemoveUserRoleRequestObject) (gen.RemoveUserRoleResponseObject, error) {
	return done[gen.RemoveUserRoleResponseObject](gen.RemoveUserRole204Response{}, a.unassign(ctx, r.UserID, r.RoleID))
}

func (a *Roles) ListTenantRoles(ctx context.Context, r gen.ListTenantRolesRequestObject) (gen.ListTenantRolesResponseObject, error) {
	return answer(func(out gen.RoleList) gen.ListTenantRolesResponseObject {
		return gen.ListTenantRoles200JSONResponse(out)
	})(a.listRoles(ctx, r.Params.Limit, r.Params.Cursor))
}

func (a *Roles) CreateTenantRole(ctx context.Context, r gen.CreateTenantRoleRequestObject) (gen.CreateTenantRoleResponseObject, error) {
	return answer(func(out gen.Role) gen.CreateTenantRoleResponseObject {
		loc := location(r.Tenant, "roles") + out.ID
		return gen.CreateTenantRole201JSONResponse{Body: out, Headers: gen.CreateTenantRole201ResponseHeaders{ETag: restapi.ETag(out.Version), Location: &loc}}
	})(a.createRole(ctx, r.Body))
}

func (a *Roles) GetTenantRole(ctx context.Context, r gen.GetTenantRoleRequestObject) (gen.GetTenantRoleResponseObject, error) {
	return answer(func(out gen.Role) gen.GetTenantRoleResponseObject {
		return gen.GetTenantRole200JSONResponse{Body: out, Headers: gen.GetTenantRole200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.getRole(ctx, r.RoleID))
}

func (a *Roles) UpdateTenantRole(ctx context.Context, r gen.UpdateTenantRoleRequestObject) (gen.UpdateTenantRoleResponseObject, error) {
	return answer(func(out gen.Role) gen.UpdateTenantRoleResponseObject {
		return gen.UpdateTenantRole200JSONResponse{Body: out, Headers: gen.UpdateTenantRole200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.updateRole(ctx, r.RoleID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody))
}

func (a *Roles) DeleteTenantRole(ctx context.Context, r gen.DeleteTenantRoleRequestObject) (gen.DeleteTenantRoleResponseObject, error) {
	return done[gen.DeleteTenantRoleResponseObject](gen.DeleteTenantRole204Response{}, a.deleteRole(ctx, r.RoleID))
}

func (a *Roles) ListTenantUserRoles(ctx context.Context, r gen.ListTenantUserRolesRequestObject) (gen.ListTenantUserRolesResponseObject, error) {
	return answer(func(out gen.RoleList) gen.ListTenantUserRolesResponseObject {
		return gen.ListTenantUserRoles200JSONResponse(out)
	})(a.listUserRoles(ctx, r.UserID, r.Params.Limit, r.Params.Cursor))
}

func (a *Roles) AssignTenantUserRoles(ctx context.Context, r gen.AssignTenantUserRolesRequestObject) (gen.AssignTenantUserRolesResponseObject, error) {
	return done[gen.AssignTenantUserRolesResponseObject](gen.AssignTenantUserRoles204Response{}, a.assign(ctx, r.UserID, r.Body))
}

func (a *Roles) RemoveTenantUserRole(ctx context.Context, r gen.RemoveTenantUserRoleRequestObject) (gen.RemoveTenantUserRoleResponseObject, error) {
	return done[gen.RemoveTenantUserRoleResponseObject](gen.RemoveTenantUserRole204Response{}, a.unassign(ctx, r.UserID, r.RoleID))
}

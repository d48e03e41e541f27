package adminapi

import (
	"context"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Each operation exists twice in the contract, for the default tenant and
// under /tenants/{tenant}; both call one implementation below, which acts
// on the request's tenant (tenant.go).

func usersPath(tenant string) string {
	if tenant == "" {
		return "/admin/v1/users/"
	}
	return "/admin/v1/tenants/" + tenant + "/users/"
}

func (a *Users) listUsers(ctx context.Context, p gen.ListUsersParams) (gen.UserList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(p.Limit, p.Cursor)
	if err != nil {
		return gen.UserList{}, err
	}
	f := store.UserFilter{Username: restapi.Val(p.Username), Query: restapi.Val(p.Q)}
	if p.Email != nil {
		f.Email = string(*p.Email)
	}
	if p.Attribute != nil {
		k, v, ok := strings.Cut(*p.Attribute, "=")
		if !ok || k == "" {
			return gen.UserList{}, httpx.Validation("The attribute filter must look like key=value.",
				httpx.FieldError{Field: "query:attribute", Message: "want key=value"})
		}
		f.AttrKey, f.AttrValue = k, v
	}
	items, next, err := sc.Store.Users().List(ctx, sc.Tenant.ID, f, pg)
	if err != nil {
		return gen.UserList{}, err
	}
	out := gen.UserList{Items: make([]gen.User, 0, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		u, err := restapi.UserWithPassword(ctx, a.svc, sc, &items[i])
		if err != nil {
			return gen.UserList{}, err
		}
		out.Items = append(out.Items, u)
	}
	return out, nil
}

func (a *Users) createUser(ctx context.Context, in *gen.UserCreate) (gen.User, error) {
	sc := tenancy.From(ctx)
	u := userFromCreate(in)
	if err := a.svc.CreateUser(ctx, sc, u, in.Password); err != nil {
		return gen.User{}, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "user.created", u.ID, nil)
	return restapi.UserJSON(u, in.Password != nil), nil
}

func (a *Users) getUser(ctx context.Context, id string) (gen.User, error) {
	sc := tenancy.From(ctx)
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		return gen.User{}, err
	}
	out, err := restapi.UserWithPassword(ctx, a.svc, sc, u)
	if err != nil {
		return out, err
	}
	return withIdentities(ctx, out)
}

func (a *Users) updateUser(ctx context.Context, id string, ifm *string, in1, in2 *gen.UserPatch) (gen.User, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.User{}, err
	}
	u, err := a.svc.UpdateUser(ctx, sc, id, version, func(u *identity.User) error {
		restapi.ApplyUserPatch(u, in)
		return nil
	})
	if err != nil {
		return gen.User{}, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "user.updated", id, nil)
	return restapi.UserWithPassword(ctx, a.svc, sc, u)
}

func (a *Users) setDisabled(ctx context.Context, id string, disabled bool) (gen.User, error) {
	sc := tenancy.From(ctx)
	u, err := a.svc.UpdateUser(ctx, sc, id, 0, func(u *identity.User) error {
		u.Disabled = disabled
		return nil
	})
	if err != nil {
		return gen.User{}, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, map[bool]string{true: "user.disabled", false: "user.enabled"}[disabled], id, nil)
	return restapi.UserWithPassword(ctx, a.svc, sc, u)
}

// deleteUser erases the user (privacy.Service.Erase): their tokens are
// revoked, the user row and everything personal go, and the audit events
// about them stay with their personal fields unreadable. Recorded as
// admin.user.deleted and user.erased.
func (a *Users) deleteUser(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	if _, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, id); err != nil {
		return err
	}
	if _, _, err := a.tokens.RevokeUserTokens(ctx, sc, id, true); err != nil {
		return err
	}
	err := a.privacy.Erase(ctx, sc, privacy.Erasure{UserID: id, By: privacy.ErasedByAdmin, ActorID: auditActor(ctx)})
	return a.audited(ctx, err, sc.Tenant.ID, "user.deleted", id, nil)
}

// moveUser signs the user out everywhere, then moves their personal data
// to another region (regional.Router.Move).
func (a *Users) moveUser(ctx context.Context, id string, in *gen.UserMove) (gen.User, error) {
	sc := tenancy.From(ctx)
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		return gen.User{}, err
	}
	to := ""
	if in != nil {
		to = in.Region
	}
	if err := a.svc.CheckMove(sc, u, to); err != nil {
		return gen.User{}, err
	}
	if _, _, err := a.tokens.RevokeUserTokens(ctx, sc, id, true); err != nil {
		return gen.User{}, err
	}
	moved, err := a.svc.MoveUser(ctx, sc, id, to)
	if err := a.audited(ctx, err, sc.Tenant.ID, "user.moved", id, map[string]any{"from": u.Region, "to": to}); err != nil {
		return gen.User{}, err
	}
	return restapi.UserWithPassword(ctx, a.svc, sc, moved)
}

func (a *Users) MoveUser(ctx context.Context, r gen.MoveUserRequestObject) (gen.MoveUserResponseObject, error) {
	u, err := a.moveUser(ctx, r.UserID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.MoveUser200JSONResponse{Body: u, Headers: gen.MoveUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) MoveTenantUser(ctx context.Context, r gen.MoveTenantUserRequestObject) (gen.MoveTenantUserResponseObject, error) {
	u, err := a.moveUser(ctx, r.UserID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.MoveTenantUser200JSONResponse{Body: u, Headers: gen.MoveTenantUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) setPassword(ctx context.Context, id string, in *gen.UserPassword) error {
	sc := tenancy.From(ctx)
	if in == nil || in.Password == nil {
		return httpx.Validation("A password is required.", httpx.FieldError{Field: "/password", Message: "is required"})
	}
	return a.audited(ctx, a.svc.SetPassword(ctx, sc, id, *in.Password), sc.Tenant.ID, "user.password_set", id, nil)
}

// --- default tenant ---

func (a *Users) ListUsers(ctx context.Context, r gen.ListUsersRequestObject) (gen.ListUsersResponseObject, error) {
	out, err := a.listUsers(ctx, r.Params)
	if err != nil {
		return nil, err
	}
	return gen.ListUsers200JSONResponse(out), nil
}

func (a *Users) CreateUser(ctx context.Context, r gen.CreateUserRequestObject) (gen.CreateUserResponseObject, error) {
	u, err := a.createUser(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := usersPath("") + u.ID
	return gen.CreateUser201JSONResponse{Body: u, Headers: gen.CreateUser201ResponseHeaders{ETag: restapi.ETag(u.Version), Location: &loc}}, nil
}

func (a *Users) GetUser(ctx context.Context, r gen.GetUserRequestObject) (gen.GetUserResponseObject, error) {
	u, err := a.getUser(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.GetUser200JSONResponse{Body: u, Headers: gen.GetUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) UpdateUser(ctx context.Context, r gen.UpdateUserRequestObject) (gen.UpdateUserResponseObject, error) {
	u, err := a.updateUser(ctx, r.UserID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateUser200JSONResponse{Body: u, Headers: gen.UpdateUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) DeleteUser(ctx context.Context, r gen.DeleteUserRequestObject) (gen.DeleteUserResponseObject, error) {
	if err := a.deleteUser(ctx, r.UserID); err != nil {
		return nil, err
	}
	return gen.DeleteUser204Response{}, nil
}

func (a *Users) DisableUser(ctx context.Context, r gen.DisableUserRequestObject) (gen.DisableUserResponseObject, error) {
	u, err := a.setDisabled(ctx, r.UserID, true)
	if err != nil {
		return nil, err
	}
	return gen.DisableUser200JSONResponse{Body: u, Headers: gen.DisableUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) EnableUser(ctx context.Context, r gen.EnableUserRequestObject) (gen.EnableUserResponseObject, error) {
	u, err := a.setDisabled(ctx, r.UserID, false)
	if err != nil {
		return nil, err
	}
	return gen.EnableUser200JSONResponse{Body: u, Headers: gen.EnableUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) SetUserPassword(ctx context.Context, r gen.SetUserPasswordRequestObject) (gen.SetUserPasswordResponseObject, error) {
	if err := a.setPassword(ctx, r.UserID, r.Body); err != nil {
		return nil, err
	}
	return gen.SetUserPassword204Response{}, nil
}

// --- named tenant ---

func (a *Users) ListTenantUsers(ctx context.Context, r gen.ListTenantUsersRequestObject) (gen.ListTenantUsersResponseObject, error) {
	out, err := a.listUsers(ctx, gen.ListUsersParams(r.Params))
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUsers200JSONResponse(out), nil
}

func (a *Users) CreateTenantUser(ctx context.Context, r gen.CreateTenantUserRequestObject) (gen.CreateTenantUserResponseObject, error) {
	u, err := a.createUser(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := usersPath(r.Tenant) + u.ID
	return gen.CreateTenantUser201JSONResponse{Body: u, Headers: gen.CreateTenantUser201ResponseHeaders{ETag: restapi.ETag(u.Version), Location: &loc}}, nil
}

func (a *Users) GetTenantUser(ctx context.Context, r gen.GetTenantUserRequestObject) (gen.GetTenantUserResponseObject, error) {
	u, err := a.getUser(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantUser200JSONResponse{Body: u, Headers: gen.GetTenantUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) UpdateTenantUser(ctx context.Context, r gen.UpdateTenantUserRequestObject) (gen.UpdateTenantUserResponseObject, error) {
	u, err := a.updateUser(ctx, r.UserID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateTenantUser200JSONResponse{Body: u, Headers: gen.UpdateTenantUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) DeleteTenantUser(ctx context.Context, r gen.DeleteTenantUserRequestObject) (gen.DeleteTenantUserResponseObject, error) {
	if err := a.deleteUser(ctx, r.UserID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantUser204Response{}, nil
}

func (a *Users) DisableTenantUser(ctx context.Context, r gen.DisableTenantUserRequestObject) (gen.DisableTenantUserResponseObject, error) {
	u, err := a.setDisabled(ctx, r.UserID, true)
	if err != nil {
		return nil, err
	}
	return gen.DisableTenantUser200JSONResponse{Body: u, Headers: gen.DisableTenantUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) EnableTenantUser(ctx context.Context, r gen.EnableTenantUserRequestObject) (gen.EnableTenantUserResponseObject, error) {
	u, err := a.setDisabled(ctx, r.UserID, false)
	if err != nil {
		return nil, err
	}
	return gen.EnableTenantUser200JSONResponse{Body: u, Headers: gen.EnableTenantUser200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Users) SetTenantUserPassword(ctx context.Context, r gen.SetTenantUserPasswordRequestObject) (gen.SetTenantUserPasswordResponseObject, error) {
	if err := a.setPassword(ctx, r.UserID, r.Body); err != nil {
		return nil, err
	}
	return gen.SetTenantUserPassword204Response{}, nil
}

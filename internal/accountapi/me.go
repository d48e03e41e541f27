package accountapi

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The signed-in user's own profile, password and account (tag account):
// GET/PATCH/DELETE /v1/me and POST /v1/me/password, authenticated like the
// rest of the account API (account_auth.go). The profile is rendered as
// the Admin API's User; a user may patch only MePatch's members.

// reauthMaxAge is how recent the sign-in behind the token must be for a
// user without a password to delete their account (RFC 9470 max_age).
const reauthMaxAge = 5 * time.Minute

// incorrectPassword is the one answer to a wrong current password: it
// names the field and nothing more. It is a 400, not a 401, so that
// clients do not take it for a bad access token and refresh.
func incorrectPassword() error {
	return httpx.Validation("The current password is incorrect.",
		httpx.FieldError{Field: "/current_password", Message: "incorrect password"})
}

// meScope returns the caller and their tenant.
func meScope(ctx context.Context, tenant string) (*account, *tenancy.Tenant, error) {
	acct, err := me(ctx, tenant)
	if err != nil {
		return nil, nil, err
	}
	return acct, tenancy.From(ctx), nil
}

func (a *Profile) getMe(ctx context.Context, tenant string) (gen.User, error) {
	acct, sc, err := meScope(ctx, tenant)
	if err != nil {
		return gen.User{}, err
	}
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, acct.token.UserID)
	if err != nil {
		return gen.User{}, err
	}
	return restapi.UserWithPassword(ctx, a.svc, sc, u)
}

// userPatchOf is the admin patch with exactly the members of a self-service one.
func userPatchOf(in *gen.MePatch) *gen.UserPatch {
	p := &gen.UserPatch{
		PhoneNumber: in.PhoneNumber, Name: in.Name, GivenName: in.GivenName, FamilyName: in.FamilyName,
		MiddleName: in.MiddleName, Nickname: in.Nickname, PreferredUsername: in.PreferredUsername,
		Profile: in.Profile, Picture: in.Picture, Website: in.Website, Gender: in.Gender,
		Birthdate: in.Birthdate, Zoneinfo: in.Zoneinfo, Locale: in.Locale,
		Address: in.Address,
	}
	if in.Attributes != nil {
		p.Attributes.Set(*in.Attributes)
	}
	return p
}

// checkMyAttributes refuses the members of a self-service attribute patch
// that the tenant's schema does not let users set (setting or removing
// them): those carry entitlements, the Admin API's alone.
func checkMyAttributes(sc *tenancy.Tenant, in *gen.MePatch) error {
	if in.Attributes == nil {
		return nil
	}
	schema, err := identity.TenantAttributeSchema(sc.Tenant)
	if err != nil {
		return err
	}
	return schema.CheckUserWritable(*in.Attributes)
}

func (a *Profile) updateMe(ctx context.Context, tenant string, ifm *string, in1, in2 *gen.MePatch) (gen.User, error) {
	acct, sc, err := meScope(ctx, tenant)
	if err != nil {
		return gen.User{}, err
	}
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.User{}, err
	}
	if err := checkMyAttributes(sc, in); err != nil {
		return gen.User{}, err
	}
	patch := userPatchOf(in)
	u, err := a.svc.UpdateUser(ctx, sc, acct.token.UserID, version, func(u *identity.User) error {
		phone := u.Phone
		restapi.ApplyUserPatch(u, patch)
		if u.Phone != phone {
			// A number the user typed is not verified.
			u.PhoneVerified = false
		}
		return nil
	})
	if err != nil {
		return gen.User{}, err
	}
	return restapi.UserWithPassword(ctx, a.svc, sc, u)
}

func (a *Profile) changeMyPassword(ctx context.Context, tenant string, in *gen.PasswordChange) error {
	acct, sc, err := meScope(ctx, tenant)
	if err != nil {
		return err
	}
	if in == nil || in.CurrentPassword == nil || in.NewPassword == nil {
		return httpx.Validation("current_password and new_password are required.")
	}
	userID := acct.token.UserID
	ok, err := a.svc.VerifyPassword(ctx, sc, userID, *in.CurrentPassword)
	if err != nil {
		return err
	}
	if !ok {
		return incorrectPassword()
	}
	if err := a.svc.SetPassword(ctx, sc, userID, *in.NewPassword); err != nil {
		var ve *identity.ValidationError
		if errors.As(err, &ve) {
			// The policy speaks of /password; here it is /new_password.
			out := &identity.ValidationError{}
			for _, f := range ve.Errors {
				if f.Field == "/password" {
					f.Field = "/new_password"
				}
				out.Errors = append(out.Errors, f)
			}
			return out
		}
		return err
	}
	// Sign the user out everywhere, this session and token included: the
	// store does not tell a refresh token's session apart from the others
	// in one call, and a device that knew the old password must not stay
	// signed in.
	if _, _, err = a.tokens.RevokeUserTokens(ctx, tenancy.From(ctx), userID, true); err != nil {
		return err
	}
	a.accounts.Record(ctx, meTarget(ctx, acct), events.PasswordChanged, userID)
	return nil
}

func (a *Profile) deleteMe(ctx context.Context, tenant string, in *gen.AccountDeletion) error {
	acct, sc, err := meScope(ctx, tenant)
	if err != nil {
		return err
	}
	userID := acct.token.UserID
	has, err := a.svc.HasPassword(ctx, sc, userID)
	if err != nil {
		return err
	}
	switch {
	case has:
		if in == nil || in.CurrentPassword == nil {
			return incorrectPassword()
		}
		ok, err := a.svc.VerifyPassword(ctx, sc, userID, *in.CurrentPassword)
		if err != nil {
			return err
		}
		if !ok {
			return incorrectPassword()
		}
	default:
		if !a.recentAuth(acct) {
			p := httpx.Unauthorized("Sign in again: deleting the account needs a sign-in less than 5 minutes old.")
			p.Header.Set("WWW-Authenticate", `Bearer realm="gatehouse", error="insufficient_user_authentication", `+
				`error_description="A more recent authentication is required", max_age=300`)
			return p
		}
	}
	if _, _, err := a.tokens.RevokeUserTokens(ctx, tenancy.From(ctx), userID, true); err != nil {
		return err
	}
	// Erasure (privacy.Service.Erase): the user row and everything
	// personal go; audit events about the person stay, unreadable.
	if a.privacy != nil {
		err = a.privacy.Erase(ctx, tenancy.From(ctx), privacy.Erasure{UserID: userID, By: privacy.ErasedBySelf})
	} else {
		err = sc.Store.Users().Delete(ctx, sc.Tenant.ID, userID)
	}
	if err != nil {
		return err
	}
	a.accounts.Record(ctx, meTarget(ctx, acct), events.UserDeleted, userID)
	return nil
}

func (a *Profile) GetMe(ctx context.Context, _ gen.GetMeRequestObject) (gen.GetMeResponseObject, error) {
	u, err := a.getMe(ctx, "")
	if err != nil {
		return nil, err
	}
	return gen.GetMe200JSONResponse{Body: u, Headers: gen.GetMe200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Profile) UpdateMe(ctx context.Context, r gen.UpdateMeRequestObject) (gen.UpdateMeResponseObject, error) {
	u, err := a.updateMe(ctx, "", r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateMe200JSONResponse{Body: u, Headers: gen.UpdateMe200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Profile) DeleteMe(ctx context.Context, r gen.DeleteMeRequestObject) (gen.DeleteMeResponseObject, error) {
	if err := a.deleteMe(ctx, "", r.Body); err != nil {
		return nil, err
	}
	return gen.DeleteMe204Response{}, nil
}

func (a *Profile) ChangeMyPassword(ctx context.Context, r gen.ChangeMyPasswordRequestObject) (gen.ChangeMyPasswordResponseObject, error) {
	if err := a.changeMyPassword(ctx, "", r.Body); err != nil {
		return nil, err
	}
	return gen.ChangeMyPassword204Response{}, nil
}

func (a *Profile) GetTenantMe(ctx context.Context, r gen.GetTenantMeRequestObject) (gen.GetTenantMeResponseObject, error) {
	u, err := a.getMe(ctx, r.Tenant)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantMe200JSONResponse{Body: u, Headers: gen.GetTenantMe200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Profile) UpdateTenantMe(ctx context.Context, r gen.UpdateTenantMeRequestObject) (gen.UpdateTenantMeResponseObject, error) {
	u, err := a.updateMe(ctx, r.Tenant, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateTenantMe200JSONResponse{Body: u, Headers: gen.UpdateTenantMe200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Profile) DeleteTenantMe(ctx context.Context, r gen.DeleteTenantMeRequestObject) (gen.DeleteTenantMeResponseObject, error) {
	if err := a.deleteMe(ctx, r.Tenant, r.Body); err != nil {
		return nil, err
	}
	return gen.DeleteTenantMe204Response{}, nil
}

func (a *Profile) ChangeTenantMyPassword(ctx context.Context, r gen.ChangeTenantMyPasswordRequestObject) (gen.ChangeTenantMyPasswordResponseObject, error) {
	if err := a.changeMyPassword(ctx, r.Tenant, r.Body); err != nil {
		return nil, err
	}
	return gen.ChangeTenantMyPassword204Response{}, nil
}

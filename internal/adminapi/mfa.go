package adminapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Second factors: the Admin API lists, removes and resets a user's
// factors (tag mfa); the account API lets the signed-in user enrol, list,
// rename and remove their own (tag account). Changing factors needs a
// recent sign-in (requireRecentAuth). The service (internal/mfa) mails
// the user and records the event of every change.

const errNoMFA = errString("adminapi: no MFA service configured (Deps.MFA)")

// ---- Admin API ----

func (a *MFA) adminMFATarget(ctx context.Context, userID string) (mfa.Target, error) {
	if a.mfa == nil {
		return mfa.Target{}, httpx.Internal(errNoMFA)
	}
	sc := tenancy.From(ctx)
	if err := requireUser(ctx, sc, userID); err != nil {
		return mfa.Target{}, err
	}
	return mfa.Target{Tenant: sc.Tenant, Store: sc.Store}, nil
}

// actor names the API key behind an admin request for the audit event.
func actor(ctx context.Context) string {
	p := principalFrom(ctx)
	switch {
	case p == nil:
		return ""
	case p.UserID != "":
		return p.UserID
	case p.KeyID == "":
		return "admin-token"
	}
	return p.KeyID
}

func (a *MFA) listUserFactors(ctx context.Context, tenant, userID string, limit *int, cursor *string) (gen.MFAFactorList, error) {
	tg, err := a.adminMFATarget(ctx, userID)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	fs, err := a.mfa.Factors(ctx, tg, userID)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	return restapi.PageFactors(fs, limit, cursor)
}

func (a *MFA) deleteUserFactor(ctx context.Context, tenant, userID, factorID string) error {
	tg, err := a.adminMFATarget(ctx, userID)
	if err != nil {
		return err
	}
	return restapi.MFAProblem(a.mfa.RemoveFactor(ctx, tg, userID, factorID, actor(ctx)), "")
}

func (a *MFA) resetUserMFA(ctx context.Context, tenant, userID string) error {
	tg, err := a.adminMFATarget(ctx, userID)
	if err != nil {
		return err
	}
	return restapi.MFAProblem(a.mfa.Reset(ctx, tg, userID, actor(ctx)), "")
}

func (a *MFA) ListUserMFAFactors(ctx context.Context, r gen.ListUserMFAFactorsRequestObject) (gen.ListUserMFAFactorsResponseObject, error) {
	l, err := a.listUserFactors(ctx, "", r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListUserMFAFactors200JSONResponse(l), nil
}

func (a *MFA) ListTenantUserMFAFactors(ctx context.Context, r gen.ListTenantUserMFAFactorsRequestObject) (gen.ListTenantUserMFAFactorsResponseObject, error) {
	l, err := a.listUserFactors(ctx, r.Tenant, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUserMFAFactors200JSONResponse(l), nil
}

func (a *MFA) DeleteUserMFAFactor(ctx context.Context, r gen.DeleteUserMFAFactorRequestObject) (gen.DeleteUserMFAFactorResponseObject, error) {
	if err := a.deleteUserFactor(ctx, "", r.UserID, r.FactorID); err != nil {
		return nil, err
	}
	return gen.DeleteUserMFAFactor204Response{}, nil
}

func (a *MFA) DeleteTenantUserMFAFactor(ctx context.Context, r gen.DeleteTenantUserMFAFactorRequestObject) (gen.DeleteTenantUserMFAFactorResponseObject, error) {
	if err := a.deleteUserFactor(ctx, r.Tenant, r.UserID, r.FactorID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantUserMFAFactor204Response{}, nil
}

func (a *MFA) ResetUserMFA(ctx context.Context, r gen.ResetUserMFARequestObject) (gen.ResetUserMFAResponseObject, error) {
	if err := a.resetUserMFA(ctx, "", r.UserID); err != nil {
		return nil, err
	}
	return gen.ResetUserMFA204Response{}, nil
}

func (a *MFA) ResetTenantUserMFA(ctx context.Context, r gen.ResetTenantUserMFARequestObject) (gen.ResetTenantUserMFAResponseObject, error) {
	if err := a.resetUserMFA(ctx, r.Tenant, r.UserID); err != nil {
		return nil, err
	}
	return gen.ResetTenantUserMFA204Response{}, nil
}

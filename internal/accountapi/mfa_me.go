package accountapi

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// myMFA returns the caller, their user and the service target; change
// says the operation changes factors, which needs a recent sign-in.
func (a *Factors) myMFA(ctx context.Context, tenant string, change bool) (*identity.User, mfa.Target, error) {
	if a.mfa == nil {
		return nil, mfa.Target{}, httpx.Internal(errNoMFA)
	}
	acct, err := me(ctx, tenant)
	if err != nil {
		return nil, mfa.Target{}, err
	}
	if change {
		if err := a.requireRecentAuth(acct, "changing your second factors"); err != nil {
			return nil, mfa.Target{}, err
		}
	}
	t := tenancy.From(ctx)
	// The tenant is read afresh: the provider caches tenants, and a policy
	// change (relying party, allowed factors) must apply at once here.
	ten, err := a.svc.Stores.Control().Tenants().Get(ctx, t.Tenant.ID)
	if err != nil {
		return nil, mfa.Target{}, err
	}
	u, err := t.Store.Users().Get(ctx, ten.ID, acct.token.UserID)
	if err != nil {
		return nil, mfa.Target{}, err
	}
	tg := mfa.Target{Tenant: ten, Store: t.Store, Issuer: t.Issuer}
	if change {
		if err := a.requireSecondFactor(ctx, tg, acct, u.ID); err != nil {
			return nil, mfa.Target{}, err
		}
	}
	return u, tg, nil
}

func (a *Factors) listMyFactors(ctx context.Context, tenant string, limit *int, cursor *string) (gen.MFAFactorList, error) {
	u, tg, err := a.myMFA(ctx, tenant, false)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	fs, err := a.mfa.Factors(ctx, tg, u.ID)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	return restapi.PageFactors(fs, limit, cursor)
}

func (a *Factors) deleteMyFactor(ctx context.Context, tenant, factorID string) error {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return err
	}
	return restapi.MFAProblem(a.mfa.RemoveFactor(ctx, tg, u.ID, factorID, ""), "")
}

func (a *Factors) renameMyFactor(ctx context.Context, tenant, factorID string, in *gen.MFAFactorName) (gen.MFAFactor, error) {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return gen.MFAFactor{}, err
	}
	if in == nil {
		return gen.MFAFactor{}, httpx.Validation("A request body is required.")
	}
	f, err := a.mfa.RenameFactor(ctx, tg, u.ID, factorID, in.Name)
	if err != nil {
		return gen.MFAFactor{}, restapi.MFAProblem(err, "/name")
	}
	return restapi.MFAFactorJSON(f), nil
}

func (a *Factors) startMyTOTP(ctx context.Context, tenant string) (gen.TOTPEnrolment, error) {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return gen.TOTPEnrolment{}, err
	}
	en, err := a.mfa.BeginTOTP(ctx, tg, u)
	if err != nil {
		return gen.TOTPEnrolment{}, err
	}
	return gen.TOTPEnrolment{EnrolmentID: en.ID, Secret: en.Secret, OtpauthURL: en.URL, ExpiresAt: en.ExpiresAt,
		QrCode: "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(en.QRSVG)}, nil
}

func (a *Factors) confirmMyTOTP(ctx context.Context, tenant, enrolmentID string, in *gen.TOTPConfirmation) (gen.MFAFactor, error) {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return gen.MFAFactor{}, err
	}
	if in == nil {
		return gen.MFAFactor{}, httpx.Validation("A request body is required.")
	}
	name := ""
	if in.Name != nil {
		name = *in.Name
	}
	f, err := a.mfa.ConfirmTOTP(ctx, tg, u, enrolmentID, in.Code, name)
	if err != nil {
		return gen.MFAFactor{}, restapi.MFAProblem(err, "/code")
	}
	return restapi.MFAFactorJSON(f), nil
}

func (a *Factors) startMyWebAuthn(ctx context.Context, tenant string, in *gen.WebAuthnRegistrationStart) (gen.WebAuthnRegistration, error) {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return gen.WebAuthnRegistration{}, err
	}
	discoverable := in != nil && in.Discoverable != nil && *in.Discoverable
	id, opts, err := a.mfa.BeginWebAuthnRegistration(ctx, tg, u, discoverable)
	if err != nil {
		return gen.WebAuthnRegistration{}, restapi.MFAProblem(err, "")
	}
	out := gen.WebAuthnRegistration{EnrolmentID: id}
	if err := json.Unmarshal(opts, &out.Options); err != nil {
		return gen.WebAuthnRegistration{}, err
	}
	return out, nil
}

func (a *Factors) finishMyWebAuthn(ctx context.Context, tenant, enrolmentID string, in *gen.WebAuthnRegistrationFinish) (gen.MFAFactor, error) {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return gen.MFAFactor{}, err
	}
	if in == nil {
		return gen.MFAFactor{}, httpx.Validation("A request body is required.")
	}
	body, err := json.Marshal(in.Credential)
	if err != nil {
		return gen.MFAFactor{}, err
	}
	name := ""
	if in.Name != nil {
		name = *in.Name
	}
	f, err := a.mfa.FinishWebAuthnRegistration(ctx, tg, u, enrolmentID, name, body)
	if err != nil {
		return gen.MFAFactor{}, restapi.MFAProblem(err, "/credential")
	}
	return restapi.MFAFactorJSON(f), nil
}

func (a *Factors) regenerateMyCodes(ctx context.Context, tenant string) (gen.RecoveryCodes, error) {
	u, tg, err := a.myMFA(ctx, tenant, true)
	if err != nil {
		return gen.RecoveryCodes{}, err
	}
	codes, err := a.mfa.GenerateRecoveryCodes(ctx, tg, u)
	if err != nil {
		return gen.RecoveryCodes{}, err
	}
	return gen.RecoveryCodes{Codes: codes}, nil
}

func (a *Factors) ListMyMFAFactors(ctx context.Context, r gen.ListMyMFAFactorsRequestObject) (gen.ListMyMFAFactorsResponseObject, error) {
	v, err := a.listMyFactors(ctx, "", r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListMyMFAFactors200JSONResponse(v), nil
}

func (a *Factors) ListTenantMyMFAFactors(ctx context.Context, r gen.ListTenantMyMFAFactorsRequestObject) (gen.ListTenantMyMFAFactorsResponseObject, error) {
	v, err := a.listMyFactors(ctx, r.Tenant, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantMyMFAFactors200JSONResponse(v), nil
}

func (a *Factors) DeleteMyMFAFactor(ctx context.Context, r gen.DeleteMyMFAFactorRequestObject) (gen.DeleteMyMFAFactorResponseObject, error) {
	if err := a.deleteMyFactor(ctx, "", r.FactorID); err != nil {
		return nil, err
	}
	return gen.DeleteMyMFAFactor204Response{}, nil
}

func (a *Factors) DeleteTenantMyMFAFactor(ctx context.Context, r gen.DeleteTenantMyMFAFactorRequestObject) (gen.DeleteTenantMyMFAFactorResponseObject, error) {
	if err := a.deleteMyFactor(ctx, r.Tenant, r.FactorID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantMyMFAFactor204Response{}, nil
}

func (a *Factors) RenameMyMFAFactor(ctx context.Context, r gen.RenameMyMFAFactorRequestObject) (gen.RenameMyMFAFactorResponseObject, error) {
	v, err := a.renameMyFactor(ctx, "", r.FactorID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RenameMyMFAFactor200JSONResponse(v), nil
}

func (a *Factors) RenameTenantMyMFAFactor(ctx context.Context, r gen.RenameTenantMyMFAFactorRequestObject) (gen.RenameTenantMyMFAFactorResponseObject, error) {
	v, err := a.renameMyFactor(ctx, r.Tenant, r.FactorID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RenameTenantMyMFAFactor200JSONResponse(v), nil
}

func (a *Factors) StartMyTOTPEnrolment(ctx context.Context, _ gen.StartMyTOTPEnrolmentRequestObject) (gen.StartMyTOTPEnrolmentResponseObject, error) {
	v, err := a.startMyTOTP(ctx, "")
	if err != nil {
		return nil, err
	}
	return gen.StartMyTOTPEnrolment200JSONResponse(v), nil
}

func (a *Factors) StartTenantMyTOTPEnrolment(ctx context.Context, r gen.StartTenantMyTOTPEnrolmentRequestObject) (gen.StartTenantMyTOTPEnrolmentResponseObject, error) {
	v, err := a.startMyTOTP(ctx, r.Tenant)
	if err != nil {
		return nil, err
	}
	return gen.StartTenantMyTOTPEnrolment200JSONResponse(v), nil
}

func (a *Factors) ConfirmMyTOTPEnrolment(ctx context.Context, r gen.ConfirmMyTOTPEnrolmentRequestObject) (gen.ConfirmMyTOTPEnrolmentResponseObject, error) {
	v, err := a.confirmMyTOTP(ctx, "", r.EnrolmentID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.ConfirmMyTOTPEnrolment200JSONResponse(v), nil
}

func (a *Factors) ConfirmTenantMyTOTPEnrolment(ctx context.Context, r gen.ConfirmTenantMyTOTPEnrolmentRequestObject) (gen.ConfirmTenantMyTOTPEnrolmentResponseObject, error) {
	v, err := a.confirmMyTOTP(ctx, r.Tenant, r.EnrolmentID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.ConfirmTenantMyTOTPEnrolment200JSONResponse(v), nil
}

func (a *Factors) StartMyWebAuthnRegistration(ctx context.Context, r gen.StartMyWebAuthnRegistrationRequestObject) (gen.StartMyWebAuthnRegistrationResponseObject, error) {
	v, err := a.startMyWebAuthn(ctx, "", r.Body)
	if err != nil {
		return nil, err
	}
	return gen.StartMyWebAuthnRegistration200JSONResponse(v), nil
}

func (a *Factors) StartTenantMyWebAuthnRegistration(ctx context.Context, r gen.StartTenantMyWebAuthnRegistrationRequestObject) (gen.StartTenantMyWebAuthnRegistrationResponseObject, error) {
	v, err := a.startMyWebAuthn(ctx, r.Tenant, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.StartTenantMyWebAuthnRegistration200JSONResponse(v), nil
}

func (a *Factors) FinishMyWebAuthnRegistration(ctx context.Context, r gen.FinishMyWebAuthnRegistrationRequestObject) (gen.FinishMyWebAuthnRegistrationResponseObject, error) {
	v, err := a.finishMyWebAuthn(ctx, "", r.EnrolmentID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.FinishMyWebAuthnRegistration200JSONResponse(v), nil
}

func (a *Factors) FinishTenantMyWebAuthnRegistration(ctx context.Context, r gen.FinishTenantMyWebAuthnRegistrationRequestObject) (gen.FinishTenantMyWebAuthnRegistrationResponseObject, error) {
	v, err := a.finishMyWebAuthn(ctx, r.Tenant, r.EnrolmentID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.FinishTenantMyWebAuthnRegistration200JSONResponse(v), nil
}

func (a *Factors) RegenerateMyRecoveryCodes(ctx context.Context, _ gen.RegenerateMyRecoveryCodesRequestObject) (gen.RegenerateMyRecoveryCodesResponseObject, error) {
	v, err := a.regenerateMyCodes(ctx, "")
	if err != nil {
		return nil, err
	}
	return gen.RegenerateMyRecoveryCodes200JSONResponse(v), nil
}

func (a *Factors) RegenerateTenantMyRecoveryCodes(ctx context.Context, r gen.RegenerateTenantMyRecoveryCodesRequestObject) (gen.RegenerateTenantMyRecoveryCodesResponseObject, error) {
	v, err := a.regenerateMyCodes(ctx, r.Tenant)
	if err != nil {
		return nil, err
	}
	return gen.RegenerateTenantMyRecoveryCodes200JSONResponse(v), nil
}

// forgetMyDevices revokes the caller's remembered devices. It makes the
// account safer, so it needs neither a recent sign-in nor the factor.
func (a *Factors) forgetMyDevices(ctx context.Context, tenant string) error {
	u, tg, err := a.myMFA(ctx, tenant, false)
	if err != nil {
		return err
	}
	return a.mfa.ForgetDevices(ctx, tg, u.ID)
}

func (a *Factors) ForgetMyRememberedDevices(ctx context.Context, _ gen.ForgetMyRememberedDevicesRequestObject) (gen.ForgetMyRememberedDevicesResponseObject, error) {
	if err := a.forgetMyDevices(ctx, ""); err != nil {
		return nil, err
	}
	return gen.ForgetMyRememberedDevices204Response{}, nil
}

func (a *Factors) ForgetTenantMyRememberedDevices(ctx context.Context, r gen.ForgetTenantMyRememberedDevicesRequestObject) (gen.ForgetTenantMyRememberedDevicesResponseObject, error) {
	if err := a.forgetMyDevices(ctx, r.Tenant); err != nil {
		return nil, err
	}
	return gen.ForgetTenantMyRememberedDevices204Response{}, nil
}

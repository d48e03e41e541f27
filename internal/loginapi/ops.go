package loginapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// The operations: each hands its body to its step and answers with the
// contract's success response; errors go to the strict server's error
// handler, which writes them as problems.

func (a *API) AuthenticateLogin(ctx context.Context, req gen.AuthenticateLoginRequestObject) (gen.AuthenticateLoginResponseObject, error) {
	c := from(ctx)
	res, err := a.steps.Authenticate(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	return gen.AuthenticateLogin200JSONResponse{Body: res}, nil
}

func (a *API) ConsentLogin(ctx context.Context, req gen.ConsentLoginRequestObject) (gen.ConsentLoginResponseObject, error) {
	c := from(ctx)
	res, err := a.steps.Consent(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	return gen.ConsentLogin200JSONResponse(res), nil
}

func (a *API) ChooseLoginOrganization(ctx context.Context, req gen.ChooseLoginOrganizationRequestObject) (gen.ChooseLoginOrganizationResponseObject, error) {
	c := from(ctx)
	res, err := a.steps.Organization(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	return gen.ChooseLoginOrganization200JSONResponse(res), nil
}

func (a *API) LoginMFAChallenge(ctx context.Context, req gen.LoginMFAChallengeRequestObject) (gen.LoginMFAChallengeResponseObject, error) {
	c := from(ctx)
	res, err := a.steps.MFAChallenge(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	return gen.LoginMFAChallenge200JSONResponse(res), nil
}

func (a *API) LoginMFAVerify(ctx context.Context, req gen.LoginMFAVerifyRequestObject) (gen.LoginMFAVerifyResponseObject, error) {
	c := from(ctx)
	res, err := a.steps.MFAVerify(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	return gen.LoginMFAVerify200JSONResponse{Body: res}, nil
}

func (a *API) RegisterUser(ctx context.Context, req gen.RegisterUserRequestObject) (gen.RegisterUserResponseObject, error) {
	c := from(ctx)
	sent, done, err := a.steps.Register(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	if done != nil {
		return gen.RegisterUser200JSONResponse{Body: *done}, nil
	}
	return gen.RegisterUser202JSONResponse(*sent), nil
}

func (a *API) VerifyEmail(ctx context.Context, req gen.VerifyEmailRequestObject) (gen.VerifyEmailResponseObject, error) {
	c := from(ctx)
	res, err := a.steps.Verify(c.w, c.r, c.t, *req.Body)
	if err != nil {
		return nil, err
	}
	return gen.VerifyEmail200JSONResponse{Body: res}, nil
}

func (a *API) StartPasswordRecovery(ctx context.Context, req gen.StartPasswordRecoveryRequestObject) (gen.StartPasswordRecoveryResponseObject, error) {
	c := from(ctx)
	if err := a.steps.Recover(c.w, c.r, c.t, *req.Body); err != nil {
		return nil, err
	}
	return gen.StartPasswordRecovery202Response{}, nil
}

func (a *API) ResetPassword(ctx context.Context, req gen.ResetPasswordRequestObject) (gen.ResetPasswordResponseObject, error) {
	c := from(ctx)
	if err := a.steps.Reset(c.w, c.r, c.t, *req.Body); err != nil {
		return nil, err
	}
	return gen.ResetPassword204Response{}, nil
}

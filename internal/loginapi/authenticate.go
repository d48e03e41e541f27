package loginapi

import (
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Authenticate is authenticateLogin; ops.go answers with its result.
func (h *steps) Authenticate(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginAuthenticateRequest) (gen.LoginResult, error) {
	return result(h.apiAuthenticate(w, r, t, req))
}

// Consent is consentLogin; ops.go answers with its result.
func (h *steps) Consent(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginConsentRequest) (gen.LoginResult, error) {
	return result(h.apiConsent(w, r, t, req))
}

// result is an operation's answer for loginapi: the result, or the
// error as a problem.
func result[T any](res *T, err error) (T, error) {
	if err != nil || res == nil {
		var zero T
		if err == nil {
			err = errors.New("login: no result")
		}
		return zero, loginflow.Problem(err)
	}
	return *res, nil
}

func (h *steps) apiAuthenticate(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginAuthenticateRequest) (*gen.LoginResult, error) {
	in, err := h.p.Interaction(r.Context(), t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if !in.FirstParty {
		return nil, loginflow.ErrNotFirstParty
	}
	if err := h.LimitSignIn(r, t, req.Identifier); err != nil {
		return nil, loginflow.LimitedProblem(err)
	}
	amr := []string{factor.AMRPassword}
	r, u, fed, err := h.directorySignIn(r, t, in, req) // federation.go
	if fed == nil && err == nil {
		r, u, err = h.CheckPassword(r, t, in.Client.ID, req.Identifier, req.Password)
	} else if fed != nil {
		amr = authn.FederatedAMR(t, *fed)
	}
	if errors.Is(err, authn.ErrEmailUnverified) {
		if err := h.SendVerification(r, t, u, in); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	if in.Request.UserID != "" && in.Request.UserID != u.ID {
		return h.FailResult(r, in, oidc.RefuseLoginRequired)
	}
	s, err := h.StartSessionWith(w, r, t, u, in.Client.ID, amr)
	if err != nil {
		return nil, err
	}
	if err := h.RiskSignedIn(w, r, t, s, u); err != nil {
		return nil, err
	}
	res, err := h.Next(r, in, &loginflow.Account{Session: s, User: u})
	if err != nil {
		return nil, err
	}
	if res.Status != gen.LoginResultStatusMfaRequired {
		h.Record(r, t, events.LoginSucceeded, u.ID, map[string]any{"client_id": in.Client.ID, "amr": s.AMR, "acr": s.ACR, "api": true})
	}
	return res, nil
}

func (h *steps) apiConsent(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginConsentRequest) (*gen.LoginResult, error) {
	in, acct, err := h.satisfyingAccount(r, t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if !req.Approve {
		return h.FailResult(r, in, oidc.RefuseAccessDenied)
	}
	if err := h.p.GrantConsent(r.Context(), in, acct.Session.UserID); err != nil {
		return nil, err
	}
	h.Record(r, in.Tenant, events.ConsentGranted, acct.Session.UserID, map[string]any{"client_id": in.Client.ID, "scopes": in.Request.Scopes})
	return h.CompleteResult(r, in, acct.Session)
}

// Organization is chooseLoginOrganization: the signed-in user's answer to
// the organization picker (organization_required).
func (h *steps) Organization(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginOrganizationRequest) (gen.LoginResult, error) {
	return result(h.apiOrganization(r, t, req))
}

func (h *steps) apiOrganization(r *http.Request, t *tenancy.Tenant, req gen.LoginOrganizationRequest) (*gen.LoginResult, error) {
	in, acct, err := h.satisfyingAccount(r, t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if req.Organization != "" || in.OrganizationUsage != oauth.OrganizationOptional || in.Request.OrgID != "" {
		if err := h.p.ChooseOrganization(r.Context(), in, acct.Session.UserID, req.Organization); err != nil {
			return nil, err // not a member: 403; not asked, or already scoped: 404
		}
	}
	return h.AfterOrganization(r, in, acct, nil)
}

// satisfyingAccount is the first-party request authRequestID and the
// session's account, for the steps after sign-in (consent, organization):
// the session must satisfy the request and have its factors; a sign-in
// that still owes a step is told which.
func (h *steps) satisfyingAccount(r *http.Request, t *tenancy.Tenant, authRequestID string) (*oidc.Interaction, *loginflow.Account, error) {
	in, err := h.p.Interaction(r.Context(), t, authRequestID)
	if err != nil {
		return nil, nil, err
	}
	if !in.FirstParty {
		return nil, nil, loginflow.ErrNotFirstParty
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return nil, nil, err
	}
	if acct == nil {
		if p, err := h.Unfinished(r, t); p != nil || err != nil {
			if err == nil {
				err = h.apiOwed(r, in, p.Session)
			}
			return nil, nil, err
		}
	}
	if acct == nil || !h.Satisfies(in, acct.Session) {
		return nil, nil, loginflow.ErrNoSession
	}
	if lacks, err := h.LacksFactor(r, in, acct); lacks || err != nil {
		if err == nil {
			err = loginflow.MFARequired(in)
		}
		return nil, nil, err
	}
	return in, acct, nil
}

// apiOwed is the problem for a session that still owes a step of its
// sign-in: a password change, or else the factor.
func (h *steps) apiOwed(r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	if loginflow.OnlyOwes(s, oauth.StepPasswordChange) {
		if err := h.PasswordChangeGate(r, in, s); err != nil {
			return err
		}
		return loginflow.ErrNoSession
	}
	return loginflow.MFARequired(in)
}

package login

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The JSON endpoints of webauthn.js, the pages' only script: begin hands
// out the options for navigator.credentials.get/create, finish takes the
// browser's PublicKeyCredential and answers where to go next. They are
// part of the pages, not of the login API: the CSRF token of the page
// comes in the X-CSRF-Token header, and the session cookie says who.
//
//	/login/mfa/webauthn/*  a passkey or security key as the second factor
//	/login/mfa/passkey/*   passwordless sign-in with a discoverable passkey
//	/login/mfa/register/*  enrol a passkey at sign-in

var limitPasskeyPerIP = ratelimit.Limit{Rate: 60, Per: time.Minute}

type webauthnBegin struct {
	AuthRequestID string `json:"auth_request_id"`
}

type webauthnFinish struct {
	AuthRequestID string          `json:"auth_request_id"`
	ChallengeID   string          `json:"challenge_id"`
	Credential    json.RawMessage `json:"credential"`
	Remember      bool            `json:"remember,omitempty"`
}

func (b *webauthnBegin) requestID() string  { return b.AuthRequestID }
func (f *webauthnFinish) requestID() string { return f.AuthRequestID }

type webauthnOptions struct {
	ChallengeID string          `json:"challenge_id"`
	Options     json.RawMessage `json:"options"`
}

type webauthnNext struct {
	Redirect string `json:"redirect"`
}

func (h *mfaHandler) mountWebAuthn(api func(string, tenantFunc)) {
	csrf := func(fn tenantFunc) tenantFunc {
		return func(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
			if !h.CheckCSRFToken(r, t, formMFA, r.Header.Get("X-CSRF-Token")) {
				return httpx.Forbidden("The CSRF token is missing or invalid: reload the page.")
			}
			return fn(w, r, t)
		}
	}
	api("POST /login/mfa/webauthn/begin", csrf(h.webauthnBegin))
	api("POST /login/mfa/webauthn/finish", csrf(h.webauthnFinish))
	api("POST /login/mfa/passkey/begin", csrf(h.passkeyBegin))
	api("POST /login/mfa/passkey/finish", csrf(h.passkeyFinish))
	api("POST /login/mfa/register/begin", csrf(h.registerBegin))
	api("POST /login/mfa/register/finish", csrf(h.registerFinish))
}

// signedInFor decodes a request body into v, then loads the
// authorization request it names and the session that is signing in for
// it (to add a factor); without one the call is refused.
func (h *flow) signedInFor(r *http.Request, t *tenancy.Tenant, v interface{ requestID() string }, required ...string) (*oidc.Interaction, *loginflow.Account, error) {
	if err := decodeJSON(r, v, required...); err != nil {
		return nil, nil, err
	}
	return h.SignedInFor(r, t, v.requestID())
}

func writeOptions(w http.ResponseWriter, id string, opts []byte) error {
	httpx.WriteJSON(w, http.StatusOK, webauthnOptions{ChallengeID: id, Options: opts})
	return nil
}

func (h *mfaHandler) webauthnBegin(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, err := h.signedInFor(r, t, &webauthnBegin{}, "auth_request_id")
	if err != nil {
		return err
	}
	ch, err := h.mfa.BeginChallenge(r.Context(), authn.ChallengeTarget(t, acct.Session), acct.User, factor.WebAuthn, loginflow.Lang(in.Request.UILocales, r).String())
	if err != nil {
		return loginflow.MFAProblem(err)
	}
	return writeOptions(w, ch.ID, ch.WebAuthnOptions)
}

func (h *mfaHandler) webauthnFinish(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	var req webauthnFinish
	in, acct, err := h.signedInFor(r, t, &req, "auth_request_id", "challenge_id", "credential")
	if err != nil {
		return err
	}
	res, err := h.mfa.Verify(r.Context(), authn.ChallengeTarget(t, acct.Session), req.ChallengeID, mfa.Answer{WebAuthn: req.Credential})
	if err == nil && res.UserID != acct.User.ID {
		err = mfa.ErrUnknownChallenge
	}
	if err != nil {
		h.Record(r, t, events.LoginFailed, acct.User.ID, map[string]any{"reason": "mfa_webauthn"})
		if loginflow.WrongAnswer(err) {
			h.ChallengeFailed(r, t, acct.Session, in.Client.ID)
		}
		return loginflow.MFAProblem(err)
	}
	remember := 0
	if req.Remember {
		need, err := h.MFANeeded(r, in, acct.Session, acct.User)
		if err != nil {
			return err
		}
		if need != nil {
			remember = need.Remember
		}
	}
	up, err := h.StepUp(w, r, in, acct.Session, res, remember)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, webauthnNext{Redirect: nextURL(in, up)})
	return nil
}

func (h *mfaHandler) passkeyBegin(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	var req webauthnBegin
	if err := decodeJSON(r, &req, "auth_request_id"); err != nil {
		return err
	}
	if _, err := h.p.Interaction(r.Context(), t, req.AuthRequestID); err != nil {
		return err
	}
	// The sign-in page starts one on every visit (conditional UI), so
	// the limit is laxer than the onboarding steps'.
	if err := h.Allow(r, "passkey:ip:"+sessions.ClientIP(r), limitPasskeyPerIP); err != nil {
		return loginflow.LimitedProblem(err)
	}
	ch, err := h.mfa.BeginPasskeyLogin(r.Context(), loginflow.MFATarget(t))
	if err != nil {
		return loginflow.MFAProblem(err)
	}
	return writeOptions(w, ch.ID, ch.WebAuthnOptions)
}

// passkeyFinish signs in with a discoverable passkey: the authenticator
// names the user, and its user verification is the second factor.
func (h *mfaHandler) passkeyFinish(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	var req webauthnFinish
	if err := decodeJSON(r, &req, "auth_request_id", "challenge_id", "credential"); err != nil {
		return err
	}
	in, err := h.p.Interaction(r.Context(), t, req.AuthRequestID)
	if err != nil {
		return err
	}
	res, err := h.mfa.Verify(r.Context(), loginflow.MFATarget(t), req.ChallengeID, mfa.Answer{WebAuthn: req.Credential})
	if err != nil {
		h.Record(r, t, events.LoginFailed, "", map[string]any{"reason": "passkey"})
		if loginflow.WrongAnswer(err) {
			h.PasskeyFailed(r, t, req.Credential, in.Client.ID)
		}
		return loginflow.MFAProblem(err)
	}
	u, err := t.Store.Users().Get(r.Context(), t.ID, res.UserID)
	if err != nil || (in.Request.UserID != "" && in.Request.UserID != u.ID) {
		h.Record(r, t, events.LoginFailed, res.UserID, map[string]any{"reason": "passkey_user"})
		return errBadCredentials
	}
	ar, err := h.authn.Authenticate(r.Context(), h.AuthnRequest(w, r, t, in.Client.ID), authn.Passkey{User: u})
	r, u, err = loginflow.Accepted(r, ar, err)
	if err != nil {
		return loginflow.LimitedProblem(err)
	}
	if err := h.RiskSignedIn(w, r, t, nil, u); err != nil {
		return err
	}
	s, err := h.StartSessionWith(w, r, t, u, in.Client.ID, sessions.MergeAMR(nil, res.AMR))
	if err != nil {
		return err
	}
	h.Record(r, t, events.LoginSucceeded, u.ID, map[string]any{"client_id": in.Client.ID, "amr": s.AMR, "acr": s.ACR, "factor_type": string(factor.WebAuthn)})
	httpx.WriteJSON(w, http.StatusOK, webauthnNext{Redirect: nextURL(in, s)})
	return nil
}

// errRegisterRefused answers a passkey enrolment at sign-in the session
// may not make (mayEnrol).
var errRegisterRefused = httpx.Forbidden("No factor may be enrolled for this sign-in: answer with a factor you have.")

// registerContext is signedInFor for the enrolment endpoints: only a
// session that may enrol at sign-in (mayEnrol) gets through.
func (h *mfaHandler) registerContext(r *http.Request, t *tenancy.Tenant, v interface{ requestID() string }, required ...string) (*oidc.Interaction, *loginflow.Account, error) {
	in, acct, err := h.signedInFor(r, t, v, required...)
	if err != nil {
		return nil, nil, err
	}
	need, err := h.MFANeeded(r, in, acct.Session, acct.User)
	if err != nil {
		return nil, nil, err
	}
	if !authn.MayEnrol(acct.Session, need) {
		return nil, nil, errRegisterRefused
	}
	return in, acct, nil
}

func (h *mfaHandler) registerBegin(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	_, acct, err := h.registerContext(r, t, &webauthnBegin{}, "auth_request_id")
	if err != nil {
		return err
	}
	id, opts, err := h.mfa.BeginWebAuthnRegistration(r.Context(), loginflow.MFATarget(t), acct.User, true)
	if err != nil {
		return loginflow.MFAProblem(err)
	}
	return writeOptions(w, id, opts)
}

// registerFinish enrols the passkey, then sends the browser to use it:
// the sign-in counts the factor when it is used, not when it is made.
func (h *mfaHandler) registerFinish(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	var req webauthnFinish
	in, acct, err := h.registerContext(r, t, &req, "auth_request_id", "challenge_id", "credential")
	if err != nil {
		return err
	}
	if _, err := h.mfa.FinishWebAuthnRegistration(r.Context(), loginflow.MFATarget(t), acct.User, req.ChallengeID, "Passkey", req.Credential); err != nil {
		return loginflow.MFAProblem(err)
	}
	httpx.WriteJSON(w, http.StatusOK, webauthnNext{Redirect: loginflow.MFAURL(in, string(factor.WebAuthn))})
	return nil
}

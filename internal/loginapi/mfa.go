package loginapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The second factor in the headless login API (api/openapi.yaml,
// loginMFAChallenge and loginMFAVerify): the JSON form of the
// second-factor page. authenticateLogin and verifyEmail answer
// mfa_required with the methods the user can use; the app starts a
// challenge of one, sends the answer, and hears what comes next as from
// authenticateLogin. Same mfa service, attempt limit and session step-up
// as the pages; enrolment goes through the account API, which takes the
// session cookie.

// MFAChallenge is loginMFAChallenge; ops.go answers with its result.
func (h *steps) MFAChallenge(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginMFAChallengeRequest) (gen.LoginMFAChallenge, error) {
	return result(h.apiMFAChallenge(r, t, req))
}

// MFAVerify is loginMFAVerify; ops.go answers with its result.
func (h *steps) MFAVerify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginMFAVerifyRequest) (gen.LoginResult, error) {
	return result(h.apiMFAVerify(w, r, t, req))
}

var (
	errNoFactorDue      = httpx.Forbidden("No second factor is due for this sign-in.")
	errMethodNotOffered = httpx.Forbidden("The user cannot answer with this method here: use one of the methods of mfa.methods.")
)

// mfaAPIContext loads what both operations need: a first-party request,
// the session signing in for it, and what the session lacks (nil for
// nothing).
func (h *steps) mfaAPIContext(r *http.Request, t *tenancy.Tenant, authRequestID string) (*oidc.Interaction, *loginflow.Account, *authn.Need, error) {
	in, acct, err := h.SignedInFor(r, t, authRequestID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !in.FirstParty {
		return nil, nil, nil, loginflow.ErrNotFirstParty
	}
	need, err := h.MFANeeded(r, in, acct.Session, acct.User)
	return in, acct, need, err
}

func (h *steps) apiMFAChallenge(r *http.Request, t *tenancy.Tenant, req gen.LoginMFAChallengeRequest) (*gen.LoginMFAChallenge, error) {
	in, acct, need, err := h.mfaAPIContext(r, t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if !req.Method.Valid() {
		return nil, httpx.Validation("The request body is invalid.", httpx.FieldError{Field: "/method", Message: "is not a known method"})
	}
	if need == nil {
		return nil, errNoFactorDue
	}
	prompt, err := h.MFAPrompt(r, t, acct.User, need)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(prompt.Methods, req.Method) {
		return nil, errMethodNotOffered
	}
	ch, err := h.mfa.BeginChallenge(r.Context(), need.Target, acct.User, factor.FactorType(req.Method), loginflow.Lang(in.Request.UILocales, r).String())
	if err != nil {
		return nil, loginflow.MFAProblem(err)
	}
	out := gen.LoginMFAChallenge{ChallengeID: ch.ID, Method: req.Method, ExpiresAt: ch.ExpiresAt}
	if ch.Masked != "" {
		out.Masked = &ch.Masked
	}
	if len(ch.WebAuthnOptions) > 0 {
		var opts map[string]any
		if err := json.Unmarshal(ch.WebAuthnOptions, &opts); err != nil {
			return nil, err
		}
		out.WebauthnOptions = &opts
	}
	return &out, nil
}

func (h *steps) apiMFAVerify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.LoginMFAVerifyRequest) (*gen.LoginResult, error) {
	in, acct, need, err := h.mfaAPIContext(r, t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	answer, err := mfaAnswer(req)
	if err != nil {
		return nil, err
	}
	tg := authn.ChallengeTarget(t, acct.Session)
	res, err := h.mfa.Verify(r.Context(), tg, req.ChallengeID, answer)
	if err == nil && res.UserID != acct.User.ID {
		err = mfa.ErrUnknownChallenge // someone else's challenge
	}
	if err != nil {
		reason := "mfa_code"
		if answer.WebAuthn != nil {
			reason = "mfa_webauthn"
		}
		h.Record(r, t, events.LoginFailed, acct.User.ID, map[string]any{"reason": reason, "api": true})
		if loginflow.WrongAnswer(err) {
			h.ChallengeFailed(r, t, acct.Session, in.Client.ID)
		}
		return nil, h.verifyProblem(r, t, req.ChallengeID, answer, err)
	}
	remember := 0
	if req.RememberDevice != nil && *req.RememberDevice && need != nil {
		remember = need.Remember
	}
	s, err := h.StepUp(w, r, in, acct.Session, res, remember)
	if err != nil {
		return nil, err
	}
	next, err := h.Next(r, in, &loginflow.Account{Session: s, User: acct.User})
	if err != nil {
		return nil, err
	}
	return next, nil
}

// mfaAnswer checks what the contract cannot say (exactly one of code
// and credential) and returns the answer for the mfa service.
func mfaAnswer(b gen.LoginMFAVerifyRequest) (mfa.Answer, error) {
	var fields []httpx.FieldError
	if n := utf8.RuneCountInString(b.ChallengeID); n < 1 || n > 128 {
		fields = append(fields, httpx.FieldError{Field: "/challenge_id", Message: "must be 1 to 128 characters"})
	}
	if b.Code != nil {
		if n := utf8.RuneCountInString(*b.Code); n < 1 || n > 64 {
			fields = append(fields, httpx.FieldError{Field: "/code", Message: "must be 1 to 64 characters"})
		}
	}
	if (b.Code == nil) == (b.Credential == nil) {
		fields = append(fields, httpx.FieldError{Field: "/code", Message: "send exactly one of code and credential"})
	}
	if len(fields) > 0 {
		return mfa.Answer{}, httpx.Validation("The request body is invalid.", fields...)
	}
	if b.Code != nil {
		return mfa.Answer{Code: *b.Code}, nil
	}
	raw, err := json.Marshal(*b.Credential)
	return mfa.Answer{WebAuthn: raw}, err
}

// verifyProblem maps a refused answer: a wrong one is mfa-invalid while
// the challenge lives, and mfa-challenge-expired once that answer used up
// its last attempt, so the app knows to start a new one.
func (h *steps) verifyProblem(r *http.Request, t *tenancy.Tenant, challengeID string, a mfa.Answer, err error) error {
	if !loginflow.WrongAnswer(err) {
		return loginflow.MFAProblem(err)
	}
	c, gerr := t.Store.MFA().GetChallenge(r.Context(), t.ID, challengeID)
	if gerr == nil && !c.Open(h.Now(), mfa.MaxAttempts) {
		return loginflow.MFAProblem(mfa.ErrChallengeDead)
	}
	if a.WebAuthn != nil {
		return loginflow.MFAProblem(err)
	}
	return httpx.NewProblem(http.StatusUnauthorized, loginflow.TypeMFAInvalid, "Verification failed",
		"The code is wrong or was already used. Try again.")
}

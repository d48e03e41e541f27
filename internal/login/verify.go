package login

import (
	"errors"
	"net/http"
	"strings"

	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Email verification: the code form (also the page registration answers
// with), and the link from the mail. The link's GET only shows a confirm
// button that posts the token: mail scanners that prefetch links must not
// redeem it (and get the session). Either proof marks the address
// verified, signs the user in and continues the authorization request the
// user registered from.

// Steps of the verify page.
const (
	verifySent = "sent" // after registration: check your inbox, enter the code
	verifyCode = "code" // enter address and code
	verifyLink = "link" // confirm the link
	verifyDone = "done" // verified, no request to continue
)

type verifyPage struct {
	Step          string
	Action        string
	Email         string
	AuthRequestID string
	Token         string
	// Invalid: the code or link was wrong, expired or used up.
	Invalid bool
	// Resent: a new code was requested (shown whatever happened).
	Resent bool
}

// CodeLabel and CodeButton are the catalog keys of the shared code form
// (templates/codeform.html).
func (verifyPage) CodeLabel() string  { return "field_verification_code" }
func (verifyPage) CodeButton() string { return "button_verify" }

func (h *onboardingHandler) renderVerify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, lang language.Tag, p verifyPage, status int) error {
	v := h.WithCSRF(w, r, t, h.View(t, lang), formVerify)
	p.Action = t.Base + "/verify"
	v.Page = p
	// A redeemed code or link may redirect to the client of the request
	// the user registered from; the link names it only in its stored row.
	id := p.AuthRequestID
	if p.Step == verifyLink && p.Token != "" {
		id = h.verifier.LinkAuthRequest(r.Context(), h.Target(r, t), p.Token)
	}
	h.allowRedirectToRequest(r, t, v, id)
	h.Render(w, r, status, "verify", "verify_title", v)
	return nil
}

func (h *onboardingHandler) verifyPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.verifier == nil {
		return errRegistrationOff
	}
	q := r.URL.Query()
	lang := loginflow.Lang(nil, r)
	if tok := q.Get("token"); tok != "" {
		return h.renderVerify(w, r, t, lang, verifyPage{Step: verifyLink, Token: tok}, http.StatusOK)
	}
	return h.renderVerify(w, r, t, lang, verifyPage{Step: verifyCode, AuthRequestID: q.Get("authRequestID")}, http.StatusOK)
}

func (h *onboardingHandler) verifySubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.verifier == nil {
		return errRegistrationOff
	}
	if err := h.CheckForm(r, t, formVerify); err != nil {
		return err
	}
	ctx := r.Context()
	lang := loginflow.Lang(nil, r)
	f := r.PostForm
	p := verifyPage{Step: verifyCode, Email: strings.TrimSpace(f.Get("email")), AuthRequestID: f.Get("authRequestID")}
	if len(p.AuthRequestID) > 64 {
		p.AuthRequestID = ""
	}
	step := "verify"
	if f.Get("action") == "resend" {
		step = "resend"
	}
	if err := h.LimitIP(r, step); err != nil {
		return limitedPage(w, err)
	}
	tg := h.Target(r, t)
	var done *accounts.Verified
	var err error
	switch {
	case step == "resend":
		if err := h.LimitAddress(r, t, "resend", loginflow.NormalizedAddress(p.Email), loginflow.LimitPerAddress); err != nil {
			return limitedPage(w, err)
		}
		if err := h.verifier.Resend(ctx, tg, p.Email, p.AuthRequestID, lang.String()); err != nil {
			return err
		}
		p.Step, p.Resent = verifySent, true
		return h.renderVerify(w, r, t, lang, p, http.StatusOK)
	case f.Get("token") != "":
		p = verifyPage{Step: verifyLink, Token: f.Get("token")}
		done, err = h.verifier.VerifyLink(ctx, tg, p.Token)
	default:
		if err := h.LimitAddress(r, t, "verify", loginflow.NormalizedAddress(p.Email), loginflow.LimitVerifyPerAddress); err != nil {
			return limitedPage(w, err)
		}
		done, err = h.verifier.VerifyCode(ctx, tg, p.Email, f.Get("code"))
	}
	if errors.Is(err, accounts.ErrInvalidCode) || errors.Is(err, accounts.ErrInvalidLink) {
		p.Invalid = true
		return h.renderVerify(w, r, t, lang, p, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	return h.afterVerify(w, r, t, lang, done)
}

// afterVerify signs the user in and continues the authorization request
// they registered from, if it is still pending; otherwise it says done.
func (h *onboardingHandler) afterVerify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, lang language.Tag, done *accounts.Verified) error {
	return h.signInAndContinue(w, r, t, done.User, done.AuthRequestID, func() error {
		return h.renderVerify(w, r, t, lang, verifyPage{Step: verifyDone}, http.StatusOK)
	})
}

// signInAndContinue signs u in, after a proof of the mailbox, and
// continues the authorization request authRequestID if it is still
// pending; otherwise (or for a disabled or locked user, who is not
// signed in) it renders the page finished renders.
func (h *onboardingHandler) signInAndContinue(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, u *identity.User, authRequestID string, finished func() error) error {
	if u.Disabled || u.Locked(h.now()) {
		return finished()
	}
	in, err := h.p.Interaction(r.Context(), t, authRequestID)
	if err != nil && !errors.Is(err, oidc.ErrUnknownRequest) {
		return err
	}
	clientID := ""
	if in != nil {
		clientID = in.Client.ID
	}
	s, err := h.StartSession(w, r, t, u, clientID)
	if err != nil {
		return err
	}
	if in == nil {
		return finished()
	}
	if in.Request.UserID != "" && in.Request.UserID != u.ID {
		return h.fail(w, r, in, oidc.RefuseLoginRequired)
	}
	return h.proceed(w, r, in, s)
}

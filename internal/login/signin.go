package login

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/login/federationpages"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The sign-in page. The provider sends the browser to
// {issuer}/login?authRequestID=…; from there the request is completed at
// once (single sign-on), after the form, or after consent, or it fails
// back to the client (prompt=none).

// maxIdentifierLen bounds an email address or username.
const maxIdentifierLen = authn.MaxIdentifierLen

// The sign-in's refusals (authn): one error for every failed sign-in, so
// the answer does not tell which accounts exist, and the one a correct
// password of an unverified user gets where verified emails are required.
var (
	errBadCredentials  = authn.ErrBadCredentials
	errEmailUnverified = authn.ErrEmailUnverified
)

func (h *signInHandler) signInPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, err := h.p.Interaction(r.Context(), t, r.URL.Query().Get("authRequestID"))
	if err != nil {
		return err
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return err
	}
	switch {
	case in.Prompt("none"):
		return h.promptNone(w, r, in, acct)
	case acct != nil && in.Prompt("select_account") && r.URL.Query().Get("account") != "other":
		return h.renderSelect(w, r, in, acct)
	case acct != nil && !in.Prompt("select_account") && h.Satisfies(in, acct.Session):
		return h.proceed(w, r, in, acct.Session)
	}
	return h.fed.SignInOrConnection(w, r, in) // connection={id}, login_hint's domain (federationpages)
}

// promptNone never shows a page: it completes with the current session or
// tells the client why it cannot.
func (h *signInHandler) promptNone(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, acct *loginflow.Account) error {
	if acct == nil || !h.Satisfies(in, acct.Session) {
		return h.fail(w, r, in, oidc.RefuseLoginRequired)
	}
	if lacks, err := h.LacksFactor(r, in, acct); lacks || err != nil {
		if err != nil {
			return err
		}
		return h.fail(w, r, in, oidc.RefuseLoginRequired)
	}
	if choices, err := h.p.OrganizationChoices(r.Context(), in, acct.Session.UserID); len(choices) > 0 || err != nil {
		if err != nil && !errors.Is(err, oidc.ErrNoOrganization) {
			return err
		}
		return h.fail(w, r, in, oidc.RefuseInteraction) // the picker, or the refusal, is a page
	}
	need, err := h.p.NeedsConsent(r.Context(), in, acct.Session.UserID)
	if err != nil {
		return err
	}
	if need {
		return h.fail(w, r, in, oidc.RefuseConsentRequired)
	}
	if owed, err := h.PrivacyOwed(r, in, acct.Session.UserID); len(owed) > 0 || err != nil {
		if err != nil {
			return err
		}
		return h.fail(w, r, in, oidc.RefuseConsentRequired) // privacy decisions need a page
	}
	return h.complete(w, r, in, acct.Session)
}

func (h *signInHandler) signInSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formLogin); err != nil {
		return loginpage.WithRetry(err, loginflow.LoginURL(t, r.PostForm.Get("authRequestID")))
	}
	in, err := h.p.Interaction(r.Context(), t, r.PostForm.Get("authRequestID"))
	if err != nil {
		return err
	}
	if r.PostForm.Get("action") == "continue" { // "Continue as …" on the account chooser
		acct, err := h.CurrentAccount(r, t)
		if err != nil {
			return err
		}
		if acct == nil || !h.Satisfies(in, acct.Session) {
			return h.renderSignIn(w, r, in, false)
		}
		return h.proceed(w, r, in, acct.Session)
	}
	if err := h.LimitSignIn(r, t, r.PostForm.Get("identifier")); err != nil {
		return limitedPage(w, err)
	}
	// Identifier-first home-realm discovery: a connection that claims the
	// identifier's email domain takes the sign-in (federationpages).
	if c, err := loginflow.HomeRealm(r.Context(), t, r.PostForm.Get("identifier")); err != nil || (c != nil && in.ConnectionAllowed(c.ID)) {
		if err != nil {
			return err
		}
		return h.fed.ConnectionSubmit(w, r, in, c, r.PostForm.Get("identifier"), r.PostForm.Get("password"))
	}
	r, u, err := h.CheckPassword(r, t, in.Client.ID, r.PostForm.Get("identifier"), r.PostForm.Get("password"))
	if errors.Is(err, errBadCredentials) {
		return h.renderSignIn(w, r, in, true)
	}
	if errors.As(err, new(*loginflow.LimitedError)) {
		return limitedPage(w, err)
	}
	if errors.Is(err, errEmailUnverified) {
		if err := h.SendVerification(r, t, u, in); err != nil {
			return err
		}
		return h.renderUnverified(w, r, in)
	}
	if err != nil {
		return err
	}
	if in.Request.UserID != "" && in.Request.UserID != u.ID {
		// The client asked for a specific user (id_token_hint).
		return h.fail(w, r, in, oidc.RefuseLoginRequired)
	}
	if fc := h.ReadFedState(r, t); fc != nil && fc.Link != nil {
		h.fed.LinkAfterPassword(w, r, in, u, fc) // a federated identity waiting for this account (federationpages)
	}
	s, err := h.StartSession(w, r, t, u, in.Client.ID)
	if err != nil {
		return err
	}
	if err := h.RiskSignedIn(w, r, t, s, u); err != nil {
		return err
	}
	if sent, err := h.mfaGateUser(w, r, in, s, u); sent || err != nil {
		return err
	}
	h.Record(r, t, events.LoginSucceeded, u.ID, map[string]any{"client_id": in.Client.ID, "amr": s.AMR, "acr": s.ACR})
	return h.afterFactors(w, r, in, s)
}

// verifyURL is the verify page that continues the authorization request.
func verifyURL(t *tenancy.Tenant, authRequestID string) string {
	if authRequestID == "" {
		return t.Base + "/verify"
	}
	return t.Base + "/verify?authRequestID=" + url.QueryEscape(authRequestID)
}

// proceed continues a signed-in request: to a second factor the session
// lacks (mfa.go), to consent, or to the client.
func (h *flow) proceed(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	if sent, err := h.mfaGate(w, r, in, s); sent || err != nil {
		return err
	}
	return h.afterFactors(w, r, in, s)
}

// afterFactors continues a request whose session has the factors it
// needs: to consent, or to the client.
func (h *flow) afterFactors(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	if sent, err := h.passwordGate(w, r, in, s); sent || err != nil {
		return err
	}
	if sent, err := h.organizationGate(w, r, in, s); sent || err != nil { // organization.go
		return err
	}
	return h.afterOrganization(w, r, in, s)
}

// afterOrganization continues a request whose organization is settled:
// to consent, or to the client.
func (h *flow) afterOrganization(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	need, err := h.p.NeedsConsent(r.Context(), in, s.UserID)
	if err != nil {
		return err
	}
	if need {
		http.Redirect(w, r, consentURL(in), http.StatusSeeOther)
		return nil
	}
	return h.complete(w, r, in, s)
}

// complete answers the client with the code. The provider writes the
// redirect (or form_post page); the CSP lets that page post to the client.
// A session that still owes a step never completes a request: the
// browser goes back to the sign-in. A user who owes privacy decisions
// (the client's required purposes, or purposes changed since they agreed)
// makes them first in the preference centre, which then completes.
func (h *flow) complete(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	if !s.SignedIn() {
		http.Redirect(w, r, loginflow.LoginURL(in.Tenant, in.Request.ID), http.StatusSeeOther)
		return nil
	}
	owed, err := h.PrivacyOwed(r, in, s.UserID)
	if err != nil {
		return err
	}
	if len(owed) > 0 {
		http.Redirect(w, r, loginflow.PrivacyURL(in.Tenant, in.Request.ID), http.StatusSeeOther)
		return nil
	}
	w.Header().Set("Content-Security-Policy", loginpage.CompletionCSP(in.Request.RedirectURI))
	err = h.p.Complete(r.Context(), w, r, in, s)
	switch {
	case errors.Is(err, oidc.ErrChooseOrganization): // e.g. straight to consent: the picker first
		http.Redirect(w, r, organizationURL(in), http.StatusSeeOther)
		return nil
	case errors.Is(err, oidc.ErrNoOrganization):
		w.Header().Del("Content-Security-Policy")
		return h.refuseNoOrganization(w, r, in)
	}
	return err
}

// fail answers the client with an error at its registered redirect URI.
func (h *flow) fail(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, code string) error {
	w.Header().Set("Content-Security-Policy", loginpage.CompletionCSP(in.Request.RedirectURI))
	h.p.Fail(r.Context(), w, r, in, code)
	return nil
}

func consentURL(in *oidc.Interaction) string {
	return in.Tenant.Base + "/login/consent?authRequestID=" + url.QueryEscape(in.Request.ID)
}

// signInForm is the password form, shared by the login and device pages.
type signInForm struct {
	Action     string
	Hidden     map[string]string
	Identifier string
	Failed     bool
	// VerifyURL, when set, says the email must be verified first and
	// links to the verify page.
	VerifyURL string
}

type signInPage struct {
	ClientName string
	Form       signInForm
	// Register shows the registration link (registration is on for the
	// tenant).
	Register bool
	// Passkey offers passwordless sign-in (webauthn.js), where passkeys
	// can work (mfa.Service.PasskeysUsable).
	Passkey *passkeyUI
	// Connections are the buttons of the tenant's federation connections
	// (federationpages); LinkNotice names the identity provider whose
	// identity this sign-in will link, after LinkRequiredError.
	Connections []federationpages.Button
	LinkNotice  string
}

// passkeyUI is what webauthn.js needs on the sign-in page.
type passkeyUI struct {
	API, CSRF, AuthRequestID string
}

func (h *signInHandler) renderSignIn(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, failed bool) error {
	return h.renderSignInForm(w, r, in, failed, "")
}

// renderUnverified is the sign-in page asking to verify the email first.
func (h *signInHandler) renderUnverified(w http.ResponseWriter, r *http.Request, in *oidc.Interaction) error {
	return h.renderSignInForm(w, r, in, false, verifyURL(in.Tenant, in.Request.ID))
}

func (h *signInHandler) renderSignInForm(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, failed bool, verify string) error {
	t := in.Tenant
	v := h.WithCSRF(w, r, t, h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r)), formLogin)
	v.AllowRedirectTo(in)
	form := signInForm{
		Action: t.Base + "/login",
		Hidden: map[string]string{"authRequestID": in.Request.ID},
	}
	// The hint is shown on the first visit only: after a failure the page
	// must not depend on what was typed (see TestFailuresLookTheSame).
	if failed {
		form.Failed = true
	} else {
		form.Identifier = in.Request.LoginHint
	}
	form.VerifyURL = verify
	p := signInPage{ClientName: loginflow.ClientName(in.Client), Form: form, Register: h.Registration(t) != nil}
	var err error
	if p.Connections, p.LinkNotice, err = h.fed.UI(r, in); err != nil {
		return err
	}
	if h.mfa != nil && h.mfa.PasskeysUsable(loginflow.MFATarget(t)) {
		v.Scripts = true
		p.Passkey = &passkeyUI{API: t.Base + "/login/mfa", CSRF: h.CSRFToken(w, r, t, formMFA), AuthRequestID: in.Request.ID}
	}
	v.Page = p
	h.Render(w, r, http.StatusOK, "signin", "signin_title", v)
	return nil
}

type selectPage struct {
	ClientName    string
	Email         string
	Action        string
	AuthRequestID string
	OtherURL      string
}

// renderSelect is the account chooser of prompt=select_account.
func (h *signInHandler) renderSelect(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, acct *loginflow.Account) error {
	t := in.Tenant
	v := h.WithCSRF(w, r, t, h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r)), formLogin)
	v.AllowRedirectTo(in)
	v.Page = selectPage{
		ClientName: loginflow.ClientName(in.Client), Email: acct.User.Email,
		Action: t.Base + "/login", AuthRequestID: in.Request.ID,
		OtherURL: loginflow.LoginURL(t, in.Request.ID) + "&account=other",
	}
	h.Render(w, r, http.StatusOK, "select", "select_title", v)
	return nil
}

// fedPages is what the federated pages (federationpages) need of the
// sign-in pages.
type fedPages struct{ h *signInHandler }

func (f fedPages) Fail(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, code string) error {
	return f.h.fail(w, r, in, code)
}

func (f fedPages) MFAGate(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (bool, error) {
	return f.h.mfaGateUser(w, r, in, s, u)
}

func (f fedPages) AfterFactors(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	return f.h.afterFactors(w, r, in, s)
}

func (f fedPages) RenderSignIn(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, failed bool) error {
	return f.h.renderSignIn(w, r, in, failed)
}

func (f fedPages) RenderUnverified(w http.ResponseWriter, r *http.Request, in *oidc.Interaction) error {
	return f.h.renderUnverified(w, r, in)
}

func (f fedPages) RenderNotice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, status int, titleKey, messageKey string) {
	f.h.Pages.RenderNotice(w, r, t, status, titleKey, messageKey)
}

func (fedPages) Limited(w http.ResponseWriter, err error) error { return limitedPage(w, err) }

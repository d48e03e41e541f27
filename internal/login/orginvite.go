package login

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The accept page of an invitation into an organization (issue 14):
//
//	GET, POST /invite/organization?token=…
//
// The person proves the account with the invited address: signed in as
// it already (one button), or by its password (which signs nobody in:
// joining an organization is not a sign-in, so no second factor is
// skipped). The invitation is used once.
//
// Without an account the page offers registration in the same step:
//
//	GET, POST /invite/organization/register?token=…[&authRequestID=…]
//
// is the registration form with the invited address locked (the posted
// email is never read); its POST creates the user as registration does,
// verified, a member with the invitation's roles, the invitation used
// (accounts.RegisterInvited), signs them in and continues the
// authorization request if one is attached. The tenant's and the app's
// registration switches do not apply: the invitation is the tenant's
// explicit permission. An address with an account gets the accept page
// instead: registering never creates a second account.

// orgInviteRegisterPath is the invited registration form's path.
const orgInviteRegisterPath = "/invite/organization/register"

const formOrgInvite = "org-invite"

func init() { loginpage.AddPage("orginvite", orgInviteEnglish, orgInviteGerman) }

var orgInviteEnglish = loginpage.Catalog{
	"orginvite_title":         "Join an organization",
	"orginvite_heading":       "Join %s",
	"orginvite_body":          "You were invited to join %s with your account %s.",
	"orginvite_password":      "Enter your password to accept.",
	"orginvite_register":      "There is no account with this address yet. Create one to join.",
	"orginvite_wrong_user":    "You are signed in with another account. Enter the password of the invited account to accept.",
	"orginvite_button":        "Join",
	"orginvite_done":          "You are now a member of %s. Go back to the application to continue.",
	"orginvite_register_lead": "You were invited to join %s. Create your account to accept.",
}

var orgInviteGerman = loginpage.Catalog{
	"orginvite_title":         "Einer Organisation beitreten",
	"orginvite_heading":       "%s beitreten",
	"orginvite_body":          "Sie wurden eingeladen, %s mit Ihrem Konto %s beizutreten.",
	"orginvite_password":      "Geben Sie Ihr Passwort ein, um anzunehmen.",
	"orginvite_register":      "Zu dieser Adresse gibt es noch kein Konto. Legen Sie eines an, um beizutreten.",
	"orginvite_wrong_user":    "Sie sind mit einem anderen Konto angemeldet. Geben Sie das Passwort des eingeladenen Kontos ein, um anzunehmen.",
	"orginvite_button":        "Beitreten",
	"orginvite_done":          "Sie sind jetzt Mitglied von %s. Kehren Sie zur Anwendung zurück, um fortzufahren.",
	"orginvite_register_lead": "Sie wurden eingeladen, %s beizutreten. Legen Sie Ihr Konto an, um anzunehmen.",
}

type orgInvitePage struct {
	Step                 string // form, invalid, register, done
	Action, Token, Email string
	Org                  string
	// Password asks for the account's password (not signed in as it).
	Password  bool
	WrongUser bool
	Failed    bool
	Register  string // the invited registration form
}

func (h *onboardingHandler) mountOrgInvite(page func(string, tenantFunc)) {
	page("GET /invite/organization", h.orgInvitePage)
	page("POST /invite/organization", h.orgInviteSubmit)
	page("GET "+orgInviteRegisterPath, h.orgInviteRegisterPage)
	page("POST "+orgInviteRegisterPath, h.orgInviteRegisterSubmit)
}

func (h *onboardingHandler) renderOrgInvite(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, p orgInvitePage, status int) error {
	p.Action = t.Base + "/invite/organization"
	return h.RenderForm(w, r, t, loginflow.Lang(nil, r), formOrgInvite, "orginvite", p, status)
}

// orgInviteForm is the page for token: who is invited where, and what
// proves the account.
func (h *onboardingHandler) orgInviteForm(r *http.Request, t *tenancy.Tenant, tok string) (orgInvitePage, *identity.User, error) {
	inv, o, err := h.invites.OrgInvitation(r.Context(), t, tok)
	if err != nil {
		return orgInvitePage{}, nil, err
	}
	p := orgInvitePage{Step: "form", Token: tok, Email: inv.Email, Org: o.DisplayName}
	if p.Org == "" {
		p.Org = o.Name
	}
	u, err := t.Store.Users().GetByEmail(r.Context(), t.ID, inv.Email)
	if errors.Is(err, store.ErrNotFound) {
		p.Step = "register"
		q := url.Values{"token": {tok}}
		if id := r.FormValue("authRequestID"); id != "" && len(id) <= 64 {
			q.Set("authRequestID", id)
		}
		p.Register = t.Base + orgInviteRegisterPath + "?" + q.Encode()
		return p, nil, nil
	}
	if err != nil {
		return p, nil, err
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return p, nil, err
	}
	signedIn := acct != nil && acct.Session.SignedIn() && acct.User.ID == u.ID
	p.Password = !signedIn
	p.WrongUser = acct != nil && acct.Session.SignedIn() && !signedIn
	return p, u, nil
}

func (h *onboardingHandler) orgInvitePage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.invites == nil {
		return errInvitesOff
	}
	p, _, err := h.orgInviteForm(r, t, r.URL.Query().Get("token"))
	if errors.Is(err, accounts.ErrInvalidLink) {
		return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "invalid"}, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	return h.renderOrgInvite(w, r, t, p, http.StatusOK)
}

func (h *onboardingHandler) orgInviteSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.invites == nil {
		return errInvitesOff
	}
	if err := h.checkPost(w, r, t, formOrgInvite, "org-invite"); err != nil {
		return err
	}
	tok := r.PostForm.Get("token")
	p, u, err := h.orgInviteForm(r, t, tok)
	if errors.Is(err, accounts.ErrInvalidLink) {
		return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "invalid"}, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	if u == nil {
		return h.renderOrgInvite(w, r, t, p, http.StatusOK) // register first
	}
	if p.Password {
		// The password proves the invited account; it signs nobody in.
		if err := h.LimitSignIn(r, t, p.Email); err != nil {
			return limitedPage(w, err)
		}
		_, pu, err := h.CheckPassword(r, t, "", p.Email, r.PostForm.Get("password"))
		if err != nil || pu.ID != u.ID {
			if errors.As(err, new(*loginflow.LimitedError)) {
				return limitedPage(w, err)
			}
			if err != nil && !errors.Is(err, errBadCredentials) && !errors.Is(err, errEmailUnverified) {
				return err
			}
			p.Failed = true
			return h.renderOrgInvite(w, r, t, p, http.StatusUnauthorized)
		}
	}
	_, err = h.invites.AcceptOrgInvitation(r.Context(), t, tok, u)
	if errors.Is(err, accounts.ErrInvalidLink) || errors.Is(err, accounts.ErrInvitationEmail) {
		return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "invalid"}, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "done", Org: p.Org}, http.StatusOK)
}

// invitedRegistration is the open invitation of token for an address
// without an account: the accept page's data and the pending
// authorization request posted or linked with it (nil for none).
// done is true when the answer is already rendered (the invitation is
// dead, or the address has an account) or failed with err.
func (h *onboardingHandler) invitedRegistration(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, tok string) (p orgInvitePage, in *oidc.Interaction, done bool, err error) {
	p, u, err := h.orgInviteForm(r, t, tok)
	if errors.Is(err, accounts.ErrInvalidLink) {
		return p, nil, true, h.renderOrgInvite(w, r, t, orgInvitePage{Step: "invalid"}, http.StatusBadRequest)
	}
	if err != nil {
		return p, nil, true, err
	}
	if u != nil {
		// An account exists: it accepts by proving itself, never by
		// registering a second one.
		return p, nil, true, h.renderOrgInvite(w, r, t, p, http.StatusConflict)
	}
	in, err = h.p.Interaction(r.Context(), t, r.FormValue("authRequestID"))
	if errors.Is(err, oidc.ErrUnknownRequest) {
		return p, nil, false, nil // none attached, or no longer pending
	}
	return p, in, err != nil, err
}

func (h *onboardingHandler) orgInviteRegisterPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.invites == nil {
		return errInvitesOff
	}
	tok := r.URL.Query().Get("token")
	p, in, done, err := h.invitedRegistration(w, r, t, tok)
	if done {
		return err
	}
	return h.renderRegister(w, r, t, in, registerForm{Email: p.Email, Invitation: tok, InvitedTo: p.Org}, http.StatusOK)
}

func (h *onboardingHandler) orgInviteRegisterSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.invites == nil {
		return errInvitesOff
	}
	if err := h.checkPost(w, r, t, formRegister, "register"); err != nil {
		return err
	}
	tok := r.PostForm.Get("token")
	p, in, done, err := h.invitedRegistration(w, r, t, tok)
	if done {
		return err
	}
	if err := h.LimitAddress(r, t, "register", loginflow.NormalizedAddress(p.Email), loginflow.LimitPerAddress); err != nil {
		return limitedPage(w, err)
	}
	lang := loginflow.Lang(nil, r)
	if in != nil {
		lang = loginflow.Lang(in.Request.UILocales, r)
	}
	// The address is the invitation's: a posted email is never read.
	f := registerForm{Email: p.Email, Invitation: tok, InvitedTo: p.Org}
	reg, attrErrs := readRegistration(r, t, &f, lang)
	u, _, err := h.invites.RegisterInvited(r.Context(), h.Target(r, t), tok, reg)
	if ve, ok := errors.AsType[*identity.ValidationError](err); ok {
		return h.renderRegister(w, r, t, in, f.withErrors(ve, attrErrs), http.StatusUnprocessableEntity)
	}
	switch {
	case errors.Is(err, accounts.ErrInvalidLink):
		return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "invalid"}, http.StatusBadRequest)
	case errors.Is(err, accounts.ErrInvitedAccountExists):
		p, _, err := h.orgInviteForm(r, t, tok)
		if err != nil {
			return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "invalid"}, http.StatusBadRequest)
		}
		return h.renderOrgInvite(w, r, t, p, http.StatusConflict)
	case err != nil:
		return err
	}
	authRequestID := ""
	if in != nil {
		authRequestID = in.Request.ID
	}
	return h.signInAndContinue(w, r, t, u, authRequestID, func() error {
		return h.renderOrgInvite(w, r, t, orgInvitePage{Step: "done", Org: p.Org}, http.StatusOK)
	})
}

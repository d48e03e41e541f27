package login

import (
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The pages of risk-based sign-in: "this wasn't me" (the link of the
// new-device notice) and the password change a breached password, or
// "this wasn't me", requires before any sign-in goes on.

const (
	formNotMe    = "notme"
	formPassword = "password"
)

func init() { loginpage.AddPage("security", securityEnglish, securityGerman) }

var securityEnglish = loginpage.Catalog{
	"notme_title":          "Secure your account",
	"notme_heading":        "This wasn't me",
	"notme_body":           "Sign out every device of %s and reset the password? A mail with a reset link follows.",
	"notme_invalid":        "This link is not valid, has expired or was already used.",
	"notme_done_heading":   "Your account is secured",
	"notme_done_body":      "Every device was signed out. Check your mail for the link to choose a new password.",
	"button_notme":         "Sign out everywhere",
	"password_title":       "Change your password",
	"password_heading":     "Choose a new password",
	"password_body":        "Your password appeared in a data breach or your account was reported as misused. Choose a new one to continue.",
	"button_password_save": "Change password",
}

var securityGerman = loginpage.Catalog{
	"notme_title":          "Konto schützen",
	"notme_heading":        "Das war ich nicht",
	"notme_body":           "Alle Geräte von %s abmelden und das Passwort zurücksetzen? Sie erhalten eine E-Mail mit einem Link zum Zurücksetzen.",
	"notme_invalid":        "Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet.",
	"notme_done_heading":   "Ihr Konto ist geschützt",
	"notme_done_body":      "Alle Geräte wurden abgemeldet. In Ihrer E-Mail finden Sie den Link, um ein neues Passwort zu wählen.",
	"button_notme":         "Überall abmelden",
	"password_title":       "Passwort ändern",
	"password_heading":     "Neues Passwort wählen",
	"password_body":        "Ihr Passwort ist in einem Datenleck aufgetaucht oder Ihr Konto wurde als missbraucht gemeldet. Wählen Sie ein neues, um fortzufahren.",
	"button_password_save": "Passwort ändern",
}

type securityPage struct {
	Step          string // "notme", "notme_invalid", "notme_done" or "password"
	Action        string
	Token         string
	Email         string
	AuthRequestID string
	Errors        []string
}

func (h *riskHandler) mountRisk(page func(string, tenantFunc)) {
	if h.recovery == nil {
		return
	}
	page("GET /login/not-me", h.notMePage)
	page("POST /login/not-me", h.notMeSubmit)
	page("GET /login/password", h.passwordPage)
	page("POST /login/password", h.passwordSubmit)
}

func (h *riskHandler) renderSecurity(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, form, title string, p securityPage, status int) error {
	v := h.WithCSRF(w, r, t, h.View(t, loginflow.Lang(nil, r)), form)
	v.Page = p
	// The password change goes on with the request: to the client.
	h.allowRedirectToRequest(r, t, v, p.AuthRequestID)
	h.Render(w, r, status, "security", title, v)
	return nil
}

// notMePage asks to confirm: a GET (a mail scanner following the link)
// changes nothing.
func (h *riskHandler) notMePage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	tok := r.URL.Query().Get("token")
	u, err := h.recovery.NotMe(r.Context(), h.Target(r, t), tok, false)
	if errors.Is(err, accounts.ErrInvalidLink) {
		return h.renderSecurity(w, r, t, formNotMe, "notme_title", securityPage{Step: "notme_invalid"}, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	p := securityPage{Step: "notme", Action: t.Base + "/login/not-me", Token: tok, Email: u.Email}
	return h.renderSecurity(w, r, t, formNotMe, "notme_title", p, http.StatusOK)
}

// notMeSubmit uses the link up, signs the user out everywhere (sessions,
// refresh and access tokens), requires a new password and mails a reset
// link.
func (h *riskHandler) notMeSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formNotMe); err != nil {
		return err
	}
	ctx := r.Context()
	tg := h.Target(r, t)
	u, err := h.recovery.NotMe(ctx, tg, r.PostForm.Get("token"), true)
	if errors.Is(err, accounts.ErrInvalidLink) {
		return h.renderSecurity(w, r, t, formNotMe, "notme_title", securityPage{Step: "notme_invalid"}, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	refresh, sess, err := h.p.RevokeUserTokens(ctx, t, u.ID, true)
	if err != nil {
		return err
	}
	if err := h.recovery.RequirePasswordChange(ctx, tg, u.ID); err != nil {
		return err
	}
	h.Record(r, t, events.SessionRevoked, u.ID, map[string]any{"reason": "not_me", "sessions": sess, "refresh_tokens": refresh})
	lang := loginflow.Lang(nil, r).String()
	if err := h.recovery.Recover(ctx, tg, accounts.Recovery{Email: u.Email, ResetURL: t.Issuer + "/recover/reset", Lang: lang}); err != nil {
		h.log.WarnContext(ctx, "login: reset mail after \"this wasn't me\" failed", "err", err)
	}
	return h.renderSecurity(w, r, t, formNotMe, "notme_title", securityPage{Step: "notme_done"}, http.StatusOK)
}

// passwordGate sends a session that must change the password to the
// password page and reports whether it did.
func (h *flow) passwordGate(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) (bool, error) {
	must, err := h.OwesPassword(r, in.Tenant, s)
	if !must || err != nil {
		return false, err
	}
	http.Redirect(w, r, loginflow.PasswordURL(in), http.StatusSeeOther)
	return true, nil
}

// passwordContext loads the request and the account that must change
// its password, its session owing nothing else (a second factor or a
// challenge comes first); otherwise it sends the browser back to the
// sign-in (in is nil).
func (h *riskHandler) passwordContext(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, id string) (*oidc.Interaction, *loginflow.Account, error) {
	in, err := h.p.Interaction(r.Context(), t, id)
	if err != nil {
		return nil, nil, err
	}
	acct, err := h.PendingAccount(r, t)
	if err != nil {
		return nil, nil, err
	}
	must := false
	if acct != nil && h.Satisfies(in, acct.Session) && loginflow.OnlyOwes(acct.Session, oauth.StepPasswordChange) {
		if must, err = h.OwesPassword(r, t, acct.Session); err != nil {
			return nil, nil, err
		}
	}
	if !must {
		http.Redirect(w, r, loginflow.LoginURL(t, in.Request.ID), http.StatusSeeOther)
		return nil, nil, nil
	}
	return in, acct, nil
}

func (h *riskHandler) passwordPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, err := h.passwordContext(w, r, t, r.URL.Query().Get("authRequestID"))
	if in == nil || err != nil {
		return err
	}
	p := securityPage{Step: "password", Action: t.Base + "/login/password", AuthRequestID: in.Request.ID, Email: acct.User.Email}
	return h.renderSecurity(w, r, t, formPassword, "password_title", p, http.StatusOK)
}

// passwordSubmit sets the new password (no current password: the user
// has just signed in with it) and continues the request.
func (h *riskHandler) passwordSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formPassword); err != nil {
		return loginpage.WithRetry(err, loginflow.LoginURL(t, r.PostForm.Get("authRequestID")))
	}
	in, acct, err := h.passwordContext(w, r, t, r.PostForm.Get("authRequestID"))
	if in == nil || err != nil {
		return err
	}
	err = h.recovery.ChangeRequiredPassword(r.Context(), h.Target(r, t), acct.User, r.PostForm.Get("password"))
	var ve *identity.ValidationError
	if errors.As(err, &ve) {
		p := securityPage{Step: "password", Action: t.Base + "/login/password", AuthRequestID: in.Request.ID, Email: acct.User.Email}
		for _, fe := range ve.Errors {
			p.Errors = append(p.Errors, fe.Message)
		}
		return h.renderSecurity(w, r, t, formPassword, "password_title", p, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	h.Record(r, t, events.PasswordChanged, acct.User.ID, map[string]any{"reason": "required", "client_id": in.Client.ID})
	s, err := h.sessions.Pay(r.Context(), h.p.SessionScope(t), acct.Session, oauth.StepPasswordChange)
	if err != nil {
		return err
	}
	return h.proceed(w, r, in, s)
}

package login

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Password recovery. /recover asks for the address and always answers
// with the same "if an account exists, we sent a code and a link" page
// (the code form); the mail goes out after the answer, and only to a
// verified address (internal/accounts, recover.go). /recover/reset
// takes the code (with the address) or the link's token, then the new
// password; the link's GET only shows the form, so a mail scanner that
// prefetches it uses nothing up. A reset signs the user out everywhere
// and mails a notice.

// Form names of the recovery pages (CSRF binding).
const (
	formRecover = "recover"
	formReset   = "reset"
)

func init() {
	loginpage.PageNames = append(loginpage.PageNames, "recover")
}

// Steps of the recover page.
const (
	recoverStart    = "start"    // enter the address
	recoverSent     = "sent"     // check your inbox, enter the code
	recoverCode     = "code"     // enter address and code
	recoverPassword = "password" // choose the new password
	recoverBadLink  = "badlink"  // the link is not valid
	recoverDone     = "done"     // changed; sign in
)

type recoverPage struct {
	Step          string
	Action        string // the form's target
	StartURL      string // /recover, to ask for a new code
	ResetURL      string // /recover/reset, the code form
	Email         string
	Code          string
	Token         string
	AuthRequestID string
	// Invalid: the code was wrong, expired or used up.
	Invalid bool
	// Errors are the new password's policy messages.
	Errors    []string
	SignInURL string
}

// CodeLabel and CodeButton are the catalog keys of the shared code form
// (templates/codeform.html).
func (recoverPage) CodeLabel() string  { return "field_reset_code" }
func (recoverPage) CodeButton() string { return "button_continue" }

// mountRecovery adds the password recovery routes.
func (h *recoveryHandler) mountRecovery(page func(string, tenantFunc)) {
	page("GET /recover", h.recoverPage)
	page("POST /recover", h.recoverSubmit)
	page("GET /recover/reset", h.resetPage)
	page("POST /recover/reset", h.resetSubmit)
}

// authRequestParam keeps an authorization request ID of plausible size.
func authRequestParam(id string) string {
	if len(id) > 64 {
		return ""
	}
	return id
}

func (h *recoveryHandler) renderRecover(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, lang language.Tag, p recoverPage, status int) error {
	form := formReset
	p.Action = t.Base + "/recover/reset"
	if p.Step == recoverStart {
		form, p.Action = formRecover, t.Base+"/recover"
	}
	p.StartURL = t.Base + "/recover"
	p.ResetURL = t.Base + "/recover/reset"
	if p.AuthRequestID != "" {
		p.StartURL += "?authRequestID=" + url.QueryEscape(p.AuthRequestID)
		p.ResetURL += "?authRequestID=" + url.QueryEscape(p.AuthRequestID)
	}
	return h.RenderForm(w, r, t, lang, form, "recover", p, status)
}

func (h *recoveryHandler) recoverPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.recovery == nil {
		return errRegistrationOff
	}
	p := recoverPage{Step: recoverStart, AuthRequestID: authRequestParam(r.URL.Query().Get("authRequestID"))}
	return h.renderRecover(w, r, t, loginflow.Lang(nil, r), p, http.StatusOK)
}

func (h *recoveryHandler) recoverSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.recovery == nil {
		return errRegistrationOff
	}
	if err := h.checkPost(w, r, t, formRecover, "recover"); err != nil {
		return err
	}
	p := recoverPage{Step: recoverSent, Email: strings.TrimSpace(r.PostForm.Get("email")),
		AuthRequestID: authRequestParam(r.PostForm.Get("authRequestID"))}
	if err := h.LimitAddress(r, t, "recover", loginflow.NormalizedAddress(p.Email), loginflow.LimitPerAddress); err != nil {
		return limitedPage(w, err)
	}
	lang := loginflow.Lang(nil, r)
	h.StartRecovery(r, t, p.Email, p.AuthRequestID, lang)
	// The same page whatever the address.
	return h.renderRecover(w, r, t, lang, p, http.StatusOK)
}

func (h *recoveryHandler) resetPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.recovery == nil {
		return errRegistrationOff
	}
	q := r.URL.Query()
	lang := loginflow.Lang(nil, r)
	p := recoverPage{Step: recoverCode, AuthRequestID: authRequestParam(q.Get("authRequestID"))}
	if tok := q.Get("token"); tok != "" {
		if err := h.LimitIP(r, "reset"); err != nil {
			return limitedPage(w, err)
		}
		if err := h.LimitToken(r, t, "reset", tok); err != nil {
			return limitedPage(w, err)
		}
		rt, err := h.recovery.CheckReset(r.Context(), h.Target(r, t), accounts.ResetProof{Token: tok})
		if errors.Is(err, accounts.ErrInvalidLink) {
			return h.renderRecover(w, r, t, lang, recoverPage{Step: recoverBadLink}, http.StatusBadRequest)
		}
		if err != nil {
			return err
		}
		p = recoverPage{Step: recoverPassword, Token: tok, AuthRequestID: rt.AuthRequestID}
	}
	return h.renderRecover(w, r, t, lang, p, http.StatusOK)
}

func (h *recoveryHandler) resetSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.recovery == nil {
		return errRegistrationOff
	}
	if err := h.checkPost(w, r, t, formReset, "reset"); err != nil {
		return err
	}
	f := r.PostForm
	lang := loginflow.Lang(nil, r)
	proof := accounts.ResetProof{Email: strings.TrimSpace(f.Get("email")), Code: strings.TrimSpace(f.Get("code")), Token: f.Get("token")}
	p := recoverPage{Step: recoverCode, Email: proof.Email, Code: proof.Code, Token: proof.Token,
		AuthRequestID: authRequestParam(f.Get("authRequestID"))}
	lim := h.LimitToken(r, t, "reset", proof.Token)
	if proof.Token == "" {
		lim = h.LimitAddress(r, t, "reset", loginflow.NormalizedAddress(proof.Email), loginflow.LimitVerifyPerAddress)
	}
	if lim != nil {
		return limitedPage(w, lim)
	}
	invalid := func() error {
		if proof.Token != "" {
			return h.renderRecover(w, r, t, lang, recoverPage{Step: recoverBadLink}, http.StatusBadRequest)
		}
		p.Step, p.Code, p.Invalid = recoverCode, "", true
		return h.renderRecover(w, r, t, lang, p, http.StatusBadRequest)
	}
	ctx := r.Context()
	tg := h.Target(r, t)
	if _, asked := f["password"]; !asked {
		// The code form: check the code, then ask for the password.
		rt, err := h.recovery.CheckReset(ctx, tg, proof)
		if errors.Is(err, accounts.ErrInvalidCode) || errors.Is(err, accounts.ErrInvalidLink) {
			return invalid()
		}
		if err != nil {
			return err
		}
		if p.AuthRequestID == "" {
			p.AuthRequestID = rt.AuthRequestID
		}
		p.Step = recoverPassword
		return h.renderRecover(w, r, t, lang, p, http.StatusOK)
	}
	rt, err := h.recovery.Reset(ctx, tg, h.PasswordReset(t, proof, f.Get("password"), lang))
	var ve *identity.ValidationError
	switch {
	case errors.As(err, &ve):
		p.Step = recoverPassword
		for _, fe := range ve.Errors {
			p.Errors = append(p.Errors, fe.Message)
		}
		return h.renderRecover(w, r, t, lang, p, http.StatusUnprocessableEntity)
	case errors.Is(err, accounts.ErrInvalidCode) || errors.Is(err, accounts.ErrInvalidLink):
		return invalid()
	case err != nil:
		return err
	}
	id := p.AuthRequestID
	if id == "" {
		id = rt.AuthRequestID
	}
	return h.renderRecover(w, r, t, lang, recoverPage{Step: recoverDone, SignInURL: loginflow.LoginURL(t, id)}, http.StatusOK)
}

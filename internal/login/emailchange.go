package login

import (
	"errors"
	"net/http"

	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Email change by link (internal/accounts, email.go): the mail to the
// new address links to GET /email/confirm?token=…, which only shows a
// button, so mail scanners that prefetch links use nothing up; the POST
// redeems the token and switches the address. The code in the same mail
// is redeemed through the account API (verifyMyEmailChange) instead.

const formEmailChange = "emailchange"

func init() { loginpage.AddPage("emailchange", emailChangeEnglish, emailChangeGerman) }

var emailChangeEnglish = loginpage.Catalog{
	"emailchange_title":        "Confirm your new email address",
	"emailchange_body":         "Confirm that this address should be used for your account from now on.",
	"emailchange_invalid":      "This link is not valid, has expired or was already used. Ask for a new one from your account settings.",
	"emailchange_taken":        "This address is already used by another account. Nothing was changed.",
	"emailchange_done_heading": "Email address changed",
	"emailchange_done_body":    "Your account now uses this address. Your old address was told about the change.",
	"button_confirm":           "Confirm",
}

var emailChangeGerman = loginpage.Catalog{
	"emailchange_title":        "Neue E-Mail-Adresse bestätigen",
	"emailchange_body":         "Bestätigen Sie, dass Ihr Konto ab jetzt diese Adresse verwenden soll.",
	"emailchange_invalid":      "Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet. Fordern Sie in Ihren Kontoeinstellungen einen neuen an.",
	"emailchange_taken":        "Diese Adresse wird schon von einem anderen Konto verwendet. Es wurde nichts geändert.",
	"emailchange_done_heading": "E-Mail-Adresse geändert",
	"emailchange_done_body":    "Ihr Konto verwendet jetzt diese Adresse. Ihre alte Adresse wurde über die Änderung informiert.",
	"button_confirm":           "Bestätigen",
}

// Steps of the page.
const (
	emailChangeConfirm = "confirm"
	emailChangeInvalid = "invalid"
	emailChangeTaken   = "taken"
	emailChangeDone    = "done"
)

type emailChangePage struct {
	Step   string
	Action string
	Token  string
}

// mountEmailChange adds the email-change confirmation page.
func (h *onboardingHandler) mountEmailChange(page func(string, tenantFunc)) {
	page("GET /email/confirm", h.emailChangePage)
	page("POST /email/confirm", h.emailChangeSubmit)
}

func (h *onboardingHandler) renderEmailChange(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, lang language.Tag, p emailChangePage, status int) error {
	p.Action = t.Base + "/email/confirm"
	return h.RenderForm(w, r, t, lang, formEmailChange, "emailchange", p, status)
}

func (h *onboardingHandler) emailChangePage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.verifier == nil {
		return errRegistrationOff
	}
	p := emailChangePage{Step: emailChangeConfirm, Token: r.URL.Query().Get("token")}
	if p.Token == "" {
		p.Step = emailChangeInvalid
	}
	return h.renderEmailChange(w, r, t, loginflow.Lang(nil, r), p, http.StatusOK)
}

func (h *onboardingHandler) emailChangeSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.verifier == nil {
		return errRegistrationOff
	}
	if err := h.checkPost(w, r, t, formEmailChange, "emailchange"); err != nil {
		return err
	}
	tok := r.PostForm.Get("token")
	if err := h.LimitToken(r, t, "emailchange", tok); err != nil {
		return limitedPage(w, err)
	}
	lang := loginflow.Lang(nil, r)
	_, err := h.verifier.ConfirmEmailChangeLink(r.Context(), h.Target(r, t), tok, lang.String())
	switch {
	case errors.Is(err, accounts.ErrInvalidLink):
		return h.renderEmailChange(w, r, t, lang, emailChangePage{Step: emailChangeInvalid}, http.StatusBadRequest)
	case errors.Is(err, store.ErrConflict):
		return h.renderEmailChange(w, r, t, lang, emailChangePage{Step: emailChangeTaken}, http.StatusConflict)
	case err != nil:
		return err
	}
	return h.renderEmailChange(w, r, t, lang, emailChangePage{Step: emailChangeDone}, http.StatusOK)
}

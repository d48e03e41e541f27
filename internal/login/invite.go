package login

import (
	"errors"
	"net/http"

	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Invitations (internal/accounts, invite.go): an admin's invitation mail
// links to GET /invite?token=…, which shows the address and a new-password
// form. The GET uses nothing up, so mail scanners that prefetch links do
// no harm; the POST sets the password, marks the address verified, uses
// the token up and signs the user in. Unlike registration, invitations
// work whatever GATEHOUSE_REGISTRATION says: an admin sent them.

const formInvite = "invite"

func init() { loginpage.AddPage("invite", inviteEnglish, inviteGerman) }

var inviteEnglish = loginpage.Catalog{
	"invite_title":        "Accept your invitation",
	"invite_heading":      "Set your password",
	"invite_body":         "You were invited to create an account for %s. Choose a password to finish.",
	"invite_invalid":      "This invitation is not valid, has expired, was revoked or was already used. Ask whoever invited you for a new one.",
	"invite_done_heading": "You're all set",
	"invite_done_body":    "Your password is set and you are signed in. Go back to the application to continue.",
	"button_set_password": "Set password",
}

var inviteGerman = loginpage.Catalog{
	"invite_title":        "Einladung annehmen",
	"invite_heading":      "Passwort festlegen",
	"invite_body":         "Sie wurden eingeladen, ein Konto für %s anzulegen. Wählen Sie ein Passwort, um fortzufahren.",
	"invite_invalid":      "Diese Einladung ist ungültig, abgelaufen, widerrufen oder wurde schon verwendet. Bitten Sie um eine neue Einladung.",
	"invite_done_heading": "Alles erledigt",
	"invite_done_body":    "Ihr Passwort ist gesetzt und Sie sind angemeldet. Kehren Sie zur Anwendung zurück, um fortzufahren.",
	"button_set_password": "Passwort festlegen",
}

// Steps of the invite page.
const (
	inviteForm    = "form"
	inviteInvalid = "invalid"
	inviteDone    = "done"
)

type invitePage struct {
	Step   string
	Action string
	Token  string
	Email  string
	// Errors are field messages by field name (password, form).
	Errors map[string][]string
}

// mountInvite adds the invitation page.
func (h *onboardingHandler) mountInvite(page func(string, tenantFunc)) {
	page("GET /invite", h.invitePage)
	page("POST /invite", h.inviteSubmit)
}

var errInvitesOff = &loginpage.Error{Status: http.StatusNotFound, Key: "error_not_found"}

func (h *onboardingHandler) renderInvite(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, lang language.Tag, p invitePage, status int) error {
	p.Action = t.Base + "/invite"
	return h.RenderForm(w, r, t, lang, formInvite, "invite", p, status)
}

func (h *onboardingHandler) invitePage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.invites == nil {
		return errInvitesOff
	}
	lang := loginflow.Lang(nil, r)
	tok := r.URL.Query().Get("token")
	u, err := h.invites.InvitedUser(r.Context(), h.Target(r, t), tok)
	if errors.Is(err, accounts.ErrInvalidLink) {
		return h.renderInvite(w, r, t, lang, invitePage{Step: inviteInvalid}, http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	return h.renderInvite(w, r, t, lang, invitePage{Step: inviteForm, Token: tok, Email: u.Email}, http.StatusOK)
}

func (h *onboardingHandler) inviteSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.invites == nil {
		return errInvitesOff
	}
	if err := h.checkPost(w, r, t, formInvite, "invite"); err != nil {
		return err
	}
	ctx := r.Context()
	lang := loginflow.Lang(nil, r)
	tok := r.PostForm.Get("token")
	tg := h.Target(r, t)
	u, err := h.invites.AcceptInvite(ctx, tg, tok, r.PostForm.Get("password"))
	var ve *identity.ValidationError
	switch {
	case errors.Is(err, accounts.ErrInvalidLink):
		return h.renderInvite(w, r, t, lang, invitePage{Step: inviteInvalid}, http.StatusBadRequest)
	case errors.As(err, &ve):
		p := invitePage{Step: inviteForm, Token: tok, Errors: fieldErrors(ve)}
		if iu, err := h.invites.InvitedUser(ctx, tg, tok); err == nil {
			p.Email = iu.Email
		}
		return h.renderInvite(w, r, t, lang, p, http.StatusUnprocessableEntity)
	case err != nil:
		return err
	}
	if !u.Disabled && !u.Locked(h.now()) {
		if _, err := h.StartSession(w, r, t, u, ""); err != nil {
			return err
		}
	}
	return h.renderInvite(w, r, t, lang, invitePage{Step: inviteDone}, http.StatusOK)
}

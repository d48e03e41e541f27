package login

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The preference centre (issue 15): GET and POST {tenant base}/account/privacy
// show a signed-in user the tenant's privacy purposes and change their
// decisions through the privacy service (channel preference_centre), as
// the account API does.

const formPrivacy = "privacy"

func init() { loginpage.AddPage("privacy", privacyEnglish, privacyGerman) }

var privacyEnglish = loginpage.Catalog{
	"privacy_title":           "Privacy settings",
	"privacy_heading":         "Your privacy choices",
	"privacy_lead":            "Choose what we may use your data for. You can change this at any time.",
	"privacy_signin":          "Sign in to manage your privacy choices.",
	"privacy_saved":           "Your choices are saved.",
	"privacy_changed":         "This changed since you agreed: please decide again.",
	"privacy_required_note":   "Required to have an account; withdrawing it means deleting the account.",
	"privacy_required_refuse": "%s is required to have an account. To withdraw it, delete your account.",
	"button_privacy_save":     "Save choices",
	"privacy_continue_lead":   "Before you continue to %s, please decide on the following.",
	"privacy_client_needs":    "%s needs your agreement to: %s.",
	"button_privacy_continue": "Continue",
	"button_privacy_cancel":   "Cancel",
	"privacy_device_required": "This app needs your agreement to some of our privacy terms first. Review your privacy choices, then enter the code again.",
}

var privacyGerman = loginpage.Catalog{
	"privacy_title":           "Datenschutzeinstellungen",
	"privacy_heading":         "Ihre Datenschutz-Einstellungen",
	"privacy_lead":            "Wählen Sie, wofür wir Ihre Daten verwenden dürfen. Sie können das jederzeit ändern.",
	"privacy_signin":          "Melden Sie sich an, um Ihre Datenschutz-Einstellungen zu verwalten.",
	"privacy_saved":           "Ihre Auswahl ist gespeichert.",
	"privacy_changed":         "Das hat sich geändert, seit Sie zugestimmt haben: Bitte entscheiden Sie erneut.",
	"privacy_required_note":   "Für ein Konto erforderlich; zurückziehen lässt es sich nur, indem Sie das Konto löschen.",
	"privacy_required_refuse": "%s ist für ein Konto erforderlich. Um die Zustimmung zurückzuziehen, löschen Sie Ihr Konto.",
	"button_privacy_save":     "Auswahl speichern",
	"privacy_continue_lead":   "Bevor Sie zu %s weitergehen, entscheiden Sie bitte über Folgendes.",
	"privacy_client_needs":    "%s benötigt Ihre Zustimmung zu: %s.",
	"button_privacy_continue": "Weiter",
	"button_privacy_cancel":   "Abbrechen",
	"privacy_device_required": "Diese App benötigt zuerst Ihre Zustimmung zu einigen Datenschutzbedingungen. Prüfen Sie Ihre Datenschutz-Einstellungen und geben Sie den Code dann erneut ein.",
}

// privacyPage is the preference centre's data.
type privacyPage struct {
	SignedIn bool
	Action   string
	Email    string
	Purposes []privacyItem
	Saved    bool
	Refused  []string // names of required purposes the user tried to withdraw
	// AuthRequestID, ClientName: the page is a step of a sign-in to that
	// client (the user owes these decisions, loginflow.PrivacyOwed); it
	// shows only the purposes owed and continues the request after.
	AuthRequestID, ClientName string
	// Missing names the purposes the client still needs after a submit.
	Missing string
}

type privacyItem struct {
	ID, Name, Description    string
	Required, Granted, Stale bool
}

func (h *privacyHandler) mountPrivacy(page func(string, tenantFunc)) {
	if h.verifier == nil || h.verifier.Privacy == nil {
		return
	}
	page("GET /account/privacy", h.privacyPage)
	page("POST /account/privacy", h.privacySubmit)
}

func (h *privacyHandler) renderPrivacy(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, p privacyPage, status int) error {
	p.Action = t.Base + "/account/privacy"
	return h.RenderForm(w, r, t, loginflow.Lang(nil, r), formPrivacy, "privacy", p, status)
}

// state is the signed-in user's purposes for the page.
func (h *privacyHandler) state(r *http.Request, t *tenancy.Tenant, userID string) ([]privacy.Item, []privacyItem, error) {
	items, err := h.verifier.Privacy.State(r.Context(), t, userID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]privacyItem, len(items))
	for i := range items {
		it := &items[i]
		out[i] = privacyItem{ID: it.Purpose.ID, Name: it.Purpose.Name, Description: it.Purpose.Description,
			Required: it.Purpose.Required, Granted: it.Current(), Stale: it.ReconsentRequired()}
	}
	return items, out, nil
}

func (h *privacyHandler) privacyPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return err
	}
	if acct == nil {
		return h.renderPrivacy(w, r, t, privacyPage{}, http.StatusUnauthorized)
	}
	if id := r.URL.Query().Get("authRequestID"); id != "" {
		return h.privacyStep(w, r, t, acct, id, nil)
	}
	_, items, err := h.state(r, t, acct.User.ID)
	if err != nil {
		return err
	}
	return h.renderPrivacy(w, r, t, privacyPage{SignedIn: true, Email: acct.User.Email, Purposes: items}, http.StatusOK)
}

// privacyStep is the page as a step of a sign-in: it shows the purposes
// the user owes for the request's client and, once none is owed, goes
// on with the request (to consent or the client). refused names required
// purposes the user tried to withdraw on the submit before.
func (h *privacyHandler) privacyStep(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, acct *loginflow.Account, id string, refused []string) error {
	in, err := h.p.Interaction(r.Context(), t, id)
	if err != nil {
		return err
	}
	if !h.Satisfies(in, acct.Session) {
		http.Redirect(w, r, loginflow.LoginURL(t, in.Request.ID), http.StatusSeeOther)
		return nil
	}
	owed, err := h.PrivacyOwed(r, in, acct.User.ID)
	if err != nil {
		return err
	}
	if len(owed) == 0 {
		return h.proceed(w, r, in, acct.Session)
	}
	p := privacyPage{SignedIn: true, Email: acct.User.Email, AuthRequestID: in.Request.ID,
		ClientName: loginflow.ClientName(in.Client), Refused: refused}
	var names []string
	for i := range owed {
		it := &owed[i]
		p.Purposes = append(p.Purposes, privacyItem{ID: it.Purpose.ID, Name: it.Purpose.Name, Description: it.Purpose.Description,
			Required: it.Purpose.Required, Granted: it.Current(), Stale: it.Granted() && !it.Current()})
		names = append(names, it.Purpose.Name)
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		p.Missing, status = strings.Join(names, ", "), http.StatusConflict
	}
	p.Action = t.Base + "/account/privacy"
	v := h.WithCSRF(w, r, t, h.View(t, loginflow.Lang(in.Request.UILocales, r)), formPrivacy)
	v.AllowRedirectTo(in) // the answer redirects to the client (cancel, or completion)
	v.Page = p
	h.Render(w, r, status, "privacy", "privacy_title", v)
	return nil
}

// privacySubmit records a decision for each purpose the page showed
// (field "shown") whose box differs from the user's current decision: a
// ticked box grants the current version, an unticked one withdraws. A
// required purpose is never withdrawn here; the page says how.
func (h *privacyHandler) privacySubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formPrivacy); err != nil {
		return err
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return err
	}
	if acct == nil {
		return h.renderPrivacy(w, r, t, privacyPage{}, http.StatusUnauthorized)
	}
	authRequestID := r.PostForm.Get("authRequestID")
	if authRequestID != "" && r.PostForm.Get("action") == "cancel" {
		in, err := h.p.Interaction(r.Context(), t, authRequestID)
		if err != nil {
			return err
		}
		return h.fail(w, r, in, oidc.RefuseAccessDenied)
	}
	ctx := r.Context()
	items, _, err := h.state(r, t, acct.User.ID)
	if err != nil {
		return err
	}
	shown, ticked := r.PostForm["shown"], r.PostForm["purpose"]
	m := privacy.Meta{Channel: privacy.ChannelPreferenceCentre, IP: sessions.ClientIP(r), UserAgent: r.UserAgent()}
	var refused []string
	for i := range items {
		it := &items[i]
		if !slices.Contains(shown, it.Purpose.ID) {
			continue // added since the page was drawn: not asked
		}
		want := slices.Contains(ticked, it.Purpose.ID)
		if want && it.Current() || !want && !it.Granted() {
			continue // unchanged (an older version unticked is a withdrawal)
		}
		_, err := h.verifier.Privacy.Decide(ctx, t, acct.User.ID, it.Purpose.ID, want, m)
		if _, required := errors.AsType[*privacy.RequiredError](err); required {
			refused = append(refused, it.Purpose.Name)
			continue
		}
		if err != nil {
			return err
		}
	}
	if authRequestID != "" {
		return h.privacyStep(w, r, t, acct, authRequestID, refused)
	}
	_, out, err := h.state(r, t, acct.User.ID)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if refused != nil {
		status = http.StatusConflict
	}
	return h.renderPrivacy(w, r, t, privacyPage{SignedIn: true, Email: acct.User.Email, Purposes: out, Saved: refused == nil, Refused: refused}, status)
}

package login

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The organization picker (issue 14). A client whose organization_usage
// is "required" gets every sign-in for an organization: the user's only
// one silently, the one they pick here when they are in several; a user
// in none gets a page saying so. An "optional" client's user picks one
// of their organizations or none. A request that named its organization
// (organization=) never comes here.
//
//	GET, POST /login/organization?authRequestID=…

const formOrganization = "organization"

func init() { loginpage.AddPage("organization", organizationEnglish, organizationGerman) }

var organizationEnglish = loginpage.Catalog{
	"organization_title":    "Choose an organization",
	"organization_heading":  "Choose an organization",
	"organization_lead":     "Which organization are you signing in to %s for?",
	"organization_none":     "Continue without an organization",
	"error_no_organization": "This application is only for members of an organization, and your account is not a member of any. Ask your organization's administrator for an invitation, or sign in with another account.",
}

var organizationGerman = loginpage.Catalog{
	"organization_title":    "Organisation wählen",
	"organization_heading":  "Organisation wählen",
	"organization_lead":     "Für welche Organisation melden Sie sich bei %s an?",
	"organization_none":     "Ohne Organisation fortfahren",
	"error_no_organization": "Diese Anwendung ist nur für Mitglieder einer Organisation, und Ihr Konto ist in keiner Mitglied. Bitten Sie die Administration Ihrer Organisation um eine Einladung oder melden Sie sich mit einem anderen Konto an.",
}

// refuseNoOrganization is the page refusing a user in no organization,
// in the request's language.
func (h *flow) refuseNoOrganization(w http.ResponseWriter, r *http.Request, in *oidc.Interaction) error {
	h.RenderError(w, r, h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r)), http.StatusForbidden, "error_no_organization", "")
	return nil
}

type organizationChoice struct{ ID, Name string }

type organizationPage struct {
	ClientName    string
	Action        string
	AuthRequestID string
	Choices       []organizationChoice
	// None offers "without an organization" (optional clients).
	None bool
}

func organizationURL(in *oidc.Interaction) string {
	return in.Tenant.Base + "/login/organization?authRequestID=" + url.QueryEscape(in.Request.ID)
}

// organizationGate sends a signed-in user who must still pick an
// organization to the picker (sent), and refuses a user in none.
func (h *flow) organizationGate(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) (bool, error) {
	choices, err := h.p.OrganizationChoices(r.Context(), in, s.UserID)
	if errors.Is(err, oidc.ErrNoOrganization) {
		return true, h.refuseNoOrganization(w, r, in)
	}
	if err != nil || len(choices) == 0 {
		return false, err
	}
	http.Redirect(w, r, organizationURL(in), http.StatusSeeOther)
	return true, nil
}

func (h *signInHandler) organizationPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, ok, err := h.signedIn(w, r, t, r.URL.Query().Get("authRequestID"))
	if !ok || err != nil {
		return err
	}
	choices, err := h.p.OrganizationChoices(r.Context(), in, acct.Session.UserID)
	if errors.Is(err, oidc.ErrNoOrganization) {
		return h.refuseNoOrganization(w, r, in)
	}
	if err != nil {
		return err
	}
	if len(choices) == 0 {
		return h.afterOrganization(w, r, in, acct.Session)
	}
	v := h.WithCSRF(w, r, t, h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r)), formOrganization)
	v.AllowRedirectTo(in)
	p := organizationPage{
		ClientName: loginflow.ClientName(in.Client), Action: t.Base + "/login/organization", AuthRequestID: in.Request.ID,
		None: in.OrganizationUsage == oauth.OrganizationOptional,
	}
	for _, o := range choices {
		name := o.DisplayName
		if name == "" {
			name = o.Name
		}
		p.Choices = append(p.Choices, organizationChoice{ID: o.ID, Name: name})
	}
	v.Page = p
	h.Render(w, r, http.StatusOK, "organization", "organization_title", v)
	return nil
}

// organizationSubmit scopes the request to the organization picked (the
// user must be its member) and goes on; "" goes on without one where the
// client allows it.
func (h *signInHandler) organizationSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formOrganization); err != nil {
		return loginpage.WithRetry(err, loginflow.LoginURL(t, r.PostForm.Get("authRequestID")))
	}
	in, acct, ok, err := h.signedIn(w, r, t, r.PostForm.Get("authRequestID"))
	if !ok || err != nil {
		return err
	}
	id := r.PostForm.Get("organization")
	if id == "" && in.OrganizationUsage == oauth.OrganizationOptional && in.Request.OrgID == "" {
		return h.afterOrganization(w, r, in, acct.Session)
	}
	if err := h.p.ChooseOrganization(r.Context(), in, acct.Session.UserID, id); err != nil {
		return err // not a member: the 403 page; already scoped: the expired-request page
	}
	return h.afterOrganization(w, r, in, acct.Session)
}

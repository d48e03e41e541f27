package login

import (
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

// The consent page asks the signed-in user to allow a client the scopes it
// requested. It is reached only from the sign-in page (or its API), and
// only for a session that satisfies the request.

type consentPage struct {
	ClientName    string
	LogoURL       string
	PolicyURL     string
	TosURL        string
	Email         string
	Scopes        []string
	Details       []oidc.DetailView // rich authorization requests (RFC 9396)
	Action        string
	AuthRequestID string
}

// signedIn loads the request and the session that may answer it. Without
// one, the browser is sent to sign in first (and ok is false).
func (h *signInHandler) signedIn(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, id string) (*oidc.Interaction, *loginflow.Account, bool, error) {
	in, err := h.p.Interaction(r.Context(), t, id)
	if err != nil {
		return nil, nil, false, err
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return nil, nil, false, err
	}
	if acct == nil || !h.Satisfies(in, acct.Session) {
		http.Redirect(w, r, loginflow.LoginURL(t, in.Request.ID), http.StatusSeeOther)
		return nil, nil, false, nil
	}
	if lacks, err := h.LacksFactor(r, in, acct); lacks || err != nil {
		if err == nil {
			http.Redirect(w, r, loginflow.MFAURL(in, ""), http.StatusSeeOther)
		}
		return nil, nil, false, err
	}
	return in, acct, true, nil
}

func (h *signInHandler) consentPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, ok, err := h.signedIn(w, r, t, r.URL.Query().Get("authRequestID"))
	if !ok || err != nil {
		return err
	}
	need, err := h.p.NeedsConsent(r.Context(), in, acct.Session.UserID)
	if err != nil {
		return err
	}
	if !need {
		return h.complete(w, r, in, acct.Session)
	}
	return h.renderConsent(w, r, in, acct)
}

func (h *signInHandler) consentSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formConsent); err != nil {
		return loginpage.WithRetry(err, loginflow.LoginURL(t, r.PostForm.Get("authRequestID")))
	}
	in, acct, ok, err := h.signedIn(w, r, t, r.PostForm.Get("authRequestID"))
	if !ok || err != nil {
		return err
	}
	switch r.PostForm.Get("decision") {
	case "allow":
		if err := h.p.GrantConsent(r.Context(), in, acct.Session.UserID); err != nil {
			return err
		}
		h.Record(r, in.Tenant, events.ConsentGranted, acct.Session.UserID, map[string]any{"client_id": in.Client.ID, "scopes": in.Request.Scopes})
		return h.complete(w, r, in, acct.Session)
	case "deny":
		return h.fail(w, r, in, oidc.RefuseAccessDenied)
	}
	return &loginpage.Error{Status: http.StatusBadRequest, Key: "error_bad_request"}
}

// scopeText is what the consent page says a scope allows: the API's
// description of it ("Billing API: Read your invoices") when api defines
// it with one, else the catalog's text.
func scopeText(l loginpage.Catalog, api *store.API, scope string) string {
	if api != nil {
		for _, s := range api.Scopes {
			if s.Value == scope && s.Description != "" {
				return api.Name + ": " + s.Description
			}
		}
	}
	return loginpage.ScopeText(l, scope)
}

func (h *signInHandler) renderConsent(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, acct *loginflow.Account) (err error) {
	t := in.Tenant
	v := h.WithCSRF(w, r, t, h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r)), formConsent)
	v.AllowRedirectTo(in)
	p := consentPage{
		ClientName: loginflow.ClientName(in.Client), Email: acct.User.Email,
		LogoURL: loginflow.HTTPSURL(in.Client.LogoURI), PolicyURL: loginflow.HTTPSURL(in.Client.PolicyURI), TosURL: loginflow.HTTPSURL(in.Client.TosURI),
		Action: t.Base + "/login/consent", AuthRequestID: in.Request.ID,
	}
	// The scopes of the API the request is for say what they mean in the
	// API's own words (its scopes' descriptions).
	var api *store.API
	if in.Request.Resource != "" {
		if api, err = t.Store.APIs().GetByIdentifier(r.Context(), t.ID, in.Request.Resource); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	for _, s := range in.Request.Scopes {
		p.Scopes = append(p.Scopes, scopeText(v.L, api, s))
	}
	// Authorization details in the words of the API that declares their
	// type, then their fields (escaped by the template like any text).
	if p.Details, err = h.p.DescribeDetails(r.Context(), t, in.Request.AuthorizationDetails); err != nil {
		return err
	}
	v.Page = p
	h.Render(w, r, http.StatusOK, "consent", "consent_title", v)
	return nil
}

package login

import (
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// RouteKind says what a login route serves, so the route table
// (internal/server) can check the JSON API against the contract.
type RouteKind int

const (
	// Page is a server-rendered page or the form post it answers.
	Page RouteKind = iota
	// Script is JSON for the pages' own scripts (webauthn.js), guarded by
	// the page's CSRF token; it is not part of the contract.
	Script
	// Asset is an embedded or themed static file.
	Asset
)

// Route is one path the login serves.
type Route struct {
	// Pattern is a net/http ServeMux pattern, tenant base included.
	Pattern string
	Kind    RouteKind
	Handler http.Handler
}

// Routes returns the login's routes for every tenant: the default tenant's
// at the root, a named tenant's under /t/{tenant}. The route table mounts
// them; /authorize is the provider's, wrapped by AuthorizeErrors. The
// JSON API is internal/loginapi's, over SignInFlow.
func (h *Handler) Routes() []Route {
	var out []Route
	for _, base := range []string{"", tenancy.Prefix + "/{tenant}"} {
		add := func(kind RouteKind, pattern string, fn tenantHandler) {
			method, path, _ := strings.Cut(pattern, " ")
			out = append(out, Route{Pattern: method + " " + base + path, Kind: kind, Handler: h.resolve(base != "", fn)})
		}
		page := func(pattern string, fn tenantFunc) { add(Page, pattern, h.asPage(fn)) }
		script := func(pattern string, fn tenantFunc) { add(Script, pattern, h.asScript(fn)) }

		si := h.signInPages
		page("GET /login", si.signInPage)
		page("POST /login", si.signInSubmit)
		page("GET /login/consent", si.consentPage)
		page("POST /login/consent", si.consentSubmit)
		page("GET /login/organization", si.organizationPage)
		page("POST /login/organization", si.organizationSubmit)
		page("GET /login/logged-out", si.loggedOutPage)
		page("GET /login/connections/{connection}/start", si.fed.Start)
		page("GET /login/connections/{connection}/callback", si.fed.Callback)
		page("POST /login/connections/{connection}/callback", si.fed.Callback)
		page("GET /login/connections/{connection}/link", si.fed.LinkStart)
		page("POST /login/connections/{connection}/saml/acs", si.fed.ACS)
		page("GET /login/connections/{connection}/saml/metadata", si.fed.SAMLMetadata)
		page("GET /device", h.devicePages.devicePage)
		page("POST /device", h.devicePages.deviceSubmit)
		h.onboardingPages.mountOnboarding(page)
		h.onboardingPages.mountInvite(page)
		h.onboardingPages.mountOrgInvite(page)
		h.onboardingPages.mountEmailChange(page)
		h.recoveryPages.mountRecovery(page)
		h.mfaPages.mountMFA(page, script)
		h.riskPages.mountRisk(page)
		h.privacyPages.mountPrivacy(page)
		add(Asset, "GET /login/assets/{file}", h.ServeAsset)
	}
	return out
}

// SignInFlow is the sign-in's progress the pages share with the JSON
// login API (internal/loginapi), which the route table builds over it.
func (h *Handler) SignInFlow() *loginflow.Flow { return h.Flow }

// AuthorizeErrors wraps the provider's /authorize (the route table mounts it
// there, default tenant and named ones): a browser gets an HTML page for
// the errors the provider cannot redirect back.
func (h *Handler) AuthorizeErrors(next http.Handler) http.Handler {
	return h.Pages.AuthorizeErrors(loginflow.WithConnectionParam(next), h.p.ResolveTenant)
}

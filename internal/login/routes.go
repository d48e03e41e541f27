package login

import (
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// RouteKind says what a login route serves, so the route table
// (internal/server) can check the JSON API against the contract.
type RouteKind int

const (
	// Page is a server-rendered page or the form post it answers.
	Page RouteKind = iota
	// API is an operation of the contract's login JSON API (tag login),
	// validated against the contract before its handler runs.
	API
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
// them; /authorize is the provider's, wrapped by AuthorizeErrors.
func (h *Handler) Routes() []Route {
	gate, err := restapi.NewGate("", nil)
	if err != nil {
		// The contract is embedded: this fails in every build or in none.
		panic("login: loading the contract: " + err.Error())
	}
	var out []Route
	for _, base := range []string{"", tenancy.Prefix + "/{tenant}"} {
		add := func(kind RouteKind, pattern string, fn tenantHandler) {
			method, path, _ := strings.Cut(pattern, " ")
			out = append(out, Route{Pattern: method + " " + base + path, Kind: kind, Handler: h.resolve(base != "", fn)})
		}
		page := func(pattern string, fn tenantFunc) { add(Page, pattern, h.asPage(fn)) }
		api := func(pattern string, fn tenantFunc) {
			_, path, _ := strings.Cut(pattern, " ")
			add(API, pattern, h.asAPI(contract(gate, path, fn)))
		}
		script := func(pattern string, fn tenantFunc) { add(Script, pattern, h.asAPI(fn)) }

		si := h.signInPages
		page("GET /login", si.signInPage)
		page("POST /login", si.signInSubmit)
		page("GET /login/consent", si.consentPage)
		page("POST /login/consent", si.consentSubmit)
		page("GET /login/logged-out", si.loggedOutPage)
		page("GET /device", h.devicePages.devicePage)
		page("POST /device", h.devicePages.deviceSubmit)
		api("POST /login/api/authenticate", h.jsonAPI.apiAuthenticate)
		api("POST /login/api/consent", h.jsonAPI.apiConsent)
		h.onboardingPages.mountOnboarding(page)
		api("POST /register/api", h.jsonAPI.apiRegister)
		api("POST /verify/api", h.jsonAPI.apiVerify)
		h.onboardingPages.mountInvite(page)
		h.onboardingPages.mountEmailChange(page)
		h.recoveryPages.mountRecovery(page)
		api("POST /recover/api", h.jsonAPI.apiRecover)
		api("POST /recover/api/reset", h.jsonAPI.apiReset)
		h.mfaPages.mountMFA(page, script)
		h.jsonAPI.mountMFAAPI(api)
		h.riskPages.mountRisk(page)
		add(Asset, "GET /login/assets/{file}", h.serveAsset)
	}
	return out
}

// contract applies the contract's operation at path (the path without
// the tenant base, as the contract names it) to the request before fn
// runs, as the gate does for the generated servers: a request the
// contract rejects reaches no handler. It runs after asAPI's origin and
// media-type checks, whose answers stay the login's own.
func contract(gate *restapi.Gate, path string, fn tenantFunc) tenantFunc {
	return func(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
		// The handler's own bound, so an oversized body is 413 as before.
		r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
		c := *r
		u := *r.URL
		u.Path, u.RawPath = path, ""
		c.URL = &u
		err := gate.Check(&c)
		// The check read the body and left a fresh copy on c.
		r.Body, r.GetBody, r.ContentLength = c.Body, c.GetBody, c.ContentLength
		if err != nil {
			return err
		}
		return fn(w, r, t)
	}
}

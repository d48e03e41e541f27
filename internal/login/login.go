// Package login is Gatehouse's hosted login: the server-rendered sign-in,
// account-selection, consent, device-code and signed-out pages, and a
// headless JSON API for first-party apps. It sits in front of the
// OAuth/OIDC provider, which sends browsers here with an authorization
// request ID, and answers each request through the provider (Complete,
// Fail, DecideDevice), so every redirect goes to a redirect URI the
// provider has already validated.
//
// Every tenant has the same routes under its issuer: the default tenant at
// the root, tenant "acme" under /t/acme.
//
//	GET, POST /login?authRequestID=…       sign in, account chooser (prompt=select_account)
//	GET, POST /login/consent?authRequestID=…  allow or deny the client's scopes
//	GET       /login/logged-out             end of RP-initiated logout
//	GET, POST /device[?user_code=…]         RFC 8628 user-code page
//	GET, POST /register?authRequestID=…    self-service registration (register.go)
//	GET, POST /verify[?token=…]             email verification by code or link (verify.go)
//	GET, POST /invite?token=…               accept an admin's invitation: set a password (invite.go)
//	GET, POST /recover, /recover/reset[?token=…]  password recovery by code or link (recover.go)
//	GET, POST /email/confirm?token=…       confirm an email change by link (emailchange.go)
//	GET, POST /login/mfa?authRequestID=…   second factor and step-up (mfa_pages.go)
//	GET, POST /login/mfa/enrol?authRequestID=…  enrol a factor at sign-in; POST /login/mfa/skip in the grace period
//	POST      /login/mfa/{webauthn,passkey,register}/{begin,finish}  WebAuthn JSON for webauthn.js
//	GET, POST /login/not-me?token=…         "this wasn't me" from the new-device notice (risk_pages.go)
//	GET, POST /login/password?authRequestID=…  change a breached password before going on (risk_pages.go)
//	GET, POST /account/privacy              the signed-in user's privacy choices, the preference centre (privacy_pages.go)
//	GET       /login/assets/{file}          embedded CSS, logo and webauthn.js, the tenant's theme.css
//	          /authorize                    the provider's, with an HTML page for its errors
//
// The headless JSON API (/login/api/…, /register/api, /verify/api,
// /recover/api…; api/openapi.yaml, tag login) is internal/loginapi's, the
// contract's generated server. What the pages share with it of a sign-in
// (the session cookie, authn's answers, limits, events) is
// internal/loginflow's (SignInFlow), and the templates, catalogs, CSRF
// tokens and error pages are internal/loginpage's.
//
// The password path needs no JavaScript; pages are html/template with
// embedded assets and a strict Content-Security-Policy.
//
// The login decides no sign-in itself: credentials, the risk engine, the
// steps a new session owes and the factors that pay them are
// internal/authn's. The handlers decode the request (loginflow builds the
// authn.Request), call authn, and render its answer.
package login

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/devicecookie"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/login/federationpages"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Deps are the login's collaborators; all are required except Now and Log.
type Deps struct {
	Provider *oidc.Provider
	Sessions *sessions.Manager
	// Keyring derives the CSRF token key.
	Keyring *secret.Keyring
	// Connectors caches federation connections' built connectors; one
	// of the login's own when nil.
	Connectors *connectors.Cache
	// UpstreamBaseURLs replace the social presets' fixed addresses
	// (connectors.Options.BaseURLs): tests only.
	UpstreamBaseURLs map[string]string
	Log              *slog.Logger
	Now              func() time.Time
	// Accounts serves registration and email verification; nil turns
	// both off. Registration false (register.go), or a tenant's
	// Accounts.RegistrationDisabled, turns registration off only. It also
	// serves password recovery, which only nil turns off (recover.go).
	Accounts     *accounts.Service
	Registration bool
	// Limiter throttles registration and verification per IP and per
	// address; nil means no limits.
	Limiter ratelimit.Limiter
	// MFA serves second factors, passkey sign-in and step-up (mfa.go);
	// nil turns them off: a password is then all a sign-in takes.
	MFA *mfa.Service
	// Events records sign-ins, failures and challenges; nil means events.Nop.
	Events events.Recorder
	// Authn decides sign-ins (credentials, risk, the steps a session
	// owes); required. Devices issues the device cookie its risk engine
	// reads.
	Authn   *authn.Service
	Devices *devicecookie.Cookies
}

// Handler serves the hosted login of every tenant. Each area of the login
// has its own handler type; they share base (the tenant, the page kit of
// internal/loginpage, and the sign-in's progress of internal/loginflow,
// which the JSON login API shares too) and flow (the pages' way on after
// a step: the second-factor and password gates, completing or failing
// the authorization request).
type Handler struct {
	*base
	signInPages     *signInHandler
	devicePages     *deviceHandler
	onboardingPages *onboardingHandler
	recoveryPages   *recoveryHandler
	mfaPages        *mfaHandler
	riskPages       *riskHandler
	privacyPages    *privacyHandler
}

// base is what every handler of the login shares: the tenant, the page
// kit (rendering, CSRF, error pages) and the sign-in's progress (the
// session, authn's answers, limits, events).
type base struct {
	// The sign-in's progress, which the pages share with the JSON API.
	*loginflow.Flow
	// The page kit: templates, catalogs, CSRF, error pages.
	*loginpage.Pages

	p        *oidc.Provider
	sessions *sessions.Manager
	log      *slog.Logger
	now      func() time.Time

	// onboarding serves registration when it is on app-wide; each tenant
	// may still turn it off (registration).
	onboarding *accounts.Service
	// verifier serves email verification (verify.go); nil turns it off. It
	// does not depend on registration: a tenant that refuses unverified
	// sign-ins sends its users there.
	verifier *accounts.Service
	// recovery serves password recovery (recover.go); nil turns it off.
	recovery *accounts.Service
	// invites serves invitation links (invite.go); nil turns them off.
	invites *accounts.Service
	mfa     *mfa.Service
	authn   *authn.Service
	// keyring seals the federation cookie and opens connections' secrets.
	keyring *secret.Keyring
}

// flow is the pages' way on after a step of a sign-in, which every area
// takes: the second-factor gate (mfa.go), the password gate
// (risk_pages.go) and the end of the authorization request (signin.go).
type flow struct{ *base }

// The login's areas.
type (
	// signInHandler serves sign-in, the account chooser, consent and the
	// signed-out page (signin.go, consent.go).
	signInHandler struct {
		*flow
		fed *federationpages.Handler // the federated pages
	}
	// deviceHandler serves the RFC 8628 user-code page (device.go).
	deviceHandler struct{ *flow }
	// onboardingHandler serves registration, email verification,
	// invitations and email-change links (register.go, verify.go,
	// invite.go, emailchange.go).
	onboardingHandler struct{ *flow }
	// recoveryHandler serves password recovery (recover.go).
	recoveryHandler struct{ *flow }
	// mfaHandler serves the second-factor and enrolment pages and the
	// WebAuthn JSON of their script (mfa_pages.go, mfa_webauthn.go).
	mfaHandler struct{ *flow }
	// riskHandler serves "this wasn't me" and the breached-password
	// change (risk_pages.go).
	riskHandler struct{ *flow }
	// privacyHandler serves the preference centre (privacy_pages.go).
	privacyHandler struct{ *flow }
)

// New builds the login handler. The templates are embedded and parsed
// here, so a broken template fails at start-up, not on the first visitor.
func New(d Deps) *Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Events == nil {
		d.Events = events.Nop{}
	}
	b := &base{
		Flow: loginflow.New(loginflow.Deps{
			Provider: d.Provider, Sessions: d.Sessions, Log: d.Log, Now: d.Now,
			Accounts: d.Accounts, Registration: registrationService(d), Limiter: d.Limiter,
			MFA: d.MFA, Events: d.Events, Authn: d.Authn, Devices: d.Devices, Keyring: d.Keyring,
			Connectors: d.Connectors, UpstreamBaseURLs: d.UpstreamBaseURLs,
		}),
		Pages: loginpage.New(d.Keyring, d.Log),
		p:     d.Provider, sessions: d.Sessions, log: d.Log, now: d.Now,
		onboarding: registrationService(d),
		verifier:   d.Accounts,
		recovery:   d.Accounts,
		invites:    d.Accounts,
		mfa:        d.MFA,
		authn:      d.Authn,
		keyring:    d.Keyring,
	}
	f := &flow{b}
	si := &signInHandler{flow: f}
	si.fed = &federationpages.Handler{Flow: b.Flow, Pages: fedPages{si}, Authn: d.Authn, Log: d.Log}
	return &Handler{base: b,
		signInPages: si, devicePages: &deviceHandler{f}, onboardingPages: &onboardingHandler{f},
		recoveryPages: &recoveryHandler{f}, mfaPages: &mfaHandler{f}, riskPages: &riskHandler{f},
		privacyPages: &privacyHandler{f}}
}

// tenantFunc is a login handler for a resolved tenant. Its error is
// rendered by the adapter it is mounted with: an HTML page for pages, a
// problem for the JSON API.
type tenantFunc func(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error

// tenantHandler is a mounted handler for a resolved tenant.
type tenantHandler func(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant)

// resolve adapts fn to a route: the tenant (named by the path's {tenant}
// when named, else the default one) is resolved first.
func (h *base) resolve(named bool, fn tenantHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r.Context(), r.Pattern)
		slug := ""
		if named {
			slug = r.PathValue("tenant")
		}
		t, err := h.p.ResolveTenant(r.Context(), slug)
		if err != nil {
			h.tenantError(w, r, err)
			return
		}
		fn(w, r.WithContext(oidc.WithTenant(r.Context(), t)), t)
	})
}

// tenantError answers a request for a tenant that cannot be resolved. It
// has no tenant branding to show.
func (h *base) tenantError(w http.ResponseWriter, r *http.Request, err error) {
	status, key := http.StatusNotFound, "error_not_found"
	if !errors.Is(err, store.ErrNotFound) {
		status, key = http.StatusInternalServerError, "error_internal"
		h.log.ErrorContext(r.Context(), "login: resolving tenant failed", "err", err)
	}
	h.RenderError(w, r, h.View(nil, loginflow.Lang(nil, r)), status, key, "")
}

// asPage adapts a page handler: no-store, and errors become an error page.
func (h *base) asPage(fn tenantFunc) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
		w.Header().Set("Cache-Control", "no-store")
		if err := fn(w, r, t); err != nil {
			h.PageError(w, r, t, err)
		}
	}
}

// asScript adapts a handler of the pages' scripts' JSON (script.go):
// no-store (a passkey sign-in's answer carries where to go next), the
// cross-site checks, and errors become problem+json.
func (h *base) asScript(fn tenantFunc) tenantHandler {
	return func(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
		httpx.NoStore(w.Header())
		err := checkJSONRequest(r, t)
		if err == nil {
			err = fn(w, r, t)
		}
		if err != nil {
			httpx.WriteProblem(w, r, loginflow.Problem(err))
		}
	}
}

// loggedOutPage is where RP-initiated logout ends when the client named no
// post_logout_redirect_uri.
func (h *signInHandler) loggedOutPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	h.Render(w, r, http.StatusOK, "loggedout", "loggedout_title", h.View(t, loginflow.Lang(nil, r)))
	return nil
}

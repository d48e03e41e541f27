// Package loginapi serves the hosted login's headless JSON API
// (api/openapi.yaml, tag login: authenticateLogin, consentLogin,
// loginMFAChallenge, loginMFAVerify, registerUser, verifyEmail,
// startPasswordRecovery, resetPassword) for first-party apps that draw
// their own sign-in screen, under every tenant's issuer: the default
// tenant's at the root, a named tenant's under /t/{tenant}.
//
// Routes and request decoding come from the generated strict server, and
// the contract gate (internal/restapi) checks every request before a
// handler runs, as for the Admin and account APIs. There are no CSRF
// tokens: requiring application/json keeps plain cross-site form posts
// out (they cannot send that type without a CORS preflight, which we never
// grant), and a browser's Origin must be the issuer's.
//
// Each operation decodes nothing itself and calls the services
// (internal/authn through the flow, accounts, mfa, the provider) over
// what it shares with the hosted pages of internal/login: the session
// cookie, the steps a session owes and the limits (internal/loginflow).
package loginapi

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Deps are what the API needs.
type Deps struct {
	// Flow is the sign-in's progress the hosted pages share
	// (login.Handler.SignInFlow); required. Its provider resolves the
	// request's tenant, and without its MFA service the second-factor
	// operations are not routed at all.
	Flow *loginflow.Flow
}

// steps are the operations' sign-in steps, over the flow and the
// services it was built with: authenticate.go, mfa.go, register.go,
// recover.go.
type steps struct {
	*loginflow.Flow
	p        *oidc.Provider
	mfa      *mfa.Service
	verifier *accounts.Service
	recovery *accounts.Service
}

// API implements the login API's part of gen.StrictServerInterface; the
// other audiences' operations are restapi.Unserved, which the gate never
// lets a request reach.
type API struct {
	restapi.Unserved

	steps    *steps
	provider *oidc.Provider
	mfa      bool
	gate     *restapi.Gate
	ops      http.Handler
}

var _ gen.StrictServerInterface = (*API)(nil)

// New builds the API.
func New(d Deps) (*API, error) {
	if d.Flow == nil {
		return nil, errors.New("loginapi: Flow is required")
	}
	gate, err := restapi.NewGate("", nil)
	if err != nil {
		return nil, err
	}
	f := d.Flow
	st := &steps{Flow: f, p: f.Provider(), mfa: f.MFA(), verifier: f.Accounts(), recovery: f.Accounts()}
	a := &API{steps: st, provider: f.Provider(), mfa: f.ServesMFA(), gate: gate}
	a.ops = gate.Middleware(a.mux())
	return a, nil
}

// maxBody bounds the API's request bodies.
const maxBody = 64 << 10

// Route is one path the API serves.
type Route struct {
	// Pattern is a net/http ServeMux pattern, tenant base included.
	Pattern string
	Handler http.Handler
}

// paths are the operations' paths as the contract names them (without a
// tenant base); the second-factor ones only with MFA.
func (a *API) paths() []string {
	ps := []string{"/login/api/authenticate", "/login/api/consent", "/login/api/organization", "/register/api", "/verify/api", "/recover/api", "/recover/api/reset"}
	if a.mfa {
		ps = append(ps, "/login/api/mfa/challenge", "/login/api/mfa")
	}
	return ps
}

// Routes returns the API's routes for every tenant: the default tenant's
// at the root, a named tenant's under /t/{tenant}.
func (a *API) Routes() []Route {
	var out []Route
	for _, base := range []string{"", tenancy.Prefix + "/{tenant}"} {
		for _, p := range a.paths() {
			out = append(out, Route{Pattern: http.MethodPost + " " + base + p, Handler: a.serve(base != "", p)})
		}
	}
	return out
}

// serve resolves the tenant (named by the path's {tenant} when named,
// else the default one), applies the API's cross-site and media-type
// rules, and hands the request, under the contract's path, to the gate
// and the generated server. An unknown tenant is a 404 problem, as the
// contract documents (the hosted login answered it with its HTML error
// page before the API had its own package).
func (a *API) serve(named bool, path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pattern := r.Pattern
		httpx.SetRoute(r.Context(), pattern)
		// Its answers carry authorization codes (the contract marks them
		// x-gatehouse-no-store); errors are never cached either.
		httpx.NoStore(w.Header())
		slug := ""
		if named {
			slug = r.PathValue("tenant")
		}
		t, err := a.provider.ResolveTenant(r.Context(), slug)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = httpx.NotFound("No such tenant.")
			}
			httpx.WriteProblem(w, r, err)
			return
		}
		if err := checkJSONRequest(r, t); err != nil {
			httpx.WriteProblem(w, r, err)
			return
		}
		// The API's own bound, so an oversized body is 413.
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		ctx := context.WithValue(oidc.WithTenant(r.Context(), t), callKey{}, &call{t: t, pattern: pattern})
		c := r.WithContext(ctx)
		u := *r.URL
		u.Path, u.RawPath = path, ""
		c.URL = &u
		a.ops.ServeHTTP(w, c)
	})
}

// checkJSONRequest applies the API's cross-site and media-type rules.
func checkJSONRequest(r *http.Request, t *tenancy.Tenant) error {
	if o := r.Header.Get("Origin"); o != "" && o != issuerOrigin(t.Issuer) {
		return httpx.Forbidden("Requests from another origin than the issuer's are not accepted.")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return httpx.NewProblem(http.StatusUnsupportedMediaType, httpx.TypeUnsupportedMedia,
			"Unsupported media type", "Send application/json.")
	}
	return nil
}

// issuerOrigin is the scheme://host[:port] of an issuer URL.
func issuerOrigin(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// call is what serve resolved for the strict handlers, which see only
// the context: the tenant, the route's pattern (the metrics' label; the
// gate names the contract's path), and the request and its writer.
type call struct {
	t       *tenancy.Tenant
	pattern string
	w       http.ResponseWriter
	r       *http.Request
}

type callKey struct{}

// from returns the request's call.
func from(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// mux routes the contract's operations to a's strict handlers. A
// middleware hands them the writer and the request, so the steps can
// read and set cookies.
func (a *API) mux() http.Handler {
	keep := func(f gen.StrictHandlerFunc, _ string) gen.StrictHandlerFunc {
		return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
			c := from(ctx)
			if c == nil {
				// Only serve reaches here; anything else is a wiring bug.
				return nil, errors.New("loginapi: request not resolved by serve")
			}
			httpx.SetRoute(ctx, c.pattern)
			c.w, c.r = w, r
			return f(ctx, w, r, req)
		}
	}
	mux := http.NewServeMux()
	si := gen.NewStrictHandlerWithOptions(a, []gen.StrictMiddlewareFunc{keep}, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, apicontract.RequestProblem(err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, err)
		},
	})
	gen.HandlerWithOptions(si, gen.StdHTTPServerOptions{
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, httpx.Validation(err.Error()))
		},
	})
	return mux
}

// Interface guard: every operation of the tag is served here.
var _ interface {
	AuthenticateLogin(context.Context, gen.AuthenticateLoginRequestObject) (gen.AuthenticateLoginResponseObject, error)
	ConsentLogin(context.Context, gen.ConsentLoginRequestObject) (gen.ConsentLoginResponseObject, error)
	LoginMFAChallenge(context.Context, gen.LoginMFAChallengeRequestObject) (gen.LoginMFAChallengeResponseObject, error)
	LoginMFAVerify(context.Context, gen.LoginMFAVerifyRequestObject) (gen.LoginMFAVerifyResponseObject, error)
	RegisterUser(context.Context, gen.RegisterUserRequestObject) (gen.RegisterUserResponseObject, error)
	VerifyEmail(context.Context, gen.VerifyEmailRequestObject) (gen.VerifyEmailResponseObject, error)
	StartPasswordRecovery(context.Context, gen.StartPasswordRecoveryRequestObject) (gen.StartPasswordRecoveryResponseObject, error)
	ResetPassword(context.Context, gen.ResetPasswordRequestObject) (gen.ResetPasswordResponseObject, error)
} = (*API)(nil)

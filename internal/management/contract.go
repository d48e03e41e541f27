package management

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
)

// contract enforces api/openapi.yaml on every Admin API request: it
// authenticates the caller, checks the scopes the operation declares in its
// security requirement, and validates parameters and body before any
// handler runs, so a request the contract rejects changes nothing.
// Operations secured with bearerAuth take Admin API keys (auth);
// accountAuth operations take users' access tokens, which the provider
// verifies (account_auth.go).
type contract struct {
	router   routers.Router
	validate *apicontract.Validator
	auth     *directory.Authenticator
	provider *oidc.Provider
	// sessions finds the hosted session behind a cookie (sessionCookie).
	sessions *sessions.Manager
	// mfa, when set, lets a session whose sign-in owes the user's first
	// factor enrol it (mfagate.go).
	mfa *mfa.Service
}

func newContract(auth *directory.Authenticator, p *oidc.Provider, sm *sessions.Manager) (*contract, error) {
	r, err := api.Router() // matches any host: the server may have many names
	if err != nil {
		return nil, err
	}
	doc, err := api.Spec()
	if err != nil {
		return nil, err
	}
	return &contract{router: r, validate: apicontract.NewValidator(doc), auth: auth, provider: p, sessions: sm}, nil
}

type principalKey struct{}

// principalFrom returns the authenticated caller of an Admin API request.
func principalFrom(ctx context.Context) *directory.Principal {
	p, _ := ctx.Value(principalKey{}).(*directory.Principal)
	return p
}

func (c *contract) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := c.router.FindRoute(r)
		if err != nil {
			httpx.WriteProblem(w, r, apicontract.NoOperation(r, err))
			return
		}
		httpx.SetRoute(r.Context(), route.Method+" "+route.Path)
		if api.NoStore(route.Operation) {
			// Set before anything is written, so that errors, replays and
			// the handler's answer alike are never cached.
			httpx.NoStore(w.Header())
		}
		scheme, scopes, needed := requiredScopes(route)
		if needed && scheme == accountScheme {
			ctx, err := c.authenticateAccount(r, params["tenant"], route.Operation.OperationID, scopes)
			if err != nil {
				httpx.WriteProblem(w, r, err)
				return
			}
			r = r.WithContext(ctx)
		} else if needed {
			p, err := c.authenticate(r)
			if err != nil {
				httpx.WriteProblem(w, r, err)
				return
			}
			for _, s := range scopes {
				if !p.HasScope(s) {
					httpx.WriteProblem(w, r, httpx.Forbidden("This operation requires the scope "+s+"."))
					return
				}
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		if err := c.validate.Validate(r, route, params); err != nil {
			httpx.WriteProblem(w, r, apicontract.RequestProblem(err))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requiredScopes returns the scheme and scopes of the operation's first
// security requirement (we declare one per operation) and whether auth is
// needed.
func requiredScopes(route *routers.Route) (string, []string, bool) {
	sec := route.Operation.Security
	if sec == nil {
		sec = &route.Spec.Security
	}
	if len(*sec) == 0 {
		return "", nil, false
	}
	for _, req := range *sec {
		for _, scheme := range []string{"bearerAuth", accountScheme} {
			if scopes, ok := req[scheme]; ok {
				return scheme, scopes, true
			}
		}
	}
	return "", nil, true
}

func (c *contract) authenticate(r *http.Request) (*directory.Principal, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, httpx.Unauthorized("A bearer token is required.")
	}
	p, err := c.auth.Authenticate(r.Context(), strings.TrimSpace(token))
	if errors.Is(err, directory.ErrBadCredentials) {
		return nil, httpx.Unauthorized("The bearer token is invalid, revoked or expired.")
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	return p, nil
}

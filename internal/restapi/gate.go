// Package restapi holds what the packages serving api/openapi.yaml's
// generated strict server share (adminapi, accountapi, opsapi): the gate
// that applies the contract before any handler runs, the mapping of
// service errors to problems, the openings of conditional updates
// (If-Match, ETag, merge patch), paging cursors, and the wire forms of the
// resources both the Admin and the account API render (users, sessions,
// consents, factors). Each audience's package serves only its own
// operations (adminapi, accountapi, opsapi, and loginapi for the hosted
// login's JSON API); the route table (internal/server) mounts each on its
// paths.
package restapi

import (
	"context"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// The contract's security schemes: Admin API keys, and users' access
// tokens (or the hosted session) for the self-service account API.
const (
	AdminScheme   = "bearerAuth"
	AccountScheme = "accountAuth"
)

// Authenticator verifies the caller of an operation that needs the gate's
// scheme and returns a context carrying them. params are the path's
// parameters, op the operation's ID, scopes those the operation requires.
// Errors are problems.
type Authenticator func(r *http.Request, params map[string]string, op string, scopes []string) (context.Context, error)

// Gate enforces api/openapi.yaml on every request of one audience: it finds
// the operation, authenticates the caller with the audience's scheme and
// validates parameters and body before any handler runs, so a request the
// contract rejects changes nothing. An operation of another scheme is not
// served here.
type Gate struct {
	router   routers.Router
	validate *apicontract.Validator
	scheme   string
	auth     Authenticator
}

// NewGate returns the gate of the operations secured by scheme ("" for the
// unsecured ones), whose callers auth verifies.
func NewGate(scheme string, auth Authenticator) (*Gate, error) {
	r, err := api.Router() // matches any host: the server may have many names
	if err != nil {
		return nil, err
	}
	v, err := validator()
	if err != nil {
		return nil, err
	}
	return &Gate{router: r, validate: v, scheme: scheme, auth: auth}, nil
}

// validator is shared by every gate: it compiles the contract's schemas
// once, on first use.
var validator = sync.OnceValues(func() (*apicontract.Validator, error) {
	doc, err := api.Spec()
	if err != nil {
		return nil, err
	}
	return apicontract.NewValidator(doc), nil
})

// Middleware applies the contract, then calls next with the operation's
// ID and path parameters in the context (Operation, PathParam).
func (g *Gate) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := g.router.FindRoute(r)
		if err != nil {
			httpx.WriteProblem(w, r, apicontract.NoOperation(r, err))
			return
		}
		scheme, scopes, needed := RequiredScopes(route)
		if scheme != g.scheme {
			// The route table mounts each audience on its own paths, so
			// this is a path of another audience's prefix: no such
			// operation here.
			httpx.WriteProblem(w, r, apicontract.NoOperation(r, routers.ErrPathNotFound))
			return
		}
		httpx.SetRoute(r.Context(), route.Method+" "+route.Path)
		if api.NoStore(route.Operation) {
			// Set before anything is written, so that errors, replays and
			// the handler's answer alike are never cached.
			httpx.NoStore(w.Header())
		}
		if needed {
			ctx, err := g.auth(r, params, route.Operation.OperationID, scopes)
			if err != nil {
				httpx.WriteProblem(w, r, err)
				return
			}
			r = r.WithContext(ctx)
		}
		if err := g.validate.Validate(r, route, params); err != nil {
			httpx.WriteProblem(w, r, apicontract.RequestProblem(err))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), opKey{}, &operation{id: route.Operation.OperationID, params: params})))
	})
}

// RequiredScopes returns the scheme and scopes of the operation's first
// security requirement (we declare one per operation) and whether auth is
// needed. A requirement of no known scheme counts as the Admin API's.
func RequiredScopes(route *routers.Route) (string, []string, bool) {
	sec := route.Operation.Security
	if sec == nil {
		sec = &route.Spec.Security
	}
	if len(*sec) == 0 {
		return "", nil, false
	}
	for _, req := range *sec {
		for _, scheme := range []string{AdminScheme, AccountScheme} {
			if scopes, ok := req[scheme]; ok {
				return scheme, scopes, true
			}
		}
	}
	return AdminScheme, nil, true
}

// operation is what the gate matched.
type operation struct {
	id     string
	params map[string]string
}

type opKey struct{}

// Operation returns the ID of the request's operation ("" outside the gate).
func Operation(ctx context.Context) string {
	if o, _ := ctx.Value(opKey{}).(*operation); o != nil {
		return o.id
	}
	return ""
}

// PathParam returns a path parameter of the request's operation, as the
// gate matched it ("" when absent).
func PathParam(ctx context.Context, name string) string {
	if o, _ := ctx.Value(opKey{}).(*operation); o != nil {
		return o.params[name]
	}
	return ""
}

// Unserved stands in for the operations another audience's package
// serves: embedded one level below a package's handlers, it completes
// gen.StrictServerInterface. The gate never lets a request reach it.
type Unserved struct{ gen.StrictServerInterface }

// Mux routes the contract's operations to impl's strict handlers; wrap,
// if set, may replace some of the plain handlers (opsapi serves files).
// Bad parameters and handler errors become problems (Problem).
func Mux(impl gen.StrictServerInterface, wrap func(gen.ServerInterface) gen.ServerInterface) http.Handler {
	mux := http.NewServeMux()
	var si gen.ServerInterface = gen.NewStrictHandlerWithOptions(impl, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, apicontract.RequestProblem(err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, Problem(err))
		},
	})
	if wrap != nil {
		si = wrap(si)
	}
	gen.HandlerWithOptions(si, gen.StdHTTPServerOptions{
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, httpx.Validation(err.Error()))
		},
	})
	return mux
}

package management

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/admin"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/provider"
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
	auth     *admin.Authenticator
	provider *provider.Provider
	// sessions finds the hosted session behind a cookie (sessionCookie).
	sessions *sessions.Manager
	// mfa, when set, keeps sessions that still owe their second factor
	// out of the account API (mfagate.go).
	mfa *mfa.Service
}

func newContract(auth *admin.Authenticator, p *provider.Provider, sm *sessions.Manager) (*contract, error) {
	r, err := api.Router() // matches any host: the server may have many names
	if err != nil {
		return nil, err
	}
	return &contract{router: r, auth: auth, provider: p, sessions: sm}, nil
}

type principalKey struct{}

// principalFrom returns the authenticated caller of an Admin API request.
func principalFrom(ctx context.Context) *admin.Principal {
	p, _ := ctx.Value(principalKey{}).(*admin.Principal)
	return p
}

func (c *contract) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := c.router.FindRoute(r)
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusMethodNotAllowed, httpx.TypeMethodNotAllowed,
				"Method not allowed", r.Method+" is not allowed on "+r.URL.Path+"."))
			return
		}
		if err != nil {
			httpx.WriteProblem(w, r, httpx.NotFound("No operation matches "+r.Method+" "+r.URL.Path+"."))
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
			ctx, err := c.authenticateAccount(r, params["tenant"], scopes)
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
		in := &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: params,
			Route:      route,
			Options: &openapi3filter.Options{
				MultiError:              true,
				AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
				SkipSettingDefaults:     true,
				SchemaValidationOptions: api.SchemaOptions(),
			},
		}
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			httpx.WriteProblem(w, r, requestProblem(err))
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

func (c *contract) authenticate(r *http.Request) (*admin.Principal, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, httpx.Unauthorized("A bearer token is required.")
	}
	p, err := c.auth.Authenticate(r.Context(), strings.TrimSpace(token))
	if errors.Is(err, admin.ErrBadCredentials) {
		return nil, httpx.Unauthorized("The bearer token is invalid, revoked or expired.")
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	return p, nil
}

// requestProblem maps a validation failure to a precise problem: 413 for
// an oversized body, 415 for a content type the operation does not take,
// malformed-json for bodies that do not parse, and 400 with one field
// error per violated rule otherwise.
func requestProblem(err error) *httpx.Problem {
	if httpx.IsTooLarge(err) {
		return httpx.PayloadTooLarge(0).WithDetail("The request body is too large.")
	}
	var fields []httpx.FieldError
	var unsupported, malformed bool
	for _, e := range flatten(err) {
		var re *openapi3filter.RequestError
		if !errors.As(e, &re) {
			fields = append(fields, httpx.FieldError{Field: "", Message: e.Error()})
			continue
		}
		switch {
		case strings.HasPrefix(re.Reason, "header Content-Type has unexpected value"):
			unsupported = true
			continue
		case re.RequestBody != nil && isParseError(re.Err):
			malformed = true
			continue
		}
		prefix := ""
		if re.Parameter != nil {
			prefix = re.Parameter.In + ":" + re.Parameter.Name
		}
		for _, se := range schemaErrors(re.Err) {
			field := prefix
			if ptr := se.JSONPointer(); len(ptr) > 0 {
				field += "/" + strings.Join(ptr, "/")
			}
			if m := unsupportedRe.FindStringSubmatch(se.Reason); m != nil {
				field += "/" + m[1] // point at the unknown member itself
			}
			fields = append(fields, httpx.FieldError{Field: field, Message: schemaMessage(se)})
		}
		if len(schemaErrors(re.Err)) == 0 {
			msg := re.Reason
			if re.Err != nil {
				msg = re.Err.Error()
			}
			if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
				msg = "is required"
			}
			fields = append(fields, httpx.FieldError{Field: prefix, Message: msg})
		}
	}
	switch {
	case unsupported:
		return httpx.NewProblem(http.StatusUnsupportedMediaType, httpx.TypeUnsupportedMedia,
			"Unsupported media type", "This operation accepts application/json bodies.")
	case malformed:
		return httpx.NewProblem(http.StatusBadRequest, httpx.TypeMalformedJSON,
			"Malformed JSON", "The request body is not valid JSON.")
	}
	return httpx.Validation("The request does not match the API contract.", fields...)
}

// flatten expands multi-errors at the top level only: errors.As would dig
// through a RequestError and lose it.
func flatten(err error) []error {
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func isParseError(err error) bool {
	var pe *openapi3filter.ParseError
	return errors.As(err, &pe)
}

func schemaErrors(err error) []*openapi3.SchemaError {
	var out []*openapi3.SchemaError
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			out = append(out, se)
		}
	}
	return out
}

var unsupportedRe = regexp.MustCompile(`^property "([^"]+)" is unsupported$`)

func schemaMessage(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return se.Reason
	}
	return se.Error()
}

// Package management serves the Admin API v1 and the operational endpoints
// exactly as api/openapi.yaml describes them: routes come from the
// generated server, requests are checked against the contract before a
// handler runs, and handlers translate between wire types and the admin
// service.
package management

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Ops are the plain handlers behind the operational endpoints. Docs also
// serves the changelog (api.DocsHandler).
type Ops struct {
	Health, Ready, Metrics, OpenAPIJSON, OpenAPIYAML, Docs http.Handler
}

// Deps are what the API needs.
type Deps struct {
	Directory *directory.Service
	Auth      *directory.Authenticator
	Ops       Ops
	Log       *slog.Logger
	// Provider revokes sessions and tokens, so that this node's
	// revocation cache applies them at once.
	Provider *oidc.Provider
	// SigningKeys lists and rotates the tenants' token-signing keys.
	SigningKeys *keys.Manager
	// Sessions knows the idle timeout that ends an unused session.
	Sessions *sessions.Manager
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Accounts sends invitations and email-change codes; nil makes
	// those operations fail with 500.
	Accounts *accounts.Service
	// Events records admin actions in the audit log; nil records nothing.
	Events events.Recorder
	// Risk reads the live failure counters and locks for the risk
	// summary; nil reports none.
	Risk *risk.Engine
	// MFA manages users' second factors; nil makes the MFA operations
	// fail with 500.
	MFA *mfa.Service
}

// API implements gen.StrictServerInterface.
type API struct {
	svc      *directory.Service
	log      *slog.Logger
	ops      Ops
	con      *contract
	idem     *idempotency
	provider *oidc.Provider
	keys     *keys.Manager
	sessions *sessions.Manager
	now      func() time.Time

	accounts *accounts.Service
	events   events.Recorder
	risk     *risk.Engine
	mfa      *mfa.Service
	// mailTemplates checks tenants' template overrides (mailtemplates.go).
	mailTemplates *mail.Templates
}

var _ gen.StrictServerInterface = (*API)(nil)

// New builds the API.
func New(d Deps) (*API, error) {
	if d.Provider == nil || d.SigningKeys == nil || d.Sessions == nil || d.Directory == nil || d.Directory.Keyring == nil {
		return nil, errors.New("management: Provider, SigningKeys, Sessions and Admin with its Keys are required")
	}
	con, err := newContract(d.Auth, d.Provider, d.Sessions)
	if err != nil {
		return nil, err
	}
	con.mfa = d.MFA
	if d.Now == nil {
		d.Now = time.Now
	}
	tmpl, err := mail.LoadTemplates()
	if err != nil {
		return nil, err
	}
	ctl := d.Directory.Stores.Control()
	return &API{
		svc:      d.Directory,
		log:      d.Log,
		ops:      d.Ops,
		con:      con,
		idem:     &idempotency{repo: ctl.Idempotency, now: time.Now, keys: d.Directory.Keyring},
		provider: d.Provider,
		keys:     d.SigningKeys,
		sessions: d.Sessions,
		now:      d.Now,

		accounts:      d.Accounts,
		events:        d.Events,
		risk:          d.Risk,
		mfa:           d.MFA,
		mailTemplates: tmpl,
	}, nil
}

// Handler returns every route of the contract on one mux, behind the
// contract check and Idempotency-Key handling.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(a, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, apicontract.RequestProblem(err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, toProblem(err))
		},
	})
	gen.HandlerWithOptions(opsServer{ServerInterface: strict, ops: a.ops}, gen.StdHTTPServerOptions{
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			httpx.WriteProblem(w, r, httpx.Validation(err.Error()))
		},
	})
	return a.con.middleware(a.idem.middleware(mux))
}

// RunJanitor expires old idempotency records until ctx ends.
func (a *API) RunJanitor(ctx context.Context) { a.idem.expire(ctx, a.log) }

// opsServer serves the operational endpoints with plain handlers (metrics,
// embedded files) instead of the strict typed path.
type opsServer struct {
	gen.ServerInterface
	ops Ops
}

func (o opsServer) GetHealth(w http.ResponseWriter, r *http.Request)    { o.ops.Health.ServeHTTP(w, r) }
func (o opsServer) GetReadiness(w http.ResponseWriter, r *http.Request) { o.ops.Ready.ServeHTTP(w, r) }
func (o opsServer) GetMetrics(w http.ResponseWriter, r *http.Request)   { o.ops.Metrics.ServeHTTP(w, r) }
func (o opsServer) GetOpenAPIJSON(w http.ResponseWriter, r *http.Request) {
	o.ops.OpenAPIJSON.ServeHTTP(w, r)
}
func (o opsServer) GetOpenAPIYAML(w http.ResponseWriter, r *http.Request) {
	o.ops.OpenAPIYAML.ServeHTTP(w, r)
}
func (o opsServer) GetDocs(w http.ResponseWriter, r *http.Request)       { o.ops.Docs.ServeHTTP(w, r) }
func (o opsServer) GetDocsScript(w http.ResponseWriter, r *http.Request) { o.ops.Docs.ServeHTTP(w, r) }
func (o opsServer) GetChangelog(w http.ResponseWriter, r *http.Request)  { o.ops.Docs.ServeHTTP(w, r) }

// errOps marks the strict ops methods, which opsServer shadows.
var errOps = errors.New("operational endpoint served outside the strict server")

func (a *API) GetDocs(context.Context, gen.GetDocsRequestObject) (gen.GetDocsResponseObject, error) {
	return nil, errOps
}
func (a *API) GetDocsScript(context.Context, gen.GetDocsScriptRequestObject) (gen.GetDocsScriptResponseObject, error) {
	return nil, errOps
}
func (a *API) GetChangelog(context.Context, gen.GetChangelogRequestObject) (gen.GetChangelogResponseObject, error) {
	return nil, errOps
}
func (a *API) GetHealth(context.Context, gen.GetHealthRequestObject) (gen.GetHealthResponseObject, error) {
	return nil, errOps
}
func (a *API) GetMetrics(context.Context, gen.GetMetricsRequestObject) (gen.GetMetricsResponseObject, error) {
	return nil, errOps
}
func (a *API) GetOpenAPIJSON(context.Context, gen.GetOpenAPIJSONRequestObject) (gen.GetOpenAPIJSONResponseObject, error) {
	return nil, errOps
}
func (a *API) GetOpenAPIYAML(context.Context, gen.GetOpenAPIYAMLRequestObject) (gen.GetOpenAPIYAMLResponseObject, error) {
	return nil, errOps
}
func (a *API) GetReadiness(context.Context, gen.GetReadinessRequestObject) (gen.GetReadinessResponseObject, error) {
	return nil, errOps
}

// toProblem maps service and store errors to problems.
func toProblem(err error) error {
	var p *httpx.Problem
	var ve *identity.ValidationError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &ve):
		fields := make([]httpx.FieldError, len(ve.Errors))
		for i, f := range ve.Errors {
			fields[i] = httpx.FieldError{Field: f.Field, Message: f.Message}
		}
		return httpx.Validation("The request breaks a rule of this resource.", fields...)
	case errors.Is(err, store.ErrNotFound):
		return httpx.NotFound("No such resource in this tenant.")
	case errors.Is(err, store.ErrConflict):
		return httpx.Conflict("A resource with the same unique value (email, username, slug or ID) already exists.")
	case errors.Is(err, store.ErrInvalidInput):
		return httpx.Validation("The request contains text the server cannot store (a NUL character or invalid UTF-8).")
	case errors.Is(err, store.ErrVersionMismatch):
		return httpx.PreconditionFailed("The resource changed since the ETag in If-Match was read.")
	case errors.Is(err, directory.ErrDefaultTenant):
		return httpx.Conflict(err.Error() + ".")
	}
	return httpx.Internal(err)
}

// scope resolves the tenant of a request and checks that the caller may
// act on it.
func (a *API) scope(ctx context.Context, tenant string) (*directory.Scope, error) {
	p := principalFrom(ctx)
	denied := httpx.Forbidden("This credential may not act on that tenant.")
	sc, err := a.svc.Resolve(ctx, tenant)
	if errors.Is(err, store.ErrNotFound) && p != nil && p.TenantID != "" {
		return nil, denied // a tenant-bound key learns nothing about other tenants
	}
	if err != nil {
		return nil, err
	}
	if p == nil || !p.CanAccessTenant(sc.Tenant) {
		return nil, denied
	}
	return sc, nil
}

// requirePlatform rejects callers bound to a single tenant.
func requirePlatform(ctx context.Context) error {
	if p := principalFrom(ctx); p == nil || p.TenantID != "" {
		return httpx.Forbidden("Only platform credentials may manage tenants.")
	}
	return nil
}

// etag renders a resource version as a strong ETag.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch returns the version an If-Match header demands (0 for none or
// "*"), or a 412 for a value that cannot match any version.
func ifMatch(h *string) (int64, error) {
	if h == nil {
		return 0, nil
	}
	v := strings.TrimSpace(*h)
	if v == "*" || v == "" {
		return 0, nil
	}
	v = strings.TrimPrefix(v, "W/")
	n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(v, `"`) || !strings.HasSuffix(v, `"`) {
		return 0, httpx.PreconditionFailed("If-Match does not match the current ETag.")
	}
	return n, nil
}

// page turns limit/cursor parameters into a store page.
func page(limit *int, cursor *string) (store.Page, error) {
	p := store.Page{}
	if limit != nil {
		p.Limit = *limit
	}
	if cursor != nil {
		after, err := DecodeCursor(*cursor)
		if err != nil {
			return p, httpx.Validation("The cursor is not valid.", httpx.FieldError{Field: "query:cursor", Message: err.Error()})
		}
		p.After = after
	}
	return p.Norm(), nil
}

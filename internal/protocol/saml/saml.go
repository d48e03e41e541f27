// Package saml serves the tenants' SAML 2.0 identity provider endpoints:
// the metadata at {tenant base}/saml/metadata, single sign-on at
// /saml/sso (SP-initiated, sso.go) and /saml/sso/init (IdP-initiated),
// single logout at /saml/slo (slo.go), and the logout of the SPs of a
// session that OIDC end_session ended, at /saml/slo/end (logout.go). The
// rules (service providers, AuthnRequests, Responses) are
// internal/samlidp's; the sign-in itself is the hosted login's, reached
// through an OIDC bridge client.
package saml

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Deps are what the endpoints need. Provider, Sessions and Keyring are
// needed for SSO and SLO; without them only the metadata is served.
type Deps struct {
	IdP     *samlidp.Service
	Tenants *tenancy.Resolver
	Log     *slog.Logger

	// Provider runs the hosted login's authorization requests (bridge
	// clients) and ends sessions with their tokens.
	Provider *oidc.Provider
	Sessions *sessions.Manager
	// Keyring seals the pending request's cookie.
	Keyring *secret.Keyring
	// Events records saml.sso and saml.slo; nil records nothing.
	Events events.Recorder
	// Outbox is kicked when a back-channel logout is enqueued (the logout
	// outbox's backchannel.Worker); nil waits for its next poll.
	Outbox interface{ Kick() }
	Now    func() time.Time
}

// Handler serves the SAML endpoints of every tenant.
type Handler struct {
	d        Deps
	pages    *loginpage.Pages
	messages *prometheus.CounterVec
}

// New builds the handler.
func New(d Deps) (*Handler, error) {
	if d.IdP == nil || d.IdP.Keys == nil || d.Tenants == nil || d.Log == nil {
		return nil, errors.New("protocol/saml: IdP with Keys, Tenants and Log are required")
	}
	return &Handler{d: d, pages: loginpage.New(d.Keyring, d.Log), messages: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatehouse_saml_messages_total",
		Help: "SAML messages answered or sent, by kind (sso, slo, slo_soap) and outcome (issued, status, rejected, logged_out, propagated, not_propagated; for slo_soap, the back-channel LogoutRequests: queued, delivered, retry, failed).",
	}, []string{"kind", "outcome"})}, nil
}

// Collector is the handler's metrics, for /metrics.
func (h *Handler) Collector() prometheus.Collector { return h.messages }

func (h *Handler) count(kind, outcome string) { h.messages.WithLabelValues(kind, outcome).Inc() }

func (h *Handler) now() time.Time {
	if h.d.Now == nil {
		return time.Now()
	}
	return h.d.Now()
}

// Patterns are the route patterns the handler serves under each tenant
// base (GET also answers HEAD).
var Patterns = []string{
	"GET " + samlidp.MetadataPath,
	"GET " + samlidp.SSOPath, "POST " + samlidp.SSOPath,
	"GET " + CompletePath, "GET " + InitPath,
	"GET " + samlidp.SLOPath, "POST " + samlidp.SLOPath,
	"GET " + EndPath,
}

// ServeHTTP serves the endpoints of the tenant named by the path value
// "tenant" (the default tenant when absent).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.d.Tenants.Resolve(ctx, r.PathValue("tenant"))
	if errors.Is(err, store.ErrNotFound) {
		httpx.WriteProblem(w, r, httpx.NotFound("No such tenant."))
		return
	}
	if err != nil {
		httpx.WriteProblem(w, r, err)
		return
	}
	path := r.URL.Path[len(t.Base):]
	if path == samlidp.MetadataPath {
		h.metadata(w, r, t)
		return
	}
	if h.d.Provider == nil || h.d.Sessions == nil || h.d.Keyring == nil {
		httpx.WriteProblem(w, r, httpx.NotFound("Not served."))
		return
	}
	switch path {
	case samlidp.SSOPath:
		h.sso(w, r, t)
	case CompletePath:
		h.complete(w, r, t)
	case InitPath:
		h.idpInitiated(w, r, t)
	case samlidp.SLOPath:
		h.slo(w, r, t)
	case EndPath:
		h.endSession(w, r, t)
	default:
		httpx.WriteProblem(w, r, httpx.NotFound("No such endpoint."))
	}
}

func (h *Handler) metadata(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	md, err := h.d.IdP.Metadata(ctx, tenantOf(t))
	if err != nil {
		h.d.Log.ErrorContext(ctx, "saml metadata", "tenant_id", t.ID, "err", err)
		httpx.WriteProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Content-Length", strconv.Itoa(len(md)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(md)
}

// formAction is the CSP source of the one URL a page may post to.
func formAction(action string) string {
	if s := loginpage.CSPSource(action); s != "" {
		return s
	}
	return "'none'"
}

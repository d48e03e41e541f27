// Package saml serves the tenants' SAML 2.0 identity provider endpoints:
// today the metadata at {tenant base}/saml/metadata. The rules (service
// providers, AuthnRequests, Responses) are internal/samlidp's; SSO and
// SLO through the hosted login are not served yet.
package saml

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Deps are what the endpoints need.
type Deps struct {
	IdP     *samlidp.Service
	Tenants *tenancy.Resolver
	Log     *slog.Logger
}

// Handler serves the SAML endpoints of every tenant.
type Handler struct{ d Deps }

// New builds the handler.
func New(d Deps) (*Handler, error) {
	if d.IdP == nil || d.IdP.Keys == nil || d.Tenants == nil || d.Log == nil {
		return nil, errors.New("protocol/saml: IdP with Keys, Tenants and Log are required")
	}
	return &Handler{d: d}, nil
}

// Patterns are the route patterns the handler serves under each tenant
// base (GET also answers HEAD).
var Patterns = []string{"GET " + samlidp.MetadataPath}

// ServeHTTP serves the metadata of the tenant named by the path value
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
	md, err := h.d.IdP.Metadata(ctx, samlidp.Tenant{ID: t.ID, Issuer: t.Issuer, Store: t.Store})
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

package oidc

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// serveIntrospect answers RFC 7662 itself, so every failed client
// authentication is a 401 (RFC 6749 5.2), as at the PAR endpoint.
func (p *Provider) serveIntrospect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.From(ctx)
	if err := r.ParseForm(); err != nil {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("malformed form body"))
		return
	}
	c, err := p.authenticateClient(ctx, t, r.Header, formClientCredentials(r))
	if err == nil && c.c.Public() {
		err = oidc.ErrInvalidClient().WithDescription("public clients cannot introspect")
	}
	if err != nil {
		writeClientAuthError(w, err)
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("token missing"))
		return
	}
	resp, err := p.tokens.Introspect(ctx, t, token)
	if err != nil {
		// Nothing is known about the token: "inactive" would make a
		// resource server discard a good token without a trace.
		parError(w, http.StatusInternalServerError, p.serverError(ctx, t, c.c.ID, "introspect", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(resp)
}

// Introspect is the engine's introspection handler, which only requests
// other than POST reach (serveIntrospect has POST): RFC 7662 2.1 allows
// only POST, and the engine's version would authenticate the client its
// own way, from the query string.
func (s *server) Introspect(context.Context, *op.Request[op.IntrospectionRequest]) (*op.Response, error) {
	return nil, oidc.ErrInvalidRequest().WithDescription("token introspection requires POST (RFC 7662 2.1)")
}

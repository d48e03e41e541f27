package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/store"
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
	resp, err := p.introspect(ctx, t, token)
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

// introspection is the RFC 7662 response; extra claims are flattened in.
type introspection map[string]any

// introspect describes token; an error means the store or the key set
// could not be read, not that the token is bad.
func (p *Provider) introspect(ctx context.Context, t *tenancy.Tenant, token string) (introspection, error) {
	inactive := introspection{"active": false}
	if token == "" {
		return inactive, nil
	}
	if strings.HasPrefix(token, refreshPrefix) {
		rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, digest(token))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err != nil || !rt.Usable(p.now()) {
			return inactive, nil
		}
		return introspection{
			"active": true, "token_type": "refresh_token", "client_id": rt.ClientID, "sub": rt.UserID,
			"scope": strings.Join(rt.Scopes, " "), "exp": rt.ExpiresAt.Unix(), "iat": rt.CreatedAt.Unix(),
			"iss": t.Issuer, "aud": rt.Audience,
		}, nil
	}
	at, err := p.verifyAccessToken(ctx, t, token)
	if errors.Is(err, errInactive) {
		return inactive, nil
	}
	if err != nil {
		return nil, err
	}
	out := introspection{}
	for k, v := range at.Extra {
		out[k] = v
	}
	out["active"] = true
	out["token_type"] = "Bearer"
	out["client_id"] = at.ClientID
	out["sub"] = at.Subject
	out["scope"] = strings.Join(at.Scopes, " ")
	out["exp"] = at.ExpiresAt.Unix()
	out["iat"] = at.IssuedAt.Unix()
	out["iss"] = t.Issuer
	out["aud"] = at.Audience
	out["jti"] = at.JTI
	if at.AuthTime != 0 {
		out["auth_time"] = at.AuthTime
	}
	if len(at.AMR) > 0 {
		out["amr"] = at.AMR
	}
	if at.ACR != "" {
		out["acr"] = at.ACR
	}
	if at.SessionID != "" {
		out["sid"] = at.SessionID
	}
	return out, nil
}

// Introspect is the engine's introspection handler, which only requests
// other than POST reach (serveIntrospect has POST): RFC 7662 2.1 allows
// only POST, and the engine's version would authenticate the client its
// own way, from the query string.
func (s *server) Introspect(context.Context, *op.Request[op.IntrospectionRequest]) (*op.Response, error) {
	return nil, oidc.ErrInvalidRequest().WithDescription("token introspection requires POST (RFC 7662 2.1)")
}

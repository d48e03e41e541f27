package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

const requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// parError writes an OAuth error response for the PAR endpoint.
func parError(w http.ResponseWriter, status int, e *oidc.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

// servePAR stores a pushed authorization request (RFC 9126) after
// authenticating the client and validating the request as /authorize would.
func (p *Provider) servePAR(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.From(ctx)
	if err := r.ParseForm(); err != nil {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("malformed form body"))
		return
	}
	c, err := p.authenticateClient(ctx, t, r.Header, formClientCredentials(r))
	if err != nil {
		writeClientAuthError(w, err)
		return
	}
	if r.PostForm.Get("request_uri") != "" {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("request_uri is not allowed in a pushed request"))
		return
	}
	if oe := p.parRequestObject(ctx, t, c, r); oe != nil { // authorize_jar.go
		status := http.StatusBadRequest
		if oe.ErrorType == oidc.ServerError {
			status = http.StatusInternalServerError
		}
		parError(w, status, oe)
		return
	}
	var ar oidc.AuthRequest
	if err := p.op.Decoder().Decode(&ar, r.PostForm); err != nil {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("malformed authorization parameters"))
		return
	}
	if ar.ClientID != "" && ar.ClientID != c.c.ID {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("client_id does not match the authenticated client"))
		return
	}
	if err := c.checkRedirectURI(ar.RedirectURI, ar.ResponseType); err != nil {
		parError(w, http.StatusBadRequest, err.(*oidc.Error))
		return
	}
	// A resource (RFC 8707) is checked as /authorize checks it, and the
	// client's scope policy sees the request without the API's scopes.
	_, checked, err := p.authorizeResource(ctx, r.PostForm, &ar)
	if err != nil {
		var oe *oidc.Error
		if !errors.As(err, &oe) || oe.ErrorType == oidc.ServerError {
			parError(w, http.StatusInternalServerError, p.serverError(ctx, t, c.c.ID, "par: resource", err))
			return
		}
		parError(w, http.StatusBadRequest, oe)
		return
	}
	if _, err := p.authorizeDetails(ctx, r.PostForm, c.c.ID); err != nil { // rar.go
		var oe *oidc.Error
		if !errors.As(err, &oe) || oe.ErrorType == oidc.ServerError {
			parError(w, http.StatusInternalServerError, p.serverError(ctx, t, c.c.ID, "par: authorization details", err))
			return
		}
		parError(w, http.StatusBadRequest, oe)
		return
	}
	if err := c.checkAuthorizeRequest(checked); err != nil {
		parError(w, http.StatusBadRequest, err)
		return
	}
	if !p.parDPoP(w, r, r.PostForm) { // dpop.go
		return
	}
	params := map[string][]string{}
	for k, v := range r.PostForm {
		switch k {
		case "client_secret", "client_assertion", "client_assertion_type":
			continue
		}
		params[k] = v
	}
	params["client_id"] = []string{c.c.ID}
	now := p.now().UTC()
	pr := &oauth.PushedRequest{TenantID: t.ID, ID: secret.Token(24), ClientID: c.c.ID, Params: params,
		CreatedAt: now, ExpiresAt: now.Add(p.cfg.PARLifetime)}
	if err := t.Store.PushedRequests().Create(ctx, pr); err != nil {
		parError(w, http.StatusInternalServerError, p.serverError(ctx, t, c.c.ID, "par: store request", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"request_uri": requestURIPrefix + pr.ID,
		"expires_in":  int(p.cfg.PARLifetime / time.Second),
	})
}

// takePushed resolves a request_uri at /authorize: one-time, unexpired,
// and only for the client that pushed it. It returns the pushed
// parameters too: the ones outside oidc.AuthRequest (resource,
// organization) are read from them.
func (p *Provider) takePushed(ctx context.Context, t *tenancy.Tenant, uri, clientID string) (*oidc.AuthRequest, url.Values, error) {
	id, ok := strings.CutPrefix(uri, requestURIPrefix)
	invalid := protoErr("invalid_request_uri", "the request_uri is unknown, used or expired")
	if !ok || id == "" {
		return nil, nil, invalid
	}
	pr, err := t.Store.PushedRequests().Take(ctx, t.ID, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, p.serverError(ctx, t, clientID, "authorize: take pushed request", err)
	}
	if err != nil {
		return nil, nil, invalid
	}
	if clientID != pr.ClientID || !p.now().Before(pr.ExpiresAt) {
		return nil, nil, invalid
	}
	var ar oidc.AuthRequest
	if err := p.op.Decoder().Decode(&ar, url.Values(pr.Params)); err != nil {
		return nil, nil, invalid
	}
	return &ar, url.Values(pr.Params), nil
}

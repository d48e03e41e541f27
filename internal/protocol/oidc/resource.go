package oidc

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Tokens for an API (RFC 8707 resource indicators, issue 14): a request
// names the API by its identifier in `resource` (or `audience`, as many
// SDKs send it); the access token's aud is that identifier and its scope
// what the API defines, the client was granted and the request asked for.

// invalidTarget is RFC 8707's error for a resource that is unknown, or
// that the client may not ask for.
func invalidTarget(desc string) *oidc.Error {
	e := oidc.ErrInvalidRequest().WithDescription("%s", desc)
	e.ErrorType = "invalid_target"
	return e
}

// resourceParam returns the one resource a token request names, "" when
// it names none. Several different ones are refused: a token has one
// audience here.
func resourceParam(form url.Values) (string, error) {
	var res string
	for _, v := range append(form["resource"], form["audience"]...) {
		switch {
		case v == "" || v == res:
		case res == "":
			res = v
		default:
			return "", invalidTarget("one resource (or audience) per token request")
		}
	}
	return res, nil
}

// resourceGrant is the client-credentials grant for the API with the
// identifier resource: requested ∩ defined by the API ∩ granted to the
// client (all of granted ∩ defined when nothing is requested).
func (p *Provider) resourceGrant(ctx context.Context, t *tenancy.Tenant, c *client, resource string, requested []string) (*grant, error) {
	api, granted, err := t.Store.APIs().ClientAccess(ctx, t.ID, c.c.ID, resource)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidTarget("unknown resource")
	}
	if err != nil {
		return nil, p.serverError(ctx, t, c.c.ID, "resource lookup", err)
	}
	if granted == nil {
		return nil, invalidTarget("the client may not request tokens for this resource")
	}
	for _, sc := range requested {
		if !api.HasScope(sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("the resource defines no scope %q", sc)
		}
	}
	scopes := []string{}
	for _, sc := range api.Scopes {
		if slices.Contains(granted, sc.Value) && (len(requested) == 0 || slices.Contains(requested, sc.Value)) {
			scopes = append(scopes, sc.Value)
		}
	}
	return apiGrant(c, api, scopes, scopes), nil
}

// apiGrant is a grant of scopes for api: its audience, lifetime and token
// format, and the permissions claim when the API asks for one.
func apiGrant(c *client, api *store.API, scopes, permissions []string) *grant {
	g := &grant{Scopes: scopes, Audience: []string{api.Identifier}, TokenFormat: api.TokenFormat,
		Lifetime: c.lifetime(int64(api.AccessTokenLifetime), c.accessTokenLifetime(), c.p.cfg.MaxTokenLifetime)}
	if api.PermissionsInToken {
		g.Permissions = permissions
		if g.Permissions == nil {
			g.Permissions = []string{}
		}
	}
	return g
}

// issueForResource answers a client-credentials request for an API.
func (p *Provider) issueForResource(ctx context.Context, t *tenancy.Tenant, c *client, resource string, scopes []string) (*op.Response, error) {
	g, err := p.resourceGrant(ctx, t, c, resource, scopes)
	if err != nil {
		return nil, err
	}
	resp, err := p.issue(ctx, t, c, g)
	if err != nil {
		return nil, err
	}
	return tokenResponse(resp), nil
}

package oidc

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// client adapts an oauth.Client to the engine's op.Client.
type client struct {
	c        *oauth.Client
	t        *tenancy.Tenant
	p        *Provider
	settings oauth.ClientSettings
	scopes   []string
}

var _ op.Client = (*client)(nil)

// newClient adapts a stored client. The Admin API refuses unknown or
// mistyped settings, but a client stored before that check still loads:
// its valid settings apply, the others keep their defaults, with a warning.
func newClient(ctx context.Context, p *Provider, t *tenancy.Tenant, c *oauth.Client) *client {
	cl := &client{c: c, t: t, p: p, scopes: strings.Fields(c.Scope)}
	var err error
	if cl.settings, err = oauth.ParseClientSettings(c.Metadata); err != nil {
		p.log.WarnContext(ctx, "client metadata has invalid settings; they keep their defaults until the client is fixed",
			"tenant_id", t.ID, "client_id", c.ID, "err", err)
	}
	return cl
}

func (c *client) GetID() string                    { return c.c.ID }
func (c *client) RedirectURIs() []string           { return c.c.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string { return c.c.PostLogoutRedirectURIs }
func (c *client) ApplicationType() op.ApplicationType {
	if c.c.ApplicationType == oauth.ApplicationTypeNative {
		return op.ApplicationTypeNative
	}
	return op.ApplicationTypeWeb
}
func (c *client) AuthMethod() oidc.AuthMethod { return oidc.AuthMethod(c.c.TokenEndpointAuthMethod) }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode, oidc.ResponseTypeIDToken, oidc.ResponseTypeIDTokenOnly,
		"token", "code token", "code id_token", "code id_token token", "none"}
}
func (c *client) GrantTypes() []oidc.GrantType {
	out := make([]oidc.GrantType, len(c.c.GrantTypes))
	for i, g := range c.c.GrantTypes {
		out[i] = oidc.GrantType(g)
	}
	return out
}

// LoginURL sends the browser to the tenant's hosted login.
func (c *client) LoginURL(id string) string {
	return c.t.Issuer + c.p.loginPath + "?authRequestID=" + id
}

func (c *client) AccessTokenType() op.AccessTokenType {
	if c.settings.AccessTokenFormat == oauth.AccessTokenOpaque {
		return op.AccessTokenTypeBearer
	}
	return op.AccessTokenTypeJWT
}

func (c *client) IDTokenLifetime() time.Duration { return c.p.tokens.IDTokenLifetime(&c.settings) }

// minting is the client as the token service takes it.
func (c *client) minting() tokens.Client { return tokens.Client{Client: c.c, Settings: &c.settings} }

func (c *client) DevMode() bool { return false }

// Scopes beyond the standard ones are not copied into tokens.
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IsScopeAllowed permits non-standard scopes listed in the client's scope.
func (c *client) IsScopeAllowed(string) bool { return true }

// scopeAllowed is the full check Gatehouse applies: with a registered
// scope list, only those; without one, the standard scopes.
func (c *client) scopeAllowed(scope string) bool {
	if len(c.scopes) > 0 {
		return slices.Contains(c.scopes, scope)
	}
	return slices.Contains(supportedScopes, scope)
}

func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }

// checkRedirectURI validates a requested redirect_uri: the engine's rules
// (exact match; for native apps loopback and private-use schemes), after
// RFC 8252 7.3's narrower rule for loopback redirects of native apps,
// which the engine applies too loosely (any loopback host, either scheme):
// only the port may differ from a registered URI; the scheme, the
// loopback literal, the path and the query must be the same.
func (c *client) checkRedirectURI(uri string, rt oidc.ResponseType) error {
	if c.ApplicationType() == op.ApplicationTypeNative && !slices.Contains(c.c.RedirectURIs, uri) && !c.c.LoopbackRedirectRegistered(uri) {
		if _, loopback := op.HTTPLoopbackOrLocalhost(uri); loopback {
			return oidc.ErrInvalidRequestRedirectURI().WithDescription("the redirect_uri is not registered; " +
				"a loopback redirect may differ from a registered one in its port only")
		}
	}
	return op.ValidateAuthReqRedirectURI(c, uri, rt)
}

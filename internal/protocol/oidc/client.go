package oidc

import (
	"context"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
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

func (c *client) IDTokenLifetime() time.Duration {
	return c.lifetime(c.settings.IDTokenLifetime, c.p.cfg.IDTokenLifetime, c.p.cfg.MaxTokenLifetime)
}

func (c *client) accessTokenLifetime() time.Duration {
	return c.lifetime(c.settings.AccessTokenLifetime, c.p.cfg.AccessTokenLifetime, c.p.cfg.MaxTokenLifetime)
}

func (c *client) refreshLifetimes() (sliding, absolute time.Duration) {
	abs := c.lifetime(c.settings.RefreshTokenMaxLifetime, c.p.cfg.RefreshTokenMaxLifetime, 0)
	return c.lifetime(c.settings.RefreshTokenLifetime, c.p.cfg.RefreshTokenLifetime, abs), abs
}

func (c *client) lifetime(seconds int64, def, max time.Duration) time.Duration {
	d := def
	if seconds > 0 {
		d = time.Duration(seconds) * time.Second
	}
	if max > 0 && d > max {
		d = max
	}
	return d
}

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

func (c *client) idTokenAlg() string {
	if c.c.IDTokenSignedResponseAlg != "" {
		return c.c.IDTokenSignedResponseAlg
	}
	return "RS256"
}

func (c *client) audience() []string {
	if len(c.settings.Audience) > 0 {
		return c.settings.Audience
	}
	return []string{c.c.ID}
}

// checkRedirectURI validates a requested redirect_uri: the engine's rules
// (exact match; for native apps loopback and private-use schemes), after
// RFC 8252 7.3's narrower rule for loopback redirects of native apps,
// which the engine applies too loosely (any loopback host, either scheme):
// only the port may differ from a registered URI; the scheme, the
// loopback literal, the path and the query must be the same.
func (c *client) checkRedirectURI(uri string, rt oidc.ResponseType) error {
	if c.ApplicationType() == op.ApplicationTypeNative && !slices.Contains(c.c.RedirectURIs, uri) && !c.loopbackRegistered(uri) {
		if _, loopback := op.HTTPLoopbackOrLocalhost(uri); loopback {
			return oidc.ErrInvalidRequestRedirectURI().WithDescription("the redirect_uri is not registered; " +
				"a loopback redirect may differ from a registered one in its port only")
		}
	}
	return op.ValidateAuthReqRedirectURI(c, uri, rt)
}

// loopbackRegistered reports whether uri is a registered loopback
// redirect URI with another port.
func (c *client) loopbackRegistered(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.User != nil || u.Fragment != "" || u.Opaque != "" || !isLoopbackHost(u.Hostname()) {
		return false
	}
	for _, reg := range c.c.RedirectURIs {
		r, err := url.Parse(reg)
		if err == nil && r.Scheme == u.Scheme && r.Hostname() == u.Hostname() && r.EscapedPath() == u.EscapedPath() &&
			r.RawQuery == u.RawQuery && r.ForceQuery == u.ForceQuery && r.User == nil && isLoopbackHost(r.Hostname()) {
			return true
		}
	}
	return false
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP
// literal as URLs write it (127.0.0.1, ::1).
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

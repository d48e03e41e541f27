// Package oidc is the redirect connector for upstream OpenID Connect
// providers (federation.RedirectConnector): Gatehouse is the relying
// party. The upstream is found by discovery; the browser is sent with
// state, nonce and a PKCE challenge; the callback's state is compared in
// constant time, the code is exchanged with the PKCE verifier, and the ID
// token's signature (the upstream's JWKS), issuer, audience, expiry and
// nonce are checked (github.com/coreos/go-oidc) before anything in it is
// believed. Claims the ID token lacks are read from the userinfo
// endpoint, whose subject must match.
package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// DefaultTimeout bounds each request to the upstream.
const DefaultTimeout = 10 * time.Second

// Options are what a connector needs besides its settings.
type Options struct {
	// RedirectURI is the connection's callback URL (federation.URLsFor).
	RedirectURI string
	// HTTPClient reaches the upstream; one with DefaultTimeout when nil.
	HTTPClient *http.Client
	// Now is the clock for token expiry; time.Now when nil.
	Now func() time.Time
}

// Connector is one upstream OpenID provider.
type Connector struct {
	issuer      string
	clientID    string
	secret      string
	scopes      []string
	pkce        bool
	authStyle   oauth2.AuthStyle
	redirectURI string
	client      *http.Client
	now         func() time.Time
	assertion   *assertionSigner // private_key_jwt

	mu       sync.Mutex
	provider *gooidc.Provider // discovered on first use, then kept
}

// Interface guard.
var _ federation.RedirectConnector = (*Connector)(nil)

// New builds a connector for an `oidc` connection, validating its
// settings. It reaches no network; discovery happens on first use.
func New(cfg federation.Config, sec federation.Secrets, o Options) (*Connector, error) {
	if err := federation.Validate(federation.TypeOIDC, cfg, sec); err != nil {
		return nil, err
	}
	if o.RedirectURI == "" {
		return nil, errors.New("federation/oidc: a redirect URI is required")
	}
	c := &Connector{
		issuer: cfg.Issuer, clientID: cfg.ClientID, secret: sec.ClientSecret, scopes: strings.Fields(cfg.Scopes),
		pkce: cfg.PKCE == nil || *cfg.PKCE, redirectURI: o.RedirectURI, client: o.HTTPClient, now: o.Now,
		authStyle: oauth2.AuthStyleInHeader,
	}
	if cfg.ClientAuthMethod == federation.AuthClientSecretPost {
		c.authStyle = oauth2.AuthStyleInParams
	}
	if cfg.ClientAuthMethod == federation.AuthPrivateKeyJWT {
		a, err := newAssertionSigner(sec.PrivateKeyPEM, cfg.KeyID)
		if err != nil {
			return nil, &federation.ValidationError{Fields: []federation.FieldError{{Field: "/private_key_pem", Message: err.Error()}}}
		}
		c.assertion = a
		c.secret = ""
		c.authStyle = oauth2.AuthStyleInParams
	}
	if len(c.scopes) == 0 {
		c.scopes = []string{gooidc.ScopeOpenID, "email", "profile"}
	}
	if !contains(c.scopes, gooidc.ScopeOpenID) {
		c.scopes = append([]string{gooidc.ScopeOpenID}, c.scopes...)
	}
	if c.client == nil {
		c.client = &http.Client{Timeout: DefaultTimeout}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

func contains(l []string, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// Type is federation.TypeOIDC.
func (c *Connector) Type() string { return federation.TypeOIDC }

func (c *Connector) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, c.client)
}

// discover returns the upstream's metadata, fetched once.
func (c *Connector) discover(ctx context.Context) (*gooidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	// The provider keeps the client for its key set, which outlives this
	// request.
	p, err := gooidc.NewProvider(c.ctx(context.WithoutCancel(ctx)), c.issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery at %s: %v", federation.ErrUnavailable, c.issuer, err)
	}
	c.provider = p
	return p, nil
}

func (c *Connector) oauth2Config(p *gooidc.Provider) *oauth2.Config {
	ep := p.Endpoint()
	ep.AuthStyle = c.authStyle
	return &oauth2.Config{ClientID: c.clientID, ClientSecret: c.secret, Endpoint: ep, RedirectURL: c.redirectURI, Scopes: c.scopes}
}

// LoginURL returns the upstream's authorization URL for this login.
func (c *Connector) LoginURL(ctx context.Context, state, nonce string, pkce federation.PKCE) (string, error) {
	if state == "" || nonce == "" || (c.pkce && pkce.Challenge == "") {
		return "", errors.New("federation/oidc: state, nonce and a PKCE challenge are required")
	}
	p, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{gooidc.Nonce(nonce)}
	if c.pkce {
		opts = append(opts, oauth2.SetAuthURLParam("code_challenge", pkce.Challenge),
			oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	}
	return c.oauth2Config(p).AuthCodeURL(state, opts...), nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", federation.ErrInvalidResponse, fmt.Sprintf(format, args...))
}

// HandleCallback checks the upstream's answer and returns who signed in.
func (c *Connector) HandleCallback(ctx context.Context, cb federation.Callback) (federation.Identity, error) {
	var none federation.Identity
	got := cb.Param("state")
	if cb.State == "" || subtle.ConstantTimeCompare([]byte(got), []byte(cb.State)) != 1 {
		return none, federation.ErrState
	}
	if e := cb.Param("error"); e != "" {
		if e == "access_denied" {
			return none, federation.ErrAccessDenied
		}
		return none, invalid("the upstream answered error=%.64q", e)
	}
	code := cb.Param("code")
	if code == "" {
		return none, invalid("no code")
	}
	p, err := c.discover(ctx)
	if err != nil {
		return none, err
	}
	var opts []oauth2.AuthCodeOption
	if c.assertion != nil {
		jwt, err := c.assertion.sign(c.clientID, p.Endpoint().TokenURL, c.now())
		if err != nil {
			return none, err
		}
		opts = append(opts, oauth2.SetAuthURLParam("client_assertion_type", clientAssertionType),
			oauth2.SetAuthURLParam("client_assertion", jwt))
	}
	if c.pkce {
		opts = append(opts, oauth2.VerifierOption(cb.PKCE.Verifier))
	}
	tok, err := c.oauth2Config(p).Exchange(c.ctx(ctx), code, opts...)
	if err != nil {
		var re *oauth2.RetrieveError
		var ne net.Error
		switch {
		case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500:
			return none, fmt.Errorf("%w: token endpoint: %s", federation.ErrUnavailable, re.Response.Status)
		case errors.As(err, &re):
			return none, invalid("the code was refused (%s)", re.ErrorCode)
		case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
			return none, fmt.Errorf("%w: token endpoint: %v", federation.ErrUnavailable, err)
		}
		return none, invalid("token response: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return none, invalid("no ID token")
	}
	idt, err := p.Verifier(&gooidc.Config{ClientID: c.clientID, Now: c.now}).Verify(c.ctx(ctx), raw)
	if err != nil {
		return none, invalid("ID token: %v", err)
	}
	if cb.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(cb.Nonce)) != 1 {
		return none, invalid("ID token: wrong nonce")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return none, invalid("ID token: %v", err)
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return none, invalid("ID token claims: %v", err)
	}
	if _, ok := claims["email"]; !ok && p.UserInfoEndpoint() != "" {
		// Some providers put only sub in the ID token; the rest is at
		// userinfo, for the same subject.
		ui, err := p.UserInfo(c.ctx(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			return none, invalid("userinfo: %v", err)
		}
		if ui.Subject != idt.Subject {
			return none, invalid("userinfo is about another subject")
		}
		extra := map[string]any{}
		if err := ui.Claims(&extra); err != nil {
			return none, invalid("userinfo claims: %v", err)
		}
		for k, v := range extra {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	return identityFrom(idt.Subject, claims), nil
}

func identityFrom(sub string, claims map[string]any) federation.Identity {
	str := func(k string) string { s, _ := claims[k].(string); return s }
	verified := false
	switch v := claims["email_verified"].(type) {
	case bool:
		verified = v
	case string: // some providers send "true"
		verified = v == "true"
	}
	var groups []string
	if l, ok := claims["groups"].([]any); ok {
		for _, g := range l {
			if s, ok := g.(string); ok {
				groups = append(groups, s)
			}
		}
	}
	return federation.Identity{
		Subject: sub, Email: str("email"), EmailVerified: verified && str("email") != "",
		PreferredUsername: str("preferred_username"), Name: str("name"), GivenName: str("given_name"),
		FamilyName: str("family_name"), Groups: groups, Claims: claims,
	}
}

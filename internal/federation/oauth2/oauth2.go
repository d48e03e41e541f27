// Package oauth2 holds the redirect connectors for upstreams that speak
// OAuth 2.0 but not (only) plain OpenID Connect discovery, one file each:
// a generic OAuth 2.0 provider (`oauth2`: authorization, token and
// userinfo endpoints configured), GitHub (`github`: no OpenID Connect;
// /user and /user/emails), Microsoft Entra ID (`microsoft`: the
// multi-tenant issuer template) and Sign in with Apple (`apple`: an ES256
// client secret, form_post, the name only on the first sign-in).
//
// Every connector checks the callback's state in constant time, maps the
// upstream's error=access_denied to federation.ErrAccessDenied, a 5xx or
// unreachable upstream to federation.ErrUnavailable and anything else
// failing a check to federation.ErrInvalidResponse, and sends a PKCE S256
// challenge where the provider takes one.
package oauth2

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// DefaultTimeout bounds each request to the upstream.
const DefaultTimeout = 10 * time.Second

// maxBody bounds what is read from the upstream's API.
const maxBody = 1 << 20

// Options are what a connector needs besides its settings.
type Options struct {
	// RedirectURI is the connection's callback URL (federation.URLsFor).
	RedirectURI string
	// HTTPClient reaches the upstream; one with DefaultTimeout when nil.
	HTTPClient *http.Client
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// BaseURL replaces a provider's fixed address (https://github.com,
	// https://login.microsoftonline.com, https://appleid.apple.com), and
	// APIURL GitHub's https://api.github.com: tests point them at a fake
	// server on loopback.
	BaseURL string
	APIURL  string
}

func (o *Options) defaults() error {
	if o.RedirectURI == "" {
		return errors.New("federation/oauth2: a redirect URI is required")
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: DefaultTimeout}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", federation.ErrInvalidResponse, fmt.Sprintf(format, args...))
}

func unavailable(what string, err any) error {
	return fmt.Errorf("%w: %s: %v", federation.ErrUnavailable, what, err)
}

// flow is the authorization code flow every connector here shares.
type flow struct {
	conf   oauth2.Config
	pkce   bool
	client *http.Client
}

func (f *flow) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, f.client)
}

// authURL is the upstream's authorization URL with state, PKCE and
// extra parameters.
func (f *flow) authURL(state string, pkce federation.PKCE, extra ...oauth2.AuthCodeOption) (string, error) {
	if state == "" || (f.pkce && pkce.Challenge == "") {
		return "", errors.New("federation/oauth2: state and a PKCE challenge are required")
	}
	opts := extra
	if f.pkce {
		opts = append(opts, oauth2.SetAuthURLParam("code_challenge", pkce.Challenge),
			oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	}
	return f.conf.AuthCodeURL(state, opts...), nil
}

// checkCallback checks the state and the upstream's error and returns
// the code.
func checkCallback(cb federation.Callback) (string, error) {
	if cb.State == "" || subtle.ConstantTimeCompare([]byte(cb.Param("state")), []byte(cb.State)) != 1 {
		return "", federation.ErrState
	}
	switch e := cb.Param("error"); e {
	case "":
	case "access_denied", "user_cancelled_authorize": // the latter is Apple's
		return "", federation.ErrAccessDenied
	default:
		return "", invalid("the upstream answered error=%.64q", e)
	}
	code := cb.Param("code")
	if code == "" {
		return "", invalid("no code")
	}
	return code, nil
}

// exchange redeems the code (with the PKCE verifier).
func (f *flow) exchange(ctx context.Context, code string, cb federation.Callback, conf *oauth2.Config, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	if conf == nil {
		conf = &f.conf
	}
	if f.pkce {
		opts = append(opts, oauth2.VerifierOption(cb.PKCE.Verifier))
	}
	tok, err := conf.Exchange(f.ctx(ctx), code, opts...)
	if err != nil {
		return nil, exchangeError(err)
	}
	return tok, nil
}

// idToken exchanges code (with conf, when not nil, instead of the flow's)
// and checks the ID token the answer carries: signature and claims by v,
// and the login's nonce (constant time). It returns the token and its
// claims. Apple and Microsoft sign in this way.
func (f *flow) idToken(ctx context.Context, code string, cb federation.Callback, conf *oauth2.Config, v *gooidc.IDTokenVerifier) (*gooidc.IDToken, map[string]any, error) {
	tok, err := f.exchange(ctx, code, cb, conf)
	if err != nil {
		return nil, nil, err
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, nil, invalid("no ID token")
	}
	idt, err := v.Verify(f.ctx(ctx), raw)
	if err != nil {
		return nil, nil, invalid("ID token: %v", err)
	}
	if cb.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(cb.Nonce)) != 1 {
		return nil, nil, invalid("ID token: wrong nonce")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, nil, invalid("ID token claims: %v", err)
	}
	return idt, claims, nil
}

func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	var ne net.Error
	switch {
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500:
		return unavailable("token endpoint", re.Response.Status)
	case errors.As(err, &re):
		return invalid("the code was refused (%.64s)", re.ErrorCode)
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		return unavailable("token endpoint", err)
	}
	return invalid("token response: %v", err)
}

// getJSON reads an API resource with the access token.
func getJSON(ctx context.Context, client *http.Client, url string, tok *oauth2.Token, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return invalid("%v", err)
	}
	if tok != nil {
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return unavailable(url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return unavailable(url, resp.Status)
	}
	if resp.StatusCode != http.StatusOK {
		return invalid("%s answered %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return unavailable(url, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return invalid("%s: %v", url, err)
	}
	return nil
}

// claimString reads a claim as a string: numbers (GitHub's id) in
// decimal, without exponent.
func claimString(claims map[string]any, k string) string {
	switch v := claims[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// verified reads an email_verified claim, which some providers send as
// the string "true".
func verified(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

func decodeClaims(b []byte) (map[string]any, error) {
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// Generic is a generic OAuth 2.0 provider: the person is whoever its
// userinfo endpoint says the access token belongs to.
type Generic struct {
	flow
	userinfo string
}

// Interface guards.
var (
	_ federation.RedirectConnector = (*Generic)(nil)
	_ federation.RedirectConnector = (*GitHub)(nil)
	_ federation.RedirectConnector = (*Microsoft)(nil)
	_ federation.RedirectConnector = (*Apple)(nil)
)

// NewGeneric builds the connector of an `oauth2` connection.
func NewGeneric(cfg federation.Config, sec federation.Secrets, o Options) (*Generic, error) {
	if err := federation.Validate(federation.TypeOAuth2, cfg, sec); err != nil {
		return nil, err
	}
	if cfg.ClientAuthMethod == federation.AuthPrivateKeyJWT {
		return nil, fmt.Errorf("%w: private_key_jwt at an OAuth 2.0 upstream", federation.ErrNotSupported)
	}
	if err := o.defaults(); err != nil {
		return nil, err
	}
	style := oauth2.AuthStyleInHeader
	if cfg.ClientAuthMethod == federation.AuthClientSecretPost {
		style = oauth2.AuthStyleInParams
	}
	return &Generic{
		flow: flow{conf: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: sec.ClientSecret, RedirectURL: o.RedirectURI,
			Scopes:   strings.Fields(cfg.Scopes),
			Endpoint: oauth2.Endpoint{AuthURL: cfg.AuthorizationEndpoint, TokenURL: cfg.TokenEndpoint, AuthStyle: style}},
			pkce: cfg.PKCE == nil || *cfg.PKCE, client: o.HTTPClient},
		userinfo: cfg.UserinfoEndpoint,
	}, nil
}

// Type is federation.TypeOAuth2.
func (g *Generic) Type() string { return federation.TypeOAuth2 }

// LoginURL returns the upstream's authorization URL (nonce is not used:
// plain OAuth 2.0 has no ID token).
func (g *Generic) LoginURL(_ context.Context, state, _ string, pkce federation.PKCE) (string, error) {
	return g.authURL(state, pkce)
}

// HandleCallback exchanges the code and reads userinfo. The subject is
// its `sub`, else its `id`, else its `user_id`.
func (g *Generic) HandleCallback(ctx context.Context, cb federation.Callback) (federation.Identity, error) {
	var none federation.Identity
	code, err := checkCallback(cb)
	if err != nil {
		return none, err
	}
	tok, err := g.exchange(ctx, code, cb, nil)
	if err != nil {
		return none, err
	}
	var raw json.RawMessage
	if err := getJSON(ctx, g.client, g.userinfo, tok, &raw); err != nil {
		return none, err
	}
	claims, err := decodeClaims(raw)
	if err != nil {
		return none, invalid("userinfo: %v", err)
	}
	sub := ""
	for _, k := range []string{"sub", "id", "user_id"} {
		if sub = claimString(claims, k); sub != "" {
			break
		}
	}
	if sub == "" {
		return none, invalid("userinfo names no subject (sub, id or user_id)")
	}
	return identity(sub, claims), nil
}

func identity(sub string, claims map[string]any) federation.Identity {
	str := func(k string) string { return claimString(claims, k) }
	var groups []string
	if l, ok := claims["groups"].([]any); ok {
		for _, g := range l {
			if s, ok := g.(string); ok {
				groups = append(groups, s)
			}
		}
	}
	return federation.Identity{
		Subject: sub, Email: str("email"), EmailVerified: verified(claims["email_verified"]) && str("email") != "",
		PreferredUsername: str("preferred_username"), Name: str("name"), GivenName: str("given_name"),
		FamilyName: str("family_name"), Groups: groups, Claims: claims,
	}
}

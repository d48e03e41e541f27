package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// serveJWKS answers from bytes serialised once per key change, with an
// ETag so caches revalidate for free.
func (p *Provider) serveJWKS(w http.ResponseWriter, r *http.Request) {
	t := tenancy.From(r.Context())
	body, etag, err := p.keys.JWKS(r.Context(), t.ID)
	if errors.Is(err, store.ErrNotFound) { // deleted since another node cached it
		httpx.WriteProblem(w, r, httpx.NotFound("No such tenant."))
		return
	}
	if err != nil {
		op.WriteError(w, r, oidc.ErrServerError().WithParent(err), nil)
		return
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=300, stale-while-revalidate=60")
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/jwk-set+json")
	_, _ = w.Write(body)
}

// discoveryCache holds each issuer's serialised metadata.
var discoveryCache sync.Map // issuer -> []byte

// serveDiscovery answers OpenID Connect Discovery and RFC 8414 metadata
// with what Gatehouse actually supports.
func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	t := tenancy.From(r.Context())
	body, ok := discoveryCache.Load(t.Issuer)
	if !ok {
		b, err := p.discovery(r.Context(), t)
		if err != nil {
			op.WriteError(w, r, oidc.ErrServerError().WithParent(err), nil)
			return
		}
		discoveryCache.Store(t.Issuer, b)
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(body.([]byte))
}

func (p *Provider) discovery(ctx context.Context, t *tenancy.Tenant) ([]byte, error) {
	d := op.CreateDiscoveryConfig(ctx, p.op, p.storage)
	d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
	d.ResponseModesSupported = []string{"query", "fragment", "form_post"}
	d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken, oidc.GrantTypeClientCredentials, oidc.GrantTypeDeviceCode, oidc.GrantTypeTokenExchange}
	d.CodeChallengeMethodsSupported = []oidc.CodeChallengeMethod{oidc.CodeChallengeMethodS256}
	d.IDTokenSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.TokenEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodPrivateKeyJWT, oidc.AuthMethodNone}
	d.TokenEndpointAuthSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.IntrospectionEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodPrivateKeyJWT}
	d.RevocationEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodPrivateKeyJWT, oidc.AuthMethodNone}
	d.IntrospectionEndpointAuthSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.RevocationEndpointAuthSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.ScopesSupported = supportedScopes
	d.ClaimsSupported = supportedClaims
	d.RequestParameterSupported = false
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["pushed_authorization_request_endpoint"] = t.Issuer + parPath
	m["require_pushed_authorization_requests"] = false
	m["prompt_values_supported"] = []string{"none", "login", "consent", "select_account"}
	m["authorization_response_iss_parameter_supported"] = true
	m["subject_types_supported"] = []string{"public"}
	m["acr_values_supported"] = ACRValuesSupported
	return json.Marshal(m)
}

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
		var oe *oidc.Error
		if !errors.As(err, &oe) {
			oe = oidc.ErrServerError()
		}
		parError(w, http.StatusUnauthorized, oe)
		return
	}
	if r.PostForm.Get("request_uri") != "" {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("request_uri is not allowed in a pushed request"))
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
	if ar.ResponseType != oidc.ResponseTypeCode {
		parError(w, http.StatusBadRequest, protoErr("unsupported_response_type", "only response_type=code is supported"))
		return
	}
	if (ar.CodeChallenge != "" && ar.CodeChallengeMethod != oidc.CodeChallengeMethodS256) || (c.c.Public() && ar.CodeChallenge == "") {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("PKCE with S256 is required"))
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
		parError(w, http.StatusInternalServerError, oidc.ErrServerError())
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

// formClientCredentials reads client authentication from a parsed form
// and the Basic header (whose parts are form-encoded, RFC 6749 2.3.1).
func formClientCredentials(r *http.Request) *op.ClientCredentials {
	cc := &op.ClientCredentials{
		ClientID: r.PostForm.Get("client_id"), ClientSecret: r.PostForm.Get("client_secret"),
		ClientAssertion: r.PostForm.Get("client_assertion"), ClientAssertionType: r.PostForm.Get("client_assertion_type"),
	}
	if id, sec, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(id)
		sec, _ = url.QueryUnescape(sec)
		cc.ClientID, cc.ClientSecret = id, sec
	}
	return cc
}

// takePushed resolves a request_uri at /authorize: one-time, unexpired,
// and only for the client that pushed it.
func (p *Provider) takePushed(ctx context.Context, t *tenancy.Tenant, uri, clientID string) (*oidc.AuthRequest, error) {
	id, ok := strings.CutPrefix(uri, requestURIPrefix)
	invalid := protoErr("invalid_request_uri", "the request_uri is unknown, used or expired")
	if !ok || id == "" {
		return nil, invalid
	}
	pr, err := t.Store.PushedRequests().Take(ctx, t.ID, id)
	if err != nil {
		return nil, invalid
	}
	if clientID != pr.ClientID || !p.now().Before(pr.ExpiresAt) {
		return nil, invalid
	}
	var ar oidc.AuthRequest
	if err := p.op.Decoder().Decode(&ar, url.Values(pr.Params)); err != nil {
		return nil, invalid
	}
	return &ar, nil
}

// publicKey finds a key in the client's registered JWKS (private_key_jwt).
func (c *client) publicKey(kid string) (*jose.JSONWebKey, error) {
	if len(c.c.JWKS) == 0 {
		return nil, errors.New("the client has no registered jwks")
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(c.c.JWKS, &set); err != nil {
		return nil, err
	}
	keys := set.Key(kid)
	if kid == "" && len(set.Keys) == 1 {
		keys = set.Keys
	}
	if len(keys) == 0 {
		return nil, errors.New("no key with that kid")
	}
	return &keys[0], nil
}

// NormalizeUserCode uppercases a device user code and drops separators,
// so "bcdf-ghjk" and "BCDFGHJK" match.
func NormalizeUserCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, s)
}

// endSession implements RP-initiated logout. The browser's session (its
// cookie) ends, unless a hint names another one. A valid id_token_hint
// (signed by the tenant; expired is fine, as OIDC RP-Initiated Logout
// allows) whose sid names a session of its subject ends that session too,
// cookie or not: a relying party's back end calls end_session server to
// server with the ID token it holds (oauth2-proxy's backend logout), as
// Keycloak supports.
func (p *Provider) endSession(ctx context.Context, t *tenancy.Tenant, h http.Header, d *oidc.EndSessionRequest) (*op.Redirect, error) {
	clientID := d.ClientID
	var hintSID, hintSub string
	if d.IdTokenHint != "" {
		claims, err := op.VerifyIDTokenHint[*oidc.IDTokenClaims](ctx, d.IdTokenHint, p.op.IDTokenHintVerifier(ctx))
		// The engine returns the expiry error as a value, not a pointer.
		if err != nil && !errors.As(err, new(op.IDTokenHintExpiredError)) {
			return nil, oidc.ErrInvalidRequest().WithDescription("id_token_hint is not valid")
		}
		if claims != nil {
			if clientID != "" && !slices.Contains(claims.Audience, clientID) {
				return nil, oidc.ErrInvalidRequest().WithDescription("client_id does not match id_token_hint")
			}
			if clientID == "" && len(claims.Audience) > 0 {
				clientID = claims.Audience[0]
			}
			hintSID, _ = claims.Claims["sid"].(string)
			hintSub = claims.Subject
		}
	}
	target := t.Issuer + p.loginPath + "/logged-out"
	if d.PostLogoutRedirectURI != "" {
		if clientID == "" {
			return nil, oidc.ErrInvalidRequest().WithDescription("post_logout_redirect_uri needs client_id or id_token_hint")
		}
		c, err := p.clients.get(ctx, t, clientID)
		if err != nil {
			return nil, oidc.ErrInvalidRequest().WithDescription("unknown client")
		}
		if !slices.Contains(c.c.PostLogoutRedirectURIs, d.PostLogoutRedirectURI) {
			return nil, oidc.ErrInvalidRequest().WithDescription("post_logout_redirect_uri is not registered for the client")
		}
		u, err := url.Parse(d.PostLogoutRedirectURI)
		if err != nil {
			return nil, oidc.ErrInvalidRequest().WithDescription("post_logout_redirect_uri is malformed")
		}
		if d.State != "" {
			q := u.Query()
			q.Set("state", d.State)
			u.RawQuery = q.Encode()
		}
		target = u.String()
	}
	redirect := op.NewRedirect(target)
	sc := p.SessionScope(t)
	req := &http.Request{Header: h}
	var end *oauth.Session
	if s, err := p.sessions.Find(ctx, req, sc); err == nil && (hintSID == "" || hintSID == s.ID) {
		end = s
	} else if hintSID != "" {
		// Back-end logout: the hint's session, if it is its subject's and
		// not ended yet (even idle-expired: its refresh tokens may live).
		if s, err := t.Store.Sessions().Get(ctx, t.ID, hintSID); err == nil && s.UserID == hintSub && s.RevokedAt == nil {
			end = s
		}
	}
	if end != nil {
		if err := p.EndSessionRecord(ctx, t, end); err != nil {
			p.log.WarnContext(ctx, "ending session at logout failed", "err", err)
		}
	}
	redirect.Header.Add("Set-Cookie", (&http.Cookie{Name: sc.Name, Value: "", Path: cookiePath(sc.Path), MaxAge: -1,
		HttpOnly: true, Secure: p.sessions.Secure, SameSite: http.SameSiteLaxMode}).String())
	return redirect, nil
}

func cookiePath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// SessionScope tells the session manager where the tenant's cookie lives.
func (p *Provider) SessionScope(t *tenancy.Tenant) sessions.Scope {
	return sessions.Scope{TenantID: t.ID, Store: t.Store, Path: t.Base, Name: sessions.CookieName(t.PathSlug())}
}

// EndSessionRecord revokes a browser session, the refresh tokens issued
// under it, and (through the revocation list) its access tokens.
func (p *Provider) EndSessionRecord(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) error {
	now := p.now().UTC()
	var errs []error
	if err := t.Store.Sessions().Revoke(ctx, t.ID, s.ID, now); err != nil && !errors.Is(err, store.ErrNotFound) {
		errs = append(errs, err)
	}
	if _, err := t.Store.RefreshTokens().RevokeForSession(ctx, t.ID, s.ID, now); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, p.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: oauth.RevokeSession, Key: s.ID,
		NotBefore: now, ExpiresAt: now.Add(p.cfg.MaxTokenLifetime)}))
	return errors.Join(errs...)
}

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
		var oe *oidc.Error
		if !errors.As(err, &oe) {
			oe = oidc.ErrServerError()
		}
		parError(w, http.StatusUnauthorized, oe)
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		parError(w, http.StatusBadRequest, oidc.ErrInvalidRequest().WithDescription("token missing"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(p.introspect(ctx, t, token))
}

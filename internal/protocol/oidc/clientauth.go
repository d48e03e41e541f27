package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// VerifyClient authenticates the client of a token, revocation or device
// request with the method it registered.
func (s *server) VerifyClient(ctx context.Context, r *op.Request[op.ClientCredentials]) (op.Client, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.p.authenticateClient(ctx, t, r.Header, r.Data)
	if err != nil {
		return nil, asUnauthorized(err)
	}
	return c, nil
}

// asUnauthorized gives invalid_client its 401 (RFC 6749 5.2).
func asUnauthorized(err error) error {
	var oe *oidc.Error
	if errors.As(err, &oe) && oe.ErrorType == oidc.InvalidClient {
		return op.NewStatusError(oe, http.StatusUnauthorized)
	}
	return err
}

// writeClientAuthError answers a failed client authentication at the
// endpoints Gatehouse serves itself (PAR, introspection): 401 (RFC 6749
// 5.2), or 500 when the server failed (already logged).
func writeClientAuthError(w http.ResponseWriter, err error) {
	var oe *oidc.Error
	if !errors.As(err, &oe) {
		oe = oidc.ErrServerError()
	}
	status := http.StatusUnauthorized
	if oe.ErrorType == oidc.ServerError {
		status = http.StatusInternalServerError
	}
	parError(w, status, oe)
}

// authenticateClient is Gatehouse's one client authentication, for every
// endpoint that authenticates clients (token, revocation, device
// authorization through VerifyClient; PAR and introspection directly):
// the method the client registered, and only that one. The engine's own
// paths (op.Storage's AuthorizeClientIDSecret, ClientCredentialsStorage)
// are not used (storage.go).
func (p *Provider) authenticateClient(ctx context.Context, t *tenancy.Tenant, h http.Header, cc *op.ClientCredentials) (*client, error) {
	if cc.ClientAssertionType == oidc.ClientAssertionTypeJWTAssertion || cc.ClientAssertion != "" {
		return p.authenticateAssertion(ctx, t, cc.ClientAssertion)
	}
	if cc.ClientID == "" {
		return nil, oidc.ErrInvalidClient().WithDescription("client authentication is required")
	}
	c, err := p.clients.get(ctx, t, cc.ClientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, oidc.ErrInvalidClient().WithDescription("unknown client")
	}
	if err != nil {
		return nil, p.serverError(ctx, t, cc.ClientID, "client authentication: find client", err)
	}
	basic := strings.HasPrefix(h.Get("Authorization"), "Basic ")
	switch c.c.TokenEndpointAuthMethod {
	case oauth.AuthMethodNone:
		if cc.ClientSecret != "" {
			return nil, oidc.ErrInvalidClient().WithDescription("a public client has no secret")
		}
		return c, nil
	case oauth.AuthMethodPrivateKeyJWT:
		return nil, oidc.ErrInvalidClient().WithDescription("the client must authenticate with private_key_jwt")
	case oauth.AuthMethodClientSecretBasic:
		if !basic {
			return nil, oidc.ErrInvalidClient().WithDescription("the client must authenticate with client_secret_basic")
		}
	case oauth.AuthMethodClientSecretPost:
		if basic {
			return nil, oidc.ErrInvalidClient().WithDescription("the client must authenticate with client_secret_post")
		}
	}
	if !p.dir.VerifyClientSecret(c.c, cc.ClientSecret) {
		return nil, oidc.ErrInvalidClient().WithDescription("invalid client credentials")
	}
	return c, nil
}

// MaxAssertionLifetime bounds how far in the future a client assertion's
// exp may lie: its jti is remembered until then, so a long-lived
// assertion would be a replayable credential and a long-lived row.
const MaxAssertionLifetime = 5 * time.Minute

// authenticateAssertion authenticates a private_key_jwt client (RFC 7523
// 3): signature with a key the client registered, iss = sub = the client,
// aud the issuer or the token endpoint (OIDC Core 9), iat in the last
// hour, exp within MaxAssertionLifetime, and a jti that this client has
// not used before. The used jti is stored with the tenant's data until
// exp, so every node refuses a replay.
func (p *Provider) authenticateAssertion(ctx context.Context, t *tenancy.Tenant, assertion string) (*client, error) {
	var req *oidc.JWTTokenRequest
	var err error
	for _, aud := range []string{t.Issuer, p.endpoints.Token.Absolute(t.Issuer)} {
		v := op.NewJWTProfileVerifier(p.storage, aud, time.Hour, time.Second)
		if req, err = op.VerifyJWTAssertion(ctx, assertion, v); err == nil {
			break
		}
	}
	if err != nil {
		return nil, oidc.ErrInvalidClient().WithDescription("invalid client assertion").WithParent(err)
	}
	c, err := p.clients.get(ctx, t, req.Issuer)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, p.serverError(ctx, t, req.Issuer, "client authentication: find client", err)
	}
	if err != nil || c.c.TokenEndpointAuthMethod != oauth.AuthMethodPrivateKeyJWT {
		return nil, oidc.ErrInvalidClient().WithDescription("the client does not use private_key_jwt")
	}
	if oe := checkFAPIAssertion(c, assertion); oe != nil { // fapi.go
		return nil, oe
	}
	now := p.now()
	exp := req.ExpiresAt.AsTime()
	switch {
	case req.JWTID == "":
		return nil, oidc.ErrInvalidClient().WithDescription("the client assertion has no jti")
	case exp.After(now.Add(MaxAssertionLifetime)):
		return nil, oidc.ErrInvalidClient().WithDescription("the client assertion's exp is more than %v away", MaxAssertionLifetime)
	}
	err = t.Store.ClientAssertions().Use(ctx, t.ID, c.c.ID, tokens.Hash(req.JWTID), exp, now)
	switch {
	case errors.Is(err, store.ErrReused):
		p.log.WarnContext(ctx, "client assertion replayed", "tenant_id", t.ID, "client_id", c.c.ID)
		return nil, oidc.ErrInvalidClient().WithDescription("the client assertion was already used")
	case errors.Is(err, store.ErrNotFound): // the client was deleted meanwhile
		return nil, oidc.ErrInvalidClient().WithDescription("unknown client")
	case err != nil:
		return nil, p.serverError(ctx, t, c.c.ID, "client authentication: record assertion", err)
	}
	return c, nil
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

package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// storage implements the engine's op.Storage on Gatehouse's store. The
// tenant of every call comes from the request context. Grants whose tokens
// Gatehouse issues itself (server.go) reach only the lookups here; the
// token-creating methods serve the engine's remaining paths.
type storage struct{ p *Provider }

var (
	_ op.Storage                    = (*storage)(nil)
	_ op.ClientCredentialsStorage   = (*storage)(nil)
	_ op.DeviceAuthorizationStorage = (*storage)(nil)
)

func (s *storage) tenant(ctx context.Context) (*tenancy.Tenant, error) {
	t := tenancy.From(ctx)
	if t == nil {
		return nil, errors.New("provider: no tenant in context")
	}
	return t, nil
}

// authRequest adapts oauth.AuthRequest to op.AuthRequest.
type authRequest struct{ *oauth.AuthRequest }

var _ op.AuthRequest = authRequest{}

func (a authRequest) GetID() string          { return a.ID }
func (a authRequest) GetACR() string         { return a.ACR }
func (a authRequest) GetAMR() []string       { return a.AMR }
func (a authRequest) GetAudience() []string  { return []string{a.ClientID} }
func (a authRequest) GetAuthTime() time.Time { return a.AuthTime }
func (a authRequest) GetClientID() string    { return a.ClientID }
func (a authRequest) GetNonce() string       { return a.Nonce }
func (a authRequest) GetRedirectURI() string { return a.RedirectURI }
func (a authRequest) GetScopes() []string    { return a.Scopes }
func (a authRequest) GetState() string       { return a.State }
func (a authRequest) GetSubject() string     { return a.UserID }
func (a authRequest) Done() bool             { return a.AuthRequest.Done }
func (a authRequest) GetResponseType() oidc.ResponseType {
	return oidc.ResponseType(a.ResponseType)
}
func (a authRequest) GetResponseMode() oidc.ResponseMode {
	return oidc.ResponseMode(a.ResponseMode)
}
func (a authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.CodeChallenge, Method: oidc.CodeChallengeMethod(a.CodeChallengeMethod)}
}

func (s *storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	now := s.p.now().UTC()
	ar := &oauth.AuthRequest{
		TenantID: t.ID, ClientID: req.ClientID, RedirectURI: req.RedirectURI, State: req.State, Nonce: req.Nonce,
		Scopes: req.Scopes, ResponseType: string(req.ResponseType), ResponseMode: string(req.ResponseMode),
		CodeChallenge: req.CodeChallenge, CodeChallengeMethod: string(req.CodeChallengeMethod),
		Prompt: req.Prompt, LoginHint: req.LoginHint, ACRValues: req.ACRValues,
		CreatedAt: now, ExpiresAt: now.Add(s.p.cfg.AuthRequestLifetime),
	}
	for _, l := range req.UILocales {
		ar.UILocales = append(ar.UILocales, l.String())
	}
	if req.MaxAge != nil {
		d := time.Duration(*req.MaxAge) * time.Second
		ar.MaxAge = &d
	}
	// id_token_hint names the user the client expects; the login page
	// refuses to complete the request for anyone else.
	if userID != "" {
		ar.UserID = userID
	}
	if err := t.Store.AuthRequests().Create(ctx, ar); err != nil {
		return nil, err
	}
	return authRequest{ar}, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	ar, err := t.Store.AuthRequests().Get(ctx, t.ID, id)
	if err != nil {
		return nil, notFound(err, "auth request")
	}
	if !s.p.now().Before(ar.ExpiresAt) {
		return nil, oidc.ErrInvalidRequest().WithDescription("the authorization request has expired")
	}
	return authRequest{ar}, nil
}

// AuthRequestByCode serves the engine's own paths; the code grant itself is
// handled in server.go, which also detects replays.
func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	ar, err := t.Store.AuthRequests().GetByCode(ctx, t.ID, digest(code))
	if err != nil {
		return nil, oidc.ErrInvalidGrant().WithDescription("invalid code")
	}
	return authRequest{ar}, nil
}

func (s *storage) SaveAuthCode(ctx context.Context, id, code string) error {
	t, err := s.tenant(ctx)
	if err != nil {
		return err
	}
	_, err = t.Store.AuthRequests().Update(ctx, t.ID, id, func(ar *oauth.AuthRequest) error {
		if ar.CodeHash != nil {
			return oidc.ErrInvalidRequest().WithDescription("a code was already issued for this request")
		}
		ar.CodeHash = digest(code)
		ar.ExpiresAt = s.p.now().UTC().Add(s.p.cfg.AuthCodeLifetime)
		return nil
	})
	return err
}

func (s *storage) DeleteAuthRequest(ctx context.Context, id string) error {
	t, err := s.tenant(ctx)
	if err != nil {
		return err
	}
	err = t.Store.AuthRequests().Delete(ctx, t.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// tokenRequest is a grant's token request in the engine's terms.
type tokenRequest struct {
	subject  string
	audience []string
	scopes   []string
}

func (r *tokenRequest) GetSubject() string    { return r.subject }
func (r *tokenRequest) GetAudience() []string { return r.audience }
func (r *tokenRequest) GetScopes() []string   { return r.scopes }

func (s *storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	// Stateless JWTs: the ID is the jti and nothing is written.
	return newID(), s.p.now().Add(s.p.cfg.AccessTokenLifetime), nil
}

func (s *storage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are issued by Gatehouse's grant handlers")
}

func (s *storage) TokenRequestByRefreshToken(ctx context.Context, token string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(ctx context.Context, userID, clientID string) error { return nil }

func (s *storage) RevokeToken(ctx context.Context, token, userID, clientID string) *oidc.Error {
	return protoErr("unsupported_token_type", "revocation is served by Gatehouse")
}

func (s *storage) GetRefreshTokenInfo(ctx context.Context, clientID, token string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// signingKey adapts a keys.Key to the engine.
type signingKey struct{ k *keys.Key }

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm {
	return jose.SignatureAlgorithm(k.k.Alg)
}
func (k signingKey) Key() any   { return k.k.Private }
func (k signingKey) ID() string { return k.k.ID }

func (s *storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.p.keys.Active(ctx, t.ID, keys.RS256)
	if err != nil {
		return nil, err
	}
	return signingKey{k}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA}, nil
}

// publicKey adapts a JWK to the engine's op.Key.
type publicKey struct{ k *jose.JSONWebKey }

func (k publicKey) ID() string                         { return k.k.KeyID }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.SignatureAlgorithm(k.k.Algorithm) }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.k.Key }

func (s *storage) KeySet(ctx context.Context) ([]op.Key, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	body, _, err := s.p.keys.JWKS(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, err
	}
	out := make([]op.Key, len(set.Keys))
	for i := range set.Keys {
		out[i] = publicKey{&set.Keys[i]}
	}
	return out, nil
}

func (s *storage) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.p.clients.get(ctx, t, clientID)
	if err != nil {
		return nil, notFound(err, "client")
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(ctx context.Context, clientID, secret string) error {
	t, err := s.tenant(ctx)
	if err != nil {
		return err
	}
	c, err := s.p.clients.get(ctx, t, clientID)
	if err != nil {
		return notFound(err, "client")
	}
	if !s.p.admin.VerifyClientSecret(c.c, secret) {
		return errors.New("invalid client secret")
	}
	return nil
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

func (s *storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	return errors.New("userinfo is served by Gatehouse")
}

func (s *storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	return errors.New("introspection is served by Gatehouse")
}

func (s *storage) GetPrivateClaimsFromScopes(ctx context.Context, userID, clientID string, scopes []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID finds a client's public key for private_key_jwt.
func (s *storage) GetKeyByIDAndClientID(ctx context.Context, keyID, clientID string) (*jose.JSONWebKey, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.p.clients.get(ctx, t, clientID)
	if err != nil {
		return nil, notFound(err, "client")
	}
	return c.publicKey(keyID)
}

func (s *storage) ValidateJWTProfileScopes(ctx context.Context, userID string, scopes []string) ([]string, error) {
	return slices.DeleteFunc(slices.Clone(scopes), func(sc string) bool { return !slices.Contains(supportedScopes, sc) }), nil
}

func (s *storage) Health(ctx context.Context) error {
	t := tenancy.From(ctx)
	if t == nil {
		return nil
	}
	return t.Store.Ready(ctx)
}

// ClientCredentials authenticates a client for the client_credentials grant.
func (s *storage) ClientCredentials(ctx context.Context, clientID, secret string) (op.Client, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.p.clients.get(ctx, t, clientID)
	if err != nil || !s.p.admin.VerifyClientSecret(c.c, secret) {
		return nil, oidc.ErrInvalidClient()
	}
	return c, nil
}

func (s *storage) ClientCredentialsTokenRequest(ctx context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	return &tokenRequest{subject: clientID, audience: []string{clientID}, scopes: scopes}, nil
}

// StoreDeviceAuthorization keeps only the device code's hash.
func (s *storage) StoreDeviceAuthorization(ctx context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	t, err := s.tenant(ctx)
	if err != nil {
		return err
	}
	err = t.Store.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{
		TenantID: t.ID, DeviceCodeHash: digest(deviceCode), UserCode: NormalizeUserCode(userCode), ClientID: clientID,
		Scopes: scopes, State: oauth.DevicePending, CreatedAt: s.p.now().UTC(), ExpiresAt: expires.UTC(),
		PollInterval: devicePollInterval,
	})
	if errors.Is(err, store.ErrConflict) {
		return op.ErrDuplicateUserCode
	}
	return err
}

func (s *storage) GetDeviceAuthorizatonState(ctx context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	d, err := t.Store.DeviceAuthorizations().GetByDeviceCode(ctx, t.ID, digest(deviceCode))
	if err != nil || d.ClientID != clientID {
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown device code")
	}
	return &op.DeviceAuthorizationState{
		ClientID: d.ClientID, Audience: []string{d.ClientID}, Scopes: d.Scopes, Expires: d.ExpiresAt,
		Done: d.State == oauth.DeviceApproved, Denied: d.State == oauth.DeviceDenied,
		Subject: d.UserID, AMR: d.AMR, AuthTime: d.AuthTime,
	}, nil
}

// notFound turns a store miss into an error the engine maps to a 4xx.
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return oidc.ErrInvalidRequest().WithDescription("%s not found", what)
	}
	return err
}

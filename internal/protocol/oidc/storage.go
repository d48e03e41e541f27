package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// storage implements the engine's op.Storage on Gatehouse's store. The
// tenant of every call comes from the request context. The engine uses it
// to validate authorization requests (clients, redirect URIs), to create
// them, to start device authorizations, for keys and discovery, and to
// verify client assertions and ID token hints. Everything else (grants,
// client authentication, userinfo, introspection, revocation, logout) is
// served by Gatehouse's handlers, and the storage methods the engine's own
// versions would call are refusals (see unreachable).
type storage struct{ p *Provider }

var (
	_ op.Storage                    = (*storage)(nil)
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
		Prompt: req.Prompt, LoginHint: req.LoginHint, ACRValues: req.ACRValues, Resource: resourceFrom(ctx), OrgID: orgFrom(ctx), DPoPJKT: dpopJKTFrom(ctx),
		CreatedAt: now, ExpiresAt: now.Add(s.p.cfg.AuthRequestLifetime),
	}
	ar.AuthorizationDetails = detailsFrom(ctx) // rar.go
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

func (s *storage) Health(ctx context.Context) error {
	t := tenancy.From(ctx)
	if t == nil {
		return nil
	}
	return t.Store.Ready(ctx)
}

// StoreDeviceAuthorization keeps only the device code's hash.
func (s *storage) StoreDeviceAuthorization(ctx context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	t, err := s.tenant(ctx)
	if err != nil {
		return err
	}
	err = t.Store.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{
		TenantID: t.ID, DeviceCodeHash: tokens.Hash(deviceCode), UserCode: NormalizeUserCode(userCode), ClientID: clientID,
		Scopes: scopes, Resource: resourceFrom(ctx), AuthorizationDetails: detailsFrom(ctx), State: oauth.DevicePending, CreatedAt: s.p.now().UTC(), ExpiresAt: expires.UTC(),
		PollInterval: devicePollInterval,
	})
	if errors.Is(err, store.ErrConflict) {
		return op.ErrDuplicateUserCode
	}
	return err
}

// notFound turns a store miss into an error the engine maps to a 4xx.
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return oidc.ErrInvalidRequest().WithDescription("%s not found", what)
	}
	return err
}

// unreachableMsg is logged when the engine calls a storage method that
// only its own handlers use. Gatehouse replaces those handlers (server.go),
// so the message means an engine upgrade rerouted a request: a test runs
// every endpoint and fails if it appears.
const unreachableMsg = "engine reached a storage method Gatehouse serves itself"

// unreachable logs the method and refuses with server_error.
func (s *storage) unreachable(ctx context.Context, method string) *oidc.Error {
	s.p.log.ErrorContext(ctx, unreachableMsg, "method", method)
	return oidc.ErrServerError().WithDescription("not supported")
}

// The methods below are required by op.Storage (and GetDeviceAuthorizatonState
// by op.DeviceAuthorizationStorage, whose StoreDeviceAuthorization the
// engine does use), but only the engine's own handlers call them, each of
// which Gatehouse replaces:
//   - the code grant and its replay detection, the authorize callback
//     (not mounted: the hosted login completes requests, interaction.go):
//     AuthRequestByID, AuthRequestByCode, SaveAuthCode, DeleteAuthRequest;
//   - token minting for every grant (tokens.go), and the implicit flow,
//     which Authorize refuses: CreateAccessToken,
//     CreateAccessAndRefreshTokens, GetPrivateClaimsFromScopes,
//     SetUserinfoFromScopes;
//   - refresh, revocation: TokenRequestByRefreshToken,
//     GetRefreshTokenInfo, RevokeToken;
//   - client authentication (clientauth.go, the one path):
//     AuthorizeClientIDSecret;
//   - userinfo, introspection, logout, jwt-bearer, device polling:
//     SetUserinfoFromToken, SetIntrospectionFromToken, TerminateSession,
//     ValidateJWTProfileScopes, GetDeviceAuthorizatonState.

func (s *storage) AuthRequestByID(ctx context.Context, _ string) (op.AuthRequest, error) {
	return nil, s.unreachable(ctx, "AuthRequestByID")
}
func (s *storage) AuthRequestByCode(ctx context.Context, _ string) (op.AuthRequest, error) {
	return nil, s.unreachable(ctx, "AuthRequestByCode")
}
func (s *storage) SaveAuthCode(ctx context.Context, _, _ string) error {
	return s.unreachable(ctx, "SaveAuthCode")
}
func (s *storage) DeleteAuthRequest(ctx context.Context, _ string) error {
	return s.unreachable(ctx, "DeleteAuthRequest")
}
func (s *storage) CreateAccessToken(ctx context.Context, _ op.TokenRequest) (string, time.Time, error) {
	return "", time.Time{}, s.unreachable(ctx, "CreateAccessToken")
}
func (s *storage) CreateAccessAndRefreshTokens(ctx context.Context, _ op.TokenRequest, _ string) (string, string, time.Time, error) {
	return "", "", time.Time{}, s.unreachable(ctx, "CreateAccessAndRefreshTokens")
}
func (s *storage) GetPrivateClaimsFromScopes(ctx context.Context, _, _ string, _ []string) (map[string]any, error) {
	return nil, s.unreachable(ctx, "GetPrivateClaimsFromScopes")
}
func (s *storage) SetUserinfoFromScopes(ctx context.Context, _ *oidc.UserInfo, _, _ string, _ []string) error {
	return s.unreachable(ctx, "SetUserinfoFromScopes")
}
func (s *storage) TokenRequestByRefreshToken(ctx context.Context, _ string) (op.RefreshTokenRequest, error) {
	return nil, s.unreachable(ctx, "TokenRequestByRefreshToken")
}
func (s *storage) GetRefreshTokenInfo(ctx context.Context, _, _ string) (string, string, error) {
	return "", "", s.unreachable(ctx, "GetRefreshTokenInfo")
}
func (s *storage) RevokeToken(ctx context.Context, _, _, _ string) *oidc.Error {
	return s.unreachable(ctx, "RevokeToken")
}
func (s *storage) AuthorizeClientIDSecret(ctx context.Context, _, _ string) error {
	return s.unreachable(ctx, "AuthorizeClientIDSecret")
}
func (s *storage) SetUserinfoFromToken(ctx context.Context, _ *oidc.UserInfo, _, _, _ string) error {
	return s.unreachable(ctx, "SetUserinfoFromToken")
}
func (s *storage) SetIntrospectionFromToken(ctx context.Context, _ *oidc.IntrospectionResponse, _, _, _ string) error {
	return s.unreachable(ctx, "SetIntrospectionFromToken")
}
func (s *storage) TerminateSession(ctx context.Context, _, _ string) error {
	return s.unreachable(ctx, "TerminateSession")
}
func (s *storage) ValidateJWTProfileScopes(ctx context.Context, _ string, _ []string) ([]string, error) {
	return nil, s.unreachable(ctx, "ValidateJWTProfileScopes")
}
func (s *storage) GetDeviceAuthorizatonState(ctx context.Context, _, _ string) (*op.DeviceAuthorizationState, error) {
	return nil, s.unreachable(ctx, "GetDeviceAuthorizatonState")
}

package oidc

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// server is the engine's op.Server with Gatehouse's grant handlers: the
// engine parses and validates requests and writes responses; Gatehouse
// authenticates clients and issues, rotates, introspects and revokes tokens.
type server struct {
	*op.LegacyServer
	p *Provider
}

// protoErr builds an OAuth error with a code the engine has no helper
// for. The engine's error type is unexported, so only constants can be
// assigned: each supported code is spelled out.
func protoErr(code, desc string) *oidc.Error {
	e := oidc.ErrInvalidRequest().WithDescription("%s", desc)
	switch code {
	case "unsupported_response_type":
		e.ErrorType = "unsupported_response_type"
	case "unsupported_token_type":
		e.ErrorType = "unsupported_token_type"
	case "consent_required":
		e.ErrorType = "consent_required"
	case "account_selection_required":
		e.ErrorType = "account_selection_required"
	case "invalid_request_uri":
		e.ErrorType = "invalid_request_uri"
	case "invalid_token":
		e.ErrorType = "invalid_token"
	case "insufficient_scope":
		e.ErrorType = "insufficient_scope"
	}
	return e
}

func (s *server) tenant(ctx context.Context) (*tenancy.Tenant, error) {
	t := tenancy.From(ctx)
	if t == nil {
		return nil, oidc.ErrServerError().WithDescription("no tenant")
	}
	return t, nil
}

// VerifyAuthRequest resolves a pushed request (RFC 9126) before the engine
// validates the authorization request.
func (s *server) VerifyAuthRequest(ctx context.Context, r *op.Request[oidc.AuthRequest]) (*op.ClientRequest[oidc.AuthRequest], error) {
	if uri := r.Form.Get("request_uri"); uri != "" {
		t, err := s.tenant(ctx)
		if err != nil {
			return nil, err
		}
		data, err := s.p.takePushed(ctx, t, uri, r.Data.ClientID)
		if err != nil {
			return nil, err
		}
		r.Data = data
		return s.LegacyServer.VerifyAuthRequest(ctx, r) // its redirect_uri was checked when it was pushed
	}
	cr, err := s.LegacyServer.VerifyAuthRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	if c, ok := cr.Client.(*client); ok && cr.Data.RedirectURI != "" {
		if err := c.checkRedirectURI(cr.Data.RedirectURI, cr.Data.ResponseType); err != nil {
			return nil, err
		}
	}
	return cr, nil
}

// Authorize adds Gatehouse's policy to the engine's validation: only the
// code flow, PKCE with S256 only, and PKCE required for public clients.
func (s *server) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	d := r.Data
	if d.ResponseType != oidc.ResponseTypeCode {
		return nil, protoErr("unsupported_response_type", "only response_type=code is supported")
	}
	if !slices.Contains(r.Client.(*client).c.ResponseTypes, identity.ResponseTypeCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use response_type=code")
	}
	if d.CodeChallenge != "" && d.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	c := r.Client.(*client)
	if c.c.Public() && d.CodeChallenge == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE (code_challenge with S256) is required for public clients")
	}
	if !slices.Contains(c.c.GrantTypes, identity.GrantAuthorizationCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use the authorization code grant")
	}
	for _, sc := range d.Scopes {
		if !c.scopeAllowed(sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
		}
	}
	return s.LegacyServer.Authorize(ctx, r)
}

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
		return nil, err
	}
	basic := strings.HasPrefix(h.Get("Authorization"), "Basic ")
	switch c.c.TokenEndpointAuthMethod {
	case identity.AuthMethodNone:
		if cc.ClientSecret != "" {
			return nil, oidc.ErrInvalidClient().WithDescription("a public client has no secret")
		}
		return c, nil
	case identity.AuthMethodPrivateKeyJWT:
		return nil, oidc.ErrInvalidClient().WithDescription("the client must authenticate with private_key_jwt")
	case identity.AuthMethodClientSecretBasic:
		if !basic {
			return nil, oidc.ErrInvalidClient().WithDescription("the client must authenticate with client_secret_basic")
		}
	case identity.AuthMethodClientSecretPost:
		if basic {
			return nil, oidc.ErrInvalidClient().WithDescription("the client must authenticate with client_secret_post")
		}
	}
	if !p.admin.VerifyClientSecret(c.c, cc.ClientSecret) {
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
	if err != nil || c.c.TokenEndpointAuthMethod != identity.AuthMethodPrivateKeyJWT {
		return nil, oidc.ErrInvalidClient().WithDescription("the client does not use private_key_jwt")
	}
	now := p.now()
	exp := req.ExpiresAt.AsTime()
	switch {
	case req.JWTID == "":
		return nil, oidc.ErrInvalidClient().WithDescription("the client assertion has no jti")
	case exp.After(now.Add(MaxAssertionLifetime)):
		return nil, oidc.ErrInvalidClient().WithDescription("the client assertion's exp is more than %v away", MaxAssertionLifetime)
	}
	err = t.Store.ClientAssertions().Use(ctx, t.ID, c.c.ID, digest(req.JWTID), exp, now)
	switch {
	case errors.Is(err, store.ErrReused):
		p.log.WarnContext(ctx, "client assertion replayed", "tenant_id", t.ID, "client_id", c.c.ID)
		return nil, oidc.ErrInvalidClient().WithDescription("the client assertion was already used")
	case errors.Is(err, store.ErrNotFound): // the client was deleted meanwhile
		return nil, oidc.ErrInvalidClient().WithDescription("unknown client")
	case err != nil:
		return nil, err
	}
	return c, nil
}

func hasScope(scopes []string, s string) bool { return slices.Contains(scopes, s) }

// CodeExchange redeems an authorization code once. A second redemption is
// a replay: it fails and revokes what the first produced (RFC 6749 4.1.2).
func (s *server) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	ar, err := t.Store.AuthRequests().GetByCode(ctx, t.ID, digest(r.Data.Code))
	if err != nil {
		return nil, oidc.ErrInvalidGrant().WithDescription("invalid authorization code")
	}
	if ar.CodeUsedAt != nil {
		s.p.revokeReplayedCode(ctx, t, ar)
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code was already used")
	}
	now := s.p.now()
	switch {
	case !now.Before(ar.ExpiresAt):
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code has expired")
	case ar.ClientID != c.c.ID:
		return nil, oidc.ErrInvalidGrant().WithDescription("the code was issued to another client")
	case r.Data.RedirectURI != ar.RedirectURI:
		return nil, oidc.ErrInvalidGrant().WithDescription("redirect_uri does not match the authorization request")
	case !ar.Done || ar.UserID == "":
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization request is not complete")
	}
	if err := op.AuthorizeCodeChallenge(r.Data.CodeVerifier, authRequest{ar}.GetCodeChallenge()); err != nil {
		return nil, err
	}
	g := &grant{
		UserID: ar.UserID, Scopes: ar.Scopes, AuthTime: ar.AuthTime, AMR: ar.AMR, ACR: ar.ACR,
		SessionID: ar.SessionID, Nonce: ar.Nonce, JTI: newID(),
		Refresh: hasScope(ar.Scopes, "offline_access") && slices.Contains(c.c.GrantTypes, identity.GrantRefreshToken),
		IDToken: hasScope(ar.Scopes, "openid"),
	}
	if g.Refresh {
		g.FamilyID = newID()
	}
	// Mark the code used, with what it will produce, before issuing: a
	// concurrent replay then finds the IDs to revoke.
	_, err = t.Store.AuthRequests().Update(ctx, t.ID, ar.ID, func(a *oauth.AuthRequest) error {
		if a.CodeUsedAt != nil {
			return errCodeReplay
		}
		used := now.UTC()
		a.CodeUsedAt, a.IssuedAccessJTI, a.IssuedFamilyID = &used, g.JTI, g.FamilyID
		a.ExpiresAt = used.Add(s.p.cfg.MaxTokenLifetime) // keep it to detect replays while tokens live
		return nil
	})
	if errors.Is(err, errCodeReplay) {
		if cur, e := t.Store.AuthRequests().Get(ctx, t.ID, ar.ID); e == nil {
			s.p.revokeReplayedCode(ctx, t, cur)
		}
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code was already used")
	}
	if err != nil {
		return nil, err
	}
	resp, err := s.p.issue(ctx, t, c, g)
	if err != nil {
		return nil, err
	}
	return tokenResponse(resp), nil
}

var errCodeReplay = errors.New("code replay")

// revokeReplayedCode revokes the access and refresh tokens a code produced.
func (p *Provider) revokeReplayedCode(ctx context.Context, t *tenancy.Tenant, ar *oauth.AuthRequest) {
	now := p.now().UTC()
	p.log.WarnContext(ctx, "authorization code replayed: revoking its tokens", "tenant_id", t.ID, "client_id", ar.ClientID, "user_id", ar.UserID)
	if ar.IssuedAccessJTI != "" {
		if err := p.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: oauth.RevokeJTI, Key: ar.IssuedAccessJTI,
			NotBefore: now, ExpiresAt: now.Add(p.cfg.MaxTokenLifetime)}); err != nil {
			p.log.ErrorContext(ctx, "revoking replayed code's access token failed", "err", err)
		}
	}
	if ar.IssuedFamilyID != "" {
		if _, err := t.Store.RefreshTokens().RevokeFamily(ctx, t.ID, ar.IssuedFamilyID, now); err != nil {
			p.log.ErrorContext(ctx, "revoking replayed code's refresh tokens failed", "err", err)
		}
	}
}

// RefreshToken rotates a refresh token. Presenting a rotated or revoked
// token is reuse: the whole family is revoked.
func (s *server) RefreshToken(ctx context.Context, r *op.ClientRequest[oidc.RefreshTokenRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	invalid := oidc.ErrInvalidGrant().WithDescription("invalid refresh token")
	if !strings.HasPrefix(r.Data.RefreshToken, refreshPrefix) {
		return nil, invalid
	}
	rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, digest(r.Data.RefreshToken))
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	if rt.ClientID != c.c.ID {
		return nil, invalid
	}
	now := s.p.now()
	if rt.RotatedAt != nil || rt.RevokedAt != nil {
		if rt.RotatedAt != nil {
			s.p.revokeFamily(ctx, t, rt)
		}
		return nil, invalid
	}
	if !rt.Usable(now) {
		return nil, oidc.ErrInvalidGrant().WithDescription("the refresh token has expired")
	}
	if g := s.p.refreshGuard; g != nil {
		if err := g.CheckRefresh(ctx, t, rt); err != nil {
			s.p.log.InfoContext(ctx, "refresh refused by the guard", "tenant_id", t.ID, "client_id", rt.ClientID, "err", err)
			return nil, oidc.ErrInvalidGrant().WithDescription("the session was ended")
		}
	}
	scopes := rt.Scopes
	if len(r.Data.Scopes) > 0 {
		for _, sc := range r.Data.Scopes {
			if !slices.Contains(rt.Scopes, sc) {
				return nil, oidc.ErrInvalidScope().WithDescription("scope %q was not granted", sc)
			}
		}
		scopes = r.Data.Scopes
	}
	g := &grant{
		UserID: rt.UserID, Scopes: scopes, AuthTime: rt.AuthTime, AMR: rt.AMR, ACR: rt.ACR, SessionID: rt.SessionID,
		FamilyID: rt.FamilyID, FamilyExpiresAt: rt.FamilyExpiresAt, Rotate: rt, Refresh: true,
		IDToken: hasScope(scopes, "openid"),
	}
	resp, err := s.p.issue(ctx, t, c, g)
	if errors.Is(err, store.ErrReused) { // lost a race with another use of the same token
		s.p.revokeFamily(ctx, t, rt)
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	return tokenResponse(resp), nil
}

func (p *Provider) revokeFamily(ctx context.Context, t *tenancy.Tenant, rt *oauth.RefreshToken) {
	p.log.WarnContext(ctx, "refresh token reused: revoking its family", "tenant_id", t.ID, "client_id", rt.ClientID,
		"user_id", rt.UserID, "family_id", rt.FamilyID)
	if _, err := t.Store.RefreshTokens().RevokeFamily(ctx, t.ID, rt.FamilyID, p.now().UTC()); err != nil {
		p.log.ErrorContext(ctx, "revoking refresh family failed", "err", err)
	}
}

// ClientCredentialsExchange issues a client's own access token. No
// database write: the token is a stateless JWT.
func (s *server) ClientCredentialsExchange(ctx context.Context, r *op.ClientRequest[oidc.ClientCredentialsRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if c.c.Public() {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("public clients cannot use client_credentials")
	}
	scopes := []string(r.Data.Scope)
	for _, sc := range scopes {
		if !slices.Contains(c.scopes, sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
		}
	}
	if len(scopes) == 0 {
		scopes = c.scopes
	}
	resp, err := s.p.issue(ctx, t, c, &grant{Scopes: scopes})
	if err != nil {
		return nil, err
	}
	return tokenResponse(resp), nil
}

// DeviceToken answers a device's poll (RFC 8628 3.4-3.5). An approved
// authorization yields tokens once.
func (s *server) DeviceToken(ctx context.Context, r *op.ClientRequest[oidc.DeviceAccessTokenRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	d, err := t.Store.DeviceAuthorizations().GetByDeviceCode(ctx, t.ID, digest(r.Data.DeviceCode))
	if err != nil || d.ClientID != c.c.ID {
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown device code")
	}
	now := s.p.now()
	if !now.Before(d.ExpiresAt) {
		return nil, oidc.ErrExpiredDeviceCode()
	}
	if d.State == oauth.DevicePending {
		if d, err = s.p.pendingPoll(ctx, t, d, now); err != nil {
			return nil, err
		}
	}
	if d.State == oauth.DeviceDenied {
		return nil, oidc.ErrAccessDenied()
	}
	// Approved: consume it, so the device code yields tokens only once.
	_, err = t.Store.DeviceAuthorizations().Update(ctx, t.ID, d.UserCode, func(x *oauth.DeviceAuthorization) error {
		if !now.Before(x.ExpiresAt) || x.State != oauth.DeviceApproved {
			return oidc.ErrExpiredDeviceCode()
		}
		x.ExpiresAt = now.UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp, err := s.p.issue(ctx, t, c, &grant{
		UserID: d.UserID, Scopes: d.Scopes, AuthTime: d.AuthTime, AMR: d.AMR,
		Refresh: hasScope(d.Scopes, "offline_access") && slices.Contains(c.c.GrantTypes, identity.GrantRefreshToken),
		IDToken: hasScope(d.Scopes, "openid"),
	})
	if err != nil {
		return nil, err
	}
	return tokenResponse(resp), nil
}

// SlowDownStep is what a poll that comes too early adds to a device's
// polling interval (RFC 8628 3.5).
const SlowDownStep = 5 * time.Second

// pendingPoll answers a poll of a device authorization that was pending.
// It records the poll with the device code, so every node sees it: a poll
// sooner than the interval after the previous one gets slow_down and
// raises the interval by SlowDownStep for this and every later poll (RFC
// 8628 3.5); otherwise authorization_pending. If the user acted meanwhile
// it returns the authorization as the same transaction read it.
func (p *Provider) pendingPoll(ctx context.Context, t *tenancy.Tenant, cur *oauth.DeviceAuthorization, now time.Time) (*oauth.DeviceAuthorization, error) {
	slow := false
	d, err := t.Store.DeviceAuthorizations().Update(ctx, t.ID, cur.UserCode, func(x *oauth.DeviceAuthorization) error {
		if !bytes.Equal(x.DeviceCodeHash, cur.DeviceCodeHash) { // the user code went to a new authorization
			return store.ErrNotFound
		}
		if x.State == oauth.DevicePending && x.LastPolledAt != nil && now.Sub(*x.LastPolledAt) < x.PollInterval {
			x.PollInterval += SlowDownStep
			slow = true
		}
		polled := now.UTC()
		x.LastPolledAt = &polled
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown device code")
	case err != nil:
		return nil, err
	case slow:
		return nil, oidc.ErrSlowDown().WithDescription("poll at most every %d seconds", int(d.PollInterval/time.Second))
	case d.State == oauth.DevicePending:
		return nil, oidc.ErrAuthorizationPending()
	}
	return d, nil
}

// introspection is the RFC 7662 response; extra claims are flattened in.
type introspection map[string]any

func (p *Provider) introspect(ctx context.Context, t *tenancy.Tenant, token string) introspection {
	inactive := introspection{"active": false}
	if token == "" {
		return inactive
	}
	if strings.HasPrefix(token, refreshPrefix) {
		rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, digest(token))
		if err != nil || !rt.Usable(p.now()) {
			return inactive
		}
		return introspection{
			"active": true, "token_type": "refresh_token", "client_id": rt.ClientID, "sub": rt.UserID,
			"scope": strings.Join(rt.Scopes, " "), "exp": rt.ExpiresAt.Unix(), "iat": rt.CreatedAt.Unix(),
			"iss": t.Issuer, "aud": rt.Audience,
		}
	}
	at, err := p.verifyAccessToken(ctx, t, token)
	if err != nil {
		return inactive
	}
	out := introspection{}
	for k, v := range at.Extra {
		out[k] = v
	}
	out["active"] = true
	out["token_type"] = "Bearer"
	out["client_id"] = at.ClientID
	out["sub"] = at.Subject
	out["scope"] = strings.Join(at.Scopes, " ")
	out["exp"] = at.ExpiresAt.Unix()
	out["iat"] = at.IssuedAt.Unix()
	out["iss"] = t.Issuer
	out["aud"] = at.Audience
	out["jti"] = at.JTI
	if at.AuthTime != 0 {
		out["auth_time"] = at.AuthTime
	}
	if len(at.AMR) > 0 {
		out["amr"] = at.AMR
	}
	if at.ACR != "" {
		out["acr"] = at.ACR
	}
	if at.SessionID != "" {
		out["sid"] = at.SessionID
	}
	return out
}

// Revocation implements RFC 7009: refresh tokens revoke their family,
// opaque tokens are marked, and JWTs go on the jti denylist. Unknown or
// foreign tokens are answered with success, as the RFC requires.
func (s *server) Revocation(ctx context.Context, r *op.ClientRequest[oidc.RevocationRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	token := r.Data.Token
	now := s.p.now().UTC()
	switch {
	case strings.HasPrefix(token, refreshPrefix):
		rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, digest(token))
		if err == nil && rt.ClientID == c.c.ID {
			if _, err := t.Store.RefreshTokens().RevokeFamily(ctx, t.ID, rt.FamilyID, now); err != nil {
				return nil, op.RevocationError(oidc.ErrServerError().WithParent(err))
			}
		}
	case strings.HasPrefix(token, opaquePrefix):
		ot, err := t.Store.OpaqueTokens().GetByHash(ctx, t.ID, digest(token))
		if err == nil && ot.ClientID == c.c.ID {
			if err := t.Store.OpaqueTokens().Revoke(ctx, t.ID, ot.ID, now); err != nil {
				return nil, op.RevocationError(oidc.ErrServerError().WithParent(err))
			}
		}
	default:
		at, err := s.p.verifyAccessToken(ctx, t, token)
		if err == nil && at.ClientID == c.c.ID {
			if err := s.p.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: oauth.RevokeJTI, Key: at.JTI,
				NotBefore: now, ExpiresAt: at.ExpiresAt}); err != nil {
				return nil, op.RevocationError(oidc.ErrServerError().WithParent(err))
			}
		}
	}
	return op.NewResponse(nil), nil
}

// UserInfo returns the claims the access token's scopes release.
func (s *server) UserInfo(ctx context.Context, r *op.Request[oidc.UserInfoRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	denied := func(desc string) error {
		return op.NewStatusError(protoErr("invalid_token", desc), http.StatusUnauthorized)
	}
	at, err := s.p.verifyAccessToken(ctx, t, r.Data.AccessToken)
	if err != nil {
		return nil, denied("the access token is invalid or expired")
	}
	if at.UserID == "" || !hasScope(at.Scopes, "openid") {
		return nil, op.NewStatusError(protoErr("insufficient_scope", "the token has no openid scope"), http.StatusForbidden)
	}
	u, err := t.Store.Users().Get(ctx, t.ID, at.UserID)
	if err != nil || u.Disabled {
		return nil, denied("the user is no longer active")
	}
	claims := userClaims(u, at.Scopes)
	claims["sub"] = u.ID
	if c, err := s.p.clients.get(ctx, t, at.ClientID); err == nil {
		c.addMappedClaims(claims, u)
	}
	return op.NewResponse(claims), nil
}

// EndSession implements RP-initiated logout: it ends the browser session
// (and the tokens tied to it) and redirects only to a registered
// post_logout_redirect_uri.
func (s *server) EndSession(ctx context.Context, r *op.Request[oidc.EndSessionRequest]) (*op.Redirect, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	return s.p.endSession(ctx, t, r.Header, r.Data)
}

var _ op.Server = (*server)(nil)

// tokenResponse marks a response carrying tokens uncacheable (RFC 6749 5.1).
func tokenResponse(resp *oidc.AccessTokenResponse) *op.Response {
	r := op.NewResponse(resp)
	r.Header.Set("Cache-Control", "no-store")
	r.Header.Set("Pragma", "no-cache")
	return r
}

// JWTProfile refuses the jwt-bearer authorization grant (RFC 7523 2.1),
// which Gatehouse does not offer; the engine would otherwise serve it.
func (s *server) JWTProfile(context.Context, *op.Request[oidc.JWTProfileGrantRequest]) (*op.Response, error) {
	return nil, oidc.ErrUnsupportedGrantType().WithDescription("%s is not supported", oidc.GrantTypeBearer)
}

// DeviceAuthorization applies the client's grant and scope policy and puts
// the user-code page under the tenant's issuer.
func (s *server) DeviceAuthorization(ctx context.Context, r *op.ClientRequest[oidc.DeviceAuthorizationRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if !slices.Contains(c.c.GrantTypes, identity.GrantDeviceCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use the device authorization grant")
	}
	for _, sc := range r.Data.Scopes {
		if !c.scopeAllowed(sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
		}
	}
	resp, err := s.LegacyServer.DeviceAuthorization(ctx, r)
	if err != nil {
		return nil, err
	}
	if d, ok := resp.Data.(*oidc.DeviceAuthorizationResponse); ok {
		d.VerificationURI = t.Issuer + s.p.devicePath
		d.VerificationURIComplete = d.VerificationURI + "?user_code=" + url.QueryEscape(d.UserCode)
	}
	return resp, nil
}

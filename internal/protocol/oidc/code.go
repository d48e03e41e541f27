package oidc

import (
	"context"
	"errors"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// CodeExchange redeems an authorization code once. A second redemption is
// a replay: it fails and revokes what the first produced (RFC 6749 4.1.2).
func (s *server) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if err := requireSenderConstraint(ctx, c); err != nil { // fapi.go
		return nil, err
	}
	ar, err := codes(t).GetByCode(ctx, t.ID, tokens.Hash(r.Data.Code))
	if errors.Is(err, store.ErrNotFound) {
		return nil, oidc.ErrInvalidGrant().WithDescription("invalid authorization code")
	}
	if err != nil {
		return nil, s.p.serverError(ctx, t, c.c.ID, "code exchange: find code", err)
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
	if err := checkBoundKey(ctx, ar.DPoPJKT, "authorization code"); err != nil { // dpop.go
		return nil, err
	}
	g := &tokens.Grant{
		UserID: ar.UserID, Scopes: ar.Scopes, AuthTime: ar.AuthTime, AMR: ar.AMR, ACR: ar.ACR,
		SessionID: ar.SessionID, Nonce: ar.Nonce, JTI: tokens.NewID(),
		Refresh: hasScope(ar.Scopes, "offline_access") && slices.Contains(c.c.GrantTypes, oauth.GrantRefreshToken),
		IDToken: hasScope(ar.Scopes, "openid"),
	}
	if err := s.p.orgGrant(ctx, t, c.c.ID, ar.OrgID, g); err != nil { // organization.go
		return nil, err
	}
	if err := s.p.userResourceGrant(ctx, t, c, ar.Resource, r.PostForm, g); err != nil { // resource.go
		return nil, err
	}
	if err := bindDPoP(ctx, c, g); err != nil { // before the code is spent
		return nil, err
	}
	if g.AuthorizationDetails, err = narrowDetails(r.PostForm, ar.AuthorizationDetails); err != nil { // rar.go
		return nil, err
	}
	if g.Refresh {
		g.FamilyID = tokens.NewID()
	}
	// Mark the code used, with what it will produce, before issuing: a
	// concurrent replay then finds the IDs to revoke.
	_, err = codes(t).Update(ctx, t.ID, ar.ID, func(a *oauth.AuthRequest) error {
		if a.CodeUsedAt != nil {
			return errCodeReplay
		}
		used := now.UTC()
		a.CodeUsedAt, a.IssuedAccessJTI, a.IssuedFamilyID = &used, g.JTI, g.FamilyID
		a.ExpiresAt = used.Add(s.p.cfg.MaxTokenLifetime) // keep it to detect replays while tokens live
		return nil
	})
	if errors.Is(err, errCodeReplay) {
		if cur, e := codes(t).Get(ctx, t.ID, ar.ID); e == nil {
			s.p.revokeReplayedCode(ctx, t, cur)
		}
		return nil, oidc.ErrInvalidGrant().WithDescription("the authorization code was already used")
	}
	if err != nil {
		return nil, s.p.serverError(ctx, t, c.c.ID, "code exchange: mark code used", err)
	}
	resp, err := s.p.issue(ctx, t, c, oauth.GrantAuthorizationCode, g)
	if err != nil {
		return nil, err
	}
	return tokenResponseWithDetails(resp, g), nil
}

var errCodeReplay = errors.New("code replay")

// revokeReplayedCode revokes the access and refresh tokens a code produced.
func (p *Provider) revokeReplayedCode(ctx context.Context, t *tenancy.Tenant, ar *oauth.AuthRequest) {
	now := p.now().UTC()
	p.log.WarnContext(ctx, "authorization code replayed: revoking its tokens", "tenant_id", t.ID, "client_id", ar.ClientID, "user_id", ar.UserID)
	if ar.IssuedAccessJTI != "" {
		if err := p.tokens.RevokeAccessToken(ctx, t, ar.IssuedAccessJTI); err != nil {
			p.log.ErrorContext(ctx, "revoking replayed code's access token failed", "err", err)
		}
	}
	if ar.IssuedFamilyID != "" {
		if _, err := refreshes(t).RevokeFamily(ctx, t.ID, ar.IssuedFamilyID, now); err != nil {
			p.log.ErrorContext(ctx, "revoking replayed code's refresh tokens failed", "err", err)
		}
	}
}

package oidc

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// RefreshToken rotates a refresh token. Presenting a rotated or revoked
// token is reuse: the whole family is revoked.
func (s *server) RefreshToken(ctx context.Context, r *op.ClientRequest[oidc.RefreshTokenRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if err := requireSenderConstraint(ctx, c); err != nil { // fapi.go
		return nil, err
	}
	invalid := oidc.ErrInvalidGrant().WithDescription("invalid refresh token")
	if !strings.HasPrefix(r.Data.RefreshToken, tokens.RefreshPrefix) {
		return nil, invalid
	}
	rt, err := refreshes(t).GetByHash(ctx, t.ID, tokens.Hash(r.Data.RefreshToken))
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, s.p.serverError(ctx, t, c.c.ID, "refresh: find token", err)
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
	if err := checkBoundKey(ctx, rt.DPoPJKT, "refresh token"); err != nil { // dpop.go
		return nil, err
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
	g := &tokens.Grant{
		UserID: rt.UserID, Scopes: scopes, AuthTime: rt.AuthTime, AMR: rt.AMR, ACR: rt.ACR, SessionID: rt.SessionID,
		FamilyID: rt.FamilyID, FamilyExpiresAt: rt.FamilyExpiresAt, Rotate: rt, Refresh: true,
		IDToken: hasScope(scopes, "openid"),
	}
	if !c.rotatesRefresh() { // fapi.go: the client keeps its refresh token
		g.Rotate, g.Refresh = nil, false
	}
	if err := s.p.orgGrant(ctx, t, c.c.ID, rt.OrgID, g); err != nil { // organization.go
		return nil, err
	}
	if err := s.p.refreshResource(ctx, t, c, rt, r.PostForm, g); err != nil { // resource.go
		return nil, err
	}
	if g.AuthorizationDetails, err = s.p.refreshDetails(ctx, t, c, r.PostForm, rt.AuthorizationDetails); err != nil { // rar.go
		return nil, err
	}
	resp, err := s.p.issue(ctx, t, c, oauth.GrantRefreshToken, g)
	if errors.Is(err, store.ErrReused) { // lost a race with another use of the same token
		s.p.revokeFamily(ctx, t, rt)
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	return tokenResponseWithDetails(resp, g), nil
}

func (p *Provider) revokeFamily(ctx context.Context, t *tenancy.Tenant, rt *oauth.RefreshToken) {
	p.log.WarnContext(ctx, "refresh token reused: revoking its family", "tenant_id", t.ID, "client_id", rt.ClientID,
		"user_id", rt.UserID, "family_id", rt.FamilyID)
	if _, err := refreshes(t).RevokeFamily(ctx, t.ID, rt.FamilyID, p.now().UTC()); err != nil {
		p.log.ErrorContext(ctx, "revoking refresh family failed", "err", err)
	}
}

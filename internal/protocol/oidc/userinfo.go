package oidc

import (
	"context"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

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

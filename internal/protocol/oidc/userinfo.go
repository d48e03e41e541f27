package oidc

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
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
	at, err := s.p.tokens.Verify(ctx, t, r.Data.AccessToken)
	if err != nil && !errors.Is(err, tokens.ErrInactive) {
		return nil, s.p.serverError(ctx, t, "", "userinfo: verify token", err)
	}
	if err != nil {
		return nil, denied("the access token is invalid or expired")
	}
	if at.JKT != "" { // a DPoP-bound token in the body; dpop.go serves the DPoP scheme
		return nil, denied("the access token is DPoP-bound: use the DPoP scheme with a proof")
	}
	if at.UserID == "" || !hasScope(at.Scopes, "openid") {
		return nil, op.NewStatusError(protoErr("insufficient_scope", "the token has no openid scope"), http.StatusForbidden)
	}
	claims, err := s.p.userInfo(ctx, t, at)
	if err != nil {
		return nil, err
	}
	return op.NewResponse(claims), nil
}

// userInfo is the claims of a verified access token's user. A user who
// is gone or disabled is invalid_token; a store error is server_error,
// and the client's claim mappings are never silently left out.
func (p *Provider) userInfo(ctx context.Context, t *tenancy.Tenant, at *tokens.AccessToken) (map[string]any, error) {
	u, err := t.Store.Users().Get(ctx, t.ID, at.UserID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, p.serverError(ctx, t, at.ClientID, "userinfo: find user", err)
	}
	if err != nil || u.Disabled {
		return nil, op.NewStatusError(protoErr("invalid_token", "the user is no longer active"), http.StatusUnauthorized)
	}
	claims := tokens.UserClaims(u, at.Scopes)
	claims["sub"] = u.ID
	if err := tokens.AddPrivacyClaim(ctx, t, u.ID, at.Scopes, claims); err != nil {
		return nil, p.serverError(ctx, t, at.ClientID, "userinfo: privacy consents", err)
	}
	if hasScope(at.Scopes, "roles") { // the same roles claim as the ID token's
		orgID, _ := at.Extra["org_id"].(string)
		if claims["roles"], err = tokens.RoleNames(ctx, t, u.ID, orgID); err != nil {
			return nil, p.serverError(ctx, t, at.ClientID, "userinfo: roles", err)
		}
	}
	c, err := p.clients.get(ctx, t, at.ClientID)
	switch {
	case err == nil:
		tokens.AddMappedClaims(claims, u, &c.settings)
	case !errors.Is(err, store.ErrNotFound): // a deleted client maps no claims
		return nil, p.serverError(ctx, t, at.ClientID, "userinfo: find client", err)
	}
	return claims, nil
}

package oidc

import (
	"context"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

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

package oidc

import (
	"context"
	"errors"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
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
	if err := s.p.revoke(ctx, t, c, r.Data.Token); err != nil {
		// Not revoked, so not the RFC's 200: the client should retry.
		return nil, op.RevocationError(s.p.serverError(ctx, t, c.c.ID, "revoke token", err))
	}
	return op.NewResponse(nil), nil
}

// revoke revokes token if it is the client's. A token that is unknown,
// inactive or another client's is no error; a store failure is.
func (p *Provider) revoke(ctx context.Context, t *tenancy.Tenant, c *client, token string) error {
	now := p.now().UTC()
	switch {
	case strings.HasPrefix(token, refreshPrefix):
		rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, digest(token))
		if err != nil || rt.ClientID != c.c.ID {
			return ignoreNotFound(err)
		}
		_, err = t.Store.RefreshTokens().RevokeFamily(ctx, t.ID, rt.FamilyID, now)
		return err
	case strings.HasPrefix(token, opaquePrefix):
		ot, err := t.Store.OpaqueTokens().GetByHash(ctx, t.ID, digest(token))
		if err != nil || ot.ClientID != c.c.ID {
			return ignoreNotFound(err)
		}
		return t.Store.OpaqueTokens().Revoke(ctx, t.ID, ot.ID, now)
	default:
		at, err := p.verifyAccessToken(ctx, t, token)
		if errors.Is(err, errInactive) || (err == nil && at.ClientID != c.c.ID) {
			return nil
		}
		if err != nil {
			return err
		}
		return p.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: oauth.RevokeJTI, Key: at.JTI,
			NotBefore: now, ExpiresAt: at.ExpiresAt})
	}
}

// ignoreNotFound is err unless it is store.ErrNotFound.
func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

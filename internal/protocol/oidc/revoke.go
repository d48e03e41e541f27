package oidc

import (
	"context"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Revocation implements RFC 7009 (tokens.Service.Revoke): refresh tokens
// revoke their family, opaque tokens are marked, and JWTs go on the jti
// denylist. Unknown or foreign tokens are answered with success, as the
// RFC requires.
func (s *server) Revocation(ctx context.Context, r *op.ClientRequest[oidc.RevocationRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if err := s.p.tokens.Revoke(ctx, t, c.c.ID, r.Data.Token); err != nil {
		// Not revoked, so not the RFC's 200: the client should retry.
		return nil, op.RevocationError(s.p.serverError(ctx, t, c.c.ID, "revoke token", err))
	}
	return op.NewResponse(nil), nil
}

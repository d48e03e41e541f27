package adminapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Revocations go through the token service, not straight to the store: access
// tokens are stateless JWTs, revoked by entries of a list the token service
// caches, and only that service can make its own cache apply an entry at
// once. Other nodes apply it when PostgreSQL announces it (internal/cluster).

// requireUser returns store.ErrNotFound (404) unless the user exists in
// the scope's tenant.
func requireUser(ctx context.Context, sc *tenancy.Tenant, userID string) error {
	_, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, userID)
	return err
}

func (a *Tokens) revokeUserTokens(ctx context.Context, userID string, in *gen.UserTokenRevocation) (gen.UserTokensRevoked, error) {
	t := tenancy.From(ctx)
	if err := requireUser(ctx, t, userID); err != nil {
		return gen.UserTokensRevoked{}, err
	}
	withSessions := in != nil && restapi.Val(in.Sessions)
	refresh, sess, err := a.tokens.RevokeUserTokens(ctx, t, userID, withSessions)
	if err != nil {
		return gen.UserTokensRevoked{}, err
	}
	return gen.UserTokensRevoked{RefreshTokensRevoked: refresh, SessionsRevoked: sess}, nil
}

func (a *Tokens) revokeClientTokens(ctx context.Context, clientID string) (gen.ClientTokensRevoked, error) {
	t := tenancy.From(ctx)
	if _, err := t.Store.Clients().Get(ctx, t.Tenant.ID, clientID); err != nil {
		return gen.ClientTokensRevoked{}, err
	}
	n, err := a.tokens.RevokeClientTokens(ctx, t, clientID)
	if err != nil {
		return gen.ClientTokensRevoked{}, err
	}
	return gen.ClientTokensRevoked{RefreshTokensRevoked: n}, nil
}

func (a *Tokens) RevokeUserTokens(ctx context.Context, r gen.RevokeUserTokensRequestObject) (gen.RevokeUserTokensResponseObject, error) {
	out, err := a.revokeUserTokens(ctx, r.UserID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RevokeUserTokens200JSONResponse(out), nil
}

func (a *Tokens) RevokeClientTokens(ctx context.Context, r gen.RevokeClientTokensRequestObject) (gen.RevokeClientTokensResponseObject, error) {
	out, err := a.revokeClientTokens(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	return gen.RevokeClientTokens200JSONResponse(out), nil
}

func (a *Tokens) RevokeTenantUserTokens(ctx context.Context, r gen.RevokeTenantUserTokensRequestObject) (gen.RevokeTenantUserTokensResponseObject, error) {
	out, err := a.revokeUserTokens(ctx, r.UserID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RevokeTenantUserTokens200JSONResponse(out), nil
}

func (a *Tokens) RevokeTenantClientTokens(ctx context.Context, r gen.RevokeTenantClientTokensRequestObject) (gen.RevokeTenantClientTokensResponseObject, error) {
	out, err := a.revokeClientTokens(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	return gen.RevokeTenantClientTokens200JSONResponse(out), nil
}

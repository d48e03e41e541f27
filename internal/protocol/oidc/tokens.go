package oidc

import (
	"context"
	"errors"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// issue mints the tokens a grant entitles the client to (internal/tokens
// signs and stores them) and answers with them. Errors are OAuth errors,
// or store.ErrReused when a refresh token lost a race; anything else is
// logged and becomes server_error. grant is the grant type (an
// oauth.Grant* value), which the analytics count tokens by.
func (p *Provider) issue(ctx context.Context, t *tenancy.Tenant, c *client, grant string, g *tokens.Grant) (*oidc.AccessTokenResponse, error) {
	if err := bindDPoP(ctx, c, g); err != nil { // dpop.go
		return nil, err
	}
	g.GrantType = grant
	out, err := p.tokens.Issue(ctx, t, c.minting(), g)
	switch {
	case errors.Is(err, tokens.ErrUserGone):
		return nil, oidc.ErrInvalidGrant().WithDescription("the user no longer exists")
	case errors.Is(err, tokens.ErrUserDisabled):
		return nil, oidc.ErrInvalidGrant().WithDescription("the user is disabled or locked")
	case errors.Is(err, store.ErrReused):
		return nil, err
	case err != nil:
		return nil, p.serverError(ctx, t, c.c.ID, "issue tokens", err)
	}
	tokenType := oidc.BearerToken
	if g.JKT != "" {
		tokenType = dpop.TokenType
	}
	return &oidc.AccessTokenResponse{AccessToken: out.AccessToken, TokenType: tokenType, RefreshToken: out.RefreshToken,
		ExpiresIn: out.ExpiresIn, IDToken: out.IDToken, Scope: g.AccessTokenScopes()}, nil
}

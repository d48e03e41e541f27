package oidc

import (
	"context"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ClientCredentialsExchange issues a client's own access token. No
// database write: the token is a stateless JWT.
func (s *server) ClientCredentialsExchange(ctx context.Context, r *op.ClientRequest[oidc.ClientCredentialsRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if err := requireSenderConstraint(ctx, c); err != nil { // fapi.go
		return nil, err
	}
	if c.c.Public() {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("public clients cannot use client_credentials")
	}
	scopes := []string(r.Data.Scope)
	var g *tokens.Grant
	res, err := resourceParam(r.PostForm)
	if err != nil {
		return nil, err
	}
	if res == "" {
		if res, err = s.p.defaultResource(ctx, t, scopes); err != nil { // resource.go
			return nil, s.p.serverError(ctx, t, c.c.ID, "default API lookup", err)
		}
	}
	if res != "" {
		if g, err = s.p.resourceGrant(ctx, t, c, res, scopes); err != nil { // resource.go
			return nil, err
		}
	} else {
		for _, sc := range scopes {
			if !slices.Contains(c.scopes, sc) {
				return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
			}
		}
		if len(scopes) == 0 {
			scopes = c.scopes
		}
		g = &tokens.Grant{Scopes: scopes}
	}
	if g.AuthorizationDetails, err = s.p.clientCredentialsDetails(ctx, t, c, r.PostForm); err != nil { // rar.go
		return nil, err
	}
	resp, err := s.p.issue(ctx, t, c, oauth.GrantClientCredentials, g)
	if err != nil {
		return nil, err
	}
	return tokenResponseWithDetails(resp, g), nil
}

package oidc

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// TokenExchange implements RFC 8693 for delegation: a service that holds a
// user's access token trades it for a token to call another API on the
// user's behalf. The new token keeps the subject, narrows the scopes,
// names the target audience, and records the acting party in "act".
//
// Guard rails: the requesting client must hold the token-exchange grant;
// the subject token must have been issued to it or name it as audience;
// audiences must be listed in the client's metadata
// (token_exchange_audiences); only access tokens go in and come out.
func (s *server) TokenExchange(ctx context.Context, r *op.ClientRequest[oidc.TokenExchangeRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if err := requireSenderConstraint(c, r.Header); err != nil { // fapi.go
		return nil, err
	}
	d := r.Data
	if !slices.Contains(c.c.GrantTypes, oauth.GrantTokenExchange) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use token exchange")
	}
	if d.SubjectTokenType != oidc.AccessTokenType && d.SubjectTokenType != oidc.JWTTokenType {
		return nil, oidc.ErrInvalidRequest().WithDescription("subject_token_type must be an access token")
	}
	if d.RequestedTokenType != "" && d.RequestedTokenType != oidc.AccessTokenType {
		return nil, oidc.ErrInvalidRequest().WithDescription("only access tokens can be requested")
	}
	subject, err := s.p.tokens.Verify(ctx, t, d.SubjectToken)
	if err != nil && !errors.Is(err, tokens.ErrInactive) {
		return nil, s.p.serverError(ctx, t, c.c.ID, "token exchange: verify subject token", err)
	}
	if err != nil {
		return nil, oidc.ErrInvalidGrant().WithDescription("the subject token is invalid, expired or revoked")
	}
	if subject.ClientID != c.c.ID && !slices.Contains(subject.Audience, c.c.ID) {
		return nil, oidc.ErrInvalidGrant().WithDescription("the subject token was not issued to or for this client")
	}
	act := map[string]any{"sub": c.c.ID}
	if d.ActorToken != "" {
		if d.ActorTokenType != oidc.AccessTokenType && d.ActorTokenType != oidc.JWTTokenType {
			return nil, oidc.ErrInvalidRequest().WithDescription("actor_token_type must be an access token")
		}
		actor, err := s.p.tokens.Verify(ctx, t, d.ActorToken)
		if err != nil && !errors.Is(err, tokens.ErrInactive) {
			return nil, s.p.serverError(ctx, t, c.c.ID, "token exchange: verify actor token", err)
		}
		if err != nil {
			return nil, oidc.ErrInvalidGrant().WithDescription("the actor token is invalid, expired or revoked")
		}
		act = map[string]any{"sub": actor.Subject, "client_id": actor.ClientID}
	}
	scopes := subject.Scopes
	if len(d.Scopes) > 0 {
		for _, sc := range d.Scopes {
			if !slices.Contains(subject.Scopes, sc) {
				return nil, oidc.ErrInvalidScope().WithDescription("scope %q exceeds the subject token's", sc)
			}
		}
		scopes = d.Scopes
	}
	audience := append(slices.Clone([]string(d.Audience)), d.Resource...)
	for _, a := range audience {
		if !slices.Contains(c.settings.TokenExchangeAudiences, a) {
			return nil, oidc.ErrInvalidTarget().WithDescription("audience %q is not allowed for this client", a)
		}
	}
	g := &tokens.Grant{
		UserID: subject.UserID, Scopes: scopes, AMR: subject.AMR, ACR: subject.ACR, SessionID: subject.SessionID,
		Audience: audience, Act: act,
	}
	if subject.AuthTime != 0 {
		g.AuthTime = time.Unix(subject.AuthTime, 0).UTC()
	}
	resp, err := s.p.issue(ctx, t, c, g)
	if err != nil {
		return nil, err
	}
	out := op.NewResponse(&oidc.TokenExchangeResponse{
		AccessToken: resp.AccessToken, IssuedTokenType: oidc.AccessTokenType, TokenType: oidc.BearerToken,
		ExpiresIn: resp.ExpiresIn, Scopes: scopes,
	})
	out.Header.Set("Cache-Control", "no-store")
	out.Header.Set("Pragma", "no-cache")
	return out, nil
}

package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
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
	if err := requireSenderConstraint(ctx, c); err != nil { // fapi.go
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
	audience := append(slices.Clone([]string(d.Audience)), d.Resource...)
	g := &tokens.Grant{
		UserID: subject.UserID, AMR: subject.AMR, ACR: subject.ACR, SessionID: subject.SessionID, Act: act,
	}
	if subject.AuthTime != 0 {
		g.AuthTime = time.Unix(subject.AuthTime, 0).UTC()
	}
	if api, err := s.exchangeAPI(ctx, t, c, audience, d.Scopes, g); err != nil || api {
		if err != nil {
			return nil, err
		}
		if g.AuthorizationDetails, err = s.p.exchangeDetails(ctx, t, c, r.PostForm, subject, g.Resource); err != nil { // rar.go
			return nil, err
		}
		return s.exchangeResponse(ctx, t, c, g, g.ATScopes)
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
	for _, a := range audience {
		if !slices.Contains(c.settings.TokenExchangeAudiences, a) {
			return nil, oidc.ErrInvalidTarget().WithDescription("audience %q is not allowed for this client", a)
		}
	}
	g.Scopes, g.Audience = scopes, audience
	if g.AuthorizationDetails, err = s.p.exchangeDetails(ctx, t, c, r.PostForm, subject, ""); err != nil { // rar.go
		return nil, err
	}
	return s.exchangeResponse(ctx, t, c, g, scopes)
}

// exchangeResponse issues g's access token as RFC 8693's answer.
func (s *server) exchangeResponse(ctx context.Context, t *tenancy.Tenant, c *client, g *tokens.Grant, scopes []string) (*op.Response, error) {
	resp, err := s.p.issue(ctx, t, c, oauth.GrantTokenExchange, g)
	if err != nil {
		return nil, err
	}
	body := &oidc.TokenExchangeResponse{
		AccessToken: resp.AccessToken, IssuedTokenType: oidc.AccessTokenType, TokenType: oidc.BearerToken,
		ExpiresIn: resp.ExpiresIn, Scopes: scopes,
	}
	var out *op.Response
	if g.AuthorizationDetails != "" { // RFC 9396 7.1
		out = op.NewResponse(struct {
			*oidc.TokenExchangeResponse
			AuthorizationDetails json.RawMessage `json:"authorization_details"`
		}{body, json.RawMessage(g.AuthorizationDetails)})
	} else {
		out = op.NewResponse(body)
	}
	out.Header.Set("Cache-Control", "no-store")
	out.Header.Set("Pragma", "no-cache")
	return out, nil
}

// exchangeAPI makes g a grant for the registered API that a token
// exchange names as its one audience or resource (RFC 8707 with RFC
// 8693): the user's token for another API, for a service acting on the
// user's behalf. It reports false, changing nothing, when the target is
// not a registered API, which leaves the client's token_exchange_audiences
// allow-list in charge. For an API, the client needs a grant to it (as
// for client credentials), and the new token's scopes are the requested
// ones (all, when none are requested) that the API defines, the client
// was granted and, when the API enforces roles, the user's roles permit:
// the exchange never gives the service more than it or the user may have.
func (s *server) exchangeAPI(ctx context.Context, t *tenancy.Tenant, c *client, targets, requested []string, g *tokens.Grant) (bool, error) {
	if targets = slices.Compact(slices.Sorted(slices.Values(targets))); len(targets) != 1 {
		return false, nil
	}
	api, granted, err := s.p.apis.Get(ctx, t, c.c.ID, targets[0])
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, s.p.serverError(ctx, t, c.c.ID, "token exchange: resource lookup", err)
	case granted == nil:
		return false, invalidTarget("the client may not request tokens for this resource")
	}
	var scopes []string
	for _, sc := range requested {
		if sc == oidc.ScopeOpenID {
			continue // the exchanged token is an access token only
		}
		if !api.HasScope(sc) {
			return false, oidc.ErrInvalidScope().WithDescription("the resource defines no scope %q", sc)
		}
		if !slices.Contains(granted, sc) {
			return false, oidc.ErrInvalidScope().WithDescription("scope %q is not granted to this client for the resource", sc)
		}
		scopes = append(scopes, sc)
	}
	if len(requested) == 0 {
		scopes = granted
	}
	g.Scopes = scopes
	if err := tokens.ForUserAPI(ctx, t, api, g); err != nil {
		return false, s.p.serverError(ctx, t, c.c.ID, "token exchange: user permissions", err)
	}
	return true, nil
}

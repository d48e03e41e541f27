package oidc

import (
	"context"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// VerifyAuthRequest resolves a pushed request (RFC 9126) before the engine
// validates the authorization request.
func (s *server) VerifyAuthRequest(ctx context.Context, r *op.Request[oidc.AuthRequest]) (*op.ClientRequest[oidc.AuthRequest], error) {
	if uri := r.Form.Get("request_uri"); uri != "" {
		t, err := s.tenant(ctx)
		if err != nil {
			return nil, err
		}
		data, err := s.p.takePushed(ctx, t, uri, r.Data.ClientID)
		if err != nil {
			return nil, err
		}
		r.Data = data
		return s.LegacyServer.VerifyAuthRequest(ctx, r) // its redirect_uri was checked when it was pushed
	}
	cr, err := s.LegacyServer.VerifyAuthRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	if c, ok := cr.Client.(*client); ok && cr.Data.RedirectURI != "" {
		if err := c.checkRedirectURI(cr.Data.RedirectURI, cr.Data.ResponseType); err != nil {
			return nil, err
		}
	}
	return cr, nil
}

// Authorize adds Gatehouse's policy to the engine's validation: only the
// code flow, PKCE with S256 only, and PKCE required for public clients.
func (s *server) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	d := r.Data
	if d.ResponseType != oidc.ResponseTypeCode {
		return nil, protoErr("unsupported_response_type", "only response_type=code is supported")
	}
	if !slices.Contains(r.Client.(*client).c.ResponseTypes, identity.ResponseTypeCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use response_type=code")
	}
	if d.CodeChallenge != "" && d.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	c := r.Client.(*client)
	if c.c.Public() && d.CodeChallenge == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE (code_challenge with S256) is required for public clients")
	}
	if !slices.Contains(c.c.GrantTypes, identity.GrantAuthorizationCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use the authorization code grant")
	}
	for _, sc := range d.Scopes {
		if !c.scopeAllowed(sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
		}
	}
	return s.LegacyServer.Authorize(ctx, r)
}

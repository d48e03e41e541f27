package oidc

import (
	"context"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// VerifyAuthRequest resolves a request object (RFC 9101) and a pushed
// request (RFC 9126) before the engine validates the authorization request.
func (s *server) VerifyAuthRequest(ctx context.Context, r *op.Request[oidc.AuthRequest]) (*op.ClientRequest[oidc.AuthRequest], error) {
	if err := s.resolveRequestObject(ctx, r); err != nil { // authorize_jar.go
		return nil, err
	}
	if uri := r.Form.Get("request_uri"); uri != "" {
		t, err := s.tenant(ctx)
		if err != nil {
			return nil, err
		}
		data, params, err := s.p.takePushed(ctx, t, uri, r.Data.ClientID)
		if err != nil {
			return nil, err
		}
		// From here the pushed request is the request (RFC 9126 4): its
		// resource and organization too, not the query's.
		r.Data, r.Form = data, params
		s.p.loadHintKey(ctx, t, data.IDTokenHint)
		return s.LegacyServer.VerifyAuthRequest(ctx, r) // its redirect_uri was checked when it was pushed
	}
	if r.Data.IDTokenHint != "" {
		t, err := s.tenant(ctx)
		if err != nil {
			return nil, err
		}
		s.p.loadHintKey(ctx, t, r.Data.IDTokenHint)
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

// Authorize adds Gatehouse's policy (checkAuthorizeRequest) to the
// engine's validation.
func (s *server) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	ctx, d, err := s.p.authorizeResource(ctx, r.Form, r.Data) // resource.go
	if err != nil {
		return nil, err
	}
	if ctx, err = s.p.authorizeOrganization(ctx, r.Form, d.ClientID); err != nil { // organization.go
		return nil, err
	}
	if ctx, err = s.p.authorizeDetails(ctx, r.Form, d.ClientID); err != nil { // rar.go
		return nil, err
	}
	if err := r.Client.(*client).checkAuthorizeRequest(d); err != nil {
		return nil, err
	}
	jkt, err := dpopJKTParam(r.Form) // dpop.go
	if err != nil {
		return nil, err
	}
	return s.LegacyServer.Authorize(withDPoPJKT(ctx, jkt), r)
}

// checkAuthorizeRequest is Gatehouse's policy for an authorization
// request, applied at /authorize and, before it is stored, at the PAR
// endpoint (RFC 9126 2.1): only the code flow, PKCE with S256 only, PKCE
// required for public clients, and only the response types, grant and
// scopes the client registered.
func (c *client) checkAuthorizeRequest(d *oidc.AuthRequest) *oidc.Error {
	if d.ResponseType != oidc.ResponseTypeCode {
		return protoErr("unsupported_response_type", "only response_type=code is supported")
	}
	if !slices.Contains(c.c.ResponseTypes, oauth.ResponseTypeCode) {
		return oidc.ErrUnauthorizedClient().WithDescription("the client may not use response_type=code")
	}
	if d.CodeChallenge != "" && d.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	if err := c.checkFAPIRequest(d); err != nil { // fapi.go
		return err
	}
	if c.c.Public() && d.CodeChallenge == "" {
		return oidc.ErrInvalidRequest().WithDescription("PKCE (code_challenge with S256) is required for public clients")
	}
	if !slices.Contains(c.c.GrantTypes, oauth.GrantAuthorizationCode) {
		return oidc.ErrUnauthorizedClient().WithDescription("the client may not use the authorization code grant")
	}
	for _, sc := range d.Scopes {
		if !c.scopeAllowed(sc) {
			return oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
		}
	}
	return nil
}

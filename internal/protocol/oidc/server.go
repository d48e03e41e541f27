package oidc

import (
	"context"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// server is the engine's op.Server with Gatehouse's grant handlers: the
// engine parses and validates requests and writes responses; Gatehouse
// authenticates clients and issues, rotates, introspects and revokes tokens.
// One file per grant or endpoint: authorize.go, code.go, refresh.go,
// client_credentials.go, device.go, exchange.go, par.go, introspect.go,
// revoke.go, userinfo.go, logout.go; clientauth.go authenticates clients
// and tokens.go hands what every grant issues to internal/tokens.
type server struct {
	*op.LegacyServer
	p *Provider
}

// protoErr builds an OAuth error with a code the engine has no helper
// for. The engine's error type is unexported, so only constants can be
// assigned: each supported code is spelled out.
func protoErr(code, desc string) *oidc.Error {
	e := oidc.ErrInvalidRequest().WithDescription("%s", desc)
	switch code {
	case "unsupported_response_type":
		e.ErrorType = "unsupported_response_type"
	case "unsupported_token_type":
		e.ErrorType = "unsupported_token_type"
	case "consent_required":
		e.ErrorType = "consent_required"
	case "account_selection_required":
		e.ErrorType = "account_selection_required"
	case "invalid_request_uri":
		e.ErrorType = "invalid_request_uri"
	case "invalid_request_object":
		e.ErrorType = "invalid_request_object"
	case "invalid_token":
		e.ErrorType = "invalid_token"
	case "insufficient_scope":
		e.ErrorType = "insufficient_scope"
	case "invalid_dpop_proof":
		e.ErrorType = "invalid_dpop_proof"
	}
	return e
}

func (s *server) tenant(ctx context.Context) (*tenancy.Tenant, error) {
	t := tenancy.From(ctx)
	if t == nil {
		return nil, oidc.ErrServerError().WithDescription("no tenant")
	}
	return t, nil
}

func hasScope(scopes []string, s string) bool { return slices.Contains(scopes, s) }

// tokenResponse marks a response carrying tokens uncacheable (RFC 6749 5.1).
func tokenResponse(resp *oidc.AccessTokenResponse) *op.Response {
	r := op.NewResponse(resp)
	r.Header.Set("Cache-Control", "no-store")
	r.Header.Set("Pragma", "no-cache")
	return r
}

// JWTProfile refuses the jwt-bearer authorization grant (RFC 7523 2.1),
// which Gatehouse does not offer; the engine would otherwise serve it.
func (s *server) JWTProfile(context.Context, *op.Request[oidc.JWTProfileGrantRequest]) (*op.Response, error) {
	return nil, oidc.ErrUnsupportedGrantType().WithDescription("%s is not supported", oidc.GrantTypeBearer)
}

var _ op.Server = (*server)(nil)

// serverError logs a failure that is not the client's (a store error
// other than store.ErrNotFound, a signing key that cannot be loaded) with
// the tenant and client, and answers server_error (RFC 6749 5.2): a
// failing database is never reported as a bad grant or token, so clients
// retry instead of discarding a good credential, and the error's text
// (SQL, hosts) stays in the log. what names the step, never a secret.
func (p *Provider) serverError(ctx context.Context, t *tenancy.Tenant, clientID, what string, err error) *oidc.Error {
	p.log.ErrorContext(ctx, "protocol request failed", "op", what, "tenant_id", t.ID, "client_id", clientID, "err", err)
	return oidc.ErrServerError().WithDescription("the request could not be served; try again later")
}

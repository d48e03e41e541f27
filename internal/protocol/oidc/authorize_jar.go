package oidc

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// resolveRequestObject runs at /authorize before anything else reads the
// request. A request object (request, or a request_uri on the client's
// allow-list) is verified and its parameters replace the request's
// (RFC 9101 6.3: the outside parameters are ignored, only client_id must
// match, which verifyRequestObject checks). It also applies the client's
// policies on how requests arrive: require_signed_request_object, and a
// pushed request for require_pushed_authorization_requests and fapi2 clients (FAPI 2.0 5.3.1.2). A pushed request_uri
// is left to takePushed; the PAR endpoint applied the same policies.
func (s *server) resolveRequestObject(ctx context.Context, r *op.Request[oidc.AuthRequest]) error {
	obj, uri := r.Form.Get("request"), r.Form.Get("request_uri")
	if r.Data.ClientID == "" {
		return nil // the engine refuses it
	}
	t, err := s.tenant(ctx)
	if err != nil {
		return err
	}
	c, err := s.p.clients.get(ctx, t, r.Data.ClientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the engine refuses it
	}
	if err != nil {
		return s.p.serverError(ctx, t, r.Data.ClientID, "authorize: find client", err)
	}
	pushed := strings.HasPrefix(uri, requestURIPrefix)
	switch {
	case obj != "" && uri != "":
		return oidc.ErrInvalidRequest().WithDescription("request and request_uri must not be used together")
	case c.fapi2() && !pushed:
		return oidc.ErrInvalidRequest().WithDescription("FAPI 2.0: the client must use a pushed authorization request (request_uri from the PAR endpoint)")
	case c.settings.RequirePAR && !pushed:
		return oidc.ErrInvalidRequest().WithDescription("the client must use a pushed authorization request (request_uri from the PAR endpoint; RFC 9126 6)")
	case pushed:
		return nil
	case obj == "" && uri == "":
		if c.settings.RequireSignedRequestObject {
			return invalidRequestObject("the client must send its authorization request as a signed request object")
		}
		return nil
	}
	if obj == "" {
		if obj, err = s.p.fetchRequestURI(ctx, c, uri); err != nil {
			return err
		}
	}
	params, err := s.p.verifyRequestObject(ctx, t, c, obj)
	if err != nil {
		return err
	}
	var ar oidc.AuthRequest
	if err := s.p.op.Decoder().Decode(&ar, params); err != nil {
		return invalidRequestObject("the request object's parameters are malformed")
	}
	r.Data, r.Form = &ar, params
	return nil
}

// parRequestObject is resolveRequestObject for the PAR endpoint (RFC 9126
// 3): a request parameter is verified and its parameters become the
// pushed ones; a client that must sign its requests must push one.
func (p *Provider) parRequestObject(ctx context.Context, t *tenancy.Tenant, c *client, r *http.Request) *oidc.Error {
	obj := r.PostForm.Get("request")
	if obj == "" {
		if c.settings.RequireSignedRequestObject {
			return invalidRequestObject("the client must push its authorization request as a signed request object")
		}
		return nil
	}
	params, err := p.verifyRequestObject(ctx, t, c, obj)
	if err != nil {
		var oe *oidc.Error
		if !errors.As(err, &oe) {
			oe = oidc.ErrServerError()
		}
		return oe
	}
	r.PostForm = params
	return nil
}

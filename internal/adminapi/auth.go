package adminapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// authenticator verifies the callers of Admin API operations (bearerAuth):
// Admin API keys and the bootstrap token, each with the scopes the
// operation declares.
type authenticator struct {
	auth *directory.Authenticator
}

type principalKey struct{}

// principalFrom returns the authenticated caller of an Admin API request.
func principalFrom(ctx context.Context) *directory.Principal {
	p, _ := ctx.Value(principalKey{}).(*directory.Principal)
	return p
}

// authenticate is the gate's restapi.Authenticator.
func (a *authenticator) authenticate(r *http.Request, _ map[string]string, _ string, scopes []string) (context.Context, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, httpx.Unauthorized("A bearer token is required.")
	}
	p, err := a.auth.Authenticate(r.Context(), strings.TrimSpace(token))
	if errors.Is(err, directory.ErrBadCredentials) {
		return nil, httpx.Unauthorized("The bearer token is invalid, revoked or expired.")
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	for _, s := range scopes {
		if !p.HasScope(s) {
			return nil, httpx.Forbidden("This operation requires the scope " + s + ".")
		}
	}
	return context.WithValue(r.Context(), principalKey{}, p), nil
}

type inProcessKey struct{}

// WithPrincipal returns ctx carrying p for a request given to
// InProcessHandler: an admin console session's server-side principal
// (internal/console). The public Handler never reads it.
func WithPrincipal(ctx context.Context, p *directory.Principal) context.Context {
	return context.WithValue(ctx, inProcessKey{}, p)
}

// inProcess is the gate's restapi.Authenticator of InProcessHandler: the
// principal comes from the request's context (WithPrincipal), never from
// a header, with the scopes the operation declares, as for a token.
func inProcess(r *http.Request, _ map[string]string, _ string, scopes []string) (context.Context, error) {
	p, _ := r.Context().Value(inProcessKey{}).(*directory.Principal)
	if p == nil {
		return nil, httpx.Unauthorized("No console session.")
	}
	for _, s := range scopes {
		if !p.HasScope(s) {
			return nil, httpx.Forbidden("This operation requires the scope " + s + ".")
		}
	}
	return context.WithValue(r.Context(), principalKey{}, p), nil
}

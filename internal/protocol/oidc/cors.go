package oidc

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// CORS for the protocol endpoints. A browser app may call the token,
// userinfo, introspection, revocation, PAR, device-authorization,
// authorize and end_session endpoints of a tenant from an origin that one
// of the tenant's clients lists in its allowed_cors_origins setting, and
// from no other. Credentials are never allowed: nothing here is meant to
// be read with the session cookie (which is SameSite=Lax anyway), and
// the endpoints that take client credentials must not invite a browser to
// send them along. Discovery and the JWKS are public documents and allow
// every origin, without credentials. The engine's own CORS (which
// reflected any origin with credentials) is switched off; other paths,
// such as the headless login API, get no CORS headers at all.

// corsMaxAge is how long a browser may cache a preflight answer.
const corsMaxAge = "600"

// corsPaths are the endpoints, relative to an issuer, that answer CORS.
func (p *Provider) corsPaths() map[string]bool {
	e := p.endpoints
	return map[string]bool{
		e.Token.Relative(): true, e.Userinfo.Relative(): true, e.Introspection.Relative(): true,
		e.Revocation.Relative(): true, e.DeviceAuthorization.Relative(): true, e.Authorization.Relative(): true,
		e.EndSession.Relative(): true, parPath: true,
	}
}

const parPath = "/oauth/par"

// corsEndpoint returns the tenant slug of a path that names a CORS
// endpoint ("" for the default tenant).
func (p *Provider) corsEndpoint(path string) (slug string, ok bool) {
	rest := path
	if after, found := strings.CutPrefix(path, tenancy.Prefix+"/"); found {
		slug, rest, _ = strings.Cut(after, "/")
		if slug == "" {
			return "", false
		}
		rest = "/" + rest
	}
	return slug, p.corsAllowedPaths[rest]
}

// cors answers preflights and marks responses of the CORS endpoints
// (httpx.CORS).
func (p *Provider) cors(next http.Handler) http.Handler {
	return httpx.CORS(next, p.corsEndpoint, p.originAllowed, corsMaxAge)
}

// originAllowed reports whether a client of the tenant lists origin.
func (p *Provider) originAllowed(ctx context.Context, slug, origin string) bool {
	t, err := p.ResolveTenant(ctx, slug)
	if err != nil {
		return false
	}
	origins, err := p.origins.Get(ctx, t.ID, otter.LoaderFunc[string, map[string]bool](
		func(ctx context.Context, _ string) (map[string]bool, error) { return p.dir.CORSOrigins(ctx, t) }))
	if err != nil {
		p.log.WarnContext(ctx, "loading the tenant's CORS origins failed", "tenant_id", t.ID, "err", err)
		return false
	}
	return origins[origin]
}

// newOriginCache holds each tenant's allowed origins for as long as the
// client cache holds clients; admin changes drop the entry at once.
func newOriginCache(ttl time.Duration) *otter.Cache[string, map[string]bool] {
	return otter.Must(&otter.Options[string, map[string]bool]{
		MaximumSize:      10_000,
		ExpiryCalculator: otter.ExpiryWriting[string, map[string]bool](ttl),
	})
}

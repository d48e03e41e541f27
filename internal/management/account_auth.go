package management

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/provider"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// accountScheme is the security scheme of the self-service account API
// (tag account): an access token Gatehouse issued to a user, not an Admin
// API key.
const accountScheme = "accountAuth"

// account is the verified caller of an account API request.
type account struct {
	// slug is the tenant of the path ("" under /v1/me): handlers check it
	// against their own {tenant} parameter.
	slug   string
	tenant *provider.Tenant
	token  *provider.AccessToken
	// ip is the client's address, recorded with events.
	ip string
}

type accountKey struct{}

// accountFrom returns the verified caller of an account API request.
func accountFrom(ctx context.Context) *account {
	a, _ := ctx.Value(accountKey{}).(*account)
	return a
}

// authenticateAccount verifies the request's bearer token as an access
// token of the tenant in the path (slug, "" for the default tenant) issued
// to a user with every scope in scopes, and returns a context carrying it.
// Errors are problems with RFC 6750 challenges: no token, a token that is
// not valid here (malformed, expired, revoked, another issuer's, a
// client's), and a token without the scope.
func (c *contract) authenticateAccount(r *http.Request, slug string, scopes []string) (context.Context, error) {
	ctx := r.Context()
	t, err := c.provider.ResolveTenant(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, httpx.NotFound("No such tenant.")
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, httpx.Unauthorized("An access token with the account scope is required.")
	}
	at, err := c.provider.VerifyAccessToken(ctx, t, token)
	if err != nil || at.UserID == "" {
		// The provider tells no failure from another (all are "inactive"),
		// and a client-credentials token speaks for no user.
		p := httpx.Unauthorized("The access token is invalid, expired, revoked, not a user's or not this tenant's.")
		p.Header.Set("WWW-Authenticate", `Bearer realm="gatehouse", error="invalid_token"`)
		return nil, p
	}
	for _, s := range scopes {
		if !slices.Contains(at.Scopes, s) {
			p := httpx.Forbidden("This operation requires the scope " + s + ".")
			p.Header = http.Header{"Www-Authenticate": {`Bearer realm="gatehouse", error="insufficient_scope", scope="` + s + `"`}}
			return nil, p
		}
	}
	return context.WithValue(ctx, accountKey{}, &account{slug: slug, tenant: t, token: at, ip: sessions.ClientIP(r)}), nil
}

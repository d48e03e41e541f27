package accountapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// authenticator verifies the callers of account API operations
// (accountAuth): an access token Gatehouse issued to a user, not an Admin
// API key, or the hosted login's session cookie.
type authenticator struct {
	provider *oidc.Provider
	tokens   *tokens.Service
	// sessions finds the hosted session behind a cookie (sessionAccount).
	sessions *sessions.Manager
	// mfa, when set, lets a session whose sign-in owes the user's first
	// factor enrol it (mfagate.go).
	mfa *mfa.Service
}

// account is the verified caller of an account API request. Their tenant
// is the request's (tenancy.From), resolved once here.
type account struct {
	// slug is the tenant of the path ("" under /v1/me): handlers check it
	// against their own {tenant} parameter.
	slug  string
	token *tokens.AccessToken
	// ip is the client's address, recorded with events.
	ip string
	// userAgent is the client's User-Agent, recorded with privacy
	// decisions.
	userAgent string
}

type accountKey struct{}

// accountFrom returns the verified caller of an account API request.
func accountFrom(ctx context.Context) *account {
	a, _ := ctx.Value(accountKey{}).(*account)
	return a
}

// authenticate is the gate's restapi.Authenticator: it verifies the request's bearer token as an access
// token of the tenant in the path (slug, "" for the default tenant) issued
// to a user with every scope in scopes, and returns a context carrying it.
// Errors are problems with RFC 6750 challenges: no token, a token that is
// not valid here (malformed, expired, revoked, another issuer's, a
// client's), and a token without the scope. op is the operation's ID.
func (c *authenticator) authenticate(r *http.Request, params map[string]string, op string, scopes []string) (context.Context, error) {
	ctx := r.Context()
	slug := params["tenant"]
	t, err := c.provider.ResolveTenant(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, httpx.NotFound("No such tenant.")
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	if r.Header.Get("Authorization") == "" {
		if acct, err := c.sessionAccount(r, t, slug, op); acct != nil || err != nil {
			if err != nil {
				return nil, err
			}
			return context.WithValue(tenancy.With(ctx, t), accountKey{}, acct), nil
		}
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, httpx.Unauthorized("An access token with the account scope is required.")
	}
	at, err := c.tokens.Verify(ctx, t, token)
	if err != nil || at.UserID == "" {
		// The token service tells no failure from another (all are "inactive"),
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
	return context.WithValue(tenancy.With(ctx, t), accountKey{}, &account{slug: slug, token: at, ip: sessions.ClientIP(r), userAgent: r.UserAgent()}), nil
}

// sessionAccount is the caller of a request that carries the hosted
// login's session cookie and no Authorization header, or nil without an
// active session. A signed-in session stands in for a token with the
// account scope; one whose sign-in still owes a step is refused
// (mfagate.go), but for the enrolment of the factor it owes. The cookie
// is sent by the browser whoever made the page, so a request that changes
// something must come from the issuer's origin.
func (c *authenticator) sessionAccount(r *http.Request, t *tenancy.Tenant, slug, op string) (*account, error) {
	ctx := r.Context()
	s, err := c.sessions.FindPending(ctx, r, c.provider.SessionScope(t))
	if errors.Is(err, sessions.ErrNoSession) {
		return nil, nil
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	u, err := t.Store.Users().Get(ctx, t.ID, s.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, httpx.Internal(err)
	}
	if u.Disabled || u.Locked(c.sessions.Now()) {
		return nil, nil
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r, t.Issuer) {
		// The challenge points at the alternative: a bearer token.
		p := httpx.Forbidden("With the session cookie, requests that change something must come from the issuer's origin (Origin header).")
		p.Header = http.Header{"Www-Authenticate": {`Bearer realm="gatehouse"`}}
		return nil, p
	}
	if err := c.sessionOwes(ctx, t, s, op); err != nil {
		return nil, err
	}
	at := &tokens.AccessToken{UserID: s.UserID, Subject: s.UserID, SessionID: s.ID, Scopes: []string{"account"},
		AuthTime: s.AuthTime.Unix(), AMR: s.AMR, ACR: s.ACR}
	return &account{slug: slug, token: at, ip: sessions.ClientIP(r), userAgent: r.UserAgent()}, nil
}

// sameOrigin reports whether the request's Origin is the issuer's
// scheme://host[:port]. A missing Origin is not: browsers send it on
// every cross-origin and every same-origin non-GET fetch.
func sameOrigin(r *http.Request, issuer string) bool {
	o := r.Header.Get("Origin")
	u, err := url.Parse(issuer)
	return o != "" && err == nil && o == u.Scheme+"://"+u.Host
}

package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// EndSession implements RP-initiated logout: it ends the browser session
// (and the tokens tied to it) and redirects only to a registered
// post_logout_redirect_uri.
func (s *server) EndSession(ctx context.Context, r *op.Request[oidc.EndSessionRequest]) (*op.Redirect, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	return s.p.endSession(ctx, t, r.Header, r.Data)
}

// endSession implements RP-initiated logout. The browser's session (its
// cookie) ends, unless a hint names another one. A valid id_token_hint
// (signed by the tenant; expired is fine, as OIDC RP-Initiated Logout
// allows) whose sid names a session of its subject ends that session too,
// cookie or not: a relying party's back end calls end_session server to
// server with the ID token it holds (oauth2-proxy's backend logout), as
// Keycloak supports.
func (p *Provider) endSession(ctx context.Context, t *tenancy.Tenant, h http.Header, d *oidc.EndSessionRequest) (*op.Redirect, error) {
	clientID := d.ClientID
	var hintSID, hintSub string
	if d.IdTokenHint != "" {
		p.loadHintKey(ctx, t, d.IdTokenHint)
		claims, err := op.VerifyIDTokenHint[*oidc.IDTokenClaims](ctx, d.IdTokenHint, p.op.IDTokenHintVerifier(ctx))
		// The engine returns the expiry error as a value, not a pointer.
		if err != nil && !errors.As(err, new(op.IDTokenHintExpiredError)) {
			return nil, oidc.ErrInvalidRequest().WithDescription("id_token_hint is not valid")
		}
		if claims != nil {
			if clientID != "" && !slices.Contains(claims.Audience, clientID) {
				return nil, oidc.ErrInvalidRequest().WithDescription("client_id does not match id_token_hint")
			}
			if clientID == "" && len(claims.Audience) > 0 {
				clientID = claims.Audience[0]
			}
			hintSID, _ = claims.Claims["sid"].(string)
			hintSub = claims.Subject
		}
	}
	target := t.Issuer + p.loginPath + "/logged-out"
	if d.PostLogoutRedirectURI != "" {
		if clientID == "" {
			return nil, oidc.ErrInvalidRequest().WithDescription("post_logout_redirect_uri needs client_id or id_token_hint")
		}
		c, err := p.clients.get(ctx, t, clientID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, p.serverError(ctx, t, clientID, "end session: find client", err)
		}
		if err != nil {
			return nil, oidc.ErrInvalidRequest().WithDescription("unknown client")
		}
		if !slices.Contains(c.c.PostLogoutRedirectURIs, d.PostLogoutRedirectURI) {
			return nil, oidc.ErrInvalidRequest().WithDescription("post_logout_redirect_uri is not registered for the client")
		}
		u, err := url.Parse(d.PostLogoutRedirectURI)
		if err != nil {
			return nil, oidc.ErrInvalidRequest().WithDescription("post_logout_redirect_uri is malformed")
		}
		if d.State != "" {
			q := u.Query()
			q.Set("state", d.State)
			u.RawQuery = q.Encode()
		}
		target = u.String()
	}
	sc := p.SessionScope(t)
	req := &http.Request{Header: h}
	var end *oauth.Session
	inBrowser := false // the session is the browser's (its cookie), not only the hint's
	if s, err := p.sessions.Find(ctx, req, sc); err == nil && (hintSID == "" || hintSID == s.ID) {
		end, inBrowser = s, true
	} else if hintSID != "" {
		// Back-end logout: the hint's session, if it is its subject's and
		// not ended yet (even idle-expired: its refresh tokens may live).
		if s, err := t.Store.Sessions().Get(ctx, t.ID, hintSID); err == nil && s.UserID == hintSub && s.RevokedAt == nil {
			end = s
		}
	}
	if end != nil {
		var frames []string
		if inBrowser { // read before the end forgets the session's clients
			frames = p.frontchannelURIs(ctx, t, end)
		}
		endRecord := p.EndSessionRecord // without the browser: the SAML SPs are not reached (tokens.SessionsEnded)
		if inBrowser && p.logout != nil {
			endRecord = p.EndSessionInBrowser
		}
		if err := endRecord(ctx, t, end); err != nil {
			p.log.WarnContext(ctx, "ending session at logout failed", "err", err)
		}
		// The browser loads the clients' front-channel logout URIs, then
		// goes on to the target.
		target = p.frontchannelTarget(ctx, t, frames, target)
		if inBrowser && p.logout != nil {
			// The browser logs the session out of its SAML service
			// providers on its way to the target.
			target = p.logout.AfterEndSession(ctx, t, end, target)
		}
	}
	redirect := op.NewRedirect(target)
	redirect.Header.Add("Set-Cookie", (&http.Cookie{Name: sc.Name, Value: "", Path: cookiePath(sc.Path), MaxAge: -1,
		HttpOnly: true, Secure: p.sessions.Secure, SameSite: http.SameSiteLaxMode}).String())
	return redirect, nil
}

// BrowserLogout logs a session that end_session ended in its browser out
// of the other services it signed into (the SAML IdP's service
// providers), through that browser.
type BrowserLogout interface {
	// AfterEndSession returns where end_session sends the browser after
	// ending s: returnTo when s signed into no such service, else a page
	// that logs s out of them one by one and then goes to returnTo.
	AfterEndSession(ctx context.Context, t *tenancy.Tenant, s *oauth.Session, returnTo string) string
}

// OnEndSession sets the BrowserLogout of end_session; set it before the
// provider serves.
func (p *Provider) OnEndSession(l BrowserLogout) { p.logout = l }

func cookiePath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// SessionScope tells the session manager where the tenant's cookie lives.
func (p *Provider) SessionScope(t *tenancy.Tenant) sessions.Scope {
	return sessions.Scope{TenantID: t.ID, Store: t.Store, Path: t.Base, Name: sessions.CookieName(t.PathSlug())}
}

// RevokeUserTokens revokes the user's tokens (and with withSessions their
// sessions) through the provider's token service, for the hosted login.
func (p *Provider) RevokeUserTokens(ctx context.Context, t *tenancy.Tenant, userID string, withSessions bool) (refresh, sess int64, err error) {
	return p.tokens.RevokeUserTokens(ctx, t, userID, withSessions)
}

// EndSessionRecord revokes a browser session, the refresh tokens issued
// under it, and (through the revocation list) its access tokens. It is
// ended without its browser: the SAML service providers it signed into
// are not logged out (tokens.SessionsEnded records that).
func (p *Provider) EndSessionRecord(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) error {
	return p.tokens.EndSession(ctx, t, s)
}

// EndSessionInBrowser is EndSessionRecord for a caller that logs the
// session out of its SAML service providers through the browser itself.
func (p *Provider) EndSessionInBrowser(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) error {
	return p.tokens.EndSessionInBrowser(ctx, t, s)
}

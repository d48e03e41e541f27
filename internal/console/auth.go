package console

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Sign-in. /console/login?tenant=SLUG stores a random state, nonce and
// PKCE verifier in a sealed, short-lived flow cookie and sends the
// browser to the tenant's /authorize as the built-in client
// (ClientID, first party: no consent page). The hosted login does the
// rest (password, second factor, risk challenge) and sends the browser
// to /console/callback with a code, which the console redeems at the
// tenant's token endpoint, in process, with the verifier. The ID token's
// subject must hold a console role (directory.ConsoleRole): then the
// console cookie is set, sealed, naming the tenant, the user and the
// hosted login's session (sid). Every request checks them again: the
// sign-in session still active and signed in, the user enabled, the role
// still held. Signing out ends the sign-in session.

// ClientID is the built-in console client's ID, in every tenant.
const ClientID = "gatehouse-console"

const (
	flowCookie    = "gh_console_flow"
	sessionCookie = "gh_console"
	flowPurpose   = "console-flow"
	cookiePurpose = "console-session"
	csrfPurpose   = "console-csrf"
	flowLifetime  = 10 * time.Minute
	// sessionLifetime caps a console sign-in, whatever the hosted login's
	// session allows.
	sessionLifetime = 8 * time.Hour
)

// flow is the sealed state of a sign-in in progress.
type flow struct {
	Tenant   string `json:"t"` // tenant ID
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

// session is the sealed console cookie, plus what a request found.
type session struct {
	Tenant  string `json:"t"` // home tenant ID
	UserID  string `json:"u"`
	Email   string `json:"m"`
	SID     string `json:"s"` // the hosted login's session
	CSRF    string `json:"c"`
	Current string `json:"x,omitempty"` // tenant ID a superadmin switched to
	Expires int64  `json:"e"`

	Role    string `json:"-"`
	home    *tenancy.Tenant
	tenant  tenantRef       // the tenant the pages act on
	tenants []tenantRef     // superadmin only
	scope   *tenancy.Tenant // the tenant the pages act on
}

// redirectURI is the built-in client's one redirect URI.
func (c *Console) redirectURI() string {
	return strings.TrimSuffix(c.d.Issuer, "/") + Prefix + "/callback"
}

// builtinClient is the console client's row in tenant t, as it must be.
func (c *Console) builtinClient(t *tenancy.Tenant) *oauth.Client {
	return &oauth.Client{TenantID: t.ID, ID: ClientID, ClientName: "Gatehouse admin console",
		RedirectURIs: []string{c.redirectURI()}, GrantTypes: []string{"authorization_code"},
		ResponseTypes: []string{"code"}, TokenEndpointAuthMethod: "none", ApplicationType: "web",
		Scope: "openid email", Metadata: map[string]any{"first_party": true}}
}

// ensureClient stores the built-in client in the tenant, or puts its
// redirect URI, grants and first-party flag back if they were changed
// (an admin editing it cannot widen it).
func (c *Console) ensureClient(ctx context.Context, t *tenancy.Tenant) error {
	want := c.builtinClient(t)
	old, err := t.Store.Clients().Get(ctx, t.ID, ClientID)
	if err == nil {
		fp, _ := old.Metadata["first_party"].(bool)
		if slices.Equal(old.RedirectURIs, want.RedirectURIs) && slices.Equal(old.GrantTypes, want.GrantTypes) &&
			old.TokenEndpointAuthMethod == "none" && fp && old.Scope == want.Scope {
			return nil
		}
		_, err = t.Store.Clients().Update(ctx, t.ID, ClientID, 0, func(o *oauth.Client) error {
			o.RedirectURIs, o.GrantTypes, o.ResponseTypes = want.RedirectURIs, want.GrantTypes, want.ResponseTypes
			o.TokenEndpointAuthMethod, o.Scope, o.ApplicationType = "none", want.Scope, "web"
			if o.Metadata == nil {
				o.Metadata = map[string]any{}
			}
			o.Metadata["first_party"] = true
			o.SecretHash = nil
			return nil
		})
	} else if errors.Is(err, store.ErrNotFound) {
		err = t.Store.Clients().Create(ctx, t.ID, want)
		if errors.Is(err, store.ErrConflict) {
			err = nil
		}
	}
	if err == nil && c.d.ClientChanged != nil {
		c.d.ClientChanged(ctx, t.ID, ClientID)
	}
	return err
}

// resolve finds a tenant by slug or ID, with its issuer.
func (c *Console) resolve(ctx context.Context, tenant string) (*tenancy.Tenant, error) {
	sc, err := c.d.Directory.Resolve(ctx, tenant)
	if err != nil {
		return nil, err
	}
	return tenancy.Of(sc.Tenant, sc.Store, c.d.Issuer), nil
}

func (c *Console) seal(purpose string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	s, err := c.d.Keyring.Seal(purpose, b, nil)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s), nil
}

func (c *Console) open(r *http.Request, name, purpose string, v any) bool {
	ck, err := r.Cookie(name)
	if err != nil || ck.Value == "" || len(ck.Value) > 4096 {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return false
	}
	b, err := c.d.Keyring.Open(purpose, raw, nil)
	return err == nil && json.Unmarshal(b, v) == nil
}

func (c *Console) setCookie(w http.ResponseWriter, name, value string, maxAge int, same http.SameSite) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: c.secure, SameSite: same})
}

// signinPage asks which tenant to sign in to (the default one unless
// told).
func (c *Console) signinPage(w http.ResponseWriter, r *http.Request) {
	v := c.newView(r, nil, "")
	v.Page = map[string]string{"Tenant": r.URL.Query().Get("tenant")}
	c.render(w, r, http.StatusOK, "signin", v)
}

// login starts the code+PKCE flow against the tenant's hosted login.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	slug := strings.TrimSpace(r.URL.Query().Get("tenant"))
	if len(slug) > 100 {
		c.fail(w, r, nil, http.StatusBadRequest, "error_tenant")
		return
	}
	t, err := c.resolve(r.Context(), slug)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, nil, http.StatusNotFound, "error_tenant")
		return
	}
	if err == nil {
		err = c.ensureClient(r.Context(), t)
	}
	if err != nil {
		c.d.Log.ErrorContext(r.Context(), "console: starting a sign-in failed", "err", err)
		c.fail(w, r, nil, http.StatusInternalServerError, "error_internal")
		return
	}
	f := flow{Tenant: t.ID, State: secret.Token(24), Nonce: secret.Token(24), Verifier: secret.Token(32),
		Expires: c.d.Now().Add(flowLifetime).Unix()}
	sealed, err := c.seal(flowPurpose, f)
	if err != nil {
		c.fail(w, r, nil, http.StatusInternalServerError, "error_internal")
		return
	}
	// Lax: the cookie must come back with the top-level redirect from
	// the hosted login to the callback.
	c.setCookie(w, flowCookie, sealed, int(flowLifetime/time.Second), http.SameSiteLaxMode)
	sum := sha256.Sum256([]byte(f.Verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {ClientID}, "redirect_uri": {c.redirectURI()},
		"scope": {"openid email"}, "state": {f.State}, "nonce": {f.Nonce},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
		"ui_locales": {c.lang(r).String()}}
	http.Redirect(w, r, t.Base+"/authorize?"+q.Encode(), http.StatusSeeOther)
}

// idClaims are the ID token claims the callback checks.
type idClaims struct {
	Iss   string          `json:"iss"`
	Sub   string          `json:"sub"`
	Aud   json.RawMessage `json:"aud"`
	Exp   int64           `json:"exp"`
	Nonce string          `json:"nonce"`
	SID   string          `json:"sid"`
	Email string          `json:"email"`
}

func (ic *idClaims) audience(want string) bool {
	var one string
	if json.Unmarshal(ic.Aud, &one) == nil {
		return one == want
	}
	var many []string
	return json.Unmarshal(ic.Aud, &many) == nil && slices.Contains(many, want)
}

// callback redeems the code and opens a console session for a user
// with a console role.
func (c *Console) callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var f flow
	ok := c.open(r, flowCookie, flowPurpose, &f)
	// The flow is used up whatever happens: a replayed state finds none.
	c.setCookie(w, flowCookie, "", -1, http.SameSiteLaxMode)
	q := r.URL.Query()
	state := q.Get("state")
	if !ok || c.d.Now().Unix() > f.Expires || state == "" ||
		subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		c.fail(w, r, nil, http.StatusBadRequest, "error_signin_state")
		return
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		c.fail(w, r, nil, http.StatusBadRequest, "error_signin_failed")
		return
	}
	t, err := c.resolve(ctx, f.Tenant)
	if err != nil {
		c.fail(w, r, nil, http.StatusBadRequest, "error_signin_failed")
		return
	}
	claims, err := c.redeem(ctx, t, q.Get("code"), f.Verifier)
	if err != nil || claims.Iss != t.Issuer || !claims.audience(ClientID) || claims.Sub == "" || claims.SID == "" ||
		subtle.ConstantTimeCompare([]byte(claims.Nonce), []byte(f.Nonce)) != 1 || c.d.Now().Unix() >= claims.Exp {
		if err != nil {
			c.d.Log.InfoContext(ctx, "console: redeeming the sign-in code failed", "tenant_id", t.ID, "err", err)
		}
		c.fail(w, r, nil, http.StatusBadRequest, "error_signin_failed")
		return
	}
	s := &session{Tenant: t.ID, UserID: claims.Sub, Email: claims.Email, SID: claims.SID, CSRF: secret.Token(32),
		Expires: c.d.Now().Add(sessionLifetime).Unix()}
	if status, key := c.check(ctx, s); status != 0 {
		c.fail(w, r, nil, status, key)
		return
	}
	if err := c.writeSession(w, s); err != nil {
		c.fail(w, r, nil, http.StatusInternalServerError, "error_internal")
		return
	}
	http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
}

func (c *Console) writeSession(w http.ResponseWriter, s *session) error {
	sealed, err := c.seal(cookiePurpose, s)
	if err != nil {
		return err
	}
	c.setCookie(w, sessionCookie, sealed, int(time.Until(time.Unix(s.Expires, 0))/time.Second), http.SameSiteStrictMode)
	return nil
}

// redeem exchanges the code at the tenant's token endpoint, in process,
// and returns the ID token's claims. The token comes straight from our
// own token endpoint, not through the browser, so its signature adds
// nothing (OIDC Core 3.1.3.7: TLS server validation may stand in; here
// there is not even a network).
func (c *Console) redeem(ctx context.Context, t *tenancy.Tenant, code, verifier string) (*idClaims, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {c.redirectURI()},
		"client_id": {ClientID}, "code_verifier": {verifier}}
	u, err := url.Parse(t.Issuer + "/oauth/token")
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RequestURI = u.RequestURI()
	req.RemoteAddr = "127.0.0.1:0"
	rec := newRecorder()
	c.d.Protocol.ServeHTTP(rec, req)
	if rec.status != http.StatusOK {
		return nil, errors.New("token endpoint answered " + http.StatusText(rec.status) + ": " + truncate(rec.body.String(), 200))
	}
	var tr struct {
		IDToken string `json:"id_token"`
	}
	if err := json.Unmarshal(rec.body.Bytes(), &tr); err != nil || tr.IDToken == "" {
		return nil, errors.New("no ID token in the token response")
	}
	parts := strings.Split(tr.IDToken, ".")
	if len(parts) != 3 {
		return nil, errors.New("malformed ID token")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var ic idClaims
	if err := json.Unmarshal(payload, &ic); err != nil {
		return nil, err
	}
	return &ic, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// check finds what the session names and checks it still holds: 0 when
// it does, else the status and message of the refusal.
func (c *Console) check(ctx context.Context, s *session) (int, string) {
	now := c.d.Now()
	if now.Unix() >= s.Expires {
		return http.StatusUnauthorized, "error_signed_out"
	}
	home, err := c.resolve(ctx, s.Tenant)
	if err != nil {
		return http.StatusUnauthorized, "error_signed_out"
	}
	ls, err := home.Store.Sessions().Get(ctx, home.ID, s.SID)
	if err != nil || ls.UserID != s.UserID || !ls.Active(now, c.d.Idle) || !ls.SignedIn() {
		return http.StatusUnauthorized, "error_signed_out"
	}
	u, err := home.Store.Users().Get(ctx, home.ID, s.UserID)
	if err != nil || u.Disabled {
		return http.StatusForbidden, "error_no_role"
	}
	if s.Email == "" {
		s.Email = u.Email
	}
	role, err := directory.ConsoleRole(ctx, home, s.UserID)
	if err != nil {
		c.d.Log.ErrorContext(ctx, "console: reading roles failed", "err", err)
		return http.StatusInternalServerError, "error_internal"
	}
	if role == "" {
		return http.StatusForbidden, "error_no_role"
	}
	s.Role, s.home = role, home
	if now.Sub(ls.LastSeenAt) > time.Minute {
		_ = home.Store.Sessions().Touch(ctx, home.ID, ls.ID, now.UTC(), ls.IP, ls.UserAgent)
	}
	s.scope = home
	if role == directory.RoleConsoleSuperadmin && s.Current != "" && s.Current != home.ID {
		if t, err := c.resolve(ctx, s.Current); err == nil {
			s.scope = t
		}
	}
	s.tenant = tenantRef{ID: s.scope.ID, Slug: s.scope.Slug, Name: s.scope.DisplayName}
	return 0, ""
}

// principal is the Admin API caller the session acts as.
func (s *session) principal() *directory.Principal {
	p := &directory.Principal{Name: s.Email, UserID: s.UserID, TenantID: s.home.ID, Scopes: []string{directory.ScopeAdmin}}
	switch s.Role {
	case directory.RoleConsoleSuperadmin:
		p.TenantID = ""
	case directory.RoleConsoleViewer:
		p.Scopes = nil
		for _, sc := range directory.KnownScopes {
			if strings.HasSuffix(sc, ":read") {
				p.Scopes = append(p.Scopes, sc)
			}
		}
	}
	return p
}

type handler func(w http.ResponseWriter, r *http.Request, s *session)

// authed serves h to a signed-in admin. Without a console session a GET
// goes to the sign-in page; every POST needs the session's CSRF token
// and a same-origin Origin (when sent), and a viewer's POST is refused
// (only switching tenant is open to a viewer, who has one tenant anyway).
func (c *Console) authed(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var s session
		if !c.open(r, sessionCookie, cookiePurpose, &s) {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
				return
			}
			c.fail(w, r, nil, http.StatusForbidden, "error_csrf")
			return
		}
		if status, key := c.check(r.Context(), &s); status != 0 {
			c.setCookie(w, sessionCookie, "", -1, http.SameSiteStrictMode)
			if status == http.StatusUnauthorized && r.Method == http.MethodGet {
				http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
				return
			}
			c.fail(w, r, nil, status, key)
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				c.fail(w, r, &s, http.StatusBadRequest, "error_bad_request")
				return
			}
			if !c.sameOrigin(r) || !c.checkCSRF(&s, r.PostFormValue("csrf")) {
				c.fail(w, r, &s, http.StatusForbidden, "error_csrf")
				return
			}
			if s.Role == directory.RoleConsoleViewer {
				c.fail(w, r, &s, http.StatusForbidden, "error_read_only")
				return
			}
		}
		if s.Role == directory.RoleConsoleSuperadmin {
			s.tenants = c.tenantList(r.Context(), &s)
		}
		h(w, r, &s)
	})
}

// sameOrigin: a form's Origin, when the browser sends one, is ours.
func (c *Console) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(c.d.Issuer)
	if err != nil {
		return false
	}
	return o == u.Scheme+"://"+u.Host
}

func (c *Console) csrfToken(s *session) string {
	return base64.RawURLEncoding.EncodeToString(c.d.Keyring.MAC(csrfPurpose, []byte(s.UserID+"\x00"+s.SID+"\x00"+s.CSRF)))
}

func (c *Console) checkCSRF(s *session, token string) bool {
	mac, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(mac) == 0 {
		return false
	}
	return c.d.Keyring.Equal(csrfPurpose, []byte(s.UserID+"\x00"+s.SID+"\x00"+s.CSRF), mac)
}

// logout ends the hosted login's session behind the console session and
// drops the cookie. It needs the CSRF token, like every form.
func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	var s session
	if c.open(r, sessionCookie, cookiePurpose, &s) {
		if err := r.ParseForm(); err != nil || !c.sameOrigin(r) || !c.checkCSRF(&s, r.PostFormValue("csrf")) {
			c.fail(w, r, nil, http.StatusForbidden, "error_csrf")
			return
		}
		if home, err := c.resolve(r.Context(), s.Tenant); err == nil {
			_ = home.Store.Sessions().Revoke(r.Context(), home.ID, s.SID, c.d.Now().UTC())
		}
	}
	c.setCookie(w, sessionCookie, "", -1, http.SameSiteStrictMode)
	back(w, r, Prefix+"/signin", "notice_signed_out")
}

// switchTenant makes another tenant the one a superadmin's pages act on.
func (c *Console) switchTenant(w http.ResponseWriter, r *http.Request, s *session) {
	if s.Role != directory.RoleConsoleSuperadmin {
		c.fail(w, r, s, http.StatusForbidden, "error_forbidden")
		return
	}
	t, err := c.resolve(r.Context(), r.PostFormValue("tenant"))
	if err != nil {
		c.fail(w, r, s, http.StatusNotFound, "error_tenant")
		return
	}
	s.Current = t.ID
	if err := c.writeSession(w, s); err != nil {
		c.fail(w, r, s, http.StatusInternalServerError, "error_internal")
		return
	}
	back(w, r, Prefix+"/", "")
}

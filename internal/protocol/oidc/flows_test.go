package oidc_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// relyingParty is a code-flow client driven through x/oauth2 and go-oidc.
type relyingParty struct {
	o    *op
	c    *rp
	prov *oidc.Provider
	cfg  oauth2.Config
	alg  string // expected ID token algorithm
}

func (o *op) relyingParty(t *testing.T, c *rp, alg string, scopes ...string) *relyingParty {
	t.Helper()
	prov, err := oidc.NewProvider(o.rpContext(t), o.issuer(c.Tenant))
	if err != nil {
		t.Fatal(err)
	}
	ep := prov.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInHeader
	if c.Secret == "" {
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	if alg == "" {
		alg = oidc.RS256
	}
	return &relyingParty{o: o, c: c, prov: prov, alg: alg, cfg: oauth2.Config{
		ClientID: c.ID, ClientSecret: c.Secret, Endpoint: ep, RedirectURL: redirectURI, Scopes: scopes,
	}}
}

// login is one authorization request's secrets.
type login struct {
	State, Nonce, Verifier string
}

func newLogin() login {
	return login{State: rand8(), Nonce: rand8(), Verifier: oauth2.GenerateVerifier()}
}

func (r *relyingParty) authURL(l login, opts ...oauth2.AuthCodeOption) string {
	opts = append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(l.Verifier), oidc.Nonce(l.Nonce)}, opts...)
	return r.cfg.AuthCodeURL(l.State, opts...)
}

// code runs the browser through an authorization request and returns the
// code the client received, checking the state came back.
func (r *relyingParty) code(t *testing.T, b *browser, u *user, consent string, l login, opts ...oauth2.AuthCodeOption) string {
	t.Helper()
	p := b.authorize(t, r.authURL(l, opts...), u, consent)
	q := callback(t, p)
	if q.Get("state") != l.State || q.Get("code") == "" || q.Get("error") != "" {
		t.Fatalf("callback %s", p.Left)
	}
	return q.Get("code")
}

// callback checks the browser was sent to the registered redirect URI and
// returns the response parameters.
func callback(t *testing.T, p *page) url.Values {
	t.Helper()
	if p.Left == nil {
		t.Fatalf("browser stayed on %s (%d):\n%s", p.URL, p.Status, p.Body)
	}
	base := *p.Left
	base.RawQuery, base.Fragment = "", ""
	if base.String() != redirectURI {
		t.Fatalf("sent to %s", p.Left)
	}
	return p.Left.Query()
}

func (r *relyingParty) exchange(t *testing.T, code string, l login) *oauth2.Token {
	t.Helper()
	tok, err := r.cfg.Exchange(r.o.rpContext(t), code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

// idToken verifies a token response's ID token as an RP must (OIDC Core
// 3.1.3.7): signature in the client's algorithm, iss, aud, exp, nonce and
// at_hash.
func (r *relyingParty) idToken(t *testing.T, tok *oauth2.Token, nonce string) (*oidc.IDToken, map[string]any) {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no id_token")
	}
	if h := parseJWT(t, raw).Header; h.Algorithm != r.alg || h.KeyID == "" {
		t.Fatalf("ID token alg %q kid %q, want %s", h.Algorithm, h.KeyID, r.alg)
	}
	v := r.prov.VerifierContext(r.o.rpContext(t), &oidc.Config{ClientID: r.c.ID, SupportedSigningAlgs: []string{r.alg}})
	idt, err := v.Verify(r.o.rpContext(t), raw)
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	if idt.Nonce != nonce {
		t.Fatalf("nonce %q, want %q", idt.Nonce, nonce)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	return idt, claims
}

func (o *op) userClient(t *testing.T, slug string, extra map[string]any) *rp {
	t.Helper()
	meta := map[string]any{"metadata": map[string]any{"first_party": true}}
	for k, v := range extra {
		meta[k] = v
	}
	return o.webClient(t, slug, meta)
}

func TestAuthorizationCodeFlowWithPKCE(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.webClient(t, "", nil) // third party: asks for consent
	r := o.relyingParty(t, c, "", "openid", "profile", "email", "offline_access")
	b := o.newBrowser(t)

	l := newLogin()
	start := time.Now().Add(-time.Second)
	tok := r.exchange(t, r.code(t, b, u, "allow", l), l)
	if tok.TokenType != "Bearer" || tok.RefreshToken == "" || !strings.HasPrefix(tok.RefreshToken, "ghr_") {
		t.Fatalf("token response %+v", tok)
	}
	if sc, _ := tok.Extra("scope").(string); !hasAll(strings.Fields(sc), "openid", "profile", "email", "offline_access") {
		t.Fatalf("scope %q", sc)
	}
	idt, claims := r.idToken(t, tok, l.Nonce)
	if idt.Subject != u.ID || claims["azp"] != c.ID || claims["email"] != u.Email || claims["email_verified"] != true ||
		claims["given_name"] != "Ada" || claims["family_name"] != "Lovelace" {
		t.Fatalf("ID token claims %v", claims)
	}
	authTime, _ := claims["auth_time"].(float64)
	if at := time.Unix(int64(authTime), 0); at.Before(start.Truncate(time.Second)) || at.After(time.Now()) {
		t.Fatalf("auth_time %v", claims["auth_time"])
	}
	sid, _ := claims["sid"].(string)
	if sid == "" || !slices.Equal(toStrings(claims["amr"]), []string{"pwd"}) {
		t.Fatalf("sid %q amr %v", sid, claims["amr"])
	}
	if acr, ok := claims["acr"]; ok && acr == "" {
		t.Fatalf("empty acr claim")
	}

	// The access token is the user's RFC 9068 token for this client.
	at := o.verifyWithJWKS(t, "", tok.AccessToken)
	if parseJWT(t, tok.AccessToken).Header.ExtraHeaders["typ"] != "at+jwt" || at["sub"] != u.ID || at["client_id"] != c.ID ||
		at["sid"] != sid || at["auth_time"] != claims["auth_time"] || at["iss"] != o.issuer("") {
		t.Fatalf("access token claims %v", at)
	}
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)
	ir := o.wantActive(t, rs, tok.AccessToken)
	if ir.Body["sub"] != u.ID || ir.Body["client_id"] != c.ID || ir.Body["sid"] != sid {
		t.Fatalf("introspection %s", ir.Raw)
	}
	if rt := o.introspect(t, rs, tok.RefreshToken); rt.Body["active"] != true || rt.Body["token_type"] != "refresh_token" || rt.Body["sub"] != u.ID {
		t.Errorf("refresh token introspection %s", rt.Raw)
	}

	// An ID token is not an access token (RFC 9068 4).
	idRaw := tok.Extra("id_token").(string)
	o.wantInactive(t, rs, idRaw)
	uiReq, _ := http.NewRequest(http.MethodGet, o.issuer("")+"/userinfo", nil)
	uiReq.Header.Set("Authorization", "Bearer "+idRaw)
	if res := o.do(t, uiReq); res.Status != http.StatusUnauthorized {
		t.Errorf("userinfo with an ID token: %d %s", res.Status, res.Raw)
	}

	// Userinfo answers the same subject, through go-oidc.
	info, err := r.prov.UserInfo(o.rpContext(t), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	if info.Subject != u.ID || info.Email != u.Email || !info.EmailVerified {
		t.Fatalf("userinfo %+v", info)
	}

	t.Run("single sign-on and remembered consent", func(t *testing.T) {
		l := newLogin()
		tok := r.exchange(t, r.code(t, b, nil, "", l), l)
		_, claims := r.idToken(t, tok, l.Nonce)
		if claims["sid"] != sid || claims["auth_time"] != float64(authTime) {
			t.Fatalf("SSO ID token %v", claims)
		}
	})

	t.Run("PKCE verifier is checked", func(t *testing.T) {
		l := newLogin()
		code := r.code(t, b, nil, "", l)
		_, err := r.cfg.Exchange(o.rpContext(t), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		wantRetrieveError(t, err, "invalid_grant")
		// A missing verifier is a missing parameter (invalid_request) or a
		// failed PKCE check (invalid_grant); either way no tokens.
		l = newLogin()
		code = r.code(t, b, nil, "", l)
		_, err = r.cfg.Exchange(o.rpContext(t), code)
		if re, ok := err.(*oauth2.RetrieveError); !ok || (re.ErrorCode != "invalid_grant" && re.ErrorCode != "invalid_request") {
			t.Fatalf("no verifier: %v", err)
		}
	})

	t.Run("code is bound to client and redirect_uri", func(t *testing.T) {
		l := newLogin()
		code := r.code(t, b, nil, "", l)
		other := o.webClient(t, "", nil)
		res := o.token(t, "", url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI},
			"code_verifier": {l.Verifier}}, other.ID, other.Secret)
		wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")
		l2 := newLogin()
		code = r.code(t, b, nil, "", l2)
		res = o.token(t, "", url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI + "/other"},
			"code_verifier": {l2.Verifier}}, c.ID, c.Secret)
		wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")
	})

	t.Run("consent denied", func(t *testing.T) {
		b := o.newBrowser(t)
		l := newLogin()
		q := callback(t, b.authorize(t, r.authURL(l), o.createUser(t, ""), "deny"))
		if q.Get("error") != "access_denied" || q.Get("state") != l.State || q.Get("code") != "" {
			t.Fatalf("deny: %v", q)
		}
	})
}

func wantRetrieveError(t *testing.T, err error, code string) {
	t.Helper()
	re, ok := err.(*oauth2.RetrieveError)
	if !ok || re.ErrorCode != code || re.Response.StatusCode != http.StatusBadRequest {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestPublicClientCodeFlow(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode, grantRefresh}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "none", "scope": "openid profile offline_access",
		"metadata": map[string]any{"first_party": true},
	})
	r := o.relyingParty(t, c, "", "openid", "offline_access")
	b := o.newBrowser(t)
	l := newLogin()
	tok := r.exchange(t, r.code(t, b, u, "", l), l)
	r.idToken(t, tok, l.Nonce)
	if tok.RefreshToken == "" {
		t.Fatal("no refresh token")
	}
	// A public client refreshes with its client_id alone.
	res := o.token(t, "", url.Values{"grant_type": {grantRefresh}, "refresh_token": {tok.RefreshToken}, "client_id": {c.ID}})
	if res.Status != http.StatusOK || res.str("refresh_token") == "" {
		t.Fatalf("public refresh: %d %s", res.Status, res.Raw)
	}
}

func TestPromptNone(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	third := o.relyingParty(t, o.webClient(t, "", nil), "", "openid")
	first := o.relyingParty(t, o.userClient(t, "", nil), "", "openid")
	b := o.newBrowser(t)
	none := oauth2.SetAuthURLParam("prompt", "none")

	l := newLogin()
	q := callback(t, b.authorize(t, first.authURL(l, none), nil, ""))
	if q.Get("error") != "login_required" || q.Get("state") != l.State || q.Get("code") != "" {
		t.Fatalf("prompt=none without a session: %v", q)
	}

	first.code(t, b, u, "", newLogin()) // sign in
	l = newLogin()
	tok := first.exchange(t, first.code(t, b, nil, "", l, none), l)
	first.idToken(t, tok, l.Nonce)

	l = newLogin()
	q = callback(t, b.authorize(t, third.authURL(l, none), nil, ""))
	if q.Get("error") != "consent_required" || q.Get("state") != l.State {
		t.Fatalf("prompt=none without consent: %v", q)
	}
}

// refresh redeems a refresh token as c (basic, or client_id for public).
func (o *op) refresh(t *testing.T, c *rp, rt string, kv ...string) reply {
	t.Helper()
	form := url.Values{"grant_type": {grantRefresh}, "refresh_token": {rt}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	if c.Secret == "" {
		form.Set("client_id", c.ID)
		return o.token(t, c.Tenant, form)
	}
	return o.token(t, c.Tenant, form, c.ID, c.Secret)
}

// checkRotation runs the rotation and reuse-detection checks on refresh
// token families of client c; fresh starts a new family for user u.
func checkRotation(t *testing.T, o *op, c *rp, userID string, fresh func(t *testing.T) string) {
	t.Helper()
	rt0 := fresh(t)
	res := o.refresh(t, c, rt0)
	rt1 := res.str("refresh_token")
	if res.Status != http.StatusOK || rt1 == "" || rt1 == rt0 || res.str("access_token") == "" {
		t.Fatalf("first refresh: %d %s", res.Status, res.Raw)
	}
	if at := o.verifyWithJWKS(t, c.Tenant, res.str("access_token")); at["sub"] != userID {
		t.Fatalf("refreshed access token %v", at)
	}
	res = o.refresh(t, c, rt1)
	rt2 := res.str("refresh_token")
	if res.Status != http.StatusOK || rt2 == "" || rt2 == rt1 {
		t.Fatalf("second refresh: %d %s", res.Status, res.Raw)
	}

	// Widening the scope is refused.
	wantOAuthError(t, o.refresh(t, c, rt2, "scope", "openid email"), http.StatusBadRequest, "invalid_scope")

	// Presenting rotated rt1 again is reuse: it fails and takes the
	// whole family down, the newest token included.
	wantOAuthError(t, o.refresh(t, c, rt1), http.StatusBadRequest, "invalid_grant")
	wantOAuthError(t, o.refresh(t, c, rt2), http.StatusBadRequest, "invalid_grant")
	wantOAuthError(t, o.refresh(t, c, rt0), http.StatusBadRequest, "invalid_grant")
	rs := o.serviceClient(t, c.Tenant, "client_secret_basic", "", nil)
	o.wantInactive(t, rs, rt2)

	t.Run("bound to its client", func(t *testing.T) {
		rt := fresh(t)
		other := o.userClient(t, c.Tenant, nil)
		wantOAuthError(t, o.refresh(t, other, rt), http.StatusBadRequest, "invalid_grant")
		if res := o.refresh(t, c, rt); res.Status != http.StatusOK {
			t.Fatalf("owner after a foreign attempt: %d %s", res.Status, res.Raw)
		}
	})
	t.Run("another client's revocation is ignored", func(t *testing.T) {
		rt := fresh(t)
		other := o.userClient(t, c.Tenant, nil)
		o.revoke(t, other, rt)
		if res := o.refresh(t, c, rt); res.Status != http.StatusOK {
			t.Fatalf("after a foreign revocation: %d %s", res.Status, res.Raw)
		}
	})
	t.Run("revocation revokes the family", func(t *testing.T) {
		rt := fresh(t)
		next := o.refresh(t, c, rt).str("refresh_token")
		if next == "" {
			t.Fatal("no rotated token")
		}
		o.revoke(t, c, rt) // the rotated one: still names the family
		wantOAuthError(t, o.refresh(t, c, next), http.StatusBadRequest, "invalid_grant")
	})
}

func TestRefreshTokenRotationAndReuseDetection(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.userClient(t, "", nil)
	r := o.relyingParty(t, c, "", "openid", "offline_access")
	b := o.newBrowser(t)
	who := u
	checkRotation(t, o, c, u.ID, func(t *testing.T) string {
		l := newLogin()
		tok := r.exchange(t, r.code(t, b, who, "", l), l)
		who = nil // signed in from now on
		return tok.RefreshToken
	})
}

// The same checks on families the device grant starts, which issues
// refresh tokens through another path.
func TestRefreshTokenRotationDeviceGrant(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantDevice, grantRefresh}, "token_endpoint_auth_method": "client_secret_basic",
		"scope": "openid profile offline_access",
	})
	b := o.newBrowser(t)
	checkRotation(t, o, c, u.ID, func(t *testing.T) string {
		res := o.deviceTokens(t, b, c, u, "openid offline_access")
		if res.str("refresh_token") == "" {
			t.Fatalf("device grant without refresh token: %s", res.Raw)
		}
		return res.str("refresh_token")
	})
}

// deviceTokens runs a device authorization to its tokens: the user
// approves in the browser (signing in if needed) and the device polls.
func (o *op) deviceTokens(t *testing.T, b *browser, c *rp, u *user, scope string) reply {
	t.Helper()
	form := url.Values{"scope": {scope}}
	var r reply
	if c.Secret == "" {
		form.Set("client_id", c.ID)
		r = o.post(t, o.issuer(c.Tenant)+"/device_authorization", form)
	} else {
		r = o.post(t, o.issuer(c.Tenant)+"/device_authorization", form, c.ID, c.Secret)
	}
	checkDeviceResponse(t, r, o.issuer(c.Tenant))
	p := b.visit(t, http.MethodGet, r.str("verification_uri_complete"), nil)
	if strings.Contains(p.Body, `name="password"`) {
		p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	}
	p = b.submit(t, p.form(t, "user_code"), "action", "approve")
	if p.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", p.Status, p.Body)
	}
	poll := url.Values{"grant_type": {grantDevice}, "device_code": {r.str("device_code")}}
	var res reply
	if c.Secret == "" {
		poll.Set("client_id", c.ID)
		res = o.token(t, c.Tenant, poll)
	} else {
		res = o.token(t, c.Tenant, poll, c.ID, c.Secret)
	}
	if res.Status != http.StatusOK {
		t.Fatalf("device token: %d %s", res.Status, res.Raw)
	}
	return res
}

func TestAuthorizationCodeReplay(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.userClient(t, "", nil)
	r := o.relyingParty(t, c, "", "openid", "offline_access")
	b := o.newBrowser(t)
	l := newLogin()
	code := r.code(t, b, u, "", l)
	tok := r.exchange(t, code, l)
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)
	o.wantActive(t, rs, tok.AccessToken)
	if res := o.introspect(t, rs, tok.RefreshToken); res.Body["active"] != true {
		t.Errorf("refresh token unusable before the replay: %s", res.Raw)
	}

	_, err := r.cfg.Exchange(o.rpContext(t), code, oauth2.VerifierOption(l.Verifier))
	wantRetrieveError(t, err, "invalid_grant")

	// RFC 6749 4.1.2: what the first exchange produced is revoked.
	o.wantInactive(t, rs, tok.AccessToken)
	res := o.token(t, "", url.Values{"grant_type": {grantRefresh}, "refresh_token": {tok.RefreshToken}}, c.ID, c.Secret)
	wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")
}

func TestOfflineAccessGovernsRefreshTokens(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.userClient(t, "", nil)
	b := o.newBrowser(t)

	online := o.relyingParty(t, c, "", "openid", "profile")
	l := newLogin()
	if tok := online.exchange(t, online.code(t, b, u, "", l), l); tok.RefreshToken != "" {
		t.Fatal("refresh token without offline_access")
	}
	offline := o.relyingParty(t, c, "", "openid", "offline_access")
	l = newLogin()
	if tok := offline.exchange(t, offline.code(t, b, nil, "", l), l); tok.RefreshToken == "" {
		t.Fatal("no refresh token with offline_access")
	}
	// A client not registered for the refresh grant never gets one.
	noRefresh := o.userClient(t, "", map[string]any{"grant_types": []string{grantCode}})
	nr := o.relyingParty(t, noRefresh, "", "openid", "offline_access")
	l = newLogin()
	if tok := nr.exchange(t, nr.code(t, b, nil, "", l), l); tok.RefreshToken != "" {
		t.Fatal("refresh token for a client without the refresh_token grant")
	}
}

func TestIDTokenSigningAlgorithms(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	b := o.newBrowser(t)
	for _, alg := range []string{"", oidc.ES256, oidc.EdDSA, oidc.RS256} {
		name := alg
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			extra := map[string]any{}
			if alg != "" {
				extra["id_token_signed_response_alg"] = alg
			}
			r := o.relyingParty(t, o.userClient(t, "", extra), alg, "openid", "offline_access")
			l := newLogin()
			var who *user
			if name == "default" {
				who = u
			}
			tok := r.exchange(t, r.code(t, b, who, "", l), l)
			r.idToken(t, tok, l.Nonce)
			// Refreshed ID tokens use the same algorithm.
			if res := o.refresh(t, r.c, tok.RefreshToken); res.Status != http.StatusOK {
				t.Errorf("refresh: %d %s", res.Status, res.Raw)
			} else if h := parseJWT(t, res.str("id_token")).Header; h.Algorithm != r.alg {
				t.Errorf("refreshed ID token alg %s", h.Algorithm)
			}
			// Access tokens stay ES256 whatever the ID token uses.
			if h := parseJWT(t, tok.AccessToken).Header; h.Algorithm != "ES256" {
				t.Fatalf("access token alg %s", h.Algorithm)
			}
		})
	}
}

func TestRPInitiatedLogout(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	const after = "https://app.example.com/signed-out"
	c := o.userClient(t, "", map[string]any{"post_logout_redirect_uris": []string{after}})
	r := o.relyingParty(t, c, "", "openid", "offline_access")
	b := o.newBrowser(t)
	l := newLogin()
	tok := r.exchange(t, r.code(t, b, u, "", l), l)
	idToken := tok.Extra("id_token").(string)
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)
	if res := o.introspect(t, rs, tok.RefreshToken); res.Body["active"] != true {
		t.Errorf("refresh token unusable before the logout: %s", res.Raw)
	}
	end := o.issuer("") + "/end_session?"

	t.Run("unregistered post_logout_redirect_uri", func(t *testing.T) {
		p := b.visit(t, http.MethodGet, end+url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {"https://evil.example/bye"},
			"state": {"s"}}.Encode(), nil)
		if p.Left != nil || p.Status < 400 || p.Status >= 500 {
			t.Fatalf("unregistered: %d left to %v", p.Status, p.Left)
		}
		// Nothing ended: the session still answers and its tokens live.
		l := newLogin()
		r.exchange(t, r.code(t, b, nil, "", l), l)
		o.wantActive(t, rs, tok.AccessToken)
	})

	p := b.visit(t, http.MethodGet, end+url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {after},
		"state": {"bye-1"}}.Encode(), nil)
	if p.Left == nil || p.Left.Scheme+"://"+p.Left.Host+p.Left.Path != after || p.Left.Query().Get("state") != "bye-1" {
		t.Fatalf("logout: %d left to %v", p.Status, p.Left)
	}

	// The session is over: the next request shows the sign-in form, and
	// what was issued under the session is revoked.
	first := b.visit(t, http.MethodGet, r.authURL(newLogin()), nil)
	if first.Left != nil || !strings.Contains(first.Body, `name="password"`) {
		t.Fatalf("after logout: %d %v", first.Status, first.Left)
	}
	res := o.token(t, "", url.Values{"grant_type": {grantRefresh}, "refresh_token": {tok.RefreshToken}}, c.ID, c.Secret)
	wantOAuthError(t, res, http.StatusBadRequest, "invalid_grant")
	o.wantInactive(t, rs, tok.AccessToken)

	t.Run("client_id with a registered uri, no hint", func(t *testing.T) {
		p := b.visit(t, http.MethodGet, end+url.Values{"client_id": {c.ID}, "post_logout_redirect_uri": {after}}.Encode(), nil)
		if p.Left == nil || p.Left.String() != after {
			t.Fatalf("%d %v", p.Status, p.Left)
		}
	})
	t.Run("without a redirect uri", func(t *testing.T) {
		p := b.visit(t, http.MethodGet, end+url.Values{"id_token_hint": {idToken}}.Encode(), nil)
		if p.Left != nil || p.Status != http.StatusOK || !strings.HasSuffix(p.URL.Path, "/login/logged-out") {
			t.Fatalf("%d %s %v", p.Status, p.URL, p.Left)
		}
	})
}

func TestDeviceFlowApproval(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.deviceClient(t, "", "openid profile offline_access")
	r := o.startDevice(t, c, "openid profile offline_access")
	checkDeviceResponse(t, r, o.issuer(""))
	dc := r.str("device_code")

	b := o.newBrowser(t)
	p := b.visit(t, http.MethodGet, r.str("verification_uri_complete"), nil)
	p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	if !strings.Contains(p.Body, `value="approve"`) {
		t.Fatalf("no confirmation after sign-in: %d\n%s", p.Status, p.Body)
	}
	wantOAuthError(t, o.pollDevice(t, c, dc), http.StatusBadRequest, "authorization_pending")
	p = b.submit(t, p.form(t, "user_code"), "action", "approve")
	if p.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", p.Status, p.Body)
	}

	res := o.pollDevice(t, c, dc)
	if res.Status != http.StatusOK || res.str("refresh_token") == "" || res.str("id_token") == "" {
		t.Fatalf("device token: %d %s", res.Status, res.Raw)
	}
	if at := o.verifyWithJWKS(t, "", res.str("access_token")); at["sub"] != u.ID || at["client_id"] != c.ID {
		t.Fatalf("device access token %v", at)
	}
	prov, err := oidc.NewProvider(o.rpContext(t), o.issuer(""))
	if err != nil {
		t.Fatal(err)
	}
	idt, err := prov.VerifierContext(o.rpContext(t), &oidc.Config{ClientID: c.ID}).Verify(o.rpContext(t), res.str("id_token"))
	if err != nil || idt.Subject != u.ID {
		t.Fatalf("device ID token: %v", err)
	}
	// The device code yields tokens once.
	again := o.pollDevice(t, c, dc)
	if again.Status != http.StatusBadRequest || (again.str("error") != "invalid_grant" && again.str("error") != "expired_token") {
		t.Fatalf("second redemption: %d %s", again.Status, again.Raw)
	}

	t.Run("denied", func(t *testing.T) {
		r := o.startDevice(t, c, "openid")
		p := b.visit(t, http.MethodGet, r.str("verification_uri_complete"), nil) // signed in already
		p = b.submit(t, p.form(t, "user_code"), "action", "deny")
		if p.Status != http.StatusOK {
			t.Fatalf("deny: %d", p.Status)
		}
		wantOAuthError(t, o.pollDevice(t, c, r.str("device_code")), http.StatusBadRequest, "access_denied")
	})
}

// A session at one tenant signs nobody in at another, and a user of one
// tenant cannot sign in at another.
func TestTenantSessionsAreSeparate(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	u := o.createUser(t, "")
	v := o.createUser(t, "acme")
	def := o.relyingParty(t, o.userClient(t, "", nil), "", "openid")
	acme := o.relyingParty(t, o.userClient(t, "acme", nil), "", "openid")
	b := o.newBrowser(t)
	l := newLogin()
	def.exchange(t, def.code(t, b, u, "", l), l)

	p := b.visit(t, http.MethodGet, acme.authURL(newLogin()), nil)
	if p.Left != nil || !strings.Contains(p.Body, `name="password"`) || !strings.HasPrefix(p.URL.String(), o.issuer("acme")+"/login?") {
		t.Fatalf("acme after signing in at the default tenant: %d %s left %v", p.Status, p.URL, p.Left)
	}
	again := b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	if again.Left != nil || !strings.Contains(again.Body, `name="password"`) {
		t.Fatalf("default-tenant user signed in at acme: %d left %v", again.Status, again.Left)
	}

	l = newLogin()
	tok := acme.exchange(t, acme.code(t, b, v, "", l), l)
	idt, _ := acme.idToken(t, tok, l.Nonce)
	if idt.Issuer != o.issuer("acme") || idt.Subject != v.ID {
		t.Fatalf("acme ID token iss %s sub %s", idt.Issuer, idt.Subject)
	}
	// The default tenant's session is still there.
	l = newLogin()
	def.exchange(t, def.code(t, b, nil, "", l), l)
}

// prompt=login and max_age=0 ask for the password again despite a
// session, and the new ID token's auth_time is the new sign-in.
func TestPromptLoginReauthenticates(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	r := o.relyingParty(t, o.userClient(t, "", nil), "", "openid")
	b := o.newBrowser(t)
	l := newLogin()
	_, first := r.idToken(t, r.exchange(t, r.code(t, b, u, "", l), l), l.Nonce)
	time.Sleep(1100 * time.Millisecond) // auth_time has second resolution

	for name, opt := range map[string]oauth2.AuthCodeOption{
		"prompt=login": oauth2.SetAuthURLParam("prompt", "login"),
		"max_age=0":    oauth2.SetAuthURLParam("max_age", "0"),
	} {
		t.Run(name, func(t *testing.T) {
			l := newLogin()
			p := b.visit(t, http.MethodGet, r.authURL(l, opt), nil)
			if p.Left != nil || !strings.Contains(p.Body, `name="password"`) {
				t.Fatalf("no sign-in form: %d left %v", p.Status, p.Left)
			}
			p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
			q := callback(t, p)
			tok := r.exchange(t, q.Get("code"), l)
			_, claims := r.idToken(t, tok, l.Nonce)
			if claims["auth_time"].(float64) <= first["auth_time"].(float64) {
				t.Fatalf("auth_time %v, first sign-in %v", claims["auth_time"], first["auth_time"])
			}
		})
	}
}

package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// TestTokenEndpointErrors covers each error RFC 6749 5.2 defines, with
// its status, at the token endpoint.
func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	svc := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	post := o.serviceClient(t, "", "client_secret_post", "api:read", nil)
	web := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode, grantRefresh}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "client_secret_basic", "scope": "openid offline_access",
	})
	dev := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantDevice}, "token_endpoint_auth_method": "none", "scope": "openid",
	})
	basic := func(c *rp) []string { return []string{c.ID, c.Secret} }
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		name   string
		form   url.Values
		auth   []string
		status int
		code   string
	}{
		{"no grant_type", form("scope", "api:read"), basic(svc), 400, "invalid_request"},
		{"code grant without code", form("grant_type", grantCode, "redirect_uri", redirectURI), basic(web), 400, "invalid_request"},
		{"code grant without redirect_uri", form("grant_type", grantCode, "code", "abc"), basic(web), 400, "invalid_request"},
		{"refresh grant without token", form("grant_type", grantRefresh), basic(web), 400, "invalid_request"},
		{"device grant without device_code", form("grant_type", grantDevice, "client_id", dev.ID), nil, 400, "invalid_request"},

		{"wrong secret", form("grant_type", grantClientCred), []string{svc.ID, "wrong"}, 401, "invalid_client"},
		{"unknown client", form("grant_type", grantClientCred), []string{"nobody", "x"}, 401, "invalid_client"},
		{"unknown client in body", form("grant_type", grantClientCred, "client_id", "nobody", "client_secret", "x"), nil, 401, "invalid_client"},
		{"basic client authenticating in the body", form("grant_type", grantClientCred, "client_id", svc.ID, "client_secret", svc.Secret), nil, 401, "invalid_client"},
		{"post client authenticating with basic", form("grant_type", grantClientCred), basic(post), 401, "invalid_client"},
		{"confidential client without secret", form("grant_type", grantClientCred, "client_id", svc.ID), nil, 401, "invalid_client"},

		{"bad code", form("grant_type", grantCode, "code", "bogus", "redirect_uri", redirectURI, "code_verifier", strings.Repeat("a", 43)), basic(web), 400, "invalid_grant"},
		{"bad refresh token", form("grant_type", grantRefresh, "refresh_token", "ghr_bogus"), basic(web), 400, "invalid_grant"},
		{"refresh token without prefix", form("grant_type", grantRefresh, "refresh_token", "bogus"), basic(web), 400, "invalid_grant"},
		{"bad device code", form("grant_type", grantDevice, "device_code", "bogus", "client_id", dev.ID), nil, 400, "invalid_grant"},

		{"client_credentials not registered", form("grant_type", grantClientCred), basic(web), 400, "unauthorized_client"},
		{"refresh_token not registered", form("grant_type", grantRefresh, "refresh_token", "ghr_x"), basic(svc), 400, "unauthorized_client"},

		{"password grant", form("grant_type", "password", "username", "u", "password", "p"), basic(svc), 400, "unsupported_grant_type"},
		{"implicit", form("grant_type", "implicit"), basic(svc), 400, "unsupported_grant_type"},
		{"made-up grant", form("grant_type", "urn:example:nope"), basic(svc), 400, "unsupported_grant_type"},

		{"scope not registered", form("grant_type", grantClientCred, "scope", "api:write"), basic(svc), 400, "invalid_scope"},
		{"one scope of two not registered", form("grant_type", grantClientCred, "scope", "api:read admin"), basic(svc), 400, "invalid_scope"},
		{"standard scope not registered", form("grant_type", grantClientCred, "scope", "openid"), basic(svc), 400, "invalid_scope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := o.token(t, "", tc.form, tc.auth...)
			wantOAuthError(t, r, tc.status, tc.code)
			if r.str("access_token") != "" {
				t.Fatalf("error response carries a token: %s", r.Raw)
			}
		})
	}
}

// RFC 6749 5.2: when the client authenticated with the Authorization
// header, a 401 MUST carry WWW-Authenticate for that scheme.
func TestTokenEndpointInvalidClientChallenges(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	svc := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	for name, path := range map[string]string{"token": "/oauth/token", "revocation": "/revoke", "introspection": "/oauth/introspect", "par": "/oauth/par"} {
		t.Run(name, func(t *testing.T) {
			r := o.post(t, o.issuer("")+path, url.Values{"grant_type": {grantClientCred}, "token": {"x"},
				"response_type": {"code"}, "redirect_uri": {redirectURI}}, svc.ID, "wrong")
			wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
			if ch := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(strings.ToLower(ch), "basic") {
				t.Fatalf("401 without a Basic challenge: WWW-Authenticate %q", ch)
			}
		})
	}
}

// The jwt-bearer authorization grant (RFC 7523 2.1) is not advertised,
// no client can register for it being honoured, and Gatehouse cannot
// introspect or revoke what it would issue: the token endpoint must refuse it.
func TestTokenEndpointRefusesJWTBearerGrant(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.keyClient(t, "", []string{grantClientCred}, "api:read")
	assertion := c.assertion(t, o.issuer(""), nil)
	r := o.token(t, "", url.Values{"grant_type": {grantJWTBearer}, "assertion": {assertion}, "scope": {"openid"}})
	wantOAuthError(t, r, http.StatusBadRequest, "unsupported_grant_type")
}

// TestAuthorizeEndpointErrors covers RFC 6749 4.1.2.1: errors before the
// redirect URI is known to be the client's are shown, never redirected;
// after, they go to that redirect URI with the state.
func TestAuthorizeEndpointErrors(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	pub := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "none", "scope": "openid profile",
	})
	conf := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "client_secret_basic",
	})
	svc := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	_, challenge := pkce()
	const state = "st-123"
	query := func(c *rp, mod func(url.Values)) url.Values {
		q := url.Values{"client_id": {c.ID}, "response_type": {"code"}, "redirect_uri": {redirectURI},
			"scope": {"openid"}, "state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		if mod != nil {
			mod(q)
		}
		return q
	}
	authorize := func(t *testing.T, q url.Values) reply {
		t.Helper()
		return o.get(t, o.issuer("")+"/authorize?"+q.Encode())
	}

	t.Run("valid request goes to the login page", func(t *testing.T) {
		for _, c := range []*rp{pub, conf} {
			r := authorize(t, query(c, nil))
			loc, _ := url.Parse(r.Header.Get("Location"))
			if r.Status != http.StatusFound || loc == nil || loc.Scheme+"://"+loc.Host+loc.Path != o.issuer("")+"/login" ||
				loc.Query().Get("authRequestID") == "" {
				t.Fatalf("%d %s", r.Status, r.Header.Get("Location"))
			}
		}
		// PKCE is optional for a confidential client.
		r := authorize(t, query(conf, func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }))
		if r.Status != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), o.issuer("")+"/login?") {
			t.Fatalf("confidential without PKCE: %d %s", r.Status, r.Header.Get("Location"))
		}
	})

	shown := map[string]url.Values{
		"unknown client":           query(&rp{ID: "nobody"}, nil),
		"no client_id":             query(pub, func(q url.Values) { q.Del("client_id") }),
		"unregistered redirect":    query(pub, func(q url.Values) { q.Set("redirect_uri", "https://evil.example/cb") }),
		"redirect with extra path": query(pub, func(q url.Values) { q.Set("redirect_uri", redirectURI+"/x") }),
		"redirect with query":      query(pub, func(q url.Values) { q.Set("redirect_uri", redirectURI+"?a=1") }),
		"no redirect_uri":          query(pub, func(q url.Values) { q.Del("redirect_uri") }),
		"client without code grant": query(svc, func(q url.Values) {
			q.Set("redirect_uri", redirectURI)
		}),
		"unknown client, bad response_type": query(&rp{ID: "nobody"}, func(q url.Values) { q.Set("response_type", "token") }),
	}
	for name, q := range shown {
		t.Run("shown/"+name, func(t *testing.T) {
			r := authorize(t, q)
			wantNoRedirect(t, r)
			if strings.Contains(string(r.Raw), "evil.example") && !strings.Contains(string(r.Raw), "error") {
				t.Fatalf("page reflects the redirect: %s", r.Raw)
			}
		})
	}

	redirected := []struct {
		name string
		c    *rp
		mod  func(url.Values)
		code string
	}{
		{"public client without PKCE", pub, func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, "invalid_request"},
		{"plain PKCE", pub, func(q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"PKCE method defaulting to plain", pub, func(q url.Values) { q.Del("code_challenge_method") }, "invalid_request"},
		{"unknown PKCE method", pub, func(q url.Values) { q.Set("code_challenge_method", "S512") }, "invalid_request"},
		{"no response_type", pub, func(q url.Values) { q.Del("response_type") }, "invalid_request"},
		{"no scope", pub, func(q url.Values) { q.Del("scope") }, "invalid_request"},
		{"prompt none with login", pub, func(q url.Values) { q.Set("prompt", "none login") }, "invalid_request"},
		{"standard scope not registered", pub, func(q url.Values) { q.Set("scope", "openid email") }, "invalid_scope"},
		{"unknown scope", pub, func(q url.Values) { q.Set("scope", "openid admin") }, "invalid_scope"},
		{"only an unknown scope", pub, func(q url.Values) { q.Set("scope", "admin") }, "invalid_scope"},
		{"response_type token", pub, func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type"},
		{"response_type id_token", pub, func(q url.Values) { q.Set("response_type", "id_token") }, "unsupported_response_type"},
		{"response_type code token", pub, func(q url.Values) { q.Set("response_type", "code token") }, "unsupported_response_type"},
	}
	for _, tc := range redirected {
		t.Run("redirected/"+tc.name, func(t *testing.T) {
			wantRedirectError(t, authorize(t, query(tc.c, tc.mod)), redirectURI, tc.code, state)
		})
	}

	t.Run("POST form is accepted like GET", func(t *testing.T) {
		r := o.post(t, o.issuer("")+"/authorize", query(pub, func(q url.Values) { q.Del("code_challenge") }))
		wantRedirectError(t, r, redirectURI, "invalid_request", state)
	})
}

func TestUserinfoRefusesNonUserTokens(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
	opaque := o.serviceClient(t, "", "client_secret_basic", "api:read", map[string]any{"metadata": map[string]any{"access_token_format": "opaque"}})
	otok := o.ccToken(t, opaque, oauth2.AuthStyleInHeader).AccessToken

	call := func(t *testing.T, method, token string) reply {
		t.Helper()
		req, _ := http.NewRequest(method, o.issuer("")+"/userinfo", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return o.do(t, req)
	}
	// RFC 6750 3 (which OpenID Connect Core 5.3.3 applies to userinfo):
	// a refusal carries WWW-Authenticate: Bearer with the error code.
	cases := []struct {
		name, token string
		status      int
		code        string
	}{
		{"client credentials JWT", tok, http.StatusForbidden, "insufficient_scope"},
		{"client credentials opaque", otok, http.StatusForbidden, "insufficient_scope"},
		{"garbage", "garbage", http.StatusUnauthorized, "invalid_token"},
		{"tampered", tok[:len(tok)-4] + "AAAA", http.StatusUnauthorized, "invalid_token"},
	}
	for _, tc := range cases {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			t.Run(tc.name+"/"+m, func(t *testing.T) {
				r := call(t, m, tc.token)
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Raw)
				}
				if r.Body["sub"] != nil {
					t.Fatalf("claims released: %s", r.Raw)
				}
				ch := r.Header.Get("WWW-Authenticate")
				if !strings.HasPrefix(ch, "Bearer") || !strings.Contains(ch, `error="`+tc.code+`"`) {
					t.Fatalf("WWW-Authenticate %q, want Bearer error=%q (body %s)", ch, tc.code, r.Raw)
				}
			})
		}
	}
	t.Run("no token", func(t *testing.T) {
		r := call(t, http.MethodGet, "")
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if ch := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(ch, "Bearer") {
			t.Fatalf("WWW-Authenticate %q", ch)
		}
	})
}

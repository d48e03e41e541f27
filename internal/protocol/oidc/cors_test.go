package oidc_test

import (
	"net/http"
	"strings"
	"testing"
)

// CORS: the protocol endpoints answer an origin that a client of the
// tenant registered (allowed_cors_origins), never with credentials, and no
// other origin, not even one registered in another tenant; the login API
// grants no cross-origin preflight; discovery and the JWKS are public.
func TestCORSOnlyForRegisteredOrigins(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	const spa, evil, other = "https://spa.example.com", "https://evil.example", "https://acme-spa.example.com"
	c := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode}, "redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "none",
		"scope": "openid", "metadata": map[string]any{"allowed_cors_origins": []string{spa}},
	})
	o.registerClient(t, "acme", map[string]any{"grant_types": []string{grantClientCred},
		"metadata": map[string]any{"allowed_cors_origins": []string{other}}})

	endpoints := map[string]string{
		"token": "/oauth/token", "userinfo": "/userinfo", "introspection": "/oauth/introspect", "revocation": "/revoke",
		"par": "/oauth/par", "device": "/device_authorization", "authorize": "/authorize", "end_session": "/end_session",
	}
	send := func(method, url, origin string, preflight bool) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, url, strings.NewReader("client_id="+c.ID))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", origin)
		if preflight {
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		} else if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := o.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	wantCORS := func(what string, resp *http.Response, origin string) {
		t.Helper()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want %q", what, got, origin)
		}
		if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Credentials %q", what, got)
		}
	}
	for name, path := range endpoints {
		for _, tenant := range []string{"", "acme"} {
			own := spa
			if tenant == "acme" {
				own = other
			}
			u := o.issuer(tenant) + path
			method := http.MethodPost
			if name == "authorize" || name == "end_session" || name == "userinfo" {
				method = http.MethodGet
			}
			resp := send(method, u, own, false)
			wantCORS(name+" "+tenant+" registered", resp, own)
			if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
				t.Errorf("%s: Vary %v", name, resp.Header.Values("Vary"))
			}
			pre := send(http.MethodOptions, u, own, true)
			wantCORS(name+" "+tenant+" preflight", pre, own)
			if pre.StatusCode != http.StatusNoContent || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("%s preflight: %d %v", name, pre.StatusCode, pre.Header)
			}
			for _, bad := range []string{evil, "null", spa + "/", strings.ToUpper(spa), map[string]string{"": other, "acme": spa}[tenant]} {
				wantCORS(name+" "+tenant+" from "+bad, send(method, u, bad, false), "")
				wantCORS(name+" "+tenant+" preflight from "+bad, send(http.MethodOptions, u, bad, true), "")
			}
		}
	}

	// The headless login API is same-origin only.
	for _, origin := range []string{spa, evil} {
		wantCORS("login API preflight from "+origin, send(http.MethodOptions, o.issuer("")+"/login/api/authenticate", origin, true), "")
	}
	// Public documents: any origin, without credentials.
	for _, path := range []string{"/.well-known/openid-configuration", "/keys"} {
		wantCORS(path, send(http.MethodGet, o.issuer("")+path, evil, false), "*")
	}

	// Removing the origin from the client withdraws it at once.
	o.admin(t, "PATCH", "/admin/v1/clients/"+c.ID, map[string]any{"metadata": map[string]any{"allowed_cors_origins": nil}})
	wantCORS("token after the origin was removed", send(http.MethodPost, o.issuer("")+"/oauth/token", spa, false), "")
}

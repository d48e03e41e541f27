package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// RFC 8252 7.3: a native app's loopback redirect may differ from the
// registered one in its port only: same scheme, same loopback literal,
// same path, same query. Refusals are shown on the server's page; nothing
// is sent to the unregistered URI. The same rule applies to pushed requests.
func TestLoopbackRedirectsVaryOnlyInPort(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.registerClient(t, "", map[string]any{
		"application_type": "native", "token_endpoint_auth_method": "none", "scope": "openid",
		"redirect_uris": []string{"http://127.0.0.1/cb", "http://[::1]/cb", "http://localhost/app?x=1", "com.example.app:/cb"},
		"metadata":      map[string]any{"first_party": true},
	})
	conf := o.registerClient(t, "", map[string]any{
		"application_type": "native", "token_endpoint_auth_method": "client_secret_basic", "scope": "openid",
		"redirect_uris": []string{"http://127.0.0.1/cb"},
	})
	_, challenge := pkce()
	for _, tc := range []struct {
		uri string
		ok  bool
	}{
		{"http://127.0.0.1/cb", true},
		{"http://127.0.0.1:5555/cb", true},
		{"http://127.0.0.1:1/cb", true},
		{"http://[::1]:5555/cb", true}, // registered too
		{"http://localhost:5555/app?x=1", true},
		{"com.example.app:/cb", true},

		{"https://127.0.0.1:5555/cb", false}, // scheme
		{"http://localhost:5555/cb", false},  // another loopback name
		{"http://127.0.0.2:5555/cb", false},  // another loopback address
		{"http://[::1]:5555/app?x=1", false},
		{"http://127.0.0.1:5555/cb/", false}, // path
		{"http://127.0.0.1:5555/CB", false},
		{"http://127.0.0.1:5555/cb/../cb", false},
		{"http://127.0.0.1:5555/cb?x=1", false}, // query
		{"http://localhost:5555/app?x=2", false},
		{"http://localhost:5555/app", false},
		{"http://user@127.0.0.1:5555/cb", false},
		{"http://127.0.0.1:5555/cb#f", false},
		{"http://127.000.000.001:5555/cb", false},
		{"http://2130706433:5555/cb", false},
	} {
		q := url.Values{"client_id": {c.ID}, "redirect_uri": {tc.uri}, "response_type": {"code"}, "scope": {"openid"},
			"state": {"s"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		r := o.get(t, o.issuer("")+"/authorize?"+q.Encode())
		loc := r.Header.Get("Location")
		accepted := r.Status == http.StatusFound && strings.HasPrefix(loc, o.issuer("")+"/login?")
		if accepted != tc.ok {
			t.Errorf("authorize %s: %d %s, want accepted=%v", tc.uri, r.Status, loc, tc.ok)
		}
		if !tc.ok {
			wantNoRedirect(t, r)
		}

		// Pushed (RFC 9126) by a confidential native client.
		if strings.HasPrefix(tc.uri, "http://127.0.0.1") || strings.HasPrefix(tc.uri, "https://127.0.0.1") {
			form := url.Values{"redirect_uri": {tc.uri}, "response_type": {"code"}, "scope": {"openid"}}
			res := o.post(t, o.issuer("")+"/oauth/par", form, conf.ID, conf.Secret)
			if (res.Status == http.StatusCreated) != tc.ok {
				t.Errorf("PAR %s: %d %s, want accepted=%v", tc.uri, res.Status, res.Raw, tc.ok)
			}
		}
	}
}

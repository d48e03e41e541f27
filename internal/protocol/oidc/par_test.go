package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// webClient registers a confidential code-flow client.
func (o *op) webClient(t *testing.T, slug string, extra map[string]any) *rp {
	t.Helper()
	meta := map[string]any{
		"grant_types": []string{grantCode, grantRefresh}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile email offline_access",
	}
	for k, v := range extra {
		meta[k] = v
	}
	return o.registerClient(t, slug, meta)
}

func parParams(state string) url.Values {
	_, challenge := pkce()
	return url.Values{"response_type": {"code"}, "redirect_uri": {redirectURI}, "scope": {"openid profile"},
		"state": {state}, "nonce": {"n-1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
}

// push sends a pushed authorization request with basic authentication.
func (o *op) push(t *testing.T, c *rp, params url.Values) reply {
	t.Helper()
	return o.post(t, o.issuer(c.Tenant)+"/oauth/par", params, c.ID, c.Secret)
}

func (o *op) authorizeURI(c *rp, requestURI string) string {
	return o.issuer(c.Tenant) + "/authorize?" + url.Values{"client_id": {c.ID}, "request_uri": {requestURI}}.Encode()
}

func TestPushedAuthorizationRequest(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.webClient(t, "", nil)
	r := o.push(t, c, parParams("s-par"))
	if r.Status != http.StatusCreated {
		t.Fatalf("PAR: %d %s", r.Status, r.Raw)
	}
	uri := r.str("request_uri")
	if !strings.HasPrefix(uri, parURNPrefix) || len(uri) < len(parURNPrefix)+16 {
		t.Fatalf("request_uri %q", uri)
	}
	if exp, _ := r.Body["expires_in"].(float64); exp < 10 || exp > 600 {
		t.Fatalf("expires_in %v", r.Body["expires_in"])
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Fatalf("Cache-Control %q", cc)
	}

	a := o.get(t, o.authorizeURI(c, uri))
	loc, err := url.Parse(a.Header.Get("Location"))
	if a.Status != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), o.issuer("")+"/login?") ||
		loc.Query().Get("authRequestID") == "" {
		t.Fatalf("authorize with request_uri: %d %s", a.Status, a.Header.Get("Location"))
	}
	// The pushed request is what was stored.
	in, err := o.App.Provider.Interaction(t.Context(), mustTenant(t, o, ""), loc.Query().Get("authRequestID"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Request.State != "s-par" || in.Request.Nonce != "n-1" || in.Request.RedirectURI != redirectURI ||
		in.Request.CodeChallengeMethod != "S256" || strings.Join(in.Request.Scopes, " ") != "openid profile" {
		t.Fatalf("stored request %+v", in.Request)
	}

	// One use only (RFC 9126 4): the second is refused on Gatehouse's own
	// page, not sent to the client.
	again := o.get(t, o.authorizeURI(c, uri))
	wantOAuthError(t, again, http.StatusBadRequest, "invalid_request_uri")

	for name, bad := range map[string]string{
		"unknown":       parURNPrefix + "nope",
		"not a PAR urn": "https://app.example.com/request.jwt",
		"empty id":      parURNPrefix,
	} {
		t.Run(name, func(t *testing.T) {
			wantOAuthError(t, o.get(t, o.authorizeURI(c, bad)), http.StatusBadRequest, "invalid_request_uri")
		})
	}
}

func TestPushedAuthorizationRequestBelongsToItsClient(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	a := o.webClient(t, "", nil)
	b := o.webClient(t, "", nil)
	uri := o.push(t, a, parParams("s-a")).str("request_uri")
	if uri == "" {
		t.Fatal("no request_uri")
	}
	r := o.get(t, o.authorizeURI(b, uri))
	wantOAuthError(t, r, http.StatusBadRequest, "invalid_request_uri")
	r = o.get(t, o.issuer("")+"/authorize?"+url.Values{"request_uri": {uri}}.Encode())
	wantNoRedirect(t, r)
}

func TestPushedAuthorizationRequestErrors(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.webClient(t, "", nil)
	pub := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode}, "redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "none", "scope": "openid profile",
	})
	endpoint := o.issuer("") + "/oauth/par"

	t.Run("client authentication", func(t *testing.T) {
		wantOAuthError(t, o.post(t, endpoint, parParams("s")), http.StatusUnauthorized, "invalid_client")
		withID := parParams("s")
		withID.Set("client_id", c.ID)
		wantOAuthError(t, o.post(t, endpoint, withID), http.StatusUnauthorized, "invalid_client")
		wantOAuthError(t, o.post(t, endpoint, parParams("s"), c.ID, "wrong"), http.StatusUnauthorized, "invalid_client")
		wantOAuthError(t, o.post(t, endpoint, parParams("s"), "nobody", "x"), http.StatusUnauthorized, "invalid_client")
	})

	cases := map[string]func(url.Values){
		"unregistered redirect": func(q url.Values) { q.Set("redirect_uri", "https://evil.example/cb") },
		"no redirect":           func(q url.Values) { q.Del("redirect_uri") },
		"request_uri inside":    func(q url.Values) { q.Set("request_uri", parURNPrefix+"x") },
		"plain PKCE":            func(q url.Values) { q.Set("code_challenge_method", "plain") },
		"other client's id":     func(q url.Values) { q.Set("client_id", pub.ID) },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			q := parParams("s")
			mod(q)
			r := o.push(t, c, q)
			wantOAuthError(t, r, http.StatusBadRequest, "invalid_request")
		})
	}
	t.Run("response_type token", func(t *testing.T) {
		q := parParams("s")
		q.Set("response_type", "token")
		wantOAuthError(t, o.push(t, c, q), http.StatusBadRequest, "unsupported_response_type")
	})

	t.Run("public client needs PKCE", func(t *testing.T) {
		q := parParams("s")
		q.Set("client_id", pub.ID)
		r := o.post(t, endpoint, q)
		if r.Status != http.StatusCreated {
			t.Fatalf("public client with PKCE: %d %s", r.Status, r.Raw)
		}
		q.Del("code_challenge")
		q.Del("code_challenge_method")
		wantOAuthError(t, o.post(t, endpoint, q), http.StatusBadRequest, "invalid_request")
	})
}

package oidc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// resourceServer is an API that trusts Gatehouse tokens the way a
// customer's API would: only go-jose and the issuer's published JWKS. It
// answers 200 to a token for its audience that carries the permission it
// needs, 403 to one without it, and 401 to anything else.
type resourceServer struct {
	issuer, audience, need string
	client                 *http.Client
	now                    func() time.Time
}

func (rs *resourceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		http.Error(w, "no token", http.StatusUnauthorized)
		return
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err != nil || len(tok.Headers) != 1 || tok.Headers[0].ExtraHeaders["typ"] != "at+jwt" {
		http.Error(w, "not an access token", http.StatusUnauthorized)
		return
	}
	resp, err := rs.client.Get(rs.issuer + "/keys")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	keys := set.Key(tok.Headers[0].KeyID)
	var std jwt.Claims
	var extra struct {
		Permissions []string `json:"permissions"`
	}
	if len(keys) != 1 || tok.Claims(keys[0].Key, &std, &extra) != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: rs.issuer, AnyAudience: jwt.Audience{rs.audience}, Time: rs.now()}, 0); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if !slices.Contains(extra.Permissions, rs.need) {
		http.Error(w, "missing permission", http.StatusForbidden)
		return
	}
	w.WriteHeader(http.StatusOK)
}

const (
	billingID = "https://api.example.com/billing"
	reportsID = "https://api.example.com/reports"
)

// apiFixture registers, in a tenant, the billing API (permissions in the
// token, 10-minute tokens), a reports API, and a service client granted
// invoices:read on billing only.
func (o *op) apiFixture(t *testing.T, slug string) (svc *rp, billing string) {
	t.Helper()
	prefix := "/admin/v1"
	if slug != "" {
		prefix += "/tenants/" + slug
	}
	b := o.admin(t, "POST", prefix+"/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes":                        []map[string]string{{"value": "invoices:read"}, {"value": "invoices:write"}},
		"access_token_lifetime_seconds": 600, "permissions_in_token": true})
	o.admin(t, "POST", prefix+"/apis", map[string]any{"identifier": reportsID, "name": "Reports",
		"scopes": []map[string]string{{"value": "reports:read"}}, "permissions_in_token": true})
	svc = o.serviceClient(t, slug, "client_secret_basic", "", nil)
	o.admin(t, "PUT", prefix+"/clients/"+svc.ID+"/apis/"+b["id"].(string), map[string]any{"scopes": []string{"invoices:read"}})
	return svc, b["id"].(string)
}

// ccResource gets a client_credentials token for a resource with x/oauth2.
func (o *op) ccResource(t *testing.T, c *rp, param, resource string, scopes ...string) (*oauth2.Token, error) {
	cfg := clientcredentials.Config{ClientID: c.ID, ClientSecret: c.Secret, TokenURL: o.issuer(c.Tenant) + "/oauth/token",
		Scopes: scopes, EndpointParams: url.Values{param: {resource}}}
	return cfg.Token(o.rpContext(t))
}

func TestClientCredentialsForAnAPI(t *testing.T) {
	o := newOP(t)
	o.createTenant(t, "acme")
	o.createTenant(t, "globex")
	svc, billing := o.apiFixture(t, "acme")
	other, _ := o.apiFixture(t, "globex")

	before := time.Now()
	tok, err := o.ccResource(t, svc, "resource", billingID)
	if err != nil {
		t.Fatal(err)
	}
	claims := o.verifyWithJWKS(t, "acme", tok.AccessToken)
	if !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read" ||
		!slices.Equal(toStrings(claims["permissions"]), []string{"invoices:read"}) || claims["sub"] != svc.ID {
		t.Fatalf("claims %v", claims)
	}
	if life := claims["exp"].(float64) - claims["iat"].(float64); life != 600 || tok.Expiry.Before(before.Add(590*time.Second)) {
		t.Fatalf("lifetime %v, expiry %v: want the API's 600 s", life, tok.Expiry)
	}
	if s, _ := tok.Extra("scope").(string); s != "invoices:read" {
		t.Fatalf("response scope %q", s)
	}

	// Resource servers built on go-jose and the JWKS.
	rsURL := func(rs *resourceServer) string {
		rs.issuer, rs.client = o.issuer("acme"), o.client
		if rs.now == nil {
			rs.now = time.Now
		}
		srv := httptest.NewServer(rs)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	call := func(u, token string) int {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	billingRead := rsURL(&resourceServer{audience: billingID, need: "invoices:read"})
	billingWrite := rsURL(&resourceServer{audience: billingID, need: "invoices:write"})
	reports := rsURL(&resourceServer{audience: reportsID, need: "invoices:read"})
	later := rsURL(&resourceServer{audience: billingID, need: "invoices:read", now: func() time.Time { return time.Now().Add(11 * time.Minute) }})
	if c := call(billingRead, tok.AccessToken); c != 200 {
		t.Fatalf("billing API with invoices:read: %d", c)
	}
	if c := call(billingWrite, tok.AccessToken); c != 403 {
		t.Fatalf("billing API needing invoices:write: %d", c)
	}
	if c := call(reports, tok.AccessToken); c != 401 {
		t.Fatalf("another API accepted the token: %d", c)
	}
	if c := call(later, tok.AccessToken); c != 401 {
		t.Fatalf("an expired token was accepted: %d", c)
	}
	globexTok, err := o.ccResource(t, other, "audience", billingID) // same identifier, other tenant
	if err != nil {
		t.Fatal(err)
	}
	if c := call(billingRead, globexTok.AccessToken); c != 401 {
		t.Fatalf("another tenant's token was accepted: %d", c)
	}
	// A client-audience token (no resource) is not for the API either.
	if c := call(billingRead, o.ccToken(t, svc, oauth2.AuthStyleInHeader).AccessToken); c != 401 {
		t.Fatalf("a token without resource was accepted: %d", c)
	}

	// Introspection reports the audience and the permissions.
	in := o.wantActive(t, svc, tok.AccessToken)
	if !slices.Equal(toStrings(in.Body["aud"]), []string{billingID}) || !slices.Equal(toStrings(in.Body["permissions"]), []string{"invoices:read"}) {
		t.Fatalf("introspection %s", in.Raw)
	}

	// Refusals.
	form := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"unknown resource", form("resource", "https://api.example.com/nothing"), "invalid_target"},
		{"two resources", form("resource", billingID, "resource", reportsID), "invalid_target"},
		{"resource and another audience", form("resource", billingID, "audience", reportsID), "invalid_target"},
		{"no grant", form("resource", reportsID), "invalid_target"},
		{"undefined scope", form("resource", billingID, "scope", "invoices:read invoices:delete"), "invalid_scope"},
	} {
		r := o.token(t, "acme", tc.form, svc.ID, svc.Secret)
		if r.Status != 400 || r.str("error") != tc.want {
			t.Errorf("%s: %d %s, want %s", tc.name, r.Status, r.Raw, tc.want)
		}
	}
	// A defined scope that was not granted is left out, not refused.
	r := o.token(t, "acme", form("audience", billingID, "scope", "invoices:read invoices:write"), svc.ID, svc.Secret)
	if r.Status != 200 || r.str("scope") != "invoices:read" {
		t.Fatalf("requested ∩ granted: %d %s", r.Status, r.Raw)
	}
	r = o.token(t, "acme", form("audience", billingID, "scope", "invoices:write"), svc.ID, svc.Secret)
	if r.Status != 200 || r.str("scope") != "" {
		t.Fatalf("nothing granted of what was asked: %d %s", r.Status, r.Raw)
	}
	if p := o.verifyWithJWKS(t, "acme", r.str("access_token"))["permissions"]; p == nil || len(toStrings(p)) != 0 {
		t.Fatalf("permissions %v, want []", p)
	}

	// Changes apply to the next token, though the grant is cached.
	o.admin(t, "PUT", "/admin/v1/tenants/acme/clients/"+svc.ID+"/apis/"+billing, map[string]any{"scopes": []string{"invoices:read", "invoices:write"}})
	r = o.token(t, "acme", form("resource", billingID), svc.ID, svc.Secret)
	if r.Status != 200 || r.str("scope") != "invoices:read invoices:write" {
		t.Fatalf("after widening the grant: %d %s", r.Status, r.Raw)
	}
	o.admin(t, "DELETE", "/admin/v1/tenants/acme/clients/"+svc.ID+"/apis/"+billing, nil)
	if r = o.token(t, "acme", form("resource", billingID), svc.ID, svc.Secret); r.Status != 400 || r.str("error") != "invalid_target" {
		t.Fatalf("after revoking the grant: %d %s", r.Status, r.Raw)
	}
	o.admin(t, "DELETE", "/admin/v1/tenants/acme/apis/"+billing, nil)
	if r = o.token(t, "acme", form("resource", billingID), svc.ID, svc.Secret); r.Status != 400 || r.str("error") != "invalid_target" {
		t.Fatalf("after deleting the API: %d %s", r.Status, r.Raw)
	}
}

// An API that asks for opaque tokens gets them; introspection answers
// what the JWT would carry.
func TestClientCredentialsForAnOpaqueAPI(t *testing.T) {
	o := newOP(t)
	svc, billing := o.apiFixture(t, "")
	o.admin(t, "PATCH", "/admin/v1/apis/"+billing, map[string]any{"token_format": "opaque"})
	tok, err := o.ccResource(t, svc, "resource", billingID, "invoices:read")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.AccessToken, "gho_") {
		t.Fatalf("token %q is not opaque", tok.AccessToken)
	}
	in := o.wantActive(t, svc, tok.AccessToken)
	if !slices.Equal(toStrings(in.Body["aud"]), []string{billingID}) || in.str("scope") != "invoices:read" ||
		!slices.Equal(toStrings(in.Body["permissions"]), []string{"invoices:read"}) {
		t.Fatalf("introspection %s", in.Raw)
	}
}

// A user's token for an API, through the hosted login: the access token's
// scopes are what was asked ∩ what the API defines ∩ what the user's
// roles permit (rbac), and a refresh keeps the resource and narrows when
// a role goes, never widening past the authorization.
func TestCodeFlowForAnAPI(t *testing.T) {
	o := newOP(t)
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}, {"value": "invoices:write"}, {"value": "invoices:pay"}},
		"rbac":   true, "permissions_in_token": true, "access_token_lifetime_seconds": 300})
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": reportsID, "name": "Reports",
		"scopes": []map[string]string{{"value": "reports:read"}}})
	reader := o.admin(t, "POST", "/admin/v1/roles", map[string]any{"name": "reader",
		"permissions": []map[string]string{{"api": billingID, "scope": "invoices:read"}}})
	writer := o.admin(t, "POST", "/admin/v1/roles", map[string]any{"name": "accountant",
		"permissions": []map[string]string{{"api": billingID, "scope": "invoices:write"}, {"api": billingID, "scope": "invoices:read"}}})
	u := o.createUser(t, "")
	o.admin(t, "POST", "/admin/v1/users/"+u.ID+"/roles", map[string]any{"roles": []string{reader["id"].(string), writer["id"].(string)}})

	c := o.userClient(t, "", map[string]any{"scope": "openid offline_access roles"})
	rp := o.relyingParty(t, c, "", "openid", "offline_access", "roles", "invoices:read", "invoices:write", "invoices:pay")
	br := o.newBrowser(t)
	l := newLogin()
	code := rp.code(t, br, u, "", l, oauth2.SetAuthURLParam("resource", billingID))
	tok := rp.exchange(t, code, l)
	claims := o.verifyWithJWKS(t, "", tok.AccessToken)
	if !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read invoices:write" ||
		!slices.Equal(toStrings(claims["permissions"]), []string{"invoices:read", "invoices:write"}) || claims["sub"] != u.ID {
		t.Fatalf("claims %v", claims) // invoices:pay asked for, defined, but no role permits it
	}
	if life := claims["exp"].(float64) - claims["iat"].(float64); life != 300 {
		t.Fatalf("lifetime %v, want the API's 300 s", life)
	}
	// The ID token is still the client's, with the user's role names.
	if _, id := rp.idToken(t, tok, l.Nonce); !slices.Equal(toStrings(id["roles"]), []string{"accountant", "reader"}) {
		t.Fatalf("ID token roles %v", id["roles"])
	}
	rs := &resourceServer{issuer: o.issuer(""), audience: billingID, need: "invoices:write", client: o.client, now: time.Now}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("billing API: %v %v", err, resp)
	}

	// The accountant role goes: the next refresh narrows to invoices:read.
	o.admin(t, "DELETE", "/admin/v1/users/"+u.ID+"/roles/"+writer["id"].(string), nil)
	r := o.refresh(t, c, tok.RefreshToken)
	if r.Status != 200 {
		t.Fatalf("refresh: %d %s", r.Status, r.Raw)
	}
	claims = o.verifyWithJWKS(t, "", r.str("access_token"))
	if !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read" {
		t.Fatalf("after refresh: %v", claims)
	}
	// The role back: the refresh may give invoices:write again (it was
	// authorized), never invoices:pay, nor another API.
	o.admin(t, "POST", "/admin/v1/users/"+u.ID+"/roles", map[string]any{"roles": []string{writer["id"].(string)}})
	o.admin(t, "PATCH", "/admin/v1/roles/"+reader["id"].(string), map[string]any{"permissions": []map[string]string{
		{"api": billingID, "scope": "invoices:read"}, {"api": billingID, "scope": "invoices:pay"}}})
	r2 := o.refresh(t, c, r.str("refresh_token"), "scope", "openid invoices:read invoices:write")
	if claims := o.verifyWithJWKS(t, "", r2.str("access_token")); r2.Status != 200 || claims["scope"] != "invoices:read invoices:write" {
		t.Fatalf("narrowed refresh: %d %s", r2.Status, r2.Raw)
	}
	if r3 := o.refresh(t, c, r2.str("refresh_token"), "scope", "openid invoices:pay"); r3.Status != 400 || r3.str("error") != "invalid_scope" {
		t.Fatalf("widening refresh: %d %s", r3.Status, r3.Raw)
	}
	if r4 := o.refresh(t, c, r2.str("refresh_token"), "resource", reportsID); r4.Status != 400 || r4.str("error") != "invalid_target" {
		t.Fatalf("refresh for another API: %d %s", r4.Status, r4.Raw)
	}

	// An unknown resource is refused at /authorize, back at the client.
	p := br.authorize(t, rp.authURL(newLogin(), oauth2.SetAuthURLParam("resource", "https://api.example.com/nothing")), u, "")
	if q := callback(t, p); q.Get("error") != "invalid_target" {
		t.Fatalf("unknown resource: %s", p.Left)
	}
	// A scope neither the API defines nor the client registered is refused.
	p = br.authorize(t, rp.authURL(newLogin(), oauth2.SetAuthURLParam("resource", billingID), oauth2.SetAuthURLParam("scope", "openid reports:read")), u, "")
	if q := callback(t, p); q.Get("error") != "invalid_scope" {
		t.Fatalf("undefined scope: %s", p.Left)
	}
}

// A pushed request (RFC 9126) names its resource in the push: the code
// from its request_uri redeems for a token of that API; an unknown
// resource is refused at the push; the query's own resource does not
// override the pushed one.
func TestPushedRequestForAnAPI(t *testing.T) {
	o := newOP(t)
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}}, "permissions_in_token": true})
	u := o.createUser(t, "")
	c := o.userClient(t, "", nil)

	params := func(resource string) (url.Values, string) {
		verifier, challenge := pkce()
		return url.Values{"response_type": {"code"}, "redirect_uri": {redirectURI}, "scope": {"openid invoices:read"},
			"state": {"s-par-api"}, "nonce": {"n-1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
			"resource": {resource}}, verifier
	}
	bad, _ := params("https://api.example.com/nothing")
	if r := o.push(t, c, bad); r.Status != http.StatusBadRequest || r.str("error") != "invalid_target" {
		t.Fatalf("push for an unknown resource: %d %s", r.Status, r.Raw)
	}

	good, verifier := params(billingID)
	r := o.push(t, c, good)
	if r.Status != http.StatusCreated {
		t.Fatalf("PAR: %d %s", r.Status, r.Raw)
	}
	authURL := o.authorizeURI(c, r.str("request_uri")) + "&" + url.Values{"resource": {reportsID}}.Encode()
	q := callback(t, o.newBrowser(t).authorize(t, authURL, u, ""))
	if q.Get("code") == "" {
		t.Fatalf("no code: %v", q)
	}
	tr := o.post(t, o.issuer("")+"/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}}, c.ID, c.Secret)
	if tr.Status != http.StatusOK {
		t.Fatalf("token: %d %s", tr.Status, tr.Raw)
	}
	claims := o.verifyWithJWKS(t, "", tr.str("access_token"))
	if !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read" ||
		!slices.Equal(toStrings(claims["permissions"]), []string{"invoices:read"}) {
		t.Fatalf("claims %v", claims)
	}
}

// A device authorization (RFC 8628) names its resource: the approved
// device's token is for that API, with the permission; an unknown
// resource is refused when the device asks; a poll naming another API is
// refused.
func TestDeviceFlowForAnAPI(t *testing.T) {
	o := newOP(t)
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}}, "permissions_in_token": true})
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": reportsID, "name": "Reports",
		"scopes": []map[string]string{{"value": "reports:read"}}})
	c := o.deviceClient(t, "", "openid")
	start := func(resource string) reply {
		return o.post(t, o.issuer("")+"/device_authorization", url.Values{"client_id": {c.ID},
			"scope": {"openid invoices:read"}, "resource": {resource}})
	}
	if r := start("https://api.example.com/nothing"); r.Status != http.StatusBadRequest || r.str("error") != "invalid_target" {
		t.Fatalf("unknown resource: %d %s", r.Status, r.Raw)
	}
	r := start(billingID)
	if r.Status != http.StatusOK {
		t.Fatalf("device authorization: %d %s", r.Status, r.Raw)
	}
	b := o.newBrowser(t)
	u := o.createUser(t, "")
	p := b.visit(t, http.MethodGet, r.str("verification_uri_complete"), nil)
	p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	if p = b.submit(t, p.form(t, "user_code"), "action", "approve"); p.Status != http.StatusOK {
		t.Fatalf("approve: %d", p.Status)
	}
	other := o.token(t, "", url.Values{"grant_type": {grantDevice}, "device_code": {r.str("device_code")}, "client_id": {c.ID},
		"resource": {reportsID}})
	if other.Status != http.StatusBadRequest || other.str("error") != "invalid_target" {
		t.Fatalf("poll for another API: %d %s", other.Status, other.Raw)
	}
	tok := o.pollDevice(t, c, r.str("device_code"))
	if tok.Status != http.StatusOK {
		t.Fatalf("poll: %d %s", tok.Status, tok.Raw)
	}
	claims := o.verifyWithJWKS(t, "", tok.str("access_token"))
	if !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read" ||
		!slices.Equal(toStrings(claims["permissions"]), []string{"invoices:read"}) || claims["sub"] != u.ID {
		t.Fatalf("claims %v", claims)
	}
}

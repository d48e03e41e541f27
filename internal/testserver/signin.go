package testserver

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// signInRedirect is the redirect URI of the clients SignIn registers; it
// is never contacted (the code is read from the login API's answer).
const signInRedirect = "http://127.0.0.1:9/callback"

// SignIn signs a user in as a first-party single-page app does and returns
// the access token: it registers a public first-party client in tenant (""
// for the default one) allowed scope, sends a fresh browser through
// /authorize (PKCE), answers the headless login API with email and
// password, and exchanges the code at the token endpoint. Each call is a
// new browser, so call it for a user's first sign-in: the risk engine may
// challenge a user with history on a device it never saw.
func (s *Server) SignIn(t testing.TB, tenant, email, password, scope string) string {
	t.Helper()
	f, login := s.startSignIn(t, tenant, scope)
	body, _ := json.Marshal(gen.LoginAuthenticateRequest{AuthRequestID: login.Query().Get("authRequestID"), Identifier: email, Password: password})
	req, _ := http.NewRequest(http.MethodPost, f.issuer+"/login/api/authenticate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp := f.send(req)
	var res gen.LoginResult
	err := json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		t.Fatalf("login API: %d %+v %v", resp.StatusCode, res, err)
	}
	back, err := url.Parse(*res.RedirectTo)
	if err != nil {
		t.Fatalf("the login sent the browser to %q", *res.RedirectTo)
	}
	return f.exchange(back)
}

// FederatedSignIn is SignIn through a connection: the browser starts at
// the connection's start endpoint, upstream signs in at the upstream from
// its authorization URL and returns the URL it sends the browser back to
// (Gatehouse's callback), and the code is exchanged. It returns the
// access token.
func (s *Server) FederatedSignIn(t testing.TB, tenant, connection, scope string, upstream func(browser *http.Client, authURL *url.URL) *url.URL) string {
	t.Helper()
	f, login := s.startSignIn(t, tenant, scope)
	req, _ := http.NewRequest(http.MethodGet, f.issuer+"/login/connections/"+url.PathEscape(connection)+"/start?authRequestID="+
		url.QueryEscape(login.Query().Get("authRequestID")), nil)
	to := f.location(req)
	// The upstream's pages are not Gatehouse's: no contract check.
	plain := &http.Client{Jar: f.browser.Jar, CheckRedirect: f.browser.CheckRedirect}
	req, _ = http.NewRequest(http.MethodGet, upstream(plain, to).String(), nil)
	return f.exchange(f.location(req))
}

// signInFlow is one browser's authorization request of a fresh client.
type signInFlow struct {
	t                          testing.TB
	issuer, clientID, verifier string
	browser                    *http.Client
	tenant                     string
}

// startSignIn registers a public first-party client in tenant allowed
// scope and sends a fresh browser through /authorize (PKCE); it returns
// the login page's URL.
func (s *Server) startSignIn(t testing.TB, tenant, scope string) (*signInFlow, *url.URL) {
	t.Helper()
	issuer := s.URL
	if tenant != "" {
		issuer += "/t/" + tenant
	}
	method := gen.TokenEndpointAuthMethodNone
	in := gen.ClientCreate{ClientName: "Sign-in helper", RedirectUris: &[]string{signInRedirect},
		GrantTypes: &[]gen.GrantType{gen.GrantTypeAuthorizationCode}, TokenEndpointAuthMethod: &method,
		Scope: &scope, Metadata: &map[string]any{"first_party": true}}
	var clientID string
	if tenant == "" {
		r, err := s.Admin.CreateClientWithResponse(t.Context(), nil, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("sign-in client: %v %s", err, r.Body)
		}
		clientID = r.JSON201.ClientID
	} else {
		r, err := s.Admin.CreateTenantClientWithResponse(t.Context(), tenant, nil, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("sign-in client: %v %s", err, r.Body)
		}
		clientID = r.JSON201.ClientID
	}

	jar, _ := cookiejar.New(nil)
	f := &signInFlow{t: t, issuer: issuer, clientID: clientID, verifier: rand.Text() + rand.Text(), tenant: tenant,
		browser: &http.Client{Jar: jar, Transport: apitest.Transport(t, nil),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	sum := sha256.Sum256([]byte(f.verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {signInRedirect},
		"scope": {scope}, "state": {rand.Text()}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	req, _ := http.NewRequest(http.MethodGet, issuer+"/authorize?"+q.Encode(), nil)
	login := f.location(req)
	if login.Query().Get("authRequestID") == "" {
		t.Fatalf("/authorize sent the browser to %v: want the login page", login)
	}
	return f, login
}

// send sends a request of the browser. The login API of named tenants,
// /authorize, the token endpoint, the connections' endpoints and the
// upstream's pages are outside the contract's paths.
func (f *signInFlow) send(req *http.Request) *http.Response {
	f.t.Helper()
	if f.tenant != "" || !strings.Contains(req.URL.Path, "/login/api/") {
		req = apitest.Unchecked(req)
	}
	resp, err := f.browser.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp
}

// location sends req and returns where the answer redirects.
func (f *signInFlow) location(req *http.Request) *url.URL {
	f.t.Helper()
	resp := f.send(req)
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		f.t.Fatalf("%s %s answered %d, without a redirect", req.Method, req.URL, resp.StatusCode)
	}
	return loc
}

// exchange reads the code from where the login sent the browser back to
// the client and exchanges it at the token endpoint.
func (f *signInFlow) exchange(back *url.URL) string {
	f.t.Helper()
	if back.Query().Get("code") == "" {
		f.t.Fatalf("the login sent the browser to %q, without a code", back)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")},
		"redirect_uri": {signInRedirect}, "code_verifier": {f.verifier}, "client_id": {f.clientID}}
	req, _ := http.NewRequest(http.MethodPost, f.issuer+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := f.send(req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		f.t.Fatalf("token endpoint: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

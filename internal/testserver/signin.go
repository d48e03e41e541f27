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
	browser := &http.Client{Jar: jar, Transport: apitest.Transport(t, nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(req *http.Request) *http.Response {
		t.Helper()
		// The login API of named tenants, /authorize and the token
		// endpoint are outside the contract's paths.
		if tenant != "" || !strings.Contains(req.URL.Path, "/login/api/") {
			req = apitest.Unchecked(req)
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}

	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {signInRedirect},
		"scope": {scope}, "state": {rand.Text()}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	req, _ := http.NewRequest(http.MethodGet, issuer+"/authorize?"+q.Encode(), nil)
	resp := send(req)
	resp.Body.Close()
	login, err := resp.Location()
	if err != nil || login.Query().Get("authRequestID") == "" {
		t.Fatalf("/authorize answered %d, Location %v: want the login page", resp.StatusCode, login)
	}

	body, _ := json.Marshal(gen.LoginAuthenticateRequest{AuthRequestID: login.Query().Get("authRequestID"), Identifier: email, Password: password})
	req, _ = http.NewRequest(http.MethodPost, issuer+"/login/api/authenticate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp = send(req)
	var res gen.LoginResult
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		t.Fatalf("login API: %d %+v %v", resp.StatusCode, res, err)
	}
	back, err := url.Parse(*res.RedirectTo)
	if err != nil || back.Query().Get("code") == "" {
		t.Fatalf("the login sent the browser to %q, without a code", *res.RedirectTo)
	}

	form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")},
		"redirect_uri": {signInRedirect}, "code_verifier": {verifier}, "client_id": {clientID}}
	req, _ = http.NewRequest(http.MethodPost, issuer+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp = send(req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token endpoint: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

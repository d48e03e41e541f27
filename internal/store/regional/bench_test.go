package regional_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// BenchmarkResidency (docs/benchmarks.md §41): token issuance over HTTP
// on SQLite with one database, and with a main and two regional ones
// (the signing-in user in the second region, us): client_credentials,
// and a password sign-in through the login API ending in the
// authorization_code exchange.
func BenchmarkResidency(b *testing.B) {
	for _, mode := range []string{"single", "regions"} {
		dir := b.TempDir()
		env := map[string]string{"GATEHOUSE_DATABASE": "sqlite:" + filepath.Join(dir, "main.db")}
		region := ""
		if mode == "regions" {
			env["GATEHOUSE_REGIONS"] = "eu=sqlite:" + filepath.Join(dir, "eu.db") + ";us=sqlite:" + filepath.Join(dir, "us.db")
			env["GATEHOUSE_DEFAULT_REGION"] = "eu"
			region = "us"
		}
		// Each sign-in is a new user from a new address (behind the
		// trusted proxy), below the per-address and per-IP rate limits.
		env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1/32,::1/128"
		s := testserver.New(b, testserver.Options{Env: env, LoopbackIssuer: true})
		cc := ccClient(b, s)
		signIn := signInClient(b, s, region)
		b.Run(mode+"/client_credentials", func(b *testing.B) { benchClientCredentials(b, s, cc) })
		b.Run(mode+"/password_authorization_code", func(b *testing.B) { benchSignIn(b, s, signIn, region) })
	}
}

// ccClient makes a client_credentials client and returns its ID and secret.
func ccClient(b *testing.B, s *testserver.Server) [2]string {
	method := gen.TokenEndpointAuthMethodClientSecretBasic
	r, err := s.Admin.CreateClientWithResponse(b.Context(), nil, gen.ClientCreate{ClientName: "bench-cc",
		GrantTypes: &[]gen.GrantType{gen.GrantTypeClientCredentials}, TokenEndpointAuthMethod: &method})
	if err != nil || r.JSON201 == nil {
		b.Fatalf("client: %v %s", err, r.Body)
	}
	return [2]string{r.JSON201.ClientID, restapi.Val(r.JSON201.ClientSecret)}
}

func benchClientCredentials(b *testing.B, s *testserver.Server, c [2]string) {
	hc := &http.Client{Transport: apitest.Transport(b, nil)}
	token := func() {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(url.QueryEscape(c[0]), url.QueryEscape(c[1]))
		resp, err := hc.Do(apitest.Unchecked(req))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("token: %d", resp.StatusCode)
		}
	}
	token() // warm-up: the tenant's first signing key
	b.ReportAllocs()
	for b.Loop() {
		token()
	}
}

const benchPassword = "correct horse battery staple 42"

// signInClient makes a first-party public client and returns its ID.
func signInClient(b *testing.B, s *testserver.Server, _ string) string {
	method := gen.TokenEndpointAuthMethodNone
	scope := "openid"
	c, err := s.Admin.CreateClientWithResponse(b.Context(), nil, gen.ClientCreate{ClientName: "bench-signin", RedirectUris: &[]string{policyRedirect},
		GrantTypes: &[]gen.GrantType{gen.GrantTypeAuthorizationCode}, TokenEndpointAuthMethod: &method,
		Scope: &scope, Metadata: &map[string]any{"first_party": true}})
	if err != nil || c.JSON201 == nil {
		b.Fatalf("client: %v %s", err, c.Body)
	}
	return c.JSON201.ClientID
}

var benchUsers atomic.Int64

func benchSignIn(b *testing.B, s *testserver.Server, client, region string) {
	var browser *http.Client
	var email, ip string
	// newUser makes the next user (in region) and a new browser at a new
	// address for them.
	newUser := func() {
		n := benchUsers.Add(1)
		email, ip = fmt.Sprintf("bench%d@example.org", n), fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
		in := gen.UserCreate{Email: openapiEmail(email), Password: restapi.Ptr(benchPassword), EmailVerified: restapi.Ptr(true)}
		if region != "" {
			in.Region = &region
		}
		if r, err := s.Admin.CreateUserWithResponse(b.Context(), nil, in); err != nil || r.JSON201 == nil {
			b.Fatalf("user: %v %s", err, r.Body)
		}
		jar, _ := cookiejar.New(nil)
		browser = &http.Client{Jar: jar, Transport: apitest.Transport(b, nil),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	do := func(req *http.Request) *http.Response {
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := browser.Do(apitest.Unchecked(req))
		if err != nil {
			b.Fatal(err)
		}
		return resp
	}
	signIn := func() {
		q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {policyRedirect},
			"scope": {"openid"}, "state": {"s"}, "nonce": {"n"}, "prompt": {"login"},
			"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/authorize?"+q.Encode(), nil)
		resp := do(req)
		resp.Body.Close()
		login, err := resp.Location()
		if err != nil || login.Query().Get("authRequestID") == "" {
			b.Fatalf("/authorize: %d", resp.StatusCode)
		}
		body, _ := json.Marshal(gen.LoginAuthenticateRequest{AuthRequestID: login.Query().Get("authRequestID"), Identifier: email, Password: benchPassword})
		req, _ = http.NewRequest(http.MethodPost, s.URL+"/login/api/authenticate", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp = do(req)
		var res gen.LoginResult
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil || res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
			b.Fatalf("login API: %d %+v %v", resp.StatusCode, res, err)
		}
		back, _ := url.Parse(*res.RedirectTo)
		form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")},
			"redirect_uri": {policyRedirect}, "code_verifier": {verifier}, "client_id": {client}}
		req, _ = http.NewRequest(http.MethodPost, s.URL+"/oauth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp = do(req)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("token: %d", resp.StatusCode)
		}
	}
	newUser()
	signIn() // warm-up
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		newUser()
		b.StartTimer()
		signIn()
	}
}

package loginapi_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The tests drive the JSON login API of a real server on loopback, as a
// first-party single-page app does: /authorize in the browser, then the
// API with the generated client, every answer checked against
// api/openapi.yaml (apitest), then the code at the token endpoint.

const password = "correct horse battery staple"

// redirectURI is the test clients' redirect URI, never contacted.
const redirectURI = "http://127.0.0.1:9/callback"

type env struct {
	t   *testing.T
	srv *testserver.Server
}

// newEnv is a server whose risk policy only notifies (no challenge, so
// repeated sign-ins from loopback stay quiet), with opts.
func newEnv(t *testing.T, opts testserver.Options) *env {
	t.Helper()
	opts.LoopbackIssuer = true
	e := &env{t: t, srv: testserver.New(t, opts)}
	e.riskPolicy(`{"new_device":"notify","new_country":"notify"}`)
	return e
}

// riskPolicy replaces the default tenant's risk policy.
func (e *env) riskPolicy(policy string) {
	e.t.Helper()
	r, err := e.srv.Admin.ReplaceRiskPolicyWithBodyWithResponse(e.t.Context(), "application/json", strings.NewReader(policy))
	if err != nil || r.StatusCode() != http.StatusOK {
		e.t.Fatalf("risk policy: %v %s", err, r.Body)
	}
}

// user creates a default-tenant user with password (and the address
// verified if verified is given and true) and returns its ID.
func (e *env) user(email string, verified ...bool) string {
	e.t.Helper()
	pw, v := password, len(verified) > 0 && verified[0]
	r, err := e.srv.Admin.CreateUserWithResponse(e.t.Context(), nil, gen.UserCreate{Email: openapi_types.Email(email), Password: &pw, EmailVerified: &v})
	if err != nil || r.JSON201 == nil {
		e.t.Fatalf("create user: %v %s", err, r.Body)
	}
	return r.JSON201.ID
}

// client creates a default-tenant public client (first party or not)
// and returns its ID.
func (e *env) client(name string, firstParty bool) string {
	e.t.Helper()
	method := gen.TokenEndpointAuthMethodNone
	r, err := e.srv.Admin.CreateClientWithResponse(e.t.Context(), nil, gen.ClientCreate{
		ClientName: name, RedirectUris: &[]string{redirectURI}, TokenEndpointAuthMethod: &method,
		GrantTypes: &[]gen.GrantType{gen.GrantTypeAuthorizationCode},
		Metadata:   &map[string]any{"first_party": firstParty},
	})
	if err != nil || r.JSON201 == nil {
		e.t.Fatalf("create client: %v %s", err, r.Body)
	}
	return r.JSON201.ClientID
}

// app is one browser running a single-page app on the issuer's origin:
// a cookie jar, the generated client for the API, and the PKCE verifier
// and state of its last authorization request.
type app struct {
	t        *testing.T
	e        *env
	http     *http.Client
	api      *gen.ClientWithResponses
	clientID string
	verifier string
	state    string
}

func (e *env) app(clientID string) *app {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		// /authorize and the token endpoint are OAuth, outside the contract.
		Transport:     apitest.Transport(e.t, nil, apitest.UncheckedPrefix("/authorize", "/oauth/")),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	origin := e.srv.URL
	api, err := gen.NewClientWithResponses(origin, gen.WithHTTPClient(hc),
		gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Origin", origin)
			return nil
		}))
	if err != nil {
		e.t.Fatal(err)
	}
	return &app{t: e.t, e: e, http: hc, api: api, clientID: clientID}
}

// authorize starts an authorization request (extra adds parameters) and
// returns the ID the login URL carries.
func (a *app) authorize(extra ...string) string {
	a.t.Helper()
	a.verifier, a.state = rand.Text()+rand.Text(), rand.Text()
	sum := sha256.Sum256([]byte(a.verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {a.clientID}, "redirect_uri": {redirectURI},
		"scope": {"openid email"}, "state": {a.state}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	res, err := a.http.Get(a.e.srv.URL + "/authorize?" + q.Encode())
	if err != nil {
		a.t.Fatal(err)
	}
	res.Body.Close()
	loc, err := res.Location()
	if err != nil || loc.Query().Get("authRequestID") == "" {
		a.t.Fatalf("/authorize: %d %v, want the login page", res.StatusCode, loc)
	}
	return loc.Query().Get("authRequestID")
}

// authenticate answers request id with identifier and pw.
func (a *app) authenticate(id, identifier, pw string) *gen.AuthenticateLoginResponse {
	a.t.Helper()
	r, err := a.api.AuthenticateLoginWithResponse(a.t.Context(), gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: identifier, Password: pw})
	if err != nil {
		a.t.Fatal(err)
	}
	return r
}

// result checks a 200 LoginResult of status want and returns it.
func (a *app) result(status int, body []byte, res *gen.LoginResult, want gen.LoginResultStatus) *gen.LoginResult {
	a.t.Helper()
	if status != http.StatusOK || res == nil || res.Status != want {
		a.t.Fatalf("%d %s, want %s", status, body, want)
	}
	return res
}

// redeem checks a complete result's redirect (the client's redirect URI
// with the code, the state and the issuer, RFC 9207), redeems the code
// and returns the ID token's subject.
func (a *app) redeem(res *gen.LoginResult) string {
	a.t.Helper()
	sub, _ := a.redeemClaims(res)["sub"].(string)
	return sub
}

// redeemClaims is redeem, returning the ID token's claims.
func (a *app) redeemClaims(res *gen.LoginResult) map[string]any {
	a.t.Helper()
	if res.RedirectTo == nil {
		a.t.Fatal("complete without redirect_to")
	}
	u, err := url.Parse(*res.RedirectTo)
	if err != nil || !strings.HasPrefix(*res.RedirectTo, redirectURI+"?") {
		a.t.Fatalf("redirect_to %s", *res.RedirectTo)
	}
	q := u.Query()
	if q.Get("state") != a.state || q.Get("iss") != a.e.srv.URL || q.Get("code") == "" {
		a.t.Fatalf("redirect_to %s: want the code, state %s and iss", *res.RedirectTo, a.state)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {redirectURI},
		"code_verifier": {a.verifier}, "client_id": {a.clientID}}
	tr, err := a.http.PostForm(a.e.srv.URL+"/oauth/token", form)
	if err != nil {
		a.t.Fatal(err)
	}
	defer tr.Body.Close()
	var tok struct {
		IDToken string `json:"id_token"`
	}
	if err := json.NewDecoder(tr.Body).Decode(&tok); err != nil || tr.StatusCode != http.StatusOK {
		a.t.Fatalf("token endpoint: %d %v", tr.StatusCode, err)
	}
	parts := strings.Split(tok.IDToken, ".")
	if len(parts) != 3 {
		a.t.Fatalf("id_token %q", tok.IDToken)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	_ = json.Unmarshal(raw, &claims)
	return claims
}

// post sends body to the API path with content type ctype, unchecked by
// the contract (for bodies the contract refuses), and returns the status,
// the headers and the body.
func (a *app) post(path, ctype, origin, body string) (int, http.Header, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := a.http.Do(apitest.Unchecked(req))
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(raw)
}

// problemType is the type of a problem+json body.
func problemType(body []byte) string {
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(body, &p)
	return p.Type
}

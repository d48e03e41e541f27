package restapi_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The account API is called with real access tokens: a user signs in
// through the hosted login's headless JSON API (or, for a third-party
// client, its consent page) and the code is exchanged at /oauth/token, as
// an app would. Every /v1/me call goes through the contract-checking
// client.

const (
	accountPassword = "correct horse battery staple"
	unauthorized    = "urn:gatehouse:problem:unauthorized"
	forbidden       = "urn:gatehouse:problem:forbidden"
	callbackURI     = "http://127.0.0.1:9/callback" // never contacted: the tests read Location
)

// app is an OAuth client of a tenant ("" for the default one).
type app struct {
	tenant, id, secret string
}

func issuerOf(s *testserver.Server, tenant string) string {
	if tenant == "" {
		return s.URL
	}
	return s.URL + "/t/" + tenant
}

// mkAccountUser creates a user with a password.
// quietRisk turns the risk engine's new-device and new-country rules off
// in the tenant: these tests sign one user in from several fresh user
// agents, which would otherwise be challenged and sent a notice
// (docs/risk.md; internal/login covers that behaviour).
func quietRisk(t testing.TB, s *testserver.Server, tenant string) {
	t.Helper()
	body := strings.NewReader(`{"new_device":"off","new_country":"off"}`)
	status, raw := 0, []byte(nil)
	if tenant == "" {
		r, err := s.Admin.ReplaceRiskPolicyWithBodyWithResponse(ctx, "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		status, raw = r.StatusCode(), r.Body
	} else {
		r, err := s.Admin.ReplaceTenantRiskPolicyWithBodyWithResponse(ctx, tenant, "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		status, raw = r.StatusCode(), r.Body
	}
	if status != 200 {
		t.Fatalf("risk policy: %d %s", status, raw)
	}
}

func mkAccountUser(t testing.TB, s *testserver.Server, tenant, email string) string {
	t.Helper()
	quietRisk(t, s, tenant)
	pw := accountPassword
	in := gen.UserCreate{Email: openapi_types.Email(email), Password: &pw}
	if tenant == "" {
		r, err := s.Admin.CreateUserWithResponse(ctx, nil, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create user: %v %s", err, r.Body)
		}
		return r.JSON201.ID
	}
	r, err := s.Admin.CreateTenantUserWithResponse(ctx, tenant, nil, in)
	if err != nil || r.JSON201 == nil {
		t.Fatalf("create user: %v %s", err, r.Body)
	}
	return r.JSON201.ID
}

// mkApp registers a code-flow client: first-party apps are public (PKCE
// only) and may use the headless login API; the others are confidential
// and must ask for consent.
func mkApp(t testing.TB, s *testserver.Server, tenant, name string, firstParty bool) app {
	t.Helper()
	method := gen.TokenEndpointAuthMethodClientSecretBasic
	if firstParty {
		method = gen.TokenEndpointAuthMethodNone
	}
	in := gen.ClientCreate{
		ClientName: name, RedirectUris: &[]string{callbackURI},
		GrantTypes:              &[]gen.GrantType{gen.GrantTypeAuthorizationCode, gen.GrantTypeRefreshToken},
		TokenEndpointAuthMethod: &method, Metadata: &map[string]any{"first_party": firstParty},
	}
	var out *gen.ClientWithSecret
	if tenant == "" {
		r, err := s.Admin.CreateClientWithResponse(ctx, nil, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create client: %v %s", err, r.Body)
		}
		out = r.JSON201
	} else {
		r, err := s.Admin.CreateTenantClientWithResponse(ctx, tenant, nil, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create client: %v %s", err, r.Body)
		}
		out = r.JSON201
	}
	return app{tenant: tenant, id: out.ClientID, secret: val(out.ClientSecret)}
}

// userAgent is one browser: its own cookie jar (so its own session), no
// redirects followed. Requests outside the contract are sent unchecked.
type userAgent struct {
	t  testing.TB
	s  *testserver.Server
	hc *http.Client
}

func newUserAgent(t testing.TB, s *testserver.Server) *userAgent {
	jar, _ := cookiejar.New(nil)
	return &userAgent{t: t, s: s, hc: &http.Client{
		Jar: jar, Transport: apitest.Transport(t, nil), Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *userAgent) send(req *http.Request, checked bool) (*http.Response, string) {
	b.t.Helper()
	if !checked {
		req = apitest.Unchecked(req)
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

func (b *userAgent) get(u string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.send(req, false)
}

// location resolves a redirect's target.
func location(t testing.TB, resp *http.Response) *url.URL {
	t.Helper()
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		t.Fatalf("%s: want a redirect, got %d", resp.Request.URL, resp.StatusCode)
	}
	u, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// authz is an authorization request in progress, with PKCE (S256).
type authz struct {
	app             app
	verifier, state string
	loginURL        *url.URL // where /authorize sent the browser
}

func (b *userAgent) authorize(a app, scope string, extra ...string) *authz {
	b.t.Helper()
	z := &authz{app: a, verifier: rand.Text() + rand.Text(), state: rand.Text()}
	sum := sha256.Sum256([]byte(z.verifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {a.id}, "redirect_uri": {callbackURI}, "scope": {scope},
		"state": {z.state}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	resp, body := b.get(issuerOf(b.s, a.tenant) + "/authorize?" + q.Encode())
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("authorize: %d %.500s", resp.StatusCode, body)
	}
	z.loginURL = location(b.t, resp)
	if z.loginURL.Query().Get("authRequestID") == "" {
		b.t.Fatalf("authorize sent the browser to %s, not the login", z.loginURL)
	}
	return z
}

// postLoginAPI calls the headless login API (checked against the contract,
// which has the default tenant's paths) and returns its result.
func (b *userAgent) postLoginAPI(tenant, op string, v any) gen.LoginResult {
	b.t.Helper()
	raw, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, issuerOf(b.s, tenant)+"/login/api/"+op, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	resp, body := b.send(req, tenant == "")
	var res gen.LoginResult
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &res) != nil || res.Status == "" {
		b.t.Fatalf("login API %s: %d %s", op, resp.StatusCode, body)
	}
	return res
}

// tokenSet is a token endpoint answer.
type tokenSet struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	Error        string `json:"error"`
}

// tokenRequest posts a grant to the app's token endpoint.
func tokenRequest(t testing.TB, s *testserver.Server, a app, form url.Values) (int, tokenSet) {
	t.Helper()
	if a.secret == "" {
		form.Set("client_id", a.id)
	}
	req, _ := http.NewRequest(http.MethodPost, issuerOf(s, a.tenant)+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a.secret != "" {
		req.SetBasicAuth(url.QueryEscape(a.id), url.QueryEscape(a.secret))
	}
	resp, err := s.HTTP.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ts tokenSet
	if err := json.NewDecoder(resp.Body).Decode(&ts); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, ts
}

// redeem checks the client redirect and exchanges its code.
func (z *authz) redeem(t testing.TB, s *testserver.Server, redirect string) tokenSet {
	t.Helper()
	u, err := url.Parse(redirect)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != callbackURI || q.Get("state") != z.state || q.Get("code") == "" {
		t.Fatalf("client redirect %s", redirect)
	}
	status, ts := tokenRequest(t, s, z.app, url.Values{
		"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {callbackURI}, "code_verifier": {z.verifier},
	})
	if status != http.StatusOK || ts.AccessToken == "" {
		t.Fatalf("code exchange: %d %+v", status, ts)
	}
	return ts
}

// signIn signs email in to the first-party app a through the headless
// login API in this browser (a new session unless it has one), approving
// the consent prompt if asked, and returns the tokens.
func (b *userAgent) signIn(a app, email, scope string, extra ...string) tokenSet {
	b.t.Helper()
	z := b.authorize(a, scope, extra...)
	id := z.loginURL.Query().Get("authRequestID")
	res := b.postLoginAPI(a.tenant, "authenticate", gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: email, Password: accountPassword})
	if res.Status == gen.LoginResultStatusConsentRequired {
		res = b.postLoginAPI(a.tenant, "consent", gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
	}
	if res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		b.t.Fatalf("sign-in result %+v", res)
	}
	return z.redeem(b.t, b.s, *res.RedirectTo)
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="(csrf|authRequestID)" value="([^"]*)"`)

// consentPrompt follows the login's redirects from where /authorize sent
// this signed-in browser and returns the consent page, or "" when the
// flow ends elsewhere (at the client, or a page without a consent form).
func (b *userAgent) consentPrompt(z *authz) string {
	b.t.Helper()
	next := z.loginURL
	for hops := 0; hops < 5; hops++ {
		resp, body := b.get(next.String())
		if resp.StatusCode == http.StatusOK && strings.Contains(body, `name="decision"`) {
			return body
		}
		if resp.StatusCode < 300 || resp.StatusCode > 399 {
			return ""
		}
		if next = location(b.t, resp); strings.HasPrefix(next.String(), callbackURI) {
			return ""
		}
	}
	return ""
}

// consentPage authorizes the third-party app a in this already signed-in
// browser and allows its request on the hosted consent page.
func (b *userAgent) consentPage(a app, scope string) tokenSet {
	b.t.Helper()
	z := b.authorize(a, scope)
	page := b.consentPrompt(z)
	if page == "" {
		b.t.Fatalf("no consent page for %s", z.loginURL)
	}
	form := url.Values{"decision": {"allow"}}
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	if form.Get("csrf") == "" || form.Get("authRequestID") == "" {
		b.t.Fatalf("consent form without csrf or authRequestID: %.2000s", page)
	}
	req, _ := http.NewRequest(http.MethodPost, issuerOf(b.s, a.tenant)+"/login/consent", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := b.send(req, false)
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		b.t.Fatalf("consent: %d %.500s", resp.StatusCode, body)
	}
	return z.redeem(b.t, b.s, location(b.t, resp).String())
}

// protocolStatus sends a bearer request to a protocol endpoint (outside
// the contract) of the tenant and returns the status.
func protocolStatus(t *testing.T, s *testserver.Server, tenant, path, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, issuerOf(s, tenant)+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.HTTP.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func wantChallenge(t *testing.T, resp *http.Response, want string) {
	t.Helper()
	if got := resp.Header.Get("WWW-Authenticate"); !strings.Contains(got, want) {
		t.Fatalf("WWW-Authenticate %q, want it to contain %s", got, want)
	}
}

func mySessions(t *testing.T, s *testserver.Server, tenant, token string) []gen.AccountSession {
	t.Helper()
	c := s.ClientWithToken(t, token)
	var items []gen.AccountSession
	var cursor *string
	for pages := 0; ; pages++ {
		limit := 1 // one a page: the cursor is followed too
		var list *gen.AccountSessionList
		var body []byte
		if tenant == "" {
			r, err := c.ListMySessionsWithResponse(ctx, &gen.ListMySessionsParams{Limit: &limit, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			list, body = r.JSON200, r.Body
		} else {
			r, err := c.ListTenantMySessionsWithResponse(ctx, tenant, &gen.ListTenantMySessionsParams{Limit: &limit, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			list, body = r.JSON200, r.Body
		}
		if list == nil {
			t.Fatalf("list my sessions: %s", body)
		}
		items = append(items, list.Items...)
		if list.NextCursor.IsNull() {
			return items
		}
		next, _ := list.NextCursor.Get()
		cursor = &next
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
}

func currentOf(t *testing.T, items []gen.AccountSession) gen.AccountSession {
	t.Helper()
	var cur []gen.AccountSession
	for _, x := range items {
		if x.Current {
			cur = append(cur, x)
		}
	}
	if len(cur) != 1 {
		t.Fatalf("%d current sessions in %+v, want 1", len(cur), items)
	}
	return cur[0]
}

func TestAccountSessions(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ada := mkAccountUser(t, s, "", "ada@example.com")
	mkAccountUser(t, s, "", "bob@example.com")
	web := mkApp(t, s, "", "Account console", true)

	// Ada signs in on a laptop and a phone; Bob on his own.
	laptop := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account")
	phone := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account")
	bob := newUserAgent(t, s).signIn(web, "bob@example.com", "openid account")

	// Each token lists Ada's two sessions, its own marked current.
	fromLaptop, fromPhone := mySessions(t, s, "", laptop.AccessToken), mySessions(t, s, "", phone.AccessToken)
	if len(fromLaptop) != 2 || len(fromPhone) != 2 {
		t.Fatalf("sessions: %+v / %+v", fromLaptop, fromPhone)
	}
	laptopSession, phoneSession := currentOf(t, fromLaptop), currentOf(t, fromPhone)
	if laptopSession.ID == phoneSession.ID || !slices.Contains(sessionIDsOf(fromLaptop), phoneSession.ID) {
		t.Fatalf("laptop %s, phone %s: %+v", laptopSession.ID, phoneSession.ID, fromLaptop)
	}
	if laptopSession.UserID != ada || !slices.Equal(laptopSession.Amr, []string{"pwd"}) || laptopSession.AuthTime == nil ||
		laptopSession.ExpiresAt.Before(time.Now()) {
		t.Fatalf("session rendering: %+v", laptopSession)
	}
	bobSession := currentOf(t, mySessions(t, s, "", bob.AccessToken))

	// Bob's session is not Ada's to see or end: 404, and it lives on.
	resp, body := do(t, s, "DELETE", "/v1/me/sessions/"+bobSession.ID, laptop.AccessToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	resp, body = do(t, s, "DELETE", "/v1/me/sessions/01936a00-0000-7000-8000-000000000000", laptop.AccessToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	if got := mySessions(t, s, "", bob.AccessToken); len(got) != 1 || protocolStatus(t, s, "", "/userinfo", bob.AccessToken) != 200 {
		t.Fatalf("Bob's session after Ada's attempt: %+v", got)
	}

	// From the laptop, Ada signs the phone out: its token stops working at
	// the account API and at userinfo, its refresh token too.
	if protocolStatus(t, s, "", "/userinfo", phone.AccessToken) != 200 {
		t.Fatal("the phone's token does not work before the revocation")
	}
	r, err := s.ClientWithToken(t, laptop.AccessToken).RevokeMySessionWithResponse(ctx, phoneSession.ID)
	if err != nil || r.StatusCode() != 204 {
		t.Fatalf("revoke the phone: %v %d %s", err, r.StatusCode(), r.Body)
	}
	resp, body = do(t, s, "GET", "/v1/me/sessions", phone.AccessToken, "", "")
	wantProblem(t, resp, body, 401, unauthorized)
	wantChallenge(t, resp, `error="invalid_token"`)
	if st := protocolStatus(t, s, "", "/userinfo", phone.AccessToken); st != 401 {
		t.Fatalf("userinfo with the phone's token: %d", st)
	}
	if got := mySessions(t, s, "", laptop.AccessToken); len(got) != 1 || !got[0].Current {
		t.Fatalf("after signing the phone out: %+v", got)
	}
	if r, _ := s.ClientWithToken(t, laptop.AccessToken).RevokeMySessionWithResponse(ctx, phoneSession.ID); r.StatusCode() != 204 {
		t.Fatalf("revoking again is idempotent: %d %s", r.StatusCode(), r.Body)
	}

	// Ada ends the laptop's own session: the token that asked is revoked too.
	resp, body = do(t, s, "DELETE", "/v1/me/sessions/"+laptopSession.ID, laptop.AccessToken, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("revoke the current session: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "GET", "/v1/me/sessions", laptop.AccessToken, "", "")
	wantProblem(t, resp, body, 401, unauthorized)
	wantChallenge(t, resp, `error="invalid_token"`)
	if st := protocolStatus(t, s, "", "/userinfo", laptop.AccessToken); st != 401 {
		t.Fatalf("userinfo with the laptop's token: %d", st)
	}

	// Bob's session was never touched.
	if got := mySessions(t, s, "", bob.AccessToken); len(got) != 1 || got[0].ID != bobSession.ID {
		t.Fatalf("Bob's sessions: %+v", got)
	}
}

func sessionIDsOf(items []gen.AccountSession) []string {
	var ids []string
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids
}

func TestAccountConsents(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ada := mkAccountUser(t, s, "", "ada@example.com")
	bob := mkAccountUser(t, s, "", "bob@example.com")
	web := mkApp(t, s, "", "Account console", true)
	partner := mkApp(t, s, "", "Partner App", false)
	other := mkApp(t, s, "", "Other App", false)

	// Ada signs in to the console, then allows the partner app on the
	// consent page (single sign-on: no password again). The partner gets a
	// refresh token.
	b := newUserAgent(t, s)
	console := b.signIn(web, "ada@example.com", "openid account")
	granted := b.consentPage(partner, "openid profile offline_access")
	if granted.RefreshToken == "" {
		t.Fatalf("no refresh token for the partner: %+v", granted)
	}
	// Bob consented to the other app; that is not Ada's.
	p := party{sc: mustScope(t, s, "")}
	p.consent(t, bob, other.id, "openid")

	list, err := s.ClientWithToken(t, console.AccessToken).ListMyConsentsWithResponse(ctx, nil)
	if err != nil || list.JSON200 == nil {
		t.Fatalf("list: %v %s", err, list.Body)
	}
	if items := list.JSON200.Items; len(items) != 1 || items[0].ClientID != partner.id || val(items[0].ClientName) != "Partner App" ||
		!slices.Equal(items[0].Scopes, []string{"openid", "profile", "offline_access"}) || !list.JSON200.NextCursor.IsNull() {
		t.Fatalf("Ada's consents: %s", list.Body)
	}

	// A consent Ada never gave (Bob's, or to no client): 404, Bob's stays.
	for _, id := range []string{other.id, "no-such-client"} {
		resp, body := do(t, s, "DELETE", "/v1/me/consents/"+id, console.AccessToken, "", "")
		wantProblem(t, resp, body, 404, notFound)
	}
	if _, err := p.sc.Store.Consents().Get(ctx, p.sc.Tenant.ID, bob, other.id); err != nil {
		t.Fatalf("Bob's consent: %v", err)
	}

	// Revoking forgets the consent and the partner's refresh token for Ada.
	r, err := s.ClientWithToken(t, console.AccessToken).RevokeMyConsentWithResponse(ctx, partner.id)
	if err != nil || r.StatusCode() != 204 {
		t.Fatalf("revoke: %v %d %s", err, r.StatusCode(), r.Body)
	}
	if _, err := p.sc.Store.Consents().Get(ctx, p.sc.Tenant.ID, ada, partner.id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("consent still there: %v", err)
	}
	if status, ts := tokenRequest(t, s, partner, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {granted.RefreshToken}}); status == 200 || ts.Error != "invalid_grant" {
		t.Fatalf("refresh after the consent was revoked: %d %+v", status, ts)
	}
	if list, _ := s.ClientWithToken(t, console.AccessToken).ListMyConsentsWithResponse(ctx, nil); list.JSON200 == nil || len(list.JSON200.Items) != 0 {
		t.Fatalf("after revoke: %s", list.Body)
	}
	resp, body := do(t, s, "DELETE", "/v1/me/consents/"+partner.id, console.AccessToken, "", "")
	wantProblem(t, resp, body, 404, notFound)

	// The next authorization of the partner asks again.
	if b.consentPrompt(b.authorize(partner, "openid")) == "" {
		t.Fatal("no consent prompt after the revocation")
	}
}

func mustScope(t *testing.T, s *testserver.Server, tenant string) *tenancy.Tenant {
	t.Helper()
	sc, err := s.App.Directory.Resolve(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestAccountAuthentication(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	mkAccountUser(t, s, "", "ada@example.com")
	web := mkApp(t, s, "", "Account console", true)

	cases := []struct {
		name, token string
		status      int
		typ         string
		challenge   string
	}{
		{"no token", "", 401, unauthorized, `Bearer realm="gatehouse"`},
		{"garbage", "not-a-token", 401, unauthorized, `error="invalid_token"`},
		{"forged JWT", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", 401, unauthorized, `error="invalid_token"`},
		{"Admin API token", testserver.AdminToken, 401, unauthorized, `error="invalid_token"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := do(t, s, "GET", "/v1/me/sessions", c.token, "", "")
			wantProblem(t, resp, body, c.status, c.typ)
			wantChallenge(t, resp, c.challenge)
		})
	}

	// A user's token without the account scope: 403 insufficient_scope,
	// on every operation.
	plain := newUserAgent(t, s).signIn(web, "ada@example.com", "openid profile")
	for _, op := range [][2]string{{"GET", "/v1/me/sessions"}, {"DELETE", "/v1/me/sessions/x"}, {"GET", "/v1/me/consents"}, {"DELETE", "/v1/me/consents/x"}} {
		resp, body := do(t, s, op[0], op[1], plain.AccessToken, "", "")
		wantProblem(t, resp, body, 403, forbidden)
		wantChallenge(t, resp, `error="insufficient_scope"`)
	}

	// A client's own token (client credentials) speaks for no user, even
	// with the account scope.
	resp, body := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json",
		`{"client_name":"Backend","grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"client_secret_basic","scope":"account"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create client: %d %v", resp.StatusCode, body)
	}
	backend := app{id: body["client_id"].(string), secret: body["client_secret"].(string)}
	status, cc := tokenRequest(t, s, backend, url.Values{"grant_type": {"client_credentials"}, "scope": {"account"}})
	if status != 200 || !slices.Contains(strings.Fields(cc.Scope), "account") {
		t.Fatalf("client credentials: %d %+v", status, cc)
	}
	resp, body = do(t, s, "GET", "/v1/me/consents", cc.AccessToken, "", "")
	wantProblem(t, resp, body, 401, unauthorized)
	wantChallenge(t, resp, `error="invalid_token"`)

	// Validation still applies behind authentication.
	tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account")
	resp, body = do(t, s, "GET", "/v1/me/sessions?cursor=bogus", tok.AccessToken, "", "")
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "GET", "/v1/me/sessions?limit=0", tok.AccessToken, "", "")
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "GET", "!/v1/me/nothing", tok.AccessToken, "", "")
	if resp.StatusCode != 404 {
		t.Fatalf("unknown account path: %d %v", resp.StatusCode, body)
	}
}

func TestAccountTenants(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "acme"}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("create tenant: %v %s", err, r.Body)
	}
	// The same person has an account in each tenant.
	mkAccountUser(t, s, "", "ada@example.com")
	acmeAda := mkAccountUser(t, s, "acme", "ada@example.com")
	def := newUserAgent(t, s).signIn(mkApp(t, s, "", "Console", true), "ada@example.com", "openid account")
	acme := newUserAgent(t, s).signIn(mkApp(t, s, "acme", "Acme console", true), "ada@example.com", "openid account")

	// Under its tenant's path, acme's token works.
	acmeSessions := mySessions(t, s, "acme", acme.AccessToken)
	if len(acmeSessions) != 1 || acmeSessions[0].UserID != acmeAda || !acmeSessions[0].Current {
		t.Fatalf("acme sessions: %+v", acmeSessions)
	}
	if r, err := s.ClientWithToken(t, acme.AccessToken).ListTenantMyConsentsWithResponse(ctx, "acme", nil); err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 0 {
		t.Fatalf("acme consents: %v %s", err, r.Body)
	}
	defSession := currentOf(t, mySessions(t, s, "", def.AccessToken))

	// Another tenant's issuer: the token is not valid there, either way.
	for _, c := range []struct{ method, path, token string }{
		{"GET", "/v1/me/sessions", acme.AccessToken},
		{"GET", "/v1/me/consents", acme.AccessToken},
		{"DELETE", "/v1/me/sessions/" + acmeSessions[0].ID, acme.AccessToken},
		{"GET", "/t/acme/v1/me/sessions", def.AccessToken},
		{"DELETE", "/t/acme/v1/me/sessions/" + defSession.ID, def.AccessToken},
	} {
		resp, body := do(t, s, c.method, c.path, c.token, "", "")
		wantProblem(t, resp, body, 401, unauthorized)
		wantChallenge(t, resp, `error="invalid_token"`)
	}
	// Nor may acme's token end a default-tenant session by its ID.
	resp, body := do(t, s, "DELETE", "/t/acme/v1/me/sessions/"+defSession.ID, acme.AccessToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	if got := mySessions(t, s, "", def.AccessToken); len(got) != 1 {
		t.Fatalf("default sessions: %+v", got)
	}
	resp, body = do(t, s, "GET", "/t/no-such-tenant/v1/me/sessions", acme.AccessToken, "", "")
	wantProblem(t, resp, body, 404, notFound)

	// acme's protocol endpoints are still the provider's.
	for _, path := range []string{"/keys", "/.well-known/openid-configuration"} {
		if st := protocolStatus(t, s, "acme", path, ""); st != 200 {
			t.Fatalf("/t/acme%s: %d", path, st)
		}
	}
	if st := protocolStatus(t, s, "acme", "/userinfo", acme.AccessToken); st != 200 {
		t.Fatalf("/t/acme/userinfo: %d", st)
	}

	// Signing out in acme ends acme's session only.
	r, err := s.ClientWithToken(t, acme.AccessToken).RevokeTenantMySessionWithResponse(ctx, "acme", acmeSessions[0].ID)
	if err != nil || r.StatusCode() != 204 {
		t.Fatalf("revoke: %v %d %s", err, r.StatusCode(), r.Body)
	}
	resp, body = do(t, s, "GET", "/t/acme/v1/me/sessions", acme.AccessToken, "", "")
	wantProblem(t, resp, body, 401, unauthorized)
	if got := mySessions(t, s, "", def.AccessToken); len(got) != 1 {
		t.Fatalf("default sessions after acme's sign-out: %+v", got)
	}
}

// signInTOTP is signIn for a user with an authenticator app: the headless
// login asks for the second factor after the password, and the code of
// the next 30-second step answers it (the current one may be spent).
func (b *userAgent) signInTOTP(a app, email, scope, secret string) tokenSet {
	b.t.Helper()
	z := b.authorize(a, scope)
	id := z.loginURL.Query().Get("authRequestID")
	res := b.postLoginAPI(a.tenant, "authenticate", gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: email, Password: accountPassword})
	if res.Status != gen.LoginResultStatusMfaRequired {
		b.t.Fatalf("sign-in of a user with a factor: %+v, want mfa_required", res)
	}
	var ch gen.LoginMFAChallenge
	b.postLoginJSON(a.tenant, "mfa/challenge", gen.LoginMFAChallengeRequest{AuthRequestID: id, Method: gen.LoginMFAMethodTotp}, &ch)
	code, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		b.t.Fatal(err)
	}
	res = gen.LoginResult{}
	b.postLoginJSON(a.tenant, "mfa", gen.LoginMFAVerifyRequest{AuthRequestID: id, ChallengeID: ch.ChallengeID, Code: &code}, &res)
	if res.Status == gen.LoginResultStatusConsentRequired {
		res = b.postLoginAPI(a.tenant, "consent", gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
	}
	if res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		b.t.Fatalf("second factor result %+v", res)
	}
	return z.redeem(b.t, b.s, *res.RedirectTo)
}

// postLoginJSON posts v to the headless login API operation op and
// decodes a 200 answer into out.
func (b *userAgent) postLoginJSON(tenant, op string, v, out any) {
	b.t.Helper()
	raw, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, issuerOf(b.s, tenant)+"/login/api/"+op, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	resp, body := b.send(req, tenant == "")
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("%s: %d %s", op, resp.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), out); err != nil {
		b.t.Fatal(err)
	}
}

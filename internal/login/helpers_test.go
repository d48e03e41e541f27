package login_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"golang.org/x/net/html"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The tests drive a real server on loopback with a cookie-keeping HTTP
// client that does not follow redirects, so every hop can be checked.

const testPassword = "correct horse battery staple"

type env struct {
	t   *testing.T
	srv *testserver.Server
}

// newMailEnv is a server that mails through a real SMTP sink (the mail
// is read as received over SMTP), on now when given (the MFA tests'
// clock), else on the real clock.
func newMailEnv(t *testing.T, now ...func() time.Time) (*env, *mailtest.Server) {
	t.Helper()
	return newMailEnvWith(t, nil, now...)
}

// newMailEnvWith is newMailEnv with more server environment, such as
// GATEHOUSE_DATABASE.
func newMailEnvWith(t *testing.T, extra map[string]string, now ...func() time.Time) (*env, *mailtest.Server) {
	t.Helper()
	ms := mailtest.Start(t, mailtest.Options{})
	o := testserver.Options{LoopbackIssuer: true, Env: map[string]string{
		"GATEHOUSE_SMTP_URL":  ms.URL(),
		"GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
	}}
	maps.Copy(o.Env, extra)
	if len(now) > 0 {
		o.Now = now[0]
	}
	return &env{t: t, srv: testserver.New(t, o)}, ms
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	quietRisk(t, srv)
	return &env{t: t, srv: srv}
}

// issuer of a tenant ("" for the default one).
func (e *env) issuer(tenant string) string {
	if tenant == "" {
		return e.srv.URL
	}
	return e.srv.URL + "/t/" + tenant
}

func (e *env) createTenant(slug, name string, branding ...gen.Branding) {
	e.t.Helper()
	in := gen.TenantCreate{Slug: slug, DisplayName: &name}
	if len(branding) > 0 {
		in.Branding = &branding[0]
	}
	r, err := e.srv.Admin.CreateTenantWithResponse(context.Background(), &gen.CreateTenantParams{}, in)
	if err != nil {
		e.t.Fatalf("create tenant: %v", err)
	}
	if r.JSON201 == nil {
		e.t.Fatalf("create tenant: %d %s", r.StatusCode(), r.Body)
	}
}

type userSpec struct {
	tenant, email, username        string
	noPassword, disabled, verified bool
}

// createUser creates a user through the Admin API, with testPassword
// unless noPassword, and returns its ID.
func (e *env) createUser(u userSpec) string {
	e.t.Helper()
	in := gen.UserCreate{Email: openapi_types.Email(u.email)}
	if !u.noPassword {
		pw := testPassword
		in.Password = &pw
	}
	if u.username != "" {
		in.Username = &u.username
	}
	if u.disabled {
		in.Disabled = &u.disabled
	}
	if u.verified {
		in.EmailVerified = &u.verified
	}
	ctx := context.Background()
	if u.tenant == "" {
		r, err := e.srv.Admin.CreateUserWithResponse(ctx, &gen.CreateUserParams{}, in)
		if err != nil {
			e.t.Fatalf("create user: %v", err)
		}
		if r.JSON201 == nil {
			e.t.Fatalf("create user: %d %s", r.StatusCode(), r.Body)
		}
		return r.JSON201.ID
	}
	r, err := e.srv.Admin.CreateTenantUserWithResponse(ctx, u.tenant, &gen.CreateTenantUserParams{}, in)
	if err != nil {
		e.t.Fatalf("create user: %v", err)
	}
	if r.JSON201 == nil {
		e.t.Fatalf("create user: %d %s", r.StatusCode(), r.Body)
	}
	return r.JSON201.ID
}

type clientSpec struct {
	tenant       string
	name         string
	redirectURI  string
	firstParty   bool
	confidential bool
	grants       []gen.GrantType
	logo         string
	// metadata is added to the client's settings (first_party is set
	// from firstParty).
	metadata map[string]any
	// requiredPurposes is the client's required_purposes.
	requiredPurposes []string
}

type client struct {
	id, secret, redirectURI string
	tenant                  string
}

func (e *env) createClient(c clientSpec) client {
	e.t.Helper()
	if c.redirectURI == "" {
		c.redirectURI = "http://127.0.0.1:9/callback" // never contacted: tests read Location
	}
	if c.name == "" {
		c.name = "Example App"
	}
	method := gen.TokenEndpointAuthMethodNone
	if c.confidential {
		method = gen.TokenEndpointAuthMethodClientSecretBasic
	}
	grants := c.grants
	if grants == nil {
		grants = []gen.GrantType{gen.GrantTypeAuthorizationCode, gen.GrantTypeRefreshToken}
	}
	metadata := map[string]any{"first_party": c.firstParty}
	maps.Copy(metadata, c.metadata)
	in := gen.ClientCreate{
		ClientName: c.name, RedirectUris: &[]string{c.redirectURI}, GrantTypes: &grants,
		TokenEndpointAuthMethod: &method, Metadata: &metadata,
	}
	if c.logo != "" {
		in.LogoURI = &c.logo
	}
	if c.requiredPurposes != nil {
		in.RequiredPurposes = &c.requiredPurposes
	}
	hasCode := false
	for _, g := range grants {
		hasCode = hasCode || g == gen.GrantTypeAuthorizationCode
	}
	if !hasCode {
		in.RedirectUris = nil
		in.ResponseTypes = &[]gen.ResponseType{}
	}
	ctx := context.Background()
	var out *gen.ClientWithSecret
	if c.tenant == "" {
		r, err := e.srv.Admin.CreateClientWithResponse(ctx, &gen.CreateClientParams{}, in)
		if err != nil {
			e.t.Fatalf("create client: %v", err)
		}
		if r.JSON201 == nil {
			e.t.Fatalf("create client: %d %s", r.StatusCode(), r.Body)
		}
		out = r.JSON201
	} else {
		r, err := e.srv.Admin.CreateTenantClientWithResponse(ctx, c.tenant, &gen.CreateTenantClientParams{}, in)
		if err != nil {
			e.t.Fatalf("create client: %v", err)
		}
		if r.JSON201 == nil {
			e.t.Fatalf("create client: %d %s", r.StatusCode(), r.Body)
		}
		out = r.JSON201
	}
	cl := client{id: out.ClientID, redirectURI: c.redirectURI, tenant: c.tenant}
	if out.ClientSecret != nil {
		cl.secret = *out.ClientSecret
	}
	return cl
}

// browser is a cookie jar and an HTTP client that stops at redirects.
type browser struct {
	t   *testing.T
	c   *http.Client
	jar *cookiejar.Jar
	// header is sent with every request.
	header http.Header
	// checked, when set, sends the JSON API calls, checking the responses
	// against the contract.
	checked *http.Client
	lastURL *url.URL
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, jar: jar, header: http.Header{}, c: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// resp is a read response.
type resp struct {
	status int
	header http.Header
	body   string
	url    *url.URL
}

func (r *resp) location(t *testing.T) *url.URL {
	t.Helper()
	if r.status < 300 || r.status > 399 {
		t.Fatalf("want a redirect from %s, got %d: %.600s", r.url, r.status, r.body)
	}
	u, err := r.url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (b *browser) do(req *http.Request) *resp {
	b.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	hc := b.c
	if b.checked != nil && strings.Contains(req.URL.Path, "/login/api/") {
		hc = b.checked
	}
	b.lastURL = req.URL
	res, err := hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return &resp{status: res.StatusCode, header: res.Header, body: string(raw), url: req.URL}
}

// burst sends n requests made by newReq at once, with the browser's
// cookies and headers, and counts the answers by status.
func (b *browser) burst(n int, newReq func() *http.Request) map[int]int {
	b.t.Helper()
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = newReq()
		for k, v := range b.header {
			reqs[i].Header[k] = v
		}
	}
	return apitest.Burst(b.t, b.c, reqs)
}

func (b *browser) get(u string) *resp {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) *resp {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) postJSON(u string, v any) *resp {
	b.t.Helper()
	raw, _ := json.Marshal(v)
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(string(raw)))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return b.do(req)
}

// follow GETs the redirect target of r.
func (b *browser) follow(r *resp) *resp {
	b.t.Helper()
	return b.get(r.location(b.t).String())
}

// htmlForm is a form found on a page, with the values a browser would send
// (hidden and prefilled inputs).
type htmlForm struct {
	action string
	values url.Values
	// buttons maps a submit button's name=value pairs.
	buttons []struct{ name, value string }
}

// forms parses the forms of an HTML page.
func (r *resp) forms(t *testing.T) []htmlForm {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	var out []htmlForm
	var cur *htmlForm
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				out = append(out, htmlForm{action: attr(n, "action"), values: url.Values{}})
				cur = &out[len(out)-1]
			case "input":
				if cur != nil && attr(n, "name") != "" {
					cur.values.Set(attr(n, "name"), attr(n, "value"))
				}
			case "button":
				if cur != nil && attr(n, "name") != "" {
					cur.buttons = append(cur.buttons, struct{ name, value string }{attr(n, "name"), attr(n, "value")})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// form returns the only form whose fields include all of names.
func (r *resp) form(t *testing.T, names ...string) htmlForm {
	t.Helper()
	for _, f := range r.forms(t) {
		ok := true
		for _, n := range names {
			if _, has := f.values[n]; !has {
				ok = false
			}
		}
		if ok {
			return f
		}
	}
	t.Fatalf("no form with %v on %s (%d): %.2000s", names, r.url, r.status, r.body)
	return htmlForm{}
}

// submitButtons returns the texts of the page's submit buttons, in order.
func (r *resp) submitButtons(t *testing.T) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "button" && attr(n, "type") == "submit" {
			out = append(out, strings.TrimSpace(textOf(n)))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// textOf is the text content of n.
func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// submit posts f as a browser would from the page at r, with extra fields.
func (b *browser) submit(r *resp, f htmlForm, extra ...string) *resp {
	b.t.Helper()
	vals := url.Values{}
	for k, v := range f.values {
		vals[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vals.Set(extra[i], extra[i+1])
	}
	target, err := r.url.Parse(f.action)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.post(target.String(), vals)
}

// authz is an authorization request with PKCE.
type authz struct {
	client   client
	scope    string
	state    string
	nonce    string
	verifier string
	extra    url.Values
}

func newAuthz(c client, scope string) *authz {
	return &authz{client: c, scope: scope, state: randString(), nonce: randString(), verifier: randString() + randString()}
}

func randString() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (a *authz) with(k, v string) *authz {
	if a.extra == nil {
		a.extra = url.Values{}
	}
	a.extra.Set(k, v)
	return a
}

func (a *authz) url(issuer string) string {
	sum := sha256.Sum256([]byte(a.verifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {a.client.id}, "redirect_uri": {a.client.redirectURI},
		"scope": {a.scope}, "state": {a.state}, "nonce": {a.nonce},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	for k, v := range a.extra {
		q[k] = v
	}
	return issuer + "/authorize?" + q.Encode()
}

// startLogin sends the browser to /authorize and follows it to the login
// page (one hop), which it returns.
func (b *browser) startLogin(issuer string, a *authz) *resp {
	b.t.Helper()
	r := b.get(a.url(issuer))
	loc := r.location(b.t)
	if !strings.HasSuffix(loc.Path, "/login") || loc.Query().Get("authRequestID") == "" {
		b.t.Fatalf("authorize redirected to %s, want the login page", loc)
	}
	return b.get(loc.String())
}

// signIn fills the sign-in form on page r.
func (b *browser) signIn(r *resp, identifier, password string) *resp {
	b.t.Helper()
	return b.submit(r, r.form(b.t, "identifier", "password"), "identifier", identifier, "password", password)
}

// callback checks that r redirects to the client with a code and the
// request's state, and returns the code.
func (a *authz) callback(t *testing.T, r *resp) string {
	t.Helper()
	loc := r.location(t)
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != a.client.redirectURI {
		t.Fatalf("redirected to %s, want the client's %s", loc, a.client.redirectURI)
	}
	q := loc.Query()
	if q.Get("state") != a.state {
		t.Fatalf("state = %q, want %q", q.Get("state"), a.state)
	}
	if q.Get("code") == "" {
		t.Fatalf("no code in %s", loc)
	}
	return q.Get("code")
}

// callbackError checks that r redirects to the client with error code.
func (a *authz) callbackError(t *testing.T, r *resp, code string) {
	t.Helper()
	loc := r.location(t)
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != a.client.redirectURI {
		t.Fatalf("redirected to %s, want the client's %s", loc, a.client.redirectURI)
	}
	if q := loc.Query(); q.Get("error") != code || q.Get("state") != a.state || q.Get("code") != "" {
		t.Fatalf("callback %s, want error=%s with the state", loc, code)
	}
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
}

// tokenRequest posts to the token endpoint as the client.
func (e *env) tokenRequest(c client, form url.Values) (int, tokens) {
	e.t.Helper()
	if c.secret == "" {
		form.Set("client_id", c.id)
	}
	req, _ := http.NewRequest(http.MethodPost, e.issuer(c.tenant)+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.secret != "" {
		req.SetBasicAuth(url.QueryEscape(c.id), url.QueryEscape(c.secret))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var tk tokens
	if err := json.NewDecoder(res.Body).Decode(&tk); err != nil {
		e.t.Fatal(err)
	}
	return res.StatusCode, tk
}

// idClaims are the ID token claims the tests look at; All holds every
// claim.
type idClaims struct {
	Subject       string         `json:"sub"`
	Email         string         `json:"email"`
	EmailVerified bool           `json:"email_verified"`
	All           map[string]any `json:"-"`
}

// exchange redeems a code, verifies the ID token with go-oidc
// against the tenant's discovery document (signature, audience, nonce and
// issuer), and returns the tokens and the token's claims.
func (e *env) exchange(a *authz, code string) (tokens, idClaims) {
	e.t.Helper()
	status, tk := e.tokenRequest(a.client, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.client.redirectURI},
		"code_verifier": {a.verifier},
	})
	if status != http.StatusOK || tk.IDToken == "" || tk.AccessToken == "" {
		e.t.Fatalf("token exchange: %d %+v", status, tk)
	}
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, e.issuer(a.client.tenant))
	if err != nil {
		e.t.Fatal(err)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: a.client.id}).Verify(ctx, tk.IDToken)
	if err != nil {
		e.t.Fatalf("ID token: %v", err)
	}
	if idt.Nonce != a.nonce {
		e.t.Fatalf("nonce = %q, want %q", idt.Nonce, a.nonce)
	}
	if idt.Issuer != e.issuer(a.client.tenant) {
		e.t.Fatalf("iss = %q, want %q", idt.Issuer, e.issuer(a.client.tenant))
	}
	var cl idClaims
	if err := idt.Claims(&cl); err != nil {
		e.t.Fatal(err)
	}
	if err := idt.Claims(&cl.All); err != nil {
		e.t.Fatal(err)
	}
	return tk, cl
}

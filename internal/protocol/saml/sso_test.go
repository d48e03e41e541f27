package saml_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const testPassword = "correct horse battery staple 42"

// ssoEnv is a Gatehouse with one user and a crewjam samlsp service
// provider registered from its metadata URL.
type ssoEnv struct {
	t      *testing.T
	srv    *testserver.Server
	sp     *httptest.Server
	mw     *samlsp.Middleware
	spID   string
	userID string
}

func newSSOEnv(t *testing.T, edit func(*gen.SamlServiceProviderCreate)) *ssoEnv {
	return newSSOEnvMFA(t, nil, edit)
}

func newSSOEnvMFA(t *testing.T, mfa *identity.MFAPolicy, edit func(*gen.SamlServiceProviderCreate)) *ssoEnv {
	t.Helper()
	srv := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ctx := context.Background()
	if mfa != nil {
		if _, err := srv.App.Directory.UpdateTenant(ctx, "", 0, func(t *identity.Tenant) error {
			t.MFA = *mfa
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	e := &ssoEnv{t: t, srv: srv}
	pw := testPassword
	verified := true
	ur, err := srv.Admin.CreateUserWithResponse(ctx, &gen.CreateUserParams{}, gen.UserCreate{
		Email: openapi_types.Email("jane@example.org"), Password: &pw, EmailVerified: &verified,
		GivenName: ptr("Jane"), Attributes: &gen.UserAttributes{"groups": []any{"staff", "admins"}}})
	if err != nil || ur.JSON201 == nil {
		t.Fatalf("create user: %v %s", err, ur.Body)
	}
	e.userID = ur.JSON201.ID

	sp := newTestSP(t, srv, "127.0.0.1", edit)
	e.sp, e.mw, e.spID = sp.srv, sp.mw, sp.id
	return e
}

// testSP is a crewjam samlsp service provider registered with a
// Gatehouse: /hello needs a SAML session and says who is signed in;
// /saml/slo answers the IdP's LogoutRequests.
type testSP struct {
	srv *httptest.Server
	url string // with host, which tells SPs' cookies apart
	mw  *samlsp.Middleware
	id  string
}

func newTestSP(t *testing.T, srv *testserver.Server, host string, edit func(*gen.SamlServiceProviderCreate)) *testSP {
	t.Helper()
	ctx := context.Background()
	key, cert := spCreds(t)
	idpMD, err := samlsp.FetchMetadata(ctx, http.DefaultClient, *mustURL(srv.URL + "/saml/metadata"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	sp := &testSP{srv: httptest.NewServer(mux)}
	t.Cleanup(sp.srv.Close)
	sp.url = strings.Replace(sp.srv.URL, "127.0.0.1", host, 1)
	mw, err := samlsp.New(samlsp.Options{URL: *mustURL(sp.url), Key: key, Certificate: cert, IDPMetadata: idpMD,
		SignRequest: true, AllowIDPInitiated: true, DefaultRedirectURI: "/hello"})
	if err != nil {
		t.Fatal(err)
	}
	mw.ServiceProvider.AuthnNameIDFormat = crewjam.EmailAddressNameIDFormat
	sp.mw = mw
	mux.Handle("/saml/", mw)
	mux.HandleFunc("/logout", mw.HandleStartLogout) // SP-initiated single logout
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "home") })
	mux.Handle("/hello", mw.RequireAccount(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := samlsp.SessionFromContext(r.Context()).(samlsp.JWTSessionClaims)
		fmt.Fprintf(w, "hello %s email=%s groups=%s", s.Subject, samlsp.AttributeFromContext(r.Context(), "email"),
			strings.Join(s.Attributes["groups"], ","))
	})))

	in := gen.SamlServiceProviderCreate{MetadataURL: ptr(sp.url + "/saml/metadata"),
		Attributes: &gen.SamlAttributeMapping{"email": "email", "givenName": "given_name", "groups": "groups"}}
	if edit != nil {
		edit(&in)
	}
	r, err := srv.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, in)
	if err != nil || r.JSON201 == nil {
		t.Fatalf("register SP: %v %s", err, r.Body)
	}
	sp.id = r.JSON201.ID
	return sp
}

func ptr[T any](v T) *T { return &v }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func spCreds(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "sp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return k, c
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, Transport: apitest.Transport(t, nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(apitest.Unchecked(req))
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func (b *browser) get(u string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

func (b *browser) postForm(u string, f url.Values) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// follow follows redirects from u (resolving relative ones) and returns
// the last response.
func (b *browser) follow(u string) (*http.Response, string, string) {
	b.t.Helper()
	for range 10 {
		resp, body := b.get(u)
		if resp.StatusCode/100 != 3 {
			return resp, body, u
		}
		next, err := mustURL(u).Parse(resp.Header.Get("Location"))
		if err != nil {
			b.t.Fatal(err)
		}
		u = next.String()
	}
	b.t.Fatal("too many redirects")
	return nil, "", ""
}

// signIn answers the login API for the authorization request in the
// login URL and returns its answer.
func (b *browser) signIn(issuer, loginURL, password string) gen.LoginResult {
	b.t.Helper()
	id := mustURL(loginURL).Query().Get("authRequestID")
	body, _ := json.Marshal(gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: "jane@example.org", Password: password})
	req, _ := http.NewRequest(http.MethodPost, issuer+"/login/api/authenticate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, raw := b.do(req)
	var res gen.LoginResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		b.t.Fatalf("login API %d: %s", resp.StatusCode, raw)
	}
	return res
}

var (
	formActionRe = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	inputRe      = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// autoPost submits the auto-posting page as a browser without
// JavaScript would (its button), and returns the SP's answer.
func (b *browser) autoPost(resp *http.Response, body string) (*http.Response, string) {
	b.t.Helper()
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<button type="submit">`) {
		b.t.Fatalf("want the auto-post page, got %d:\n%s", resp.StatusCode, body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !regexp.MustCompile(`form-action http://(127\.0\.0\.1|localhost):`).MatchString(csp) || !strings.Contains(csp, "default-src 'none'") {
		b.t.Errorf("CSP %q", csp)
	}
	m := formActionRe.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no form: %s", body)
	}
	f := url.Values{}
	for _, in := range inputRe.FindAllStringSubmatch(body, -1) {
		f.Set(in[1], htmlUnescape(in[2]))
	}
	return b.postForm(htmlUnescape(m[1]), f)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&#61;", "=").Replace(s)
}

// SP-initiated sign-in: the SP's redirect to /saml/sso, the hosted login,
// the auto-posted Response the SP verifies, NameID and attributes; then a
// second SP-initiated sign-in in the same browser needs no login.
func TestSPInitiatedSSO(t *testing.T) {
	e := newSSOEnv(t, nil)
	b := newBrowser(t)
	resp, body, at := b.follow(e.sp.URL + "/hello")
	if resp.StatusCode != http.StatusOK || !strings.Contains(at, "/login?authRequestID=") {
		t.Fatalf("want the login page, at %s: %d %s", at, resp.StatusCode, body)
	}
	res := b.signIn(e.srv.URL, at, testPassword)
	if res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		t.Fatalf("login: %+v", res)
	}
	resp, body = b.get(*res.RedirectTo)
	resp, body = b.autoPost(resp, body)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
	resp, body, _ = b.follow(e.sp.URL + "/hello")
	if resp.StatusCode != http.StatusOK || body != "hello jane@example.org email=jane@example.org groups=staff,admins" {
		t.Fatalf("SP page: %d %q", resp.StatusCode, body)
	}

	// Signed in already: a new AuthnRequest is answered without the login page.
	jar := b.c.Jar
	for _, c := range jar.Cookies(mustURL(e.sp.URL)) {
		if c.Name == "token" {
			jar.SetCookies(mustURL(e.sp.URL), []*http.Cookie{{Name: "token", Value: "", Path: "/", MaxAge: -1}})
		}
	}
	resp, body, at = b.follow(e.sp.URL + "/hello")
	if !strings.Contains(at, "/saml/sso/complete") {
		t.Fatalf("second sign-in stopped at %s (%d)", at, resp.StatusCode)
	}
	resp, body = b.autoPost(resp, body)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
}

// IdP-initiated sign-in works only for SPs that allow it.
func TestIdPInitiatedSSO(t *testing.T) {
	e := newSSOEnv(t, func(in *gen.SamlServiceProviderCreate) { in.AllowIdpInitiated = ptr(true) })
	b := newBrowser(t)
	resp, body, at := b.follow(e.srv.URL + "/saml/sso/init?sp=" + e.spID + "&RelayState=/hello")
	if resp.StatusCode != http.StatusOK || !strings.Contains(at, "/login?authRequestID=") {
		t.Fatalf("want the login page, at %s: %d %s", at, resp.StatusCode, body)
	}
	res := b.signIn(e.srv.URL, at, testPassword)
	resp, body = b.get(*res.RedirectTo)
	resp, body = b.autoPost(resp, body)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
	resp, body, _ = b.follow(e.sp.URL + "/hello")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "hello jane@example.org") {
		t.Fatalf("SP page: %d %q", resp.StatusCode, body)
	}

	other := newSSOEnv(t, nil) // allow_idp_initiated false
	resp, body = newBrowser(t).get(other.srv.URL + "/saml/sso/init?sp=" + other.spID)
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "<form") {
		t.Fatalf("IdP-initiated for an SP that does not allow it: %d %s", resp.StatusCode, body)
	}
}

// A sign-in that still owes a step (here: MFA enrolment the tenant
// requires) gets no Response: not from the login, not by calling the
// completion endpoint, not by starting another AuthnRequest.
func TestHalfFinishedSignInGetsNoResponse(t *testing.T) {
	e := newSSOEnvMFA(t, &identity.MFAPolicy{Mode: factor.ModeRequired}, nil)
	b := newBrowser(t)
	_, _, at := b.follow(e.sp.URL + "/hello")
	res := b.signIn(e.srv.URL, at, testPassword)
	if res.Status != gen.LoginResultStatusMfaRequired || res.RedirectTo != nil {
		t.Fatalf("a sign-in owing MFA completed: %+v", res)
	}
	// The attacker calls the completion endpoint with every pending cookie.
	for _, c := range b.c.Jar.Cookies(mustURL(e.srv.URL + "/saml/sso/complete")) {
		if state, ok := strings.CutPrefix(c.Name, "gh_saml_"); ok {
			resp, body := b.get(e.srv.URL + "/saml/sso/complete?state=" + state + "&code=x")
			if resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "SAMLResponse") {
				t.Fatalf("completion without a finished sign-in: %d %s", resp.StatusCode, body)
			}
		}
	}
	// A fresh AuthnRequest in the same browser shows the login again.
	resp, body, at := b.follow(e.sp.URL + "/hello")
	if !strings.Contains(at, "/login?authRequestID=") || strings.Contains(body, "SAMLResponse") {
		t.Fatalf("second request with a half-finished session ended at %s: %d", at, resp.StatusCode)
	}
}

// Refused requests get an error page, never a form to the ACS, never 500.
func TestSSORefusals(t *testing.T) {
	e := newSSOEnv(t, func(in *gen.SamlServiceProviderCreate) { in.RequireSignedRequests = ptr(true) })
	sp := &e.mw.ServiceProvider
	check := func(name string, resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "<form") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}
	redirect := func(mod func(*crewjam.AuthnRequest), sign bool) string {
		req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(crewjam.HTTPRedirectBinding), crewjam.HTTPRedirectBinding, crewjam.HTTPPostBinding)
		if err != nil {
			t.Fatal(err)
		}
		if mod != nil {
			mod(req)
		}
		saved := sp.SignatureMethod
		if !sign {
			sp.SignatureMethod = ""
		}
		u, err := req.Redirect("", sp)
		sp.SignatureMethod = saved
		if err != nil {
			t.Fatal(err)
		}
		return u.String()
	}
	b := newBrowser(t)
	// Replay: the same signed request twice.
	u := redirect(nil, true)
	if resp, _ := b.get(u); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use: %d", resp.StatusCode)
	}
	resp, body := b.get(u)
	check("replayed", resp, body)
	resp, body = b.get(redirect(nil, false))
	check("unsigned", resp, body)
	resp, body = b.get(redirect(func(r *crewjam.AuthnRequest) { r.AssertionConsumerServiceURL = "https://evil.example/acs" }, true))
	check("unregistered ACS", resp, body)
	resp, body = b.get(redirect(func(r *crewjam.AuthnRequest) { r.Issuer.Value = "https://unknown.example/sp" }, true))
	check("unknown SP", resp, body)
	resp, body = b.get(e.srv.URL + "/saml/sso?SAMLRequest=%%%")
	check("garbage", resp, body)
	resp, body = b.postForm(e.srv.URL+"/saml/sso", url.Values{"SAMLRequest": {"PD94bWwgdmVyc2lvbj0iMS4wIj8+PCFET0NUWVBFIHg+PHgvPg=="}})
	check("DTD", resp, body)
	resp, body = b.get(e.srv.URL + "/saml/sso/complete?state=nope&code=x")
	check("no pending request", resp, body)
}

// SP-initiated single logout ends the Gatehouse session: the next
// AuthnRequest shows the login page again. An unsigned LogoutRequest is
// refused.
func TestSingleLogout(t *testing.T) {
	e := newSSOEnv(t, nil)
	b := newBrowser(t)
	_, _, at := b.follow(e.sp.URL + "/hello")
	res := b.signIn(e.srv.URL, at, testPassword)
	resp, body := b.get(*res.RedirectTo)
	if resp, body = b.autoPost(resp, body); resp.StatusCode != http.StatusFound {
		t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
	sp := &e.mw.ServiceProvider

	saved := sp.SignatureMethod
	sp.SignatureMethod = ""
	unsigned, err := sp.MakeRedirectLogoutRequest("jane@example.org", "")
	sp.SignatureMethod = saved
	if err != nil {
		t.Fatal(err)
	}
	resp, body = b.get(unsigned.String())
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "<form") {
		t.Fatalf("unsigned LogoutRequest: %d %s", resp.StatusCode, body)
	}

	u, err := sp.MakeRedirectLogoutRequest("jane@example.org", "bye")
	if err != nil {
		t.Fatal(err)
	}
	resp, body = b.get(u.String())
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, e.sp.URL+"/saml/slo?SAMLResponse=") {
		t.Fatalf("LogoutRequest: %d %s %s", resp.StatusCode, loc, body)
	}
	if _, err := sp.ParseLogoutResponse(httptest.NewRequest(http.MethodGet, loc, nil), []string{redirectMessageID(t, u.String(), "SAMLRequest")}); err != nil {
		t.Errorf("the SP refuses the LogoutResponse: %v", err)
	}
	b.c.Jar.SetCookies(mustURL(e.sp.URL), []*http.Cookie{{Name: "token", Value: "", Path: "/", MaxAge: -1}})
	_, _, at = b.follow(e.sp.URL + "/hello")
	if !strings.Contains(at, "/login?authRequestID=") {
		t.Fatalf("after logout the next sign-in ended at %s", at)
	}
}

// redirectWith sends an AuthnRequest the SP made and mod changed.
func (e *ssoEnv) redirectWith(t *testing.T, mod func(*crewjam.AuthnRequest)) string {
	sp := &e.mw.ServiceProvider
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(crewjam.HTTPRedirectBinding), crewjam.HTTPRedirectBinding, crewjam.HTTPPostBinding)
	if err != nil {
		t.Fatal(err)
	}
	mod(req)
	u, err := req.Redirect("", sp)
	if err != nil {
		t.Fatal(err)
	}
	return u.String()
}

// IsPassive never shows the login: without a session the SP gets a
// signed NoPassive Response. ForceAuthn shows the login to a signed-in
// user; RequestedAuthnContext for MFA asks the login for a second factor.
// The metrics count what was answered.
func TestPassiveForceAuthnAndACR(t *testing.T) {
	e := newSSOEnv(t, nil)
	b := newBrowser(t)
	yes := true
	resp, body, at := b.follow(e.redirectWith(t, func(r *crewjam.AuthnRequest) { r.IsPassive = &yes }))
	if !strings.Contains(at, "/saml/sso/complete") || !strings.Contains(body, `name="SAMLResponse"`) {
		t.Fatalf("IsPassive ended at %s: %d %s", at, resp.StatusCode, body)
	}
	m := inputRe.FindStringSubmatch(body)
	raw, _ := base64.StdEncoding.DecodeString(htmlUnescape(m[2]))
	if !strings.Contains(string(raw), "urn:oasis:names:tc:SAML:2.0:status:NoPassive") || strings.Contains(string(raw), "Assertion") {
		t.Fatalf("IsPassive Response: %s", raw)
	}

	// Sign in, then ForceAuthn asks again.
	_, _, at = b.follow(e.sp.URL + "/hello")
	res := b.signIn(e.srv.URL, at, testPassword)
	resp, body = b.get(*res.RedirectTo)
	if resp, body = b.autoPost(resp, body); resp.StatusCode != http.StatusFound {
		t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
	_, _, at = b.follow(e.redirectWith(t, func(r *crewjam.AuthnRequest) { r.ForceAuthn = &yes }))
	if !strings.Contains(at, "/login?authRequestID=") {
		t.Fatalf("ForceAuthn ended at %s", at)
	}
	// MFA requested: the signed-in (password) session must step up.
	_, _, at = b.follow(e.redirectWith(t, func(r *crewjam.AuthnRequest) {
		r.RequestedAuthnContext = &crewjam.RequestedAuthnContext{Comparison: "minimum", AuthnContextClassRefs: []string{"https://refeds.org/profile/mfa"}}
	}))
	if strings.Contains(at, "/saml/sso/complete") {
		t.Fatalf("a password session was answered for an MFA request (%s)", at)
	}

	if logs := e.srv.Logs.String(); strings.Contains(logs, "recording the event failed") || strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("logs:\n%s", grepLines(logs, "saml"))
	}
	for typ, want := range map[string]int{"saml.sso": 2} {
		r, err := e.srv.Admin.ListEventsWithResponse(context.Background(), &gen.ListEventsParams{Type: &typ})
		if err != nil || r.JSON200 == nil || len(r.JSON200.Items) != want {
			t.Errorf("audit %s: %v %s", typ, err, r.Body)
		}
	}
	resp, body = newBrowser(t).get(e.srv.URL + "/metrics")
	if resp.StatusCode != http.StatusOK || (!strings.Contains(body, `gatehouse_saml_messages_total{kind="sso",outcome="issued"} 1`) ||
		!strings.Contains(body, `gatehouse_saml_messages_total{kind="sso",outcome="status"} 1`)) {
		t.Errorf("metrics:\n%s", grepLines(body, "gatehouse_saml"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

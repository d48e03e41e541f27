package login_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// BenchmarkSAMLCallbackHTTP measures the whole hosted SAML callback: the
// browser's same-site POST of the IdP's Response to the ACS (with the
// state cookie) through the server's middleware, the sealed state, the
// connector built from the stored connection (IdP metadata parsed), the
// Response's checks, the replay store's insert in the database, the
// sign-in service (identity found, risk, session, events) and the
// redirect to the client with a code. There is no upstream round trip:
// the Response comes with the POST. Each iteration signs in again
// (authorize, button, the IdP's answer: outside the timed part), and the
// process CPU (getrusage) is sampled around the POST only, reported as
// gatehouse-cpu-ms/op; client and server share the process, so the
// figure includes the client's side of one loopback request.
func BenchmarkSAMLCallbackHTTP(b *testing.B) {
	srv := testserver.New(b, testserver.Options{LoopbackIssuer: true})
	ctx := context.Background()
	if r, err := srv.Admin.ReplaceRiskPolicyWithBodyWithResponse(ctx, "application/json",
		strings.NewReader(`{"new_device":"off","new_country":"off"}`)); err != nil || r.StatusCode() != http.StatusOK {
		b.Fatal(err)
	}
	p := startSAMLIdPAt(b, "127.0.0.1")
	body, _ := json.Marshal(map[string]any{"id": "corp-saml", "type": "saml", "display_name": "Corp SAML", "idp_metadata_xml": p.metadata})
	if r, err := srv.Admin.CreateConnectionWithBodyWithResponse(ctx, &gen.CreateConnectionParams{}, "application/json",
		strings.NewReader(string(body))); err != nil || r.StatusCode() != http.StatusCreated {
		b.Fatalf("connection: %v", err)
	}
	md := benchGet(b, http.DefaultClient, srv.URL+"/login/connections/corp-saml/saml/metadata")
	p.do(b, http.MethodPut, "/services/gatehouse", md)
	redirect := "http://127.0.0.1:9/callback"
	grants := []gen.GrantType{gen.GrantTypeAuthorizationCode}
	none := gen.TokenEndpointAuthMethodNone
	meta := map[string]any{"first_party": true}
	cr, err := srv.Admin.CreateClientWithResponse(ctx, &gen.CreateClientParams{}, gen.ClientCreate{ClientName: "Bench",
		RedirectUris: &[]string{redirect}, GrantTypes: &grants, TokenEndpointAuthMethod: &none, Metadata: &meta})
	if err != nil || cr.JSON201 == nil {
		b.Fatalf("client: %v", err)
	}
	authorize := srv.URL + "/authorize?" + url.Values{"response_type": {"code"}, "client_id": {cr.JSON201.ClientID},
		"redirect_uri": {redirect}, "scope": {"openid"}, "state": {"s"}, "code_challenge_method": {"S256"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}}.Encode()
	acs := srv.URL + "/login/connections/corp-saml/saml/acs"

	var cpu int64
	var ru syscall.Rusage
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		form := benchSAMLAnswer(b, p, authorize)
		b.StartTimer()
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		before := ru.Utime.Nano() + ru.Stime.Nano()
		resp, err := form.client.PostForm(acs, form.values)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		cpu += ru.Utime.Nano() + ru.Stime.Nano() - before
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, redirect) {
			b.Fatalf("ACS: %d %s", resp.StatusCode, loc)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "gatehouse-cpu-ms/op")
}

// BenchmarkOIDCCallbackHTTP measures the whole hosted OpenID Connect
// callback against zitadel/oidc's example OP on loopback: the browser's
// GET of the redirect_uri (code and state, with the state cookie) through
// the server's middleware, the sealed state, the connector (cached: the
// upstream's discovery and JWKS were fetched by an earlier sign-in), the
// code exchange with the PKCE verifier (one loopback round trip to the
// upstream's token endpoint), the ID token's checks (RS256, issuer,
// audience, expiry, nonce), the sign-in service (identity found, risk
// policy off, session, events) and the redirect to the client with a
// code. Each iteration is a new browser signing in again (authorize,
// button, the upstream's login: outside the timed part). The process CPU
// around the GET counts the upstream's token endpoint too, which runs in
// this process: gatehouse-cpu-ms/op is an upper bound of Gatehouse's
// share (the CPU profile tells the upstream's part apart).
func BenchmarkOIDCCallbackHTTP(b *testing.B) {
	srv := testserver.New(b, testserver.Options{LoopbackIssuer: true})
	ctx := context.Background()
	if r, err := srv.Admin.ReplaceRiskPolicyWithBodyWithResponse(ctx, "application/json",
		strings.NewReader(`{"new_device":"off","new_country":"off"}`)); err != nil || r.StatusCode() != http.StatusOK {
		b.Fatal(err)
	}
	up := startUpstream(b, srv.URL+"/login/connections/upstream/callback")
	upHost := strings.TrimSuffix(strings.TrimPrefix(up, "http://"), "/")
	body, _ := json.Marshal(map[string]any{"id": "upstream", "type": "oidc", "display_name": "Upstream IdP", "issuer": up,
		"client_id": "gatehouse-" + upHost, "client_secret": "s3cret"})
	if r, err := srv.Admin.CreateConnectionWithBodyWithResponse(ctx, &gen.CreateConnectionParams{}, "application/json",
		strings.NewReader(string(body))); err != nil || r.StatusCode() != http.StatusCreated {
		b.Fatalf("connection: %v", err)
	}
	redirect := "http://127.0.0.1:9/callback"
	grants := []gen.GrantType{gen.GrantTypeAuthorizationCode}
	none := gen.TokenEndpointAuthMethodNone
	meta := map[string]any{"first_party": true}
	cr, err := srv.Admin.CreateClientWithResponse(ctx, &gen.CreateClientParams{}, gen.ClientCreate{ClientName: "Bench",
		RedirectUris: &[]string{redirect}, GrantTypes: &grants, TokenEndpointAuthMethod: &none, Metadata: &meta})
	if err != nil || cr.JSON201 == nil {
		b.Fatalf("client: %v", err)
	}
	authorize := srv.URL + "/authorize?" + url.Values{"response_type": {"code"}, "client_id": {cr.JSON201.ClientID},
		"redirect_uri": {redirect}, "scope": {"openid"}, "state": {"s"}, "code_challenge_method": {"S256"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}}.Encode()
	signIn := func() (*http.Client, string) {
		c, to := benchStart(b, authorize, "upstream")
		login, err := benchLocation(c, to)
		if err != nil {
			b.Fatal(err)
		}
		host, _, _ := strings.Cut(upHost, ":")
		resp, err := c.PostForm(strings.TrimSuffix(up, "/")+"/login/username", url.Values{"id": {login.Query().Get("authRequestID")},
			"username": {"test-user@" + host}, "password": {"verysecure"}})
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		next, err := resp.Location()
		if err != nil {
			b.Fatalf("upstream login: %d", resp.StatusCode)
		}
		back, err := benchLocation(c, next.String())
		if err != nil {
			b.Fatal(err)
		}
		return c, back.String()
	}
	check := func(resp *http.Response) {
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, redirect) {
			b.Fatalf("callback: %d %s", resp.StatusCode, loc)
		}
	}
	// A first sign-in provisions the user and warms the connector
	// (discovery, JWKS), as a running server's is.
	c, cb := signIn()
	resp, err := c.Get(cb)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	check(resp)

	var cpu int64
	var ru syscall.Rusage
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		c, cb := signIn()
		b.StartTimer()
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		before := ru.Utime.Nano() + ru.Stime.Nano()
		resp, err := c.Get(cb)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		cpu += ru.Utime.Nano() + ru.Stime.Nano() - before
		check(resp)
	}
	b.StopTimer()
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "gatehouse-cpu-ms/op")
}

// benchStart runs authorize and the connection's button in a fresh
// browser (which follows no redirects afterwards) and returns it with
// where the button sent it.
func benchStart(b *testing.B, authorize, connection string) (*http.Client, string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	page := benchGet(b, c, authorize) // follows to the sign-in page
	m := regexp.MustCompile(`href="([^"]+)" data-connection="` + regexp.QuoteMeta(connection) + `"`).FindStringSubmatch(page)
	if m == nil {
		b.Fatalf("no button: %.300s", page)
	}
	base, _ := url.Parse(authorize)
	start, _ := base.Parse(html.UnescapeString(m[1]))
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	to, err := benchLocation(c, start.String())
	if err != nil {
		b.Fatal(err)
	}
	return c, to.String()
}

// benchLocation GETs u and returns where it redirects.
func benchLocation(c *http.Client, u string) (*url.URL, error) {
	resp, err := c.Get(u)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp.Location()
}

type benchForm struct {
	client *http.Client
	values url.Values
}

var (
	benchButton = regexp.MustCompile(`href="([^"]+)" data-connection="corp-saml"`)
	benchHidden = regexp.MustCompile(`name="(SAMLResponse|RelayState)" value="([^"]*)"`)
)

// benchSAMLAnswer runs authorize, the button and the IdP (signed in
// already) in a fresh browser, and returns it with the IdP's answer.
func benchSAMLAnswer(b *testing.B, p *samlIdP, authorize string) benchForm {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	page := benchGet(b, c, authorize) // follows to the sign-in page
	m := benchButton.FindStringSubmatch(page)
	if m == nil {
		b.Fatalf("no button: %.300s", page)
	}
	base, _ := url.Parse(authorize)
	start, _ := base.Parse(html.UnescapeString(m[1]))
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(start.String())
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	sso, err := resp.Location()
	if err != nil {
		b.Fatal(err)
	}
	answer := benchGet(b, p.session, sso.String())
	vals := url.Values{}
	for _, h := range benchHidden.FindAllStringSubmatch(answer, -1) {
		vals.Set(h[1], html.UnescapeString(h[2]))
	}
	if vals.Get("SAMLResponse") == "" {
		b.Fatalf("no SAMLResponse: %.300s", answer)
	}
	return benchForm{client: c, values: vals}
}

func benchGet(b *testing.B, c *http.Client, u string) string {
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

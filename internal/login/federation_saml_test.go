package login_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/crewjam/saml/logger"
	"github.com/crewjam/saml/samlidp"
)

// Federated sign-in through a SAML connection from the hosted login,
// against crewjam's samlidp (a third-party IdP) in-process on loopback:
// the button, the AuthnRequest, the IdP's auto-posted Response to the
// ACS (a cross-site POST without the SameSite=Lax state cookie, so the
// callback posts it again from its own origin), then signed in. The
// RelayState is the sealed state and InResponseTo the AuthnRequest this
// browser's login sent; a replayed assertion is refused through the
// database's replay store.

const samlUserEmail = "alice@idp.test"

type samlIdP struct {
	url      string
	metadata string
	session  *http.Client // a browser signed in at the IdP
}

// startSAMLIdPAt starts the IdP on loopback, named host in its URLs
// ("localhost" makes it another site than Gatehouse's 127.0.0.1).
func startSAMLIdPAt(t testing.TB, host string) *samlIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	u, _ := url.Parse("http://" + net.JoinHostPort(host, port))
	s, err := samlidp.New(samlidp.Options{URL: *u, Key: key, Signer: key, Certificate: cert,
		Store: &samlidp.MemoryStore{}, Logger: logger.DefaultLogger})
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: s}}
	srv.Start()
	t.Cleanup(srv.Close)
	p := &samlIdP{url: u.String()}
	p.metadata = string(p.do(t, http.MethodGet, "/metadata", ""))
	p.do(t, http.MethodPut, "/users/alice", fmt.Sprintf(`{"name":"alice","password":"hunter2-correct","email":%q,
		"common_name":"Alice Liddell","given_name":"Alice","surname":"Liddell","groups":["staff"]}`, samlUserEmail))
	jar, _ := cookiejar.New(nil)
	p.session = &http.Client{Jar: jar, Timeout: 30 * time.Second}
	r, err := p.session.PostForm(p.url+"/login", url.Values{"user": {"alice"}, "password": {"hunter2-correct"}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	return p
}

func (p *samlIdP) do(t testing.TB, method, path, body string) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, p.url+path, strings.NewReader(body))
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s %s", method, path, r.Status, b)
	}
	return b
}

// answer follows the SSO URL at the IdP (signed in already) and returns
// the auto-post form it answers with: its action and fields.
func (p *samlIdP) answer(t *testing.T, sso *url.URL) (string, url.Values) {
	t.Helper()
	r, err := p.session.Get(sso.String())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	page := &resp{status: r.StatusCode, header: r.Header, body: string(b), url: sso}
	f := page.form(t, "SAMLResponse", "RelayState")
	return f.action, f.values
}

type samlEnv struct {
	*env
	idp    *samlIdP
	client client
	acs    string
}

func newSAMLEnv(t *testing.T) *samlEnv { t.Helper(); return newSAMLEnvAt(t, "127.0.0.1") }

func newSAMLEnvAt(t *testing.T, idpHost string) *samlEnv {
	t.Helper()
	e := newEnv(t)
	p := startSAMLIdPAt(t, idpHost)
	out := e.createConnection(map[string]any{"id": "corp-saml", "type": "saml", "display_name": "Corp SAML",
		"idp_metadata_xml": p.metadata})
	base := e.issuer("") + "/login/connections/corp-saml/saml/"
	if out["acs_url"] != base+"acs" || out["sp_metadata_url"] != base+"metadata" {
		t.Fatalf("URLs in the connection: acs_url %v, sp_metadata_url %v", out["acs_url"], out["sp_metadata_url"])
	}
	md := newBrowser(t).get(base + "metadata")
	if md.status != http.StatusOK || md.header.Get("Content-Type") != "application/samlmetadata+xml" ||
		!strings.Contains(md.body, `entityID="`+base+`metadata"`) || !strings.Contains(md.body, `Location="`+base+`acs"`) {
		t.Fatalf("SP metadata: %d %s %.800s", md.status, md.header.Get("Content-Type"), md.body)
	}
	p.do(t, http.MethodPut, "/services/gatehouse", md.body)
	return &samlEnv{env: e, idp: p, acs: base + "acs", client: e.createClient(clientSpec{name: "First App", firstParty: true})}
}

// toIdP runs authorize, the button and the start, and returns where the
// browser is sent: the IdP's SSO URL with the AuthnRequest.
func (s *samlEnv) toIdP(b *browser, a *authz) *url.URL {
	s.t.Helper()
	page := b.startLogin(s.issuer(""), a)
	href, name := button(s.t, page, "corp-saml")
	if !strings.Contains(name, "Corp SAML") {
		s.t.Fatalf("button name %q", name)
	}
	sso := b.get(s.srv.URL + href).location(s.t)
	if !strings.HasPrefix(sso.String(), s.idp.url) || sso.Query().Get("SAMLRequest") == "" || sso.Query().Get("RelayState") == "" {
		s.t.Fatalf("start sent the browser to %s", sso)
	}
	return sso
}

// crossSitePost posts the IdP's form to the ACS as a browser does from
// another site: without the SameSite=Lax cookie. It must answer with the
// page that posts it again from Gatehouse's origin.
func (s *samlEnv) crossSitePost(action string, form url.Values) *resp {
	s.t.Helper()
	hop := newBrowser(s.t).post(action, form)
	if hop.status != http.StatusOK || !strings.Contains(hop.header.Get("Content-Security-Policy"), "script-src 'sha256-") ||
		hop.header.Get("Set-Cookie") != "" {
		s.t.Fatalf("cross-site POST: %d %v %.600s", hop.status, hop.header, hop.body)
	}
	return hop
}

func TestSAMLSignInFromHostedLogin(t *testing.T) {
	s := newSAMLEnv(t)
	b := newBrowser(t)
	a := newAuthz(s.client, "openid email profile")
	action, form := s.idp.answer(t, s.toIdP(b, a))
	if action != s.acs {
		t.Fatalf("the IdP posts to %s, want %s", action, s.acs)
	}
	hop := s.crossSitePost(action, form)
	f := hop.form(t, "SAMLResponse", "RelayState", "gh_hop")
	if f.values.Get("SAMLResponse") != form.Get("SAMLResponse") || f.values.Get("RelayState") != form.Get("RelayState") {
		t.Fatal("the hop page does not post the IdP's answer unchanged")
	}
	// A copy of the state cookie, as an attacker who captured it would keep.
	u, _ := url.Parse(s.acs)
	stolen := b.jar.Cookies(u)
	done := b.submit(hop, f)
	_, id := s.exchange(a, a.callback(t, done))
	if id.Email != samlUserEmail || id.EmailVerified {
		t.Fatalf("ID token: %+v (a SAML IdP's email is not taken as verified)", id)
	}
	if amr, _ := id.All["amr"].([]any); len(amr) != 1 || amr[0] != "fed" {
		t.Errorf("amr = %v", id.All["amr"])
	}

	t.Run("replayed with a copied cookie", func(t *testing.T) {
		b2 := newBrowser(t)
		b2.jar.SetCookies(u, stolen)
		r := b2.post(s.acs, f.values)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid or has expired") {
			t.Fatalf("replay: %d %.600s", r.status, r.body)
		}
	})
	t.Run("posted to several nodes at once", func(t *testing.T) {
		// The same answer and cookie posted concurrently: one sign-in.
		b2 := newBrowser(t)
		action, form := s.idp.answer(t, s.toIdP(b2, newAuthz(s.client, "openid")))
		hop := s.crossSitePost(action, form)
		vals := hop.form(t, "SAMLResponse").values
		got := b2.burst(6, func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, s.acs, strings.NewReader(vals.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		})
		if got[http.StatusSeeOther]+got[http.StatusFound] != 1 || got[http.StatusBadRequest] != 5 {
			t.Fatalf("statuses %v, want one sign-in and five refusals", got)
		}
	})
	t.Run("second sign-in reuses the identity", func(t *testing.T) {
		b2 := newBrowser(t)
		a2 := newAuthz(s.client, "openid email")
		action, form := s.idp.answer(t, s.toIdP(b2, a2))
		hop := s.crossSitePost(action, form)
		_, id2 := s.exchange(a2, a2.callback(t, b2.submit(hop, hop.form(t, "SAMLResponse"))))
		if id2.Subject != id.Subject {
			t.Fatalf("second sign-in is %s, first %s", id2.Subject, id.Subject)
		}
	})
}

func TestSAMLSignInAttacks(t *testing.T) {
	s := newSAMLEnv(t)

	t.Run("another browser's response", func(t *testing.T) {
		// The victim's browser started a login; the attacker's answer (for
		// the attacker's own login) is posted into it: RelayState differs.
		victim, attacker := newBrowser(t), newBrowser(t)
		s.toIdP(victim, newAuthz(s.client, "openid"))
		action, form := s.idp.answer(t, s.toIdP(attacker, newAuthz(s.client, "openid")))
		hop := s.crossSitePost(action, form)
		r := victim.submit(hop, hop.form(t, "SAMLResponse"))
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "expired or was already used") {
			t.Fatalf("%d %.600s", r.status, r.body)
		}
	})
	t.Run("RelayState forged to match, InResponseTo does not", func(t *testing.T) {
		victim, attacker := newBrowser(t), newBrowser(t)
		sso := s.toIdP(victim, newAuthz(s.client, "openid"))
		action, form := s.idp.answer(t, s.toIdP(attacker, newAuthz(s.client, "openid")))
		form.Set("RelayState", sso.Query().Get("RelayState"))
		r := victim.post(action, form)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "could not be accepted") {
			t.Fatalf("%d %.600s", r.status, r.body)
		}
	})
	t.Run("cookieless re-post is not bounced again", func(t *testing.T) {
		r := newBrowser(t).post(s.acs, url.Values{"SAMLResponse": {"x"}, "RelayState": {"y"}, "gh_hop": {"1"}})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "expired or was already used") {
			t.Fatalf("%d %.600s", r.status, r.body)
		}
	})
	t.Run("hop page escapes what it echoes", func(t *testing.T) {
		r := newBrowser(t).post(s.acs, url.Values{"RelayState": {`"><script>alert(1)</script>`}, "other": {"dropped"}})
		if r.status != http.StatusOK || strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "dropped") {
			t.Fatalf("%d %.600s", r.status, r.body)
		}
	})
	t.Run("ACS of an OIDC connection, metadata of an unknown one", func(t *testing.T) {
		if r := newBrowser(t).get(s.issuer("") + "/login/connections/nope/saml/metadata"); r.status != http.StatusNotFound {
			t.Fatalf("unknown metadata: %d", r.status)
		}
	})
}

// TestBrowserSAMLSignIn drives headless Chromium through a SAML sign-in
// whose IdP is another site (localhost, Gatehouse is 127.0.0.1): the
// IdP's auto-posted Response is a cross-site POST, which Chromium sends
// without the SameSite=Lax state cookie; the hop page (its script allowed
// by hash in its CSP) posts it again from Gatehouse's origin with the
// cookie, and the client gets its code.
func TestBrowserSAMLSignIn(t *testing.T) {
	ctx := newChromiumFor(t, 60*time.Second)
	s := newSAMLEnvAt(t, "localhost")
	app := newClientApp(t)
	c := s.createClient(clientSpec{name: "Browser App", redirectURI: app.URL + "/callback", firstParty: true})
	a := newAuthz(c, "openid email")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(a.url(s.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS(`a[data-connection="corp-saml"]`)),
		chromedp.Click(chromedp.CSS(`a[data-connection="corp-saml"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="user"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="user"]`), "alice"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "hunter2-correct"),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	); err != nil {
		t.Fatal(err)
	}
	if email := s.appEmail(app, a); email != samlUserEmail {
		t.Fatalf("ID token email %q", email)
	}
}

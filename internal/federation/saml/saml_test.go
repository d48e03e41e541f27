package saml_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	crewsaml "github.com/crewjam/saml"
	"github.com/crewjam/saml/logger"
	"github.com/crewjam/saml/samlidp"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/saml"
)

// idp is crewjam's samlidp, a third-party SAML IdP, started in-process on
// loopback.
type idp struct {
	srv      *httptest.Server
	server   *samlidp.Server
	metadata string
}

func newKeyCert(t testing.TB, cn string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return key, cert
}

func startIdP(t testing.TB) *idp {
	t.Helper()
	key, cert := newKeyCert(t, "idp.test")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Listener.Close()
	srv.Listener = ln
	u, _ := url.Parse("http://" + ln.Addr().String())
	s, err := samlidp.New(samlidp.Options{URL: *u, Key: key, Signer: key, Certificate: cert,
		Store: &samlidp.MemoryStore{}, Logger: logger.DefaultLogger})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = s
	srv.Start()
	t.Cleanup(srv.Close)
	p := &idp{srv: srv, server: s}
	p.metadata = string(p.get(t, "/metadata"))
	pw := "hunter2-correct"
	p.put(t, "/users/alice", fmt.Sprintf(`{"name":"alice","password":%q,"email":"alice@idp.test","common_name":"Alice Liddell",
		"given_name":"Alice","surname":"Liddell","groups":["staff","admins"]}`, pw))
	return p
}

func (p *idp) get(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := http.Get(p.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

func (p *idp) put(t testing.TB, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, p.srv.URL+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("PUT %s: %s", path, resp.Status)
	}
}

// register tells the IdP about the connector (its SP metadata).
func (p *idp) register(t testing.TB, id string, c *saml.Connector) {
	t.Helper()
	md, err := c.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	p.put(t, "/services/"+id, string(md))
}

var hidden = regexp.MustCompile(`name="(SAMLResponse|SAMLRequest|RelayState)" value="([^"]*)"`)

func formValues(b []byte) map[string]string {
	out := map[string]string{}
	for _, m := range hidden.FindAllSubmatch(b, -1) {
		out[string(m[1])] = htmlUnescape(string(m[2]))
	}
	return out
}

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&#43;", "+", "&#x2B;", "+", "&#61;", "=", "&#x3D;", "=", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&#47;", "/")
	return r.Replace(s)
}

// signIn follows loginURL through the IdP's login form as a browser would
// and returns the form the IdP posts to the ACS URL.
func signIn(t testing.TB, loginURL, user, password string) map[string]string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	// Sign in at the IdP first: its login form re-posts the SAMLRequest
	// without the HTTP-Redirect binding's signature, so a signed request
	// must arrive when the IdP already has a session.
	lu, _ := url.Parse(loginURL)
	resp, err := cl.PostForm(lu.Scheme+"://"+lu.Host+"/login", url.Values{"user": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = cl.Get(loginURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	out := formValues(b)
	if out["SAMLResponse"] == "" {
		t.Fatalf("no SAMLResponse (%s): %.400s", resp.Status, b)
	}
	return out
}

func spKeyPEM(t testing.TB) string {
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// SP modes: no key (plaintext assertions), a key (the IdP encrypts
// assertions to it), a key signing the AuthnRequests too.
const (
	noKey = iota
	withKey
	signing
)

func newConnector(t testing.TB, p *idp, id string, mode int, o func(*saml.Options)) *saml.Connector {
	t.Helper()
	cfg := federation.Config{IdPMetadataXML: p.metadata}
	sec := federation.Secrets{}
	if mode == signing {
		yes := true
		cfg.SignRequests = &yes
	}
	if mode != noKey {
		sec.PrivateKeyPEM = spKeyPEM(t)
	}
	opts := saml.Options{ConnectionID: id, URLs: federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, id),
		Replay: &saml.MemoryReplayStore{}}
	if o != nil {
		o(&opts)
	}
	c, err := saml.New(cfg, sec, opts)
	if err != nil {
		t.Fatal(err)
	}
	p.register(t, id, c)
	return c
}

const state, nonce = "state-abc", "nonce-123"

func callback(form map[string]string) federation.Callback {
	return federation.Callback{Params: map[string][]string{"SAMLResponse": {form["SAMLResponse"]}, "RelayState": {form["RelayState"]}},
		State: state, Nonce: nonce}
}

func login(t testing.TB, p *idp, c *saml.Connector) map[string]string {
	t.Helper()
	u, err := c.LoginURL(t.Context(), state, nonce, federation.PKCE{})
	if err != nil {
		t.Fatal(err)
	}
	return signIn(t, u, "alice", "hunter2-correct")
}

func TestSignIn(t *testing.T) {
	p := startIdP(t)
	for mode, name := range []string{"plaintext assertion", "encrypted assertion", "signed AuthnRequest"} {
		t.Run(name, func(t *testing.T) {
			signed := mode == signing
			c := newConnector(t, p, fmt.Sprintf("okta-%d", mode), mode, nil)
			u, err := c.LoginURL(t.Context(), state, nonce, federation.PKCE{})
			if err != nil {
				t.Fatal(err)
			}
			q, _ := url.Parse(u)
			if got := q.Query().Has("Signature"); got != signed {
				t.Fatalf("Signature in the redirect: %v, want %v", got, signed)
			}
			form := signIn(t, u, "alice", "hunter2-correct")
			if form["RelayState"] != state {
				t.Fatalf("RelayState %q", form["RelayState"])
			}
			id, err := c.HandleCallback(t.Context(), callback(form))
			if err != nil {
				t.Fatal(err)
			}
			if id.Subject != "alice@idp.test" || id.Email != "alice@idp.test" || id.EmailVerified {
				t.Fatalf("identity %+v", id)
			}
			if id.GivenName != "Alice" || id.FamilyName != "Liddell" || len(id.Groups) != 2 {
				t.Fatalf("identity %+v", id)
			}
			// The same response again is a replay.
			if _, err := c.HandleCallback(t.Context(), callback(form)); !errors.Is(err, federation.ErrInvalidResponse) {
				t.Fatalf("replayed: %v", err)
			}
		})
	}
}

func TestMetadata(t *testing.T) {
	p := startIdP(t)
	c := newConnector(t, p, "corp", signing, nil)
	b, err := c.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	var ed crewsaml.EntityDescriptor
	if err := xml.Unmarshal(b, &ed); err != nil {
		t.Fatal(err)
	}
	urls := federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, "corp")
	if ed.EntityID != urls.SPMetadataURL || len(ed.SPSSODescriptors) != 1 {
		t.Fatalf("entity %q", ed.EntityID)
	}
	sp := ed.SPSSODescriptors[0]
	if len(sp.AssertionConsumerServices) == 0 || sp.AssertionConsumerServices[0].Location != urls.ACSURL ||
		sp.AssertionConsumerServices[0].Binding != crewsaml.HTTPPostBinding {
		t.Fatalf("ACS %+v", sp.AssertionConsumerServices)
	}
	if len(sp.KeyDescriptors) == 0 {
		t.Fatal("no key in the SP metadata")
	}
	// Stable across restarts: the same key and URLs make the same metadata.
	b2, _ := c.Metadata()
	if string(b) != string(b2) {
		t.Fatal("metadata changes between calls")
	}
}

// mutate decodes the SAMLResponse, lets f change the document and
// re-encodes it.
func mutate(t *testing.T, form map[string]string, f func(doc *etree.Document)) map[string]string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(form["SAMLResponse"])
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	f(doc)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"SAMLResponse": base64.StdEncoding.EncodeToString(out), "RelayState": form["RelayState"]}
}

func assertionOf(doc *etree.Document) *etree.Element {
	return doc.Root().FindElement("./Assertion")
}

func removeSignatures(el *etree.Element) {
	for _, s := range el.FindElements(".//Signature") {
		s.Parent().RemoveChild(s)
	}
}

func setNameID(a *etree.Element, v string) {
	a.FindElement("./Subject/NameID").SetText(v)
}

func TestRefused(t *testing.T) {
	p := startIdP(t)
	other := startIdP(t) // another IdP, with another key

	cases := []struct {
		name string
		// makes the callback from a fresh, genuine response
		make func(t *testing.T, c *saml.Connector, form map[string]string) federation.Callback
		want error
	}{
		{"tampered NameID", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) { setNameID(assertionOf(d), "mallory@idp.test") }))
		}, federation.ErrInvalidResponse},
		{"tampered attribute", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) {
				v := assertionOf(d).FindElement(".//AttributeValue")
				v.SetText(v.Text() + "x")
			}))
		}, federation.ErrInvalidResponse},
		{"unsigned", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) { removeSignatures(d.Root()) }))
		}, federation.ErrInvalidResponse},
		{"unsigned and altered", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) {
				removeSignatures(d.Root())
				setNameID(assertionOf(d), "mallory@idp.test")
			}))
		}, federation.ErrInvalidResponse},
		{"XSW: evil assertion before the signed one", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) {
				a := assertionOf(d)
				evil := a.Copy()
				removeSignatures(evil)
				evil.CreateAttr("ID", "_evil")
				setNameID(evil, "mallory@idp.test")
				d.Root().InsertChildAt(a.Index(), evil)
			}))
		}, federation.ErrInvalidResponse},
		{"XSW: evil assertion after the signed one", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) {
				a := assertionOf(d)
				evil := a.Copy()
				removeSignatures(evil)
				evil.CreateAttr("ID", "_evil")
				setNameID(evil, "mallory@idp.test")
				d.Root().AddChild(evil)
			}))
		}, federation.ErrInvalidResponse},
		{"XSW: signed assertion hidden in the evil one's signature", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) {
				a := assertionOf(d)
				evil := a.Copy()
				setNameID(evil, "mallory@idp.test")
				sig := evil.FindElement("./Signature")
				if sig == nil {
					t.Fatal("the test IdP must sign its assertions: this XSW case needs the signature to move")
				}
				obj := sig.CreateElement("ds:Object")
				d.Root().RemoveChild(a)
				obj.AddChild(a)
				d.Root().AddChild(evil)
			}))
		}, federation.ErrInvalidResponse},
		{"XSW: signed response wrapped in an evil response", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(mutate(t, f, func(d *etree.Document) {
				orig := d.Root()
				evil := orig.Copy()
				removeSignatures(evil)
				evil.CreateAttr("ID", "_evilresp")
				setNameID(assertionOf(&etree.Document{Element: etree.Element{Child: []etree.Token{evil}}}), "mallory@idp.test")
				ext := evil.CreateElement("samlp:Extensions")
				evil.InsertChildAt(0, ext)
				ext.AddChild(orig)
				d.SetRoot(evil)
			}))
		}, federation.ErrInvalidResponse},
		{"DTD", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			raw, _ := base64.StdEncoding.DecodeString(f["SAMLResponse"])
			s := strings.Replace(string(raw), "<samlp:Response", `<!DOCTYPE r [<!ENTITY x "mallory">]><samlp:Response`, 1)
			return callback(map[string]string{"SAMLResponse": base64.StdEncoding.EncodeToString([]byte(s)), "RelayState": f["RelayState"]})
		}, federation.ErrInvalidResponse},
		{"wrong RelayState", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			cb := callback(f)
			cb.State = "another-state"
			return cb
		}, federation.ErrState},
		{"InResponseTo another request", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			cb := callback(f)
			cb.Nonce = "another-nonce"
			return cb
		}, federation.ErrInvalidResponse},
		{"not base64", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(map[string]string{"SAMLResponse": "%%%", "RelayState": f["RelayState"]})
		}, federation.ErrInvalidResponse},
		{"no response", func(t *testing.T, c *saml.Connector, f map[string]string) federation.Callback {
			return callback(map[string]string{"RelayState": f["RelayState"]})
		}, federation.ErrInvalidResponse},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newConnector(t, p, fmt.Sprintf("c%d", i), noKey, nil)
			form := login(t, p, c)
			_, err := c.HandleCallback(t.Context(), tc.make(t, c, form))
			t.Logf("refused: %v", err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			// The genuine response is still accepted once: nothing above
			// consumed it.
			if tc.want != federation.ErrState {
				if _, err := c.HandleCallback(t.Context(), callback(form)); err != nil {
					t.Fatalf("the genuine response after the refused one: %v", err)
				}
			}
		})
	}

	t.Run("signed by another IdP", func(t *testing.T) {
		c := newConnector(t, p, "forged", noKey, nil)
		// The same SP at another IdP, with another key, answers the same
		// AuthnRequest.
		oc := newConnector(t, other, "forged", noKey, nil)
		form := login(t, other, oc)
		if _, err := c.HandleCallback(t.Context(), callback(form)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("audience and recipient of another SP", func(t *testing.T) {
		a := newConnector(t, p, "sp-a", noKey, nil)
		b := newConnector(t, p, "sp-b", noKey, nil)
		form := login(t, p, a)
		if _, err := b.HandleCallback(t.Context(), callback(form)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		c := newConnector(t, p, "late", noKey, nil)
		form := login(t, p, c)
		late, err := saml.New(federation.Config{IdPMetadataXML: p.metadata}, federation.Secrets{}, saml.Options{ConnectionID: "late",
			URLs: federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, "late"), Replay: &saml.MemoryReplayStore{},
			Now: func() time.Time { return time.Now().Add(time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := late.HandleCallback(t.Context(), callback(form)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("replayed to another instance sharing the store", func(t *testing.T) {
		store := &saml.MemoryReplayStore{}
		c1 := newConnector(t, p, "shared", noKey, func(o *saml.Options) { o.Replay = store })
		form := login(t, p, c1)
		c2, err := saml.New(federation.Config{IdPMetadataXML: p.metadata}, federation.Secrets{}, saml.Options{ConnectionID: "shared",
			URLs: federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, "shared"), Replay: store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c1.HandleCallback(t.Context(), callback(form)); err != nil {
			t.Fatal(err)
		}
		if _, err := c2.HandleCallback(t.Context(), callback(form)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSettings(t *testing.T) {
	urls := federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, "x")
	for name, cfg := range map[string]federation.Config{
		"DTD in metadata":   {IdPMetadataXML: `<!DOCTYPE x><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>`},
		"not metadata":      {IdPMetadataXML: `<html/>`},
		"no IdP descriptor": {IdPMetadataXML: `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := saml.New(cfg, federation.Secrets{}, saml.Options{URLs: urls, Replay: &saml.MemoryReplayStore{}})
			var ve *federation.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v", err)
			}
		})
	}
	yes := true
	_, err := saml.New(federation.Config{IdPMetadataXML: "<x/>", SignRequests: &yes}, federation.Secrets{},
		saml.Options{URLs: urls, Replay: &saml.MemoryReplayStore{}})
	if err == nil {
		t.Fatal("sign_requests without a key accepted")
	}
}

func TestMetadataURLDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c, err := saml.New(federation.Config{IdPMetadataURL: srv.URL + "/metadata"}, federation.Secrets{},
		saml.Options{URLs: federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, "x"), Replay: &saml.MemoryReplayStore{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LoginURL(t.Context(), state, nonce, federation.PKCE{}); !errors.Is(err, federation.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}

func TestMetadataURL(t *testing.T) {
	p := startIdP(t)
	c, err := saml.New(federation.Config{IdPMetadataURL: p.srv.URL + "/metadata"}, federation.Secrets{PrivateKeyPEM: spKeyPEM(t)},
		saml.Options{ConnectionID: "byurl", URLs: federation.URLsFor("https://gatehouse.test/t1", federation.TypeSAML, "byurl"), Replay: &saml.MemoryReplayStore{}})
	if err != nil {
		t.Fatal(err)
	}
	p.register(t, "byurl", c)
	form := login(t, p, c)
	if _, err := c.HandleCallback(t.Context(), callback(form)); err != nil {
		t.Fatal(err)
	}
}

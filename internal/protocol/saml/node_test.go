package saml_test

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// nodeSP runs testdata/nodesp/sp.mjs (@node-saml/node-saml). Without
// node or the npm package (npm ci in testdata/nodesp) the test is
// skipped, except in CI, which must run it.
func nodeSP(t *testing.T, mode string, cfg map[string]string, stdin string) string {
	t.Helper()
	dir := "testdata/nodesp"
	_, errNode := exec.LookPath("node")
	_, errPkg := os.Stat(dir + "/node_modules/@node-saml/node-saml/package.json")
	if errNode != nil || errPkg != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node SP unavailable (node: %v, package: %v): run npm ci in internal/protocol/saml/testdata/nodesp", errNode, errPkg)
		}
		t.Skipf("node SP unavailable (node: %v, package: %v): run npm ci in internal/protocol/saml/testdata/nodesp", errNode, errPkg)
	}
	b, _ := json.Marshal(cfg)
	cmd := exec.CommandContext(t.Context(), "node", "sp.mjs", mode, string(b))
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node sp.mjs %s: %v\n%s", mode, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// A non-Go SP: @node-saml/node-saml makes the AuthnRequest, the user signs
// in, and node-saml validates the Response (signatures, audience, times,
// InResponseTo) and reads NameID and attributes.
func TestNodeSP(t *testing.T) {
	e := newSSOEnv(t, nil)
	ctx := context.Background()
	const entityID, acs = "urn:test:node-sp", "http://127.0.0.1:9/acs"
	r, err := e.srv.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{
		EntityID: ptr(entityID), AcsUrls: &[]gen.SamlEndpointURL{acs},
		Attributes: &gen.SamlAttributeMapping{"email": "email", "givenName": "given_name"}})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("register: %v %s", err, r.Body)
	}
	cert := e.mw.ServiceProvider.IDPMetadata.IDPSSODescriptors[0].KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data
	der, _ := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(cert), ""))
	cfg := map[string]string{"acs": acs, "sso": e.srv.URL + "/saml/sso", "entityID": entityID,
		"idpCert": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}

	authURL := nodeSP(t, "authorize", cfg, "")
	cfg["requestID"] = redirectMessageID(t, authURL, "SAMLRequest")

	b := newBrowser(t)
	_, _, at := b.follow(authURL)
	res := b.signIn(e.srv.URL, at, testPassword)
	if res.RedirectTo == nil {
		t.Fatalf("login: %+v", res)
	}
	_, body := b.get(*res.RedirectTo)
	if a := formActionRe.FindStringSubmatch(body); a == nil || htmlUnescape(a[1]) != acs {
		t.Fatalf("auto-post page: %s", body)
	}
	var samlResponse string
	for _, in := range inputRe.FindAllStringSubmatch(body, -1) {
		if in[1] == "SAMLResponse" {
			samlResponse = htmlUnescape(in[2])
		}
	}
	var profile map[string]any
	if err := json.Unmarshal([]byte(nodeSP(t, "validate", cfg, samlResponse)), &profile); err != nil {
		t.Fatal(err)
	}
	if profile["nameID"] != "jane@example.org" || profile["email"] != "jane@example.org" || profile["givenName"] != "Jane" ||
		profile["inResponseTo"] != cfg["requestID"] {
		t.Errorf("node-saml profile: %v", profile)
	}
}

// redirectMessageID is the ID of the HTTP-Redirect message in u's param.
func redirectMessageID(t *testing.T, u, param string) string {
	t.Helper()
	raw, _ := base64.StdEncoding.DecodeString(mustURL(u).Query().Get(param))
	xml, _ := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	m := regexp.MustCompile(` ID="([^"]+)"`).FindSubmatch(xml)
	if m == nil {
		t.Fatalf("message without an ID: %s", xml)
	}
	return string(m[1])
}

// Single logout with a non-Go SP: @node-saml/node-saml, signed into
// alongside a crewjam SP, sends a signed LogoutRequest with its NameID and
// SessionIndex; the browser takes a LogoutRequest to the crewjam SP and
// back; node-saml validates the LogoutResponse it finally gets.
func TestNodeSPSingleLogout(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	ctx := context.Background()
	key, cert := spCreds(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	const entityID, acs, slo = "urn:test:node-sp", "http://127.0.0.1:9/acs", "http://127.0.0.1:9/slo"
	r, err := e.srv.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{
		EntityID: ptr(entityID), AcsUrls: &[]gen.SamlEndpointURL{acs}, SloURL: ptr(slo),
		SigningCertificates: &[]gen.SamlCertificate{certPEM}})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("register: %v %s", err, r.Body)
	}
	idpCert := e.mw.ServiceProvider.IDPMetadata.IDPSSODescriptors[0].KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data
	der, _ := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(idpCert), ""))
	cfg := map[string]string{"acs": acs, "sso": e.srv.URL + "/saml/sso", "slo": e.srv.URL + "/saml/slo", "entityID": entityID,
		"idpCert":    string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		"privateKey": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))}

	b := newBrowser(t)
	e.signInAt(b, a)
	authURL := nodeSP(t, "authorize", cfg, "")
	cfg["requestID"] = redirectMessageID(t, authURL, "SAMLRequest")
	_, body, at := b.follow(authURL) // signed in already: straight to the Response
	if !strings.Contains(at, "/saml/sso/complete") {
		t.Fatalf("node SP sign-in ended at %s", at)
	}
	var samlResponse string
	for _, in := range inputRe.FindAllStringSubmatch(body, -1) {
		if in[1] == "SAMLResponse" {
			samlResponse = htmlUnescape(in[2])
		}
	}
	var profile map[string]any
	if err := json.Unmarshal([]byte(nodeSP(t, "validate", cfg, samlResponse)), &profile); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"nameID", "nameIDFormat", "sessionIndex"} {
		s, _ := profile[k].(string)
		if s == "" {
			t.Fatalf("node-saml profile has no %s: %v", k, profile)
		}
		cfg[k] = s
	}

	logoutURL := nodeSP(t, "logout", cfg, "")
	cfg["requestID"] = redirectMessageID(t, logoutURL, "SAMLRequest")
	resp, body := b.get(logoutURL)
	toA := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(toA, a.url+"/saml/slo?SAMLRequest=") {
		t.Fatalf("node's LogoutRequest: want a redirect to the crewjam SP, got %d %s %s", resp.StatusCode, toA, body)
	}
	resp, body = b.get(toA)
	back := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(back, e.srv.URL+"/saml/slo?SAMLResponse=") {
		t.Fatalf("crewjam SP's answer: %d %s %s", resp.StatusCode, back, body)
	}
	resp, body = b.get(back)
	toNode := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(toNode, slo+"?SAMLResponse=") {
		t.Fatalf("LogoutResponse to node: %d %s %s", resp.StatusCode, toNode, body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(nodeSP(t, "logout-response", cfg, toNode)), &out); err != nil {
		t.Fatal(err)
	}
	if out["loggedOut"] != true || out["relayState"] != "node-bye" {
		t.Errorf("node-saml on the LogoutResponse: %v", out)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		t.Errorf("participants after logout: %+v", got)
	}
}

// An independent SP answering an IdP-initiated logout: jane is signed
// into @node-saml/node-saml's SP and a crewjam SP; OIDC end_session in
// her browser logs the session out of both. node-saml validates the
// signed LogoutRequest Gatehouse sends it (signature, issuer, NameID and
// SessionIndex as it was sent them) and answers with its own signed
// LogoutResponse, which Gatehouse validates (signature by the registered
// certificate, InResponseTo) before it goes on to the crewjam SP and the
// logged-out page.
func TestNodeSPAnswersIdPInitiatedLogout(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	ctx := context.Background()
	key, cert := spCreds(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	const entityID, acs, slo = "urn:test:node-sp", "http://127.0.0.1:9/acs", "http://127.0.0.1:9/slo"
	r, err := e.srv.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{
		EntityID: ptr(entityID), AcsUrls: &[]gen.SamlEndpointURL{acs}, SloURL: ptr(slo),
		SigningCertificates: &[]gen.SamlCertificate{certPEM}})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("register: %v %s", err, r.Body)
	}
	idpCert := e.mw.ServiceProvider.IDPMetadata.IDPSSODescriptors[0].KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data
	der, _ := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(idpCert), ""))
	cfg := map[string]string{"acs": acs, "sso": e.srv.URL + "/saml/sso", "slo": e.srv.URL + "/saml/slo", "entityID": entityID,
		"idpEntityID": e.srv.URL + "/saml/metadata",
		"idpCert":     string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		"privateKey":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))}

	b := newBrowser(t)
	e.signInAt(b, a)
	authURL := nodeSP(t, "authorize", cfg, "")
	cfg["requestID"] = redirectMessageID(t, authURL, "SAMLRequest")
	_, body, at := b.follow(authURL)
	if !strings.Contains(at, "/saml/sso/complete") {
		t.Fatalf("node SP sign-in ended at %s", at)
	}
	var samlResponse string
	for _, in := range inputRe.FindAllStringSubmatch(body, -1) {
		if in[1] == "SAMLResponse" {
			samlResponse = htmlUnescape(in[2])
		}
	}
	var profile map[string]any
	if err := json.Unmarshal([]byte(nodeSP(t, "validate", cfg, samlResponse)), &profile); err != nil {
		t.Fatal(err)
	}
	delete(cfg, "requestID")

	resp, body := b.get(e.srv.URL + "/end_session")
	next := resp.Header.Get("Location")
	if !strings.HasPrefix(next, e.srv.URL+"/saml/slo/end?ticket=") {
		t.Fatalf("end_session: %d %s %s", resp.StatusCode, next, body)
	}
	answered := false
	for range 8 {
		if strings.HasPrefix(next, slo+"?SAMLRequest=") {
			// The browser at node's SingleLogoutService.
			var out map[string]any
			if err := json.Unmarshal([]byte(nodeSP(t, "logout-request", cfg, next)), &out); err != nil {
				t.Fatal(err)
			}
			if out["loggedOut"] != true || out["nameID"] != profile["nameID"] || out["sessionIndex"] != profile["sessionIndex"] {
				t.Fatalf("node-saml on the LogoutRequest: %v (sign-in profile %v)", out, profile)
			}
			next, _ = out["response"].(string)
			if !strings.HasPrefix(next, e.srv.URL+"/saml/slo?SAMLResponse=") {
				t.Fatalf("node's LogoutResponse goes to %s", next)
			}
			answered = true
		}
		resp, body = b.get(next)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("logout chain stopped at %s: %d %s", next, resp.StatusCode, body)
		}
		if next = resp.Header.Get("Location"); strings.HasSuffix(next, "/login/logged-out") {
			break
		}
	}
	if !answered || !strings.HasSuffix(next, "/login/logged-out") {
		t.Fatalf("node SP answered: %v; chain ended at %s", answered, next)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		t.Errorf("participants after logout: %+v", got)
	}
}

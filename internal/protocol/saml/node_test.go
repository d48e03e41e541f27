package saml_test

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
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

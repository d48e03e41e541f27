package saml_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apachetest"
)

// Apache's mod_auth_mellon (Debian's libapache2-mod-auth-mellon, on
// lasso), a SAML service provider written independently of Gatehouse,
// registered from the metadata it publishes (which declares its SOAP
// SingleLogoutService at /mellon/logout). A user signs in to the page it
// protects through Gatehouse; an admin then revokes the user's sessions,
// Gatehouse sends mellon a signed SOAP LogoutRequest, mellon ends its
// session (its protected page sends the browser to Gatehouse again), and
// the saml.slo event says delivered. Without apache2 or the module the
// test is skipped, except in CI, which must run it (.ci/run installs
// them).

// startMellon starts Apache on a free loopback port with mod_auth_mellon
// protecting /protected, trusting the IdP metadata idpMetadata, and
// returns its base URL.
func startMellon(t *testing.T, idpMetadata []byte) string {
	t.Helper()
	apachetest.Require(t, "mod_auth_mellon.so", "libapache2-mod-auth-mellon")
	dir := apachetest.Dir(t)
	key, cert := spCreds(t)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"sp.key":  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		"sp.crt":  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
		"idp.xml": idpMetadata,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return apachetest.Start(t, dir, apachetest.FreePort(t), "auth_mellon", "warn auth_mellon:debug", fmt.Sprintf(`<Location />
  MellonEndpointPath /mellon
  MellonSPPrivateKeyFile %[1]s/sp.key
  MellonSPCertFile %[1]s/sp.crt
  MellonIdPMetadataFile %[1]s/idp.xml
  MellonSecureCookie Off
</Location>
<Location /protected>
  AuthType Mellon
  MellonEnable auth
  Require valid-user
</Location>
`, dir))
}

func TestSOAPLogoutModAuthMellon(t *testing.T) {
	e := newSSOEnv(t, nil)
	ctx := context.Background()
	resp, err := http.Get(e.srv.URL + "/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	idpMD, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	base := startMellon(t, idpMD)

	resp, err = http.Get(base + "/mellon/metadata")
	if err != nil {
		t.Fatal(err)
	}
	spMD, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	md := string(spMD)
	r, err := e.srv.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{MetadataXML: &md})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("register mellon: %v %s\n%s", err, r.Body, md)
	}
	if got := r.JSON201.SoapSloURL; got.IsNull() || got.MustGet() != base+"/mellon/logout" {
		t.Fatalf("soap_slo_url %v, want mellon's /mellon/logout", got)
	}
	spID := r.JSON201.ID

	b := newBrowser(t)
	protected := base + "/protected/index.html"
	resp, body, at := b.follow(protected)
	if !strings.Contains(at, "/login?authRequestID=") {
		t.Fatalf("want the hosted login, at %s: %d %s", at, resp.StatusCode, body)
	}
	res := b.signIn(e.srv.URL, at, testPassword)
	if res.RedirectTo == nil {
		t.Fatalf("login: %+v", res)
	}
	resp, body = b.get(*res.RedirectTo)
	resp, body = b.autoPost(resp, body)
	if resp.StatusCode/100 != 3 {
		t.Fatalf("mellon's ACS: %d %s", resp.StatusCode, body)
	}
	if resp, body, _ = b.follow(protected); resp.StatusCode != http.StatusOK || !strings.Contains(body, "the protected page") {
		t.Fatalf("protected page after sign-in: %d %s", resp.StatusCode, body)
	}

	rv, err := e.srv.Admin.RevokeUserSessionsWithResponse(ctx, e.userID)
	if err != nil || rv.StatusCode() != http.StatusNoContent {
		t.Fatalf("revoke: %v %d", err, rv.StatusCode())
	}
	var ev gen.Event
	for range 400 {
		for _, it := range sloEvents(t, e) {
			if it.Data["sp_id"] == spID && (it.Data["outcome"] == "delivered" || it.Data["outcome"] == "failed") {
				ev = it
			}
		}
		if ev.Data != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ev.Data["outcome"] != "delivered" {
		t.Fatalf("saml.slo event for mellon: %+v", ev)
	}
	// mellon's session is gone: the protected page goes to the IdP again.
	resp, _ = b.get(protected)
	loc := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || (!strings.HasPrefix(loc, e.srv.URL+"/saml/sso") && !strings.Contains(loc, "/mellon/login")) {
		t.Fatalf("protected page after the revocation: %d %s", resp.StatusCode, loc)
	}
}

package saml_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
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

const (
	apacheBin     = "/usr/sbin/apache2"
	apacheModules = "/usr/lib/apache2/modules"
)

// startMellon starts Apache on a free loopback port with mod_auth_mellon
// protecting /protected, trusting the IdP metadata idpMetadata, and
// returns its base URL.
func startMellon(t *testing.T, idpMetadata []byte) string {
	t.Helper()
	_, errBin := os.Stat(apacheBin)
	_, errMod := os.Stat(filepath.Join(apacheModules, "mod_auth_mellon.so"))
	if errBin != nil || errMod != nil {
		msg := "apache2 or mod_auth_mellon unavailable (%v, %v): apt-get install apache2 libapache2-mod-auth-mellon"
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, errBin, errMod)
		}
		t.Skipf(msg, errBin, errMod)
	}
	dir := t.TempDir()
	// Apache started as root serves from unprivileged children: they
	// must reach the document root.
	for d := dir; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()) && d != os.TempDir(); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	key, cert := spCreds(t)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	must(err)
	must(os.WriteFile(filepath.Join(dir, "sp.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o644))
	must(os.WriteFile(filepath.Join(dir, "sp.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644))
	must(os.WriteFile(filepath.Join(dir, "idp.xml"), idpMetadata, 0o644))
	must(os.MkdirAll(filepath.Join(dir, "htdocs", "protected"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "htdocs", "protected", "index.html"), []byte("the protected page\n"), 0o644))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	user := ""
	if os.Geteuid() == 0 {
		user = "User daemon\nGroup daemon\n"
	}
	conf := user + fmt.Sprintf(`ServerRoot %[1]s
Listen 127.0.0.1:%[2]d
ServerName 127.0.0.1
PidFile %[1]s/httpd.pid
DefaultRuntimeDir %[1]s
Mutex file:%[1]s default
ErrorLog %[1]s/error.log
LogLevel warn auth_mellon:debug
LoadModule mpm_event_module %[3]s/mod_mpm_event.so
LoadModule authn_core_module %[3]s/mod_authn_core.so
LoadModule authz_core_module %[3]s/mod_authz_core.so
LoadModule authz_user_module %[3]s/mod_authz_user.so
LoadModule auth_mellon_module %[3]s/mod_auth_mellon.so
DocumentRoot %[1]s/htdocs
<Location />
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
`, dir, port, apacheModules)
	confPath := filepath.Join(dir, "httpd.conf")
	must(os.WriteFile(confPath, []byte(conf), 0o644))
	cmd := exec.Command(apacheBin, "-d", dir, "-f", confPath, "-DFOREGROUND")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	must(cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // stops its children too
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("apache output:\n%s\nerror.log:\n%s", out.String(), log)
		}
	})
	for range 100 {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			_ = c.Close()
			return base
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("apache did not start: %s", out.String())
	return ""
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

package oidc_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Apache's mod_auth_openidc (Debian's libapache2-mod-auth-openidc), a
// relying party written independently of Gatehouse, signs a user in
// through the hosted login and registers its back-channel logout
// endpoint; ending the session at Gatehouse ends mod_auth_openidc's
// session, so its protected page sends the browser to Gatehouse again.
// Without apache2 or the module the test is skipped, except in CI, which
// must run it (.ci/run installs them).

const (
	apacheBin     = "/usr/sbin/apache2"
	apacheModules = "/usr/lib/apache2/modules"
)

// startModAuthOpenIDC starts Apache on a free loopback port with
// mod_auth_openidc protecting /protected for the client, and returns its
// base URL.
func startModAuthOpenIDC(t *testing.T, issuer, clientID, secret string, port int) string {
	t.Helper()
	_, errBin := os.Stat(apacheBin)
	_, errMod := os.Stat(filepath.Join(apacheModules, "mod_auth_openidc.so"))
	if errBin != nil || errMod != nil {
		msg := "apache2 or mod_auth_openidc unavailable (%v, %v): apt-get install apache2 libapache2-mod-auth-openidc"
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
	must(os.MkdirAll(filepath.Join(dir, "htdocs", "protected"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "htdocs", "protected", "index.html"), []byte("the protected page\n"), 0o644))
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
LogLevel warn auth_openidc:debug
LoadModule mpm_event_module %[3]s/mod_mpm_event.so
LoadModule authn_core_module %[3]s/mod_authn_core.so
LoadModule authz_core_module %[3]s/mod_authz_core.so
LoadModule authz_user_module %[3]s/mod_authz_user.so
LoadModule auth_openidc_module %[3]s/mod_auth_openidc.so
DocumentRoot %[1]s/htdocs
OIDCProviderMetadataURL %[4]s/.well-known/openid-configuration
OIDCClientID %[5]s
OIDCClientSecret %[6]s
OIDCRedirectURI %[7]s/protected/redirect_uri
OIDCCryptoPassphrase 0123456789abcdef0123456789abcdef
OIDCScope openid
OIDCPKCEMethod S256
OIDCSessionType server-cache
OIDCCacheType shm
<Location /protected>
  AuthType openid-connect
  Require valid-user
</Location>
`, dir, port, apacheModules, issuer, clientID, secret, base)
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

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestBackchannelLogoutModAuthOpenIDC(t *testing.T) {
	t.Parallel()
	logoutEngines(t, func(t *testing.T, o *op) {
		port := freePort(t)
		rpBase := fmt.Sprintf("http://127.0.0.1:%d", port)
		c := o.registerClient(t, "", map[string]any{
			"grant_types": []string{grantCode}, "redirect_uris": []string{rpBase + "/protected/redirect_uri"},
			"token_endpoint_auth_method": "client_secret_basic", "scope": "openid",
			"backchannel_logout_uri":              rpBase + "/protected/redirect_uri?logout=backchannel",
			"backchannel_logout_session_required": true,
			"metadata":                            map[string]any{"first_party": true},
		})
		startModAuthOpenIDC(t, o.issuer(""), c.ID, c.Secret, port)
		u := o.createUser(t, "")
		b := o.newBrowser(t)
		protected := rpBase + "/protected/index.html"
		get := func(u string) *http.Response {
			t.Helper()
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			// mod_auth_openidc answers 401 rather than redirect to a
			// client that does not take HTML.
			req.Header.Set("Accept", "text/html")
			resp, err := b.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		// Signed out: mod_auth_openidc sends the browser to Gatehouse.
		resp := get(protected)
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), o.issuer("")+"/authorize?") {
			t.Fatalf("protected page while signed out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		p := b.authorize(t, resp.Header.Get("Location"), u, "")
		if p.Left == nil || !strings.HasPrefix(p.Left.String(), rpBase+"/protected/redirect_uri?") {
			t.Fatalf("sign-in ended at %v (%d): %s", p.Left, p.Status, p.Body)
		}
		// The callback: mod_auth_openidc redeems the code and sends the
		// browser back to the page.
		if resp = get(p.Left.String()); resp.StatusCode != http.StatusFound {
			t.Fatalf("callback: %d", resp.StatusCode)
		}
		if resp = get(protected); resp.StatusCode != http.StatusOK {
			t.Fatalf("protected page after sign-in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}

		// RP-initiated logout at Gatehouse, in the browser.
		if p := b.visit(t, http.MethodGet, o.issuer("")+"/end_session", nil); p.Status != http.StatusOK {
			t.Fatalf("end_session: %d %s", p.Status, p.Body)
		}
		// mod_auth_openidc's session ends when the logout token arrives.
		deadline := time.Now().Add(60 * time.Second)
		for {
			resp = get(protected)
			if resp.StatusCode == http.StatusFound && strings.HasPrefix(resp.Header.Get("Location"), o.issuer("")+"/authorize?") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("mod_auth_openidc's session survived the logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			time.Sleep(100 * time.Millisecond)
		}
		tn := mustTenant(t, o, "")
		sessions, _, err := tn.Store.Sessions().ListByUser(t.Context(), tn.ID, u.ID, storePage())
		if err != nil || len(sessions) != 0 {
			t.Fatalf("live sessions %v %v", sessions, err)
		}
	})
}

func storePage() store.Page { return store.Page{Limit: 10} }

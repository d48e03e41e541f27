package oidc_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/apachetest"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Apache's mod_auth_openidc (Debian's libapache2-mod-auth-openidc), a
// relying party written independently of Gatehouse, signs a user in
// through the hosted login and registers its back-channel logout
// endpoint; ending the session at Gatehouse ends mod_auth_openidc's
// session, so its protected page sends the browser to Gatehouse again.
// Without apache2 or the module the test is skipped, except in CI, which
// must run it (.ci/run installs them).

// startModAuthOpenIDC starts Apache on the loopback port with
// mod_auth_openidc protecting /protected for the client, and returns its
// base URL.
func startModAuthOpenIDC(t *testing.T, issuer, clientID, secret string, port int) string {
	t.Helper()
	apachetest.Require(t, "mod_auth_openidc.so", "libapache2-mod-auth-openidc")
	dir := apachetest.Dir(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	return apachetest.Start(t, dir, port, "auth_openidc", "warn auth_openidc:debug", fmt.Sprintf(`OIDCProviderMetadataURL %[1]s/.well-known/openid-configuration
OIDCClientID %[2]s
OIDCClientSecret %[3]s
OIDCRedirectURI %[4]s/protected/redirect_uri
OIDCCryptoPassphrase 0123456789abcdef0123456789abcdef
OIDCScope openid
OIDCPKCEMethod S256
OIDCSessionType server-cache
OIDCCacheType shm
<Location /protected>
  AuthType openid-connect
  Require valid-user
</Location>
`, issuer, clientID, secret, base))
}

func TestBackchannelLogoutModAuthOpenIDC(t *testing.T) {
	t.Parallel()
	logoutEngines(t, func(t *testing.T, o *op) {
		port := apachetest.FreePort(t)
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

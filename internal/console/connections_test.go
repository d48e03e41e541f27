package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap/ldaptest"
)

const upstreamSecret = "upstream-client-secret-4f9a2c"

var filledSecretRe = regexp.MustCompile(`name="(client_secret|bind_password|private_key_pem)"[^>]*value="[^"]+"|name="private_key_pem"[^>]*>[^<]+<`)

// Connections: the form of each type shows its settings; create an
// OpenID Connect and an LDAP connection (the API's validation shown on the
// form), their secrets are never rendered back (not after the create,
// not on the page, not in a refused form) and an empty secret field keeps
// the stored one; the LDAP directory (a real slapd) syncs from its page;
// delete; a viewer sees no form and is refused; no CSRF token → 403;
// another tenant's admin neither sees nor changes them.
func TestConnectionPages(t *testing.T) {
	dir := ldaptest.Start(t)
	e, b, token := resourceEnv(t, nil, "/console/connections", `id="no-connections"`, `id="new-connection"`)
	for typ, want := range map[string][]string{
		"oidc":   {`name="issuer"`, `name="client_secret" type="password"`, `name="private_key_pem"`, `name="pkce"`},
		"ldap":   {`name="url"`, `name="bind_password" type="password"`, `name="preset"`, `name="start_tls"`},
		"saml":   {`name="idp_metadata_xml"`, `name="sign_requests"`},
		"github": {`name="client_id"`, `name="client_secret"`},
	} {
		p := b.get("/console/connections/new?type=" + typ)
		if p.status != 200 {
			t.Fatalf("new %s: %d", typ, p.status)
		}
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("new %s lacks %s", typ, w)
			}
		}
		if typ == "github" && strings.Contains(p.body, `name="issuer"`) {
			t.Error("github's form has an issuer")
		}
	}
	if r := b.get("/console/connections/new?type=bogus"); r.status != http.StatusNotFound {
		t.Errorf("unknown type: %d", r.status)
	}

	// OpenID Connect: a bad issuer is refused and the secret not echoed.
	oidc := url.Values{"csrf": {token}, "type": {"oidc"}, "id": {"corp"}, "display_name": {"Corp SSO"}, "enabled": {"1"}, "show_on_login": {"1"},
		"issuer": {"ftp://idp.example.com"}, "client_id": {"gatehouse"}, "client_secret": {upstreamSecret}, "domains": {"corp.example, corp2.example"},
		"attribute_mapping": {"department = attributes.department"}, "provisioning": {"jit"}, "link_by_email": {"never"}}
	r := b.post("/console/connections", oidc)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, "/issuer") {
		t.Fatalf("bad issuer: %d %.2000s", r.status, r.body)
	}
	if strings.Contains(r.body, upstreamSecret) || filledSecretRe.MatchString(r.body) {
		t.Fatal("the refused form shows the secret")
	}
	if r := b.post("/console/connections", url.Values{"type": {"oidc"}, "display_name": {"x"}, "issuer": {"https://idp.example.com"}, "client_id": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", r.status)
	}
	oidc.Set("issuer", "https://idp.example.com")
	if r = b.post("/console/connections", oidc); r.status != http.StatusSeeOther {
		t.Fatalf("create oidc: %d %.2000s", r.status, r.body)
	}
	corp := "/console/connections/corp"
	page := b.get(corp)
	if page.status != 200 || !strings.Contains(page.body, `data-secret="client_secret">stored`) || strings.Contains(page.body, upstreamSecret) ||
		filledSecretRe.MatchString(page.body) || !strings.Contains(page.body, "corp2.example") || !strings.Contains(page.body, "<code>attributes.department</code>") {
		t.Fatalf("oidc page: %d %.4000s", page.status, page.body)
	}
	if strings.Contains(page.body, `id="sync"`) {
		t.Error("an oidc connection has a sync button")
	}
	// Edit with the secret field empty: the name changes, the secret stays.
	edit := url.Values{"csrf": {token}, "version": {versionRe.FindStringSubmatch(page.body)[1]}, "display_name": {"Corp single sign-on"},
		"enabled": {"1"}, "show_on_login": {"1"}, "issuer": {"https://idp.example.com"}, "client_id": {"gatehouse"}, "domains": {"corp.example"},
		"attribute_mapping": {"department = attributes.department"}, "provisioning": {"jit"}, "link_by_email": {"verified"}, "pkce": {"false"}}
	if r := b.post(corp, edit); r.status != http.StatusSeeOther {
		t.Fatalf("edit oidc: %d %.3000s", r.status, r.body)
	}
	page = b.get(corp)
	if !strings.Contains(page.body, "Corp single sign-on") || !strings.Contains(page.body, `data-secret="client_secret">stored`) ||
		strings.Contains(page.body, "corp2.example") || !strings.Contains(page.body, "<dd>verified</dd>") || !strings.Contains(page.body, `<option value="false" selected>`) {
		t.Fatalf("oidc page after the edit: %.4000s", page.body)
	}
	if cn, err := e.srv.App.Directory.Resolve(t.Context(), ""); err == nil {
		c, err := cn.Store.Connections().Get(t.Context(), cn.Tenant.ID, "corp")
		if err != nil || len(c.SecretsSealed) == 0 || strings.Contains(string(c.SecretsSealed), upstreamSecret) {
			t.Fatalf("stored secrets: %v", err)
		}
	}

	// LDAP against slapd: create, sync.
	ldap := url.Values{"csrf": {token}, "type": {"ldap"}, "id": {"dir"}, "display_name": {"Directory"}, "enabled": {"1"},
		"url": {dir.URL}, "bind_dn": {ldaptest.BindDN}, "bind_password": {ldaptest.BindPassword}, "user_search_base": {ldaptest.UserSearchBase},
		"user_search_filter": {ldaptest.UserSearchFilter}, "preset": {"openldap"}, "provisioning": {"jit"}, "link_by_email": {"never"}}
	if r := b.post("/console/connections", ldap); r.status != http.StatusSeeOther {
		t.Fatalf("create ldap: %d %.3000s", r.status, r.body)
	}
	dirPage := b.get("/console/connections/dir")
	if !strings.Contains(dirPage.body, `id="sync"`) || !strings.Contains(dirPage.body, `data-secret="bind_password">stored`) || filledSecretRe.MatchString(dirPage.body) {
		t.Fatalf("ldap page: %.4000s", dirPage.body)
	}
	sync := b.post("/console/connections/dir/sync", url.Values{"csrf": {token}})
	if sync.status != 200 || !strings.Contains(sync.body, `id="sync-result"`) || !regexp.MustCompile(`Created</dt><dd>3<`).MatchString(sync.body) {
		t.Fatalf("sync: %d %.4000s", sync.status, sync.body)
	}
	if r := b.post(corp+"/sync", url.Values{"csrf": {token}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
		t.Errorf("sync of an oidc connection: %d", r.status)
	}

	// The viewer.
	v := e.signedIn("", "viewer@example.com")
	vp := v.get("/console/connections/dir")
	if vp.status != 200 || strings.Contains(vp.body, `id="save-connection"`) || strings.Contains(vp.body, `id="sync"`) || strings.Contains(vp.body, `id="delete"`) ||
		filledSecretRe.MatchString(vp.body) || !strings.Contains(vp.body, dir.URL) {
		t.Errorf("viewer's page: %d", vp.status)
	}
	if r := v.get("/console/connections/new?type=oidc"); r.status != http.StatusForbidden {
		t.Errorf("viewer's new form: %d", r.status)
	}
	v.refused("/console/connections", http.StatusForbidden, url.Values{"type": {"oidc"}, "display_name": {"evil"}},
		"/console/connections", corp, corp+"/delete", "/console/connections/dir/sync")

	// Another tenant's admin.
	o := e.signedIn("bee", "boss@bee.example")
	o.hidden(corp, "/console/connections", "Corp single")
	o.refused("/console/connections", http.StatusNotFound, url.Values{"display_name": {"evil"}}, corp+"/delete", "/console/connections/dir/sync", corp)

	b.deleteAll(token, corp, "/console/connections/dir")
}

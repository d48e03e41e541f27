package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
)

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// APIs and roles: create (the API's validation shown on the form, nothing
// made), edit the scopes, token format, lifetime and RBAC, a role's
// permissions; a stale form (another admin edited meanwhile) is the API's
// 412; delete needs the confirmation box; a viewer sees no form and the
// server refuses their POSTs; a POST without the CSRF token is refused;
// another tenant's admin neither sees nor changes them.
func TestAPIAndRolePages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e, b, token := resourceEnv(t, database, "/console/apis", `id="no-apis"`, `id="create-api"`)
		if r := b.post("/console/apis", url.Values{"csrf": {token}, "identifier": {"not a uri"}, "name": {"Billing"}}); r.status != http.StatusBadRequest ||
			!strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, `value="not a uri"`) {
			t.Errorf("bad identifier: %d %.1500s", r.status, r.body)
		}
		if r := b.post("/console/apis", url.Values{"identifier": {"https://api.example.com/billing"}, "name": {"Billing"}}); r.status != http.StatusForbidden {
			t.Errorf("no CSRF token: %d", r.status)
		}
		if r := b.get("/console/apis"); !strings.Contains(r.body, `id="no-apis"`) {
			t.Fatal("a refused form made an API")
		}
		r := b.post("/console/apis", url.Values{"csrf": {token}, "identifier": {"https://api.example.com/billing"}, "name": {"Billing"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %.1000s", r.status, r.body)
		}
		apiPath := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
		page := b.get(apiPath)
		if page.status != 200 || !strings.Contains(page.body, "https://api.example.com/billing") || !strings.Contains(page.body, `id="no-scopes"`) {
			t.Fatalf("API page: %d %.2000s", page.status, page.body)
		}
		stale := versionRe.FindStringSubmatch(page.body)[1]
		edit := url.Values{"csrf": {token}, "version": {stale}, "name": {"Billing API"}, "token_format": {"opaque"}, "lifetime": {"600"},
			"rbac": {"1"}, "scopes": {"invoices:read Read invoices\ninvoices:write\n"}}
		if r := b.post(apiPath, edit); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %.2000s", r.status, r.body)
		}
		page = b.get(apiPath)
		for _, want := range []string{"<code>invoices:read</code>", "Read invoices", "<code>invoices:write</code>", "opaque", "600", "Billing API"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("API page lacks %q", want)
			}
		}
		// The form read at the old version: the API's 412, shown on the form.
		edit.Set("name", "Lost update")
		if r := b.post(apiPath, edit); r.status != http.StatusPreconditionFailed || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("stale edit: %d", r.status)
		}
		edit.Set("version", versionRe.FindStringSubmatch(page.body)[1])
		edit.Set("lifetime", "5")
		if r := b.post(apiPath, edit); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("lifetime 5: %d", r.status)
		}

		// A role with a permission of the API.
		rl := b.get("/console/roles")
		if rl.status != 200 || !strings.Contains(rl.body, `id="create-role"`) {
			t.Fatalf("roles: %d", rl.status)
		}
		r = b.post("/console/roles", url.Values{"csrf": {token}, "name": {"accountant"}, "description": {"Books"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create role: %d %.1000s", r.status, r.body)
		}
		rolePath := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
		rp := b.get(rolePath)
		rv := versionRe.FindStringSubmatch(rp.body)[1]
		if r := b.post(rolePath, url.Values{"csrf": {token}, "version": {rv}, "name": {"accountant"},
			"permissions": {"https://api.example.com/billing no-such-scope"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("unknown scope: %d", r.status)
		}
		if r := b.post(rolePath, url.Values{"csrf": {token}, "version": {rv}, "name": {"accountant"},
			"permissions": {"just-one-word"}}); r.status != http.StatusBadRequest {
			t.Errorf("unreadable permission line: %d", r.status)
		}
		if r := b.post(rolePath, url.Values{"csrf": {token}, "version": {rv}, "name": {"accountant"}, "description": {"Books"},
			"permissions": {"https://api.example.com/billing invoices:read"}}); r.status != http.StatusSeeOther {
			t.Fatalf("edit role: %d %.2000s", r.status, r.body)
		}
		if rp = b.get(rolePath); !strings.Contains(rp.body, `id="permissions"`) || !strings.Contains(rp.body, "<code>invoices:read</code>") {
			t.Fatalf("role page: %.2000s", rp.body)
		}

		// The viewer: no forms, POSTs refused.
		v := e.signedIn("", "viewer@example.com")
		for _, p := range []string{apiPath, rolePath, "/console/apis", "/console/roles"} {
			vp := v.get(p)
			if vp.status != 200 || strings.Contains(vp.body, `id="delete"`) || strings.Contains(vp.body, `id="save-`) || strings.Contains(vp.body, `id="create-`) {
				t.Errorf("viewer's %s: %d", p, vp.status)
			}
		}
		v.refused("/console/apis", http.StatusForbidden, url.Values{"name": {"evil"}, "identifier": {"https://evil.example"}},
			apiPath, apiPath+"/delete", rolePath, rolePath+"/delete", "/console/apis", "/console/roles")

		// Another tenant's admin: not found, not changed.
		o := e.signedIn("bee", "boss@bee.example")
		o.hidden(apiPath, "/console/apis", "api.example.com")
		o.hidden(rolePath, "/console/roles", "accountant")
		o.refused("/console/apis", http.StatusNotFound, url.Values{"name": {"evil"}}, apiPath+"/delete", rolePath, rolePath+"/delete")

		// Delete: the box unticked deletes nothing; ticked, gone.
		if r := b.post(rolePath+"/delete", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther || b.get(rolePath).status != 200 {
			t.Errorf("unconfirmed delete: %d", r.status)
		}
		b.deleteAll(token, rolePath, apiPath)
	})
}

// A client's API grants on its page: grant the scopes of an API (a scope
// the API does not define is the API's 400), the grant listed, removed; a
// viewer sees the grants but no form, and is refused.
func TestClientAPIGrants(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	e.user("", "viewer@example.com", directory.RoleConsoleViewer)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	token := b.csrf("/console/clients/new")
	r := b.post("/console/clients", url.Values{"csrf": {token}, "client_name": {"Batch"}, "grant_types": {"client_credentials"}})
	idm := clientIDRe.FindStringSubmatch(r.body)
	if r.status != 200 || idm == nil {
		t.Fatalf("create client: %d %.1500s", r.status, r.body)
	}
	clientPath := "/console/clients/" + idm[1]
	if p := b.get(clientPath); !strings.Contains(p.body, `id="no-grants"`) || strings.Contains(p.body, `id="grant"`) {
		t.Fatalf("client page without APIs: %.3000s", p.body)
	}
	r = b.post("/console/apis", url.Values{"csrf": {token}, "identifier": {"https://api.example.com/billing"}, "name": {"Billing"}})
	apiPath := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
	apiID := strings.TrimPrefix(apiPath, "/console/apis/")
	ap := b.get(apiPath)
	if r := b.post(apiPath, url.Values{"csrf": {token}, "version": {versionRe.FindStringSubmatch(ap.body)[1]}, "name": {"Billing"},
		"token_format": {"jwt"}, "lifetime": {"3600"}, "scopes": {"invoices:read\ninvoices:write"}}); r.status != http.StatusSeeOther {
		t.Fatalf("scopes: %d %.1500s", r.status, r.body)
	}
	if p := b.get(clientPath); !strings.Contains(p.body, `id="grant"`) || !strings.Contains(p.body, `value="`+apiID+`"`) {
		t.Fatalf("client page: %.3000s", p.body)
	}
	if r := b.post(clientPath+"/apis", url.Values{"csrf": {token}, "api_id": {apiID}, "scopes": {"invoices:delete"}}); r.status != http.StatusBadRequest {
		t.Errorf("undefined scope: %d", r.status)
	}
	if r := b.post(clientPath+"/apis", url.Values{"csrf": {token}, "api_id": {apiID}, "scopes": {"invoices:read"}}); r.status != http.StatusSeeOther {
		t.Fatalf("grant: %d %.1500s", r.status, r.body)
	}
	if p := b.get(clientPath); !strings.Contains(p.body, `id="grants"`) || !strings.Contains(p.body, "<code>invoices:read</code>") {
		t.Fatalf("grant not listed: %.3000s", p.body)
	}
	v := e.signedIn("", "viewer@example.com")
	vp := v.get(clientPath)
	if !strings.Contains(vp.body, "<code>invoices:read</code>") || strings.Contains(vp.body, `id="grant"`) || strings.Contains(vp.body, "/remove") {
		t.Errorf("viewer's client page: %d", vp.status)
	}
	vt := csrfRe.FindStringSubmatch(vp.body)[1]
	for _, p := range []string{clientPath + "/apis", clientPath + "/apis/" + apiID + "/remove"} {
		if r := v.post(p, url.Values{"csrf": {vt}, "api_id": {apiID}, "scopes": {"invoices:write"}}); r.status != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d", p, r.status)
		}
	}
	if r := b.post(clientPath+"/apis/"+apiID+"/remove", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("remove without CSRF token: %d", r.status)
	}
	if r := b.post(clientPath+"/apis/"+apiID+"/remove", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.status)
	}
	if p := b.get(clientPath); !strings.Contains(p.body, `id="no-grants"`) {
		t.Error("grant not removed")
	}
}

// A superadmin switched to tenant bee creates bee's API and connection
// through the pages; the default tenant's lists do not show them.
func TestSuperadminResourcesOfSwitchedTenant(t *testing.T) {
	e := newEnv(t, nil)
	e.tenant("bee")
	e.user("", "root@example.com", directory.RoleConsoleSuperadmin)
	b := e.signedIn("", "root@example.com")
	token := b.csrf("/console/")
	bee, _ := e.srv.App.Directory.Resolve(t.Context(), "bee")
	def, _ := e.srv.App.Directory.Resolve(t.Context(), "")
	if r := b.post("/console/tenant", url.Values{"csrf": {token}, "tenant": {bee.Tenant.ID}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch: %d", r.status)
	}
	if r := b.post("/console/apis", url.Values{"csrf": {token}, "identifier": {"https://bee.example/api"}, "name": {"Bee API"}}); r.status != http.StatusSeeOther {
		t.Fatalf("create API at bee: %d %.1000s", r.status, r.body)
	}
	if r := b.post("/console/connections", url.Values{"csrf": {token}, "type": {"github"}, "id": {"gh"}, "display_name": {"Bee GitHub"},
		"client_id": {"bee"}, "client_secret": {upstreamSecret}}); r.status != http.StatusSeeOther {
		t.Fatalf("create connection at bee: %d %.1000s", r.status, r.body)
	}
	if r := b.get("/console/connections/gh"); r.status != 200 || strings.Contains(r.body, upstreamSecret) {
		t.Fatalf("bee's connection: %d", r.status)
	}
	if c, err := bee.Store.Connections().Get(t.Context(), bee.Tenant.ID, "gh"); err != nil || c.DisplayName != "Bee GitHub" {
		t.Fatalf("bee's stored connection: %v", err)
	}
	if r := b.post("/console/tenant", url.Values{"csrf": {token}, "tenant": {def.Tenant.ID}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch back: %d", r.status)
	}
	if r := b.get("/console/apis"); strings.Contains(r.body, "Bee API") {
		t.Error("the default tenant lists bee's API")
	}
	if r := b.get("/console/connections/gh"); r.status != http.StatusNotFound {
		t.Errorf("bee's connection at the default tenant: %d", r.status)
	}
}

package restapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const (
	oidcSecret = "upstream-client-secret-8u2Xq"
	bindSecret = "ldap-bind-secret-s3rvice"
)

func TestConnectionsAPI(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken

	// Create: an OpenID Connect upstream with a chosen ID, and a directory.
	resp, body := do(t, s, "POST", "/admin/v1/connections", tok, "application/json", `{"id":"upstream","type":"oidc",
		"display_name":"Upstream","issuer":"https://op.example.com","client_id":"gh","client_secret":"`+oidcSecret+`",
		"domains":["partner.example"],"attribute_mapping":{"groups":"groups"}}`)
	if resp.StatusCode != 201 || body["id"] != "upstream" || body["show_on_login"] != true || body["enabled"] != true ||
		body["provisioning"] != "jit" || body["link_by_email"] != "never" || resp.Header.Get("Location") != "/admin/v1/connections/upstream" {
		t.Fatalf("create oidc: %d %v", resp.StatusCode, body)
	}
	if ru, _ := body["redirect_uri"].(string); !strings.HasSuffix(ru, "/login/connections/upstream/callback") || !strings.HasPrefix(ru, "http") {
		t.Fatalf("redirect_uri %q", ru)
	}
	if set, _ := body["secrets_set"].([]any); len(set) != 1 || set[0] != "client_secret" {
		t.Fatalf("secrets_set %v", body["secrets_set"])
	}
	resp, body = do(t, s, "POST", "/admin/v1/connections", tok, "application/json", `{"type":"ldap","display_name":"Corp",
		"url":"ldap://127.0.0.1:3890","bind_dn":"cn=admin,dc=example,dc=org","bind_password":"`+bindSecret+`",
		"user_search_base":"ou=people,dc=example,dc=org","user_search_filter":"(uid={username})","preset":"openldap"}`)
	if resp.StatusCode != 201 || body["show_on_login"] != false || body["redirect_uri"] != nil {
		t.Fatalf("create ldap: %d %v", resp.StatusCode, body)
	}
	ldapID, _ := body["id"].(string)
	if !strings.HasPrefix(ldapID, "ldap-") {
		t.Fatalf("generated id %q", ldapID)
	}
	resp, body = do(t, s, "POST", "/admin/v1/connections", tok, "application/json", `{"id":"okta","type":"saml","display_name":"Okta",
		"idp_metadata_url":"https://okta.example.com/metadata"}`)
	if resp.StatusCode != 201 || !strings.HasSuffix(body["acs_url"].(string), "/login/connections/okta/saml/acs") ||
		!strings.HasSuffix(body["sp_metadata_url"].(string), "/login/connections/okta/saml/metadata") {
		t.Fatalf("create saml: %d %v", resp.StatusCode, body)
	}

	gr, err := s.Admin.GetConnectionWithResponse(ctx, "upstream")
	if err != nil || gr.JSON200 == nil || gr.JSON200.Issuer == nil || *gr.JSON200.Issuer != "https://op.example.com" ||
		gr.HTTPResponse.Header.Get("ETag") != `"1"` {
		t.Fatalf("get: %v %s", err, gr.Body)
	}
	lr, err := s.Admin.ListConnectionsWithResponse(ctx, nil)
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 3 {
		t.Fatalf("list: %v %s", err, lr.Body)
	}
	for _, b := range [][]byte{gr.Body, lr.Body} {
		if bytes.Contains(b, []byte(oidcSecret)) || bytes.Contains(b, []byte(bindSecret)) {
			t.Fatalf("a secret was returned: %s", b)
		}
	}

	// Secrets are sealed at rest.
	def, err := s.App.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	row, err := def.Store.Connections().Get(ctx, def.Tenant.ID, ldapID)
	if err != nil || len(row.SecretsSealed) == 0 || bytes.Contains(row.SecretsSealed, []byte(bindSecret)) || bytes.Contains(row.Config, []byte(bindSecret)) {
		t.Fatalf("stored: %v %+v", err, row)
	}
	if sec, err := federation.OpenSecrets(s.App.Directory.Keyring, row); err != nil || sec.BindPassword != bindSecret {
		t.Fatalf("open: %v", err)
	}

	// Bad input: 400, nothing written.
	for name, in := range map[string]string{
		"unknown type":        `{"type":"kerberos","display_name":"K"}`,
		"issuer not a URL":    `{"type":"oidc","display_name":"X","issuer":"not a url","client_id":"c"}`,
		"issuer plain http":   `{"type":"oidc","display_name":"X","issuer":"http://op.example.com","client_id":"c"}`,
		"oidc without issuer": `{"type":"oidc","display_name":"X","client_id":"c"}`,
		"ldap member on oidc": `{"type":"oidc","display_name":"X","issuer":"https://op.example.com","client_id":"c","bind_dn":"cn=x"}`,
		"filter without {username}": `{"type":"ldap","display_name":"L","url":"ldap://127.0.0.1:389","user_search_base":"dc=x",
			"user_search_filter":"(uid=alice)"}`,
		"unbalanced filter": `{"type":"ldap","display_name":"L","url":"ldap://127.0.0.1:389","user_search_base":"dc=x",
			"user_search_filter":"(uid={username}"}`,
		"ldap http url":          `{"type":"ldap","display_name":"L","url":"http://127.0.0.1:389","user_search_base":"dc=x"}`,
		"group filter sans {dn}": `{"type":"ldap","display_name":"L","url":"ldap://127.0.0.1:389","user_search_base":"dc=x","group_search_base":"dc=x","group_search_filter":"(cn=admins)"}`,
		"bind_dn alone":          `{"type":"ldap","display_name":"L","url":"ldap://127.0.0.1:389","user_search_base":"dc=x","bind_dn":"cn=x"}`,
		"bad id":                 `{"id":"Bad ID!","type":"google","display_name":"G","client_id":"c"}`,
		"bad domain":             `{"type":"google","display_name":"G","client_id":"c","domains":["not a domain"]}`,
		"saml with a DTD":        `{"type":"saml","display_name":"S","idp_metadata_xml":"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x/>"}`,
		"bad private key":        `{"type":"apple","display_name":"A","client_id":"c","team_id":"t","key_id":"k","private_key_pem":"nope"}`,
	} {
		resp, body := do(t, s, "POST", "/admin/v1/connections", tok, "application/json", in)
		if resp.StatusCode != 400 || body["type"] != "urn:gatehouse:problem:validation" {
			t.Errorf("%s: %d %v", name, resp.StatusCode, body)
		}
	}
	resp, body = do(t, s, "POST", "/admin/v1/connections", tok, "application/json", `{"id":"upstream","type":"google","display_name":"G","client_id":"c"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	if lr, _ := s.Admin.ListConnectionsWithResponse(ctx, nil); lr.JSON200 == nil || len(lr.JSON200.Items) != 3 {
		t.Fatalf("bad input wrote something: %s", lr.Body)
	}

	// Update: merge patch, If-Match, the secret replaced but not returned,
	// the result validated as a whole.
	resp, body = do(t, s, "PATCH", "/admin/v1/connections/upstream", tok, "application/merge-patch+json", `{"enabled":false}`, "If-Match", `"7"`)
	wantProblem(t, resp, body, 412, "urn:gatehouse:problem:precondition-failed")
	resp, body = do(t, s, "PATCH", "/admin/v1/connections/upstream", tok, "application/merge-patch+json",
		`{"enabled":false,"client_secret":"rotated-`+oidcSecret+`","scopes":"openid email"}`, "If-Match", `"1"`)
	if resp.StatusCode != 200 || body["enabled"] != false || body["scopes"] != "openid email" || body["issuer"] != "https://op.example.com" ||
		resp.Header.Get("ETag") != `"2"` || strings.Contains(mapString(body), oidcSecret) {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/connections/"+ldapID, tok, "application/json", `{"user_search_filter":"(uid=bob)"}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "PATCH", "/admin/v1/connections/"+ldapID, tok, "application/json", `{"issuer":"https://op.example.com"}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	if r, _ := s.Admin.GetConnectionWithResponse(ctx, ldapID); r.JSON200 == nil || r.JSON200.Version != 1 || *r.JSON200.UserSearchFilter != "(uid={username})" {
		t.Fatalf("refused patch wrote: %s", r.Body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/connections/upstream", tok, "application/json", `{"type":"ldap"}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	// Clearing bind_dn drops its password: the directory is searched anonymously.
	resp, body = do(t, s, "PATCH", "/admin/v1/connections/"+ldapID, tok, "application/json", `{"bind_dn":""}`)
	if resp.StatusCode != 200 || body["bind_dn"] != nil || body["secrets_set"] != nil || body["url"] != "ldap://127.0.0.1:3890" {
		t.Fatalf("clear bind_dn: %d %v", resp.StatusCode, body)
	}

	// Audit: created/updated/deleted, with no secret in them.
	resp, _ = do(t, s, "DELETE", "/admin/v1/connections/okta", tok, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	resp, body = do(t, s, "GET", "/admin/v1/connections/okta", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	er, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{})
	if err != nil || er.JSON200 == nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range er.JSON200.Items {
		seen[e.Type]++
	}
	if seen["admin.connection.created"] != 3 || seen["admin.connection.updated"] != 2 || seen["admin.connection.deleted"] != 1 {
		t.Fatalf("events: %v", seen)
	}
	found := false
	for _, e := range er.JSON200.Items {
		if e.Type == "admin.connection.updated" && e.Data["connection_id"] == "upstream" {
			found = true
			if got := fmt.Sprint(e.Data["changed"]); got != "[client_secret enabled scopes]" {
				t.Fatalf("changed: %s", got)
			}
		}
	}
	if !found {
		t.Fatal("no connection.updated event for upstream")
	}
	if bytes.Contains(er.Body, []byte(oidcSecret)) || bytes.Contains(er.Body, []byte(bindSecret)) {
		t.Fatal("a secret is in the audit log")
	}
	if strings.Contains(s.Logs.String(), oidcSecret) || strings.Contains(s.Logs.String(), bindSecret) {
		t.Fatal("a secret is in the log")
	}
}

func mapString(m map[string]any) string {
	var b strings.Builder
	for k, v := range m {
		b.WriteString(k)
		if s, ok := v.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// Another tenant's key neither sees nor changes the default tenant's
// connections, and the same ID may exist in both tenants.
func TestConnectionsTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "acme"}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("%v", err)
	}
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "acme", nil, gen.APIKeyCreate{Name: "acme", Scopes: []gen.APIKeyScope{"admin"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	acme := kr.JSON201.Token
	create := `{"id":"upstream","type":"google","display_name":"Google","client_id":"c","client_secret":"s"}`
	if resp, body := do(t, s, "POST", "/admin/v1/connections", tok, "application/json", create); resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, body)
	}
	for _, m := range []struct{ method, path, ct, body string }{
		{"GET", "/admin/v1/connections", "", ""},
		{"GET", "/admin/v1/connections/upstream", "", ""},
		{"PATCH", "/admin/v1/connections/upstream", "application/json", `{"enabled":false}`},
		{"DELETE", "/admin/v1/connections/upstream", "", ""},
	} {
		resp, body := do(t, s, m.method, m.path, acme, m.ct, m.body)
		wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	}
	for _, m := range []struct{ method, path, ct, body string }{
		{"GET", "/admin/v1/tenants/acme/connections/upstream", "", ""},
		{"PATCH", "/admin/v1/tenants/acme/connections/upstream", "application/json", `{"enabled":false}`},
		{"DELETE", "/admin/v1/tenants/acme/connections/upstream", "", ""},
	} {
		resp, body := do(t, s, m.method, m.path, acme, m.ct, m.body)
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	}
	lr, err := s.ClientWithToken(t, acme).ListTenantConnectionsWithResponse(ctx, "acme", nil)
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 0 {
		t.Fatalf("acme list: %v %s", err, lr.Body)
	}
	// acme makes its own "upstream"; the default tenant's is untouched.
	resp, body := do(t, s, "POST", "/admin/v1/tenants/acme/connections", acme, "application/json", create)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/admin/v1/tenants/acme/connections/upstream" ||
		!strings.Contains(body["redirect_uri"].(string), "/t/acme/") {
		t.Fatalf("acme create: %d %v %v", resp.StatusCode, body, resp.Header)
	}
	if resp, body := do(t, s, "DELETE", "/admin/v1/tenants/acme/connections/upstream", acme, "", ""); resp.StatusCode != 204 {
		t.Fatalf("acme delete: %d %v", resp.StatusCode, body)
	}
	gr, err := s.Admin.GetConnectionWithResponse(ctx, "upstream")
	if err != nil || gr.JSON200 == nil || !gr.JSON200.Enabled || gr.JSON200.Version != 1 {
		t.Fatalf("default tenant's connection changed: %v %s", err, gr.Body)
	}
}

// getUser lists a user's federated identities; unlinkUserIdentity removes one.
func TestUserIdentities(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	if resp, body := do(t, s, "POST", "/admin/v1/connections", tok, "application/json",
		`{"id":"upstream","type":"oidc","display_name":"Up","issuer":"https://op.example.com","client_id":"c"}`); resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, body)
	}
	ur, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "jane@example.com"})
	if err != nil || ur.JSON201 == nil {
		t.Fatalf("%v %s", err, ur.Body)
	}
	uid := ur.JSON201.ID
	gr, _ := s.Admin.GetUserWithResponse(ctx, uid)
	if gr.JSON200 == nil || gr.JSON200.Identities != nil {
		t.Fatalf("identities before linking: %s", gr.Body)
	}
	def, err := s.App.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := def.Store.Connections().Link(ctx, &store.FederatedIdentity{TenantID: def.Tenant.ID, ConnectionID: "upstream",
		Subject: "248289761001", UserID: uid, Email: "jane@op.example.com"}); err != nil {
		t.Fatal(err)
	}
	gr, _ = s.Admin.GetUserWithResponse(ctx, uid)
	if gr.JSON200 == nil || gr.JSON200.Identities == nil || len(*gr.JSON200.Identities) != 1 {
		t.Fatalf("identities: %s", gr.Body)
	}
	if fi := (*gr.JSON200.Identities)[0]; fi.Connection != "upstream" || fi.Subject != "248289761001" || val(fi.Email) != "jane@op.example.com" ||
		fi.LinkedAt.IsZero() || fi.LastUsedAt != nil {
		t.Fatalf("identity: %+v", fi)
	}
	path := "/admin/v1/users/" + uid + "/identities/upstream"
	if resp, body := do(t, s, "DELETE", path, tok, "", ""); resp.StatusCode != 204 {
		t.Fatalf("unlink: %d %v", resp.StatusCode, body)
	}
	resp, body := do(t, s, "DELETE", path, tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	if gr, _ = s.Admin.GetUserWithResponse(ctx, uid); gr.JSON200 == nil || gr.JSON200.Identities != nil {
		t.Fatalf("identities after unlinking: %s", gr.Body)
	}
}

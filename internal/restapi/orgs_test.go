package restapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const acmeOrg = `{"name":"acme-corp","display_name":"Acme Corp","branding":{"logo_uri":"https://acme.example/logo.svg",
	"primary_color":"#0f766e"},"domains":["ACME.example","acme.example"]}`

// Organizations, members and members' roles through the Admin API, with
// the account API's list of the caller's organizations (issue 14).
func TestOrganizationsAPI(t *testing.T) {
	s := newTenantServer(t, "")
	tok := testserver.AdminToken
	resp, body := do(t, s, "POST", "/admin/v1/organizations", tok, "application/json", acmeOrg)
	if resp.StatusCode != 201 || body["name"] != "acme-corp" || mustJSON(body["domains"]) != `["acme.example"]` ||
		mustJSON(body["connections"]) != `[]` || resp.Header.Get("Location") != "/admin/v1/organizations/"+fmt.Sprint(body["id"]) ||
		resp.Header.Get("ETag") != `"1"` {
		t.Fatalf("create: %d %v %v", resp.StatusCode, body, resp.Header)
	}
	orgID := body["id"].(string)

	// Bad input: 400 and nothing written; a duplicate name: 409.
	for _, bad := range []struct{ body, field string }{
		{`{"name":"Acme Corp"}`, "/name"},
		{`{"name":"-acme"}`, "/name"},
		{`{"name":"x","connections":["nowhere"]}`, "/connections/0"},
		{`{"name":"x","branding":{"logo_uri":"javascript:alert(1)"}}`, "/branding/logo_uri"},
		{`{"name":"x","branding":{"primary_color":"red"}}`, "/branding/primary_color"},
		{`{"name":"x","domains":["not a domain"]}`, "/domains/0"},
		{`{"name":"x","members":[]}`, ""},
	} {
		resp, body := do(t, s, "POST", "/admin/v1/organizations", tok, "application/json", bad.body)
		if bad.field == "" {
			wantProblem(t, resp, body, 400, validation)
			continue
		}
		wantField(t, resp, body, bad.field)
	}
	resp, body = do(t, s, "POST", "/admin/v1/organizations", tok, "application/json", `{"name":"acme-corp"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, body = do(t, s, "POST", "/admin/v1/organizations", tok, "application/json", `{"name":"globex"}`)
	if resp.StatusCode != 201 || body["display_name"] != "globex" {
		t.Fatalf("create globex: %d %v", resp.StatusCode, body)
	}
	globexID := body["id"].(string)
	lr, err := s.Admin.ListOrganizationsWithResponse(ctx, &gen.ListOrganizationsParams{Limit: new(int(1))})
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 1 || lr.JSON200.NextCursor.MustGet() == "" {
		t.Fatalf("list page 1: %v %s", err, lr.Body)
	}
	lr2, err := s.Admin.ListOrganizationsWithResponse(ctx, &gen.ListOrganizationsParams{Limit: new(int(1)), Cursor: strp(lr.JSON200.NextCursor.MustGet())})
	if err != nil || lr2.JSON200 == nil || len(lr2.JSON200.Items) != 1 || lr2.JSON200.Items[0].ID == lr.JSON200.Items[0].ID || !lr2.JSON200.NextCursor.IsNull() {
		t.Fatalf("list page 2: %v %s", err, lr2.Body)
	}

	// Patch: connections must exist; a rename onto a taken name is 409.
	resp, body = do(t, s, "POST", "/admin/v1/connections", tok, "application/json", `{"id":"upstream","type":"oidc",
		"display_name":"Upstream","issuer":"https://op.example.com","client_id":"gh","client_secret":"`+oidcSecret+`"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("connection: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/organizations/"+orgID, tok, "application/merge-patch+json",
		`{"connections":["upstream"],"branding":{"logo_uri":""}}`, "If-Match", `"1"`)
	if resp.StatusCode != 200 || mustJSON(body["connections"]) != `["upstream"]` || body["version"] != 2.0 ||
		body["branding"].(map[string]any)["primary_color"] != "#0f766e" || body["branding"].(map[string]any)["logo_uri"] != nil {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/organizations/"+orgID, tok, "application/merge-patch+json", `{"name":"globex"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, body = do(t, s, "PATCH", "/admin/v1/organizations/"+orgID, tok, "application/merge-patch+json", `{"display_name":"x"}`, "If-Match", `"1"`)
	wantProblem(t, resp, body, 412, "urn:gatehouse:problem:precondition-failed")

	// Members: users of the tenant, once each.
	jane := mkAccountUser(t, s, "", "jane@example.com")
	if r, err := s.Admin.AddOrganizationMemberWithResponse(ctx, orgID, nil, gen.OrganizationMemberAdd{UserID: jane}); err != nil || r.JSON201 == nil || r.JSON201.UserID != jane {
		t.Fatalf("add member: %v %s", err, r.Body)
	}
	resp, body = do(t, s, "POST", "/admin/v1/organizations/"+orgID+"/members", tok, "application/json", `{"user_id":"`+jane+`"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, body = do(t, s, "POST", "/admin/v1/organizations/"+orgID+"/members", tok, "application/json", `{"user_id":"nobody"}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "POST", "/admin/v1/organizations/nothing/members", tok, "application/json", `{"user_id":"`+jane+`"}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "GET", "/admin/v1/organizations/nothing/members", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	if r, err := s.Admin.ListOrganizationMembersWithResponse(ctx, orgID, nil); err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 1 || r.JSON200.Items[0].UserID != jane {
		t.Fatalf("list members: %v %s", err, r.Body)
	}

	// Member roles: only for members, only the tenant's roles.
	resp, body = do(t, s, "POST", "/admin/v1/apis", tok, "application/json", billingAPI)
	if resp.StatusCode != 201 {
		t.Fatalf("api: %d %v", resp.StatusCode, body)
	}
	rr, err := s.Admin.CreateRoleWithResponse(ctx, nil, gen.RoleCreate{Name: "accountant", Permissions: &[]gen.Permission{
		{API: "https://api.example.com/billing", Scope: "invoices:read"}}})
	if err != nil || rr.JSON201 == nil {
		t.Fatalf("role: %v %s", err, rr.Body)
	}
	roleID := rr.JSON201.ID
	rahul := mkAccountUser(t, s, "", "rahul@example.com")
	resp, body = do(t, s, "POST", "/admin/v1/organizations/"+orgID+"/members/"+rahul+"/roles", tok, "application/json", `{"roles":["`+roleID+`"]}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "POST", "/admin/v1/organizations/"+orgID+"/members/"+jane+"/roles", tok, "application/json", `{"roles":["`+roleID+`","nope"]}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	if r, err := s.Admin.AssignOrganizationMemberRolesWithResponse(ctx, orgID, jane, gen.UserRolesAssign{Roles: []string{roleID}}); err != nil || r.StatusCode() != 204 {
		t.Fatalf("assign: %v %s", err, r.Body)
	}
	if r, err := s.Admin.ListOrganizationMemberRolesWithResponse(ctx, orgID, jane, nil); err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 1 || r.JSON200.Items[0].Name != "accountant" {
		t.Fatalf("member roles: %v %s", err, r.Body)
	}
	// Organization roles are not tenant-wide roles.
	if r, err := s.Admin.ListUserRolesWithResponse(ctx, jane, nil); err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 0 {
		t.Fatalf("user roles: %v %s", err, r.Body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/organizations/"+orgID+"/members/"+rahul+"/roles", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

	// The user sees their organizations.
	web := mkApp(t, s, "", "Account console", true)
	utok := newUserAgent(t, s).signIn(web, "jane@example.com", "openid account").AccessToken
	resp, body = do(t, s, "GET", "/v1/me/organizations", utok, "", "")
	if items, _ := body["items"].([]any); resp.StatusCode != 200 || len(items) != 1 || items[0].(map[string]any)["name"] != "acme-corp" {
		t.Fatalf("my organizations: %d %v", resp.StatusCode, body)
	}

	if r, err := s.Admin.RemoveOrganizationMemberRoleWithResponse(ctx, orgID, jane, roleID); err != nil || r.StatusCode() != 204 {
		t.Fatalf("remove role: %v %s", err, r.Body)
	}
	resp, body = do(t, s, "DELETE", "/admin/v1/organizations/"+orgID+"/members/"+jane+"/roles/"+roleID, tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	if r, err := s.Admin.RemoveOrganizationMemberWithResponse(ctx, orgID, jane); err != nil || r.StatusCode() != 204 {
		t.Fatalf("remove member: %v %s", err, r.Body)
	}
	resp, body = do(t, s, "GET", "/v1/me/organizations", utok, "", "")
	if items, _ := body["items"].([]any); resp.StatusCode != 200 || len(items) != 0 {
		t.Fatalf("my organizations after removal: %d %v", resp.StatusCode, body)
	}
	if r, err := s.Admin.DeleteOrganizationWithResponse(ctx, globexID); err != nil || r.StatusCode() != 204 {
		t.Fatalf("delete: %v %s", err, r.Body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/organizations/"+globexID, tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

	// Every change is audited (and so offered to webhooks).
	want := "admin.organization.deleted admin.membership.removed admin.membership.role_removed admin.membership.roles_assigned " +
		"admin.membership.added admin.organization.updated admin.organization.created admin.organization.created"
	wantEvents(t, s, want, "admin.organization.", "admin.membership.")
}

// wantEvents checks the types of the default tenant's events that start
// with one of the prefixes, newest first, joined by spaces.
func wantEvents(t *testing.T, s *testserver.Server, want string, prefixes ...string) {
	t.Helper()
	ev, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{})
	if err != nil || ev.JSON200 == nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range ev.JSON200.Items {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Type, p) {
				types = append(types, e.Type)
				break
			}
		}
	}
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("events, newest first:\n got %s\nwant %s", got, want)
	}
}

// One tenant's organizations are not found from another, by ID or through
// its members, and another tenant's users cannot join them.
func TestOrganizationsTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	for _, slug := range []string{"acme", "globex"} {
		mkTenant(t, s, slug)
	}
	resp, body := do(t, s, "POST", "/admin/v1/tenants/acme/organizations", tok, "application/json", acmeOrg)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/admin/v1/tenants/acme/organizations/"+fmt.Sprint(body["id"]) {
		t.Fatalf("create: %d %v", resp.StatusCode, body)
	}
	orgID := body["id"].(string)
	globexUser := mkAccountUser(t, s, "globex", "mallory@example.com")
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/admin/v1/tenants/globex/organizations/" + orgID, ""},
		{"PATCH", "/admin/v1/tenants/globex/organizations/" + orgID, `{"display_name":"pwned"}`},
		{"DELETE", "/admin/v1/tenants/globex/organizations/" + orgID, ""},
		{"GET", "/admin/v1/tenants/globex/organizations/" + orgID + "/members", ""},
		{"POST", "/admin/v1/tenants/globex/organizations/" + orgID + "/members", `{"user_id":"` + globexUser + `"}`},
		{"POST", "/admin/v1/tenants/acme/organizations/" + orgID + "/members", `{"user_id":"` + globexUser + `"}`},
		{"GET", "/admin/v1/organizations/" + orgID, ""},
	} {
		ct := ""
		if c.body != "" {
			ct = "application/json"
			if c.method == "PATCH" {
				ct = "application/merge-patch+json"
			}
		}
		resp, body := do(t, s, c.method, c.path, tok, ct, c.body)
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	}
	// The same name is free in another tenant.
	resp, body = do(t, s, "POST", "/admin/v1/tenants/globex/organizations", tok, "application/json", acmeOrg)
	if resp.StatusCode != 201 || body["id"] == orgID {
		t.Fatalf("same name in globex: %d %v", resp.StatusCode, body)
	}
	if r, err := s.Admin.ListTenantOrganizationsWithResponse(ctx, "acme", nil); err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 1 || r.JSON200.Items[0].ID != orgID {
		t.Fatalf("acme's list: %v %s", err, r.Body)
	}
}

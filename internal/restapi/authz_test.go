package restapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const billingAPI = `{"identifier":"https://api.example.com/billing","name":"Billing API",
	"scopes":[{"value":"invoices:read","description":"Read invoices"},{"value":"invoices:write"}],
	"access_token_lifetime_seconds":900,"rbac":true,"permissions_in_token":true}`

// APIs, client grants, roles and user roles through the Admin API (issue 14).
func TestAPIsAndRolesAPI(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "POST", "/admin/v1/apis", tok, "application/json", billingAPI)
	if resp.StatusCode != 201 || body["token_format"] != "jwt" || body["access_token_lifetime_seconds"] != 900.0 ||
		resp.Header.Get("Location") != "/admin/v1/apis/"+fmt.Sprint(body["id"]) || resp.Header.Get("ETag") != `"1"` {
		t.Fatalf("create: %d %v %v", resp.StatusCode, body, resp.Header)
	}
	apiID := body["id"].(string)

	// Bad input: 400 and nothing written; a duplicate identifier: 409.
	for _, bad := range []string{
		`{"identifier":"api.example.com/billing","name":"x"}`,
		`{"identifier":"https://api.example.com/x#frag","name":"x"}`,
		`{"identifier":"https://api.example.com/a b","name":"x"}`,
		`{"identifier":"/relative","name":"x"}`,
		`{"identifier":"https://api.example.com/y","name":"x","scopes":[{"value":"a"},{"value":"a"}]}`,
		`{"identifier":"https://api.example.com/y","name":"x","scopes":[{"value":"has space"}]}`,
		`{"identifier":"https://api.example.com/y","name":"x","token_format":"paseto"}`,
		`{"identifier":"https://api.example.com/y","name":"x","access_token_lifetime_seconds":5}`,
	} {
		resp, body := do(t, s, "POST", "/admin/v1/apis", tok, "application/json", bad)
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	}
	resp, body = do(t, s, "POST", "/admin/v1/apis", tok, "application/json", billingAPI)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	if lr, err := s.Admin.ListApisWithResponse(ctx, nil); err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 1 {
		t.Fatalf("list: %v %s", err, lr.Body)
	}
	// identifier is immutable: not a member of the patch.
	resp, body = do(t, s, "PATCH", "/admin/v1/apis/"+apiID, tok, "application/merge-patch+json", `{"identifier":"https://other.example.com"}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")

	// Client grants: only scopes the API defines.
	cr, err := s.Admin.CreateClientWithResponse(ctx, nil, gen.ClientCreate{ClientName: "Billing service",
		GrantTypes: &[]gen.GrantType{"client_credentials"}, RedirectUris: &[]string{}})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("client: %v %s", err, cr.Body)
	}
	cid := cr.JSON201.ClientID
	resp, body = do(t, s, "PUT", "/admin/v1/clients/"+cid+"/apis/"+apiID, tok, "application/json", `{"scopes":["invoices:read","invoices:delete"]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	if errs, _ := body["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "/scopes/1" {
		t.Fatalf("field errors: %v", body)
	}
	resp, body = do(t, s, "PUT", "/admin/v1/clients/nobody/apis/"+apiID, tok, "application/json", `{"scopes":["invoices:read"]}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	gr, err := s.Admin.GrantClientAPIWithResponse(ctx, cid, apiID, gen.ClientAPIGrantPut{Scopes: []string{"invoices:read"}})
	if err != nil || gr.JSON200 == nil || gr.JSON200.Identifier != "https://api.example.com/billing" {
		t.Fatalf("grant: %v %s", err, gr.Body)
	}
	if lr, err := s.Admin.ListClientApisWithResponse(ctx, cid, nil); err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 1 {
		t.Fatalf("list grants: %v %s", err, lr.Body)
	}

	// Roles: permissions must name defined scopes.
	resp, body = do(t, s, "POST", "/admin/v1/roles", tok, "application/json",
		`{"name":"accountant","permissions":[{"api":"https://api.example.com/billing","scope":"invoices:pay"}]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "POST", "/admin/v1/roles", tok, "application/json",
		`{"name":"accountant","permissions":[{"api":"https://nope.example.com","scope":"invoices:read"}]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	rr, err := s.Admin.CreateRoleWithResponse(ctx, nil, gen.RoleCreate{Name: "accountant", Permissions: &[]gen.Permission{
		{API: "https://api.example.com/billing", Scope: "invoices:write"}, {API: "https://api.example.com/billing", Scope: "invoices:read"}}})
	if err != nil || rr.JSON201 == nil || len(rr.JSON201.Permissions) != 2 || rr.JSON201.Permissions[0].Scope != "invoices:read" {
		t.Fatalf("role: %v %s", err, rr.Body)
	}
	roleID := rr.JSON201.ID
	resp, body = do(t, s, "POST", "/admin/v1/roles", tok, "application/json", `{"name":"accountant"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, body = do(t, s, "PATCH", "/admin/v1/roles/"+roleID, tok, "application/merge-patch+json", `{"description":"Finance"}`, "If-Match", `"1"`)
	if resp.StatusCode != 200 || body["description"] != "Finance" || resp.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch role: %d %v", resp.StatusCode, body)
	}

	// User roles.
	ur, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "ann@example.com"})
	if err != nil || ur.JSON201 == nil {
		t.Fatal(err)
	}
	uid := ur.JSON201.ID
	resp, body = do(t, s, "POST", "/admin/v1/users/"+uid+"/roles", tok, "application/json", `{"roles":["`+roleID+`","missing"]}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	if r, err := s.Admin.AssignUserRolesWithResponse(ctx, uid, gen.UserRolesAssign{Roles: []string{roleID}}); err != nil || r.StatusCode() != 204 {
		t.Fatalf("assign: %v %s", err, r.Body)
	}
	lr, err := s.Admin.ListUserRolesWithResponse(ctx, uid, nil)
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 1 || lr.JSON200.Items[0].Name != "accountant" {
		t.Fatalf("user roles: %v %s", err, lr.Body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/users/nobody/roles", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

	// Removing a scope the role uses, or deleting the API: 409 naming the role.
	resp, body = do(t, s, "PATCH", "/admin/v1/apis/"+apiID, tok, "application/json", `{"scopes":[{"value":"invoices:read"}]}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, body = do(t, s, "DELETE", "/admin/v1/apis/"+apiID, tok, "", "")
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	if d, _ := body["detail"].(string); !strings.Contains(d, "accountant") || !strings.Contains(d, roleID) {
		t.Fatalf("conflict names no role: %v", body)
	}
	resp, _ = do(t, s, "DELETE", "/admin/v1/apis/"+apiID+"?cascade=true", tok, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("cascade delete: %d", resp.StatusCode)
	}
	if g, err := s.Admin.GetRoleWithResponse(ctx, roleID); err != nil || g.JSON200 == nil || len(g.JSON200.Permissions) != 0 {
		t.Fatalf("role after cascade: %v %s", err, g.Body)
	}
	if r, err := s.Admin.RemoveUserRoleWithResponse(ctx, uid, roleID); err != nil || r.StatusCode() != 204 {
		t.Fatalf("remove: %v %s", err, r.Body)
	}
	resp, body = do(t, s, "DELETE", "/admin/v1/users/"+uid+"/roles/"+roleID, tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

	// Every change is audited.
	want := "admin.role.unassigned admin.api.deleted admin.role.assigned admin.role.updated admin.role.created admin.api.client_granted admin.api.created"
	wantEvents(t, s, want, "admin.api.", "admin.role.")
}

// A tenant's APIs and roles are invisible from another tenant, and a
// tenant-bound key reaches only its own.
func TestAPIsAndRolesTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	for _, slug := range []string{"acme", "globex"} {
		if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: slug}); err != nil || r.StatusCode() != 201 {
			t.Fatalf("%v %s", err, r.Body)
		}
	}
	resp, body := do(t, s, "POST", "/admin/v1/tenants/acme/apis", tok, "application/json", billingAPI)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/admin/v1/tenants/acme/apis/"+fmt.Sprint(body["id"]) {
		t.Fatalf("create: %d %v", resp.StatusCode, body)
	}
	apiID := body["id"].(string)
	resp, body = do(t, s, "POST", "/admin/v1/tenants/acme/roles", tok, "application/json",
		`{"name":"accountant","permissions":[{"api":"https://api.example.com/billing","scope":"invoices:read"}]}`)
	if resp.StatusCode != 201 {
		t.Fatalf("role: %d %v", resp.StatusCode, body)
	}
	roleID := body["id"].(string)
	ur, err := s.Admin.CreateTenantUserWithResponse(ctx, "globex", nil, gen.UserCreate{Email: "g@globex.test"})
	if err != nil || ur.JSON201 == nil {
		t.Fatal(err)
	}

	for _, p := range []string{"/admin/v1/tenants/globex/apis/" + apiID, "/admin/v1/apis/" + apiID,
		"/admin/v1/tenants/globex/roles/" + roleID, "/admin/v1/roles/" + roleID} {
		resp, body := do(t, s, "GET", p, tok, "", "")
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
		resp, body = do(t, s, "DELETE", p, tok, "", "")
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	}
	// globex cannot assign acme's role, nor name acme's API in a role.
	resp, body = do(t, s, "POST", "/admin/v1/tenants/globex/users/"+ur.JSON201.ID+"/roles", tok, "application/json", `{"roles":["`+roleID+`"]}`)
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "POST", "/admin/v1/tenants/globex/roles", tok, "application/json",
		`{"name":"accountant","permissions":[{"api":"https://api.example.com/billing","scope":"invoices:read"}]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	// The identifier is free in globex.
	if resp, body := do(t, s, "POST", "/admin/v1/tenants/globex/apis", tok, "application/json", billingAPI); resp.StatusCode != 201 {
		t.Fatalf("same identifier in another tenant: %d %v", resp.StatusCode, body)
	}
	if lr, err := s.Admin.ListTenantApisWithResponse(ctx, "acme", nil); err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 1 || lr.JSON200.Items[0].ID != apiID {
		t.Fatalf("acme's list: %v %s", err, lr.Body)
	}

	// A key bound to acme sees acme only.
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "acme", nil, gen.APIKeyCreate{Name: "acme", Scopes: []gen.APIKeyScope{"clients:read", "users:read"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	resp, _ = do(t, s, "GET", "/admin/v1/tenants/acme/apis/"+apiID, kr.JSON201.Token, "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("own tenant: %d", resp.StatusCode)
	}
	for _, p := range []string{"/admin/v1/tenants/globex/apis", "/admin/v1/tenants/globex/roles"} {
		resp, body := do(t, s, "GET", p, kr.JSON201.Token, "", "")
		wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	}
	// clients:read does not write.
	resp, body = do(t, s, "DELETE", "/admin/v1/tenants/acme/apis/"+apiID, kr.JSON201.Token, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
}

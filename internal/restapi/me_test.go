package restapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The signed-in user's own profile, password and account, with real
// access tokens (helpers in account_test.go). Every call goes through the
// contract-checking client.

const validation = "urn:gatehouse:problem:validation"

// mePath is the account API path of the tenant ("" for the default one).
func mePath(tenant, rest string) string {
	if tenant == "" {
		return "/v1/me" + rest
	}
	return "/t/" + tenant + "/v1/me" + rest
}

// wantField checks a validation problem names field.
func wantField(t *testing.T, resp *http.Response, body map[string]any, field string) {
	t.Helper()
	wantProblem(t, resp, body, 400, validation)
	if !strings.Contains(mustJSON(body["errors"]), `"field":"`+field+`"`) {
		t.Fatalf("errors %v, want one on %s", body["errors"], field)
	}
}

func TestMeProfile(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := newTenantServer(t, tenant)
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken

			resp, u := do(t, s, "GET", mePath(tenant, ""), tok, "", "")
			if resp.StatusCode != 200 || u["id"] != ada || u["email"] != "ada@example.com" || u["has_password"] != true {
				t.Fatalf("get me: %d %v", resp.StatusCode, u)
			}
			tag := resp.Header.Get("ETag")
			if tag == "" {
				t.Fatal("no ETag")
			}

			// The user's own profile members change; the phone number is
			// not verified, whatever the user says.
			resp, u = do(t, s, "PATCH", mePath(tenant, ""), tok, "application/merge-patch+json",
				`{"given_name":"Ada","family_name":"Lovelace","locale":"en-GB","phone_number":"+442071234567","nickname":null}`, "If-Match", tag)
			if resp.StatusCode != 200 || u["given_name"] != "Ada" || u["family_name"] != "Lovelace" || u["locale"] != "en-GB" ||
				u["phone_number"] != "+442071234567" || u["phone_number_verified"] != nil || resp.Header.Get("ETag") == tag {
				t.Fatalf("patch me: %d %v", resp.StatusCode, u)
			}

			// The old ETag no longer matches.
			resp, body := do(t, s, "PATCH", mePath(tenant, ""), tok, "application/json", `{"given_name":"Augusta"}`, "If-Match", tag)
			wantProblem(t, resp, body, 412, "urn:gatehouse:problem:precondition-failed")

			// Email, verification flags, username and status are not the
			// user's to change: the contract refuses the member, nothing is
			// written.
			for _, patch := range []string{`{"email":"eve@example.com"}`, `{"email_verified":true}`, `{"disabled":false}`,
				`{"username":"ada"}`, `{"phone_number_verified":true}`} {
				resp, body := do(t, s, "PATCH", mePath(tenant, ""), tok, "application/merge-patch+json", patch)
				wantProblem(t, resp, body, 400, validation)
			}
			resp, u = do(t, s, "GET", mePath(tenant, ""), tok, "", "")
			if resp.StatusCode != 200 || u["email"] != "ada@example.com" || u["given_name"] != "Ada" || u["username"] != nil {
				t.Fatalf("after refused patches: %d %v", resp.StatusCode, u)
			}

			// Custom attributes carry entitlements (plan, role): users cannot set them.
			resp, body = do(t, s, "PATCH", mePath(tenant, ""), tok, "application/json", `{"attributes":{"plan":"enterprise"}}`)
			wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")

			// No token, or another tenant's token: 401.
			resp, body = do(t, s, "GET", mePath(tenant, ""), "", "", "")
			wantProblem(t, resp, body, 401, unauthorized)
			other := "acme"
			if tenant == "acme" {
				other = ""
			} else if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: other}); err != nil || r.StatusCode() != 201 {
				t.Fatalf("create tenant: %v %s", err, r.Body)
			}
			resp, body = do(t, s, "GET", mePath(other, ""), tok, "", "")
			wantProblem(t, resp, body, 401, unauthorized)
		})
	}
}

func TestChangeMyPassword(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := newTenantServer(t, tenant)
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			laptop := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account offline_access")
			phone := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account")
			sc := mustScope(t, s, tenant)
			const next = "violet-kettle-harbour-7"

			// A wrong current password says only that.
			resp, body := do(t, s, "POST", mePath(tenant, "/password"), laptop.AccessToken, "application/json",
				`{"current_password":"wrong horse","new_password":"`+next+`"}`)
			wantField(t, resp, body, "/current_password")
			if len(body["errors"].([]any)) != 1 {
				t.Fatalf("wrong password reveals more: %v", body)
			}
			// A new password the policy refuses points at /new_password.
			for _, pw := range []string{"password123", "short"} {
				resp, body = do(t, s, "POST", mePath(tenant, "/password"), laptop.AccessToken, "application/json",
					`{"current_password":"`+accountPassword+`","new_password":"`+pw+`"}`)
				wantField(t, resp, body, "/new_password")
			}
			// Both members are required.
			resp, body = do(t, s, "POST", mePath(tenant, "/password"), laptop.AccessToken, "application/json", `{"new_password":"`+next+`"}`)
			wantProblem(t, resp, body, 400, validation)
			if ok, _ := s.App.Directory.VerifyPassword(ctx, sc, ada, accountPassword); !ok {
				t.Fatal("a refused change changed the password")
			}
			if protocolStatus(t, s, tenant, "/userinfo", phone.AccessToken) != 200 {
				t.Fatal("a refused change signed the phone out")
			}

			resp, body = do(t, s, "POST", mePath(tenant, "/password"), laptop.AccessToken, "application/json",
				`{"current_password":"`+accountPassword+`","new_password":"`+next+`"}`)
			if resp.StatusCode != 204 {
				t.Fatalf("change: %d %v", resp.StatusCode, body)
			}
			if ok, _ := s.App.Directory.VerifyPassword(ctx, sc, ada, accountPassword); ok {
				t.Fatal("the old password still works")
			}
			if ok, _ := s.App.Directory.VerifyPassword(ctx, sc, ada, next); !ok {
				t.Fatal("the new password does not work")
			}
			// Every session and token ends, this one's included.
			for _, tok := range []string{laptop.AccessToken, phone.AccessToken} {
				if st := protocolStatus(t, s, tenant, "/userinfo", tok); st != 401 {
					t.Fatalf("userinfo after the change: %d", st)
				}
				resp, body = do(t, s, "GET", mePath(tenant, ""), tok, "", "")
				wantProblem(t, resp, body, 401, unauthorized)
			}
			if laptop.RefreshToken == "" {
				t.Fatal("no refresh token to check")
			}
			if st, ts := tokenRequest(t, s, web, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {laptop.RefreshToken}}); st == 200 || ts.Error != "invalid_grant" {
				t.Fatalf("refresh after the change: %d %+v", st, ts)
			}
		})
	}
}

func TestDeleteMe(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := newTenantServer(t, tenant)
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			bob := mkAccountUser(t, s, tenant, "bob@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
			bobTok := newUserAgent(t, s).signIn(web, "bob@example.com", "openid account").AccessToken
			sc := mustScope(t, s, tenant)

			// Without the password, or with a wrong one: refused, nothing changes.
			for _, body := range []string{"", `{}`, `{"current_password":"wrong horse"}`} {
				ct := "application/json"
				if body == "" {
					ct = ""
				}
				resp, p := do(t, s, "DELETE", mePath(tenant, ""), tok, ct, body)
				wantField(t, resp, p, "/current_password")
			}
			if _, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, ada); err != nil {
				t.Fatalf("refused deletion deleted: %v", err)
			}

			resp, p := do(t, s, "DELETE", mePath(tenant, ""), tok, "application/json", `{"current_password":"`+accountPassword+`"}`)
			if resp.StatusCode != 204 {
				t.Fatalf("delete me: %d %v", resp.StatusCode, p)
			}
			if _, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, ada); err == nil {
				t.Fatal("the user is still there")
			}
			if st := protocolStatus(t, s, tenant, "/userinfo", tok); st != 401 {
				t.Fatalf("userinfo after deletion: %d", st)
			}
			resp, p = do(t, s, "GET", mePath(tenant, ""), tok, "", "")
			wantProblem(t, resp, p, 401, unauthorized)

			// Bob is untouched.
			resp, p = do(t, s, "GET", mePath(tenant, ""), bobTok, "", "")
			if resp.StatusCode != 200 || p["id"] != bob {
				t.Fatalf("Bob after Ada's deletion: %d %v", resp.StatusCode, p)
			}
		})
	}
}

// A user without a password (as after a federated sign-in) re-authenticates
// with the recency of the sign-in behind the token instead.
func TestDeleteMeWithoutPassword(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ada := mkAccountUser(t, s, "", "ada@example.com")
	web := mkApp(t, s, "", "Account console", true)
	tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
	sc := mustScope(t, s, "")
	if err := sc.Store.Passwords().Delete(ctx, sc.Tenant.ID, ada); err != nil {
		t.Fatal(err)
	}

	// Without a password there is no current password to change.
	resp, body := do(t, s, "POST", "/v1/me/password", tok, "application/json",
		`{"current_password":"`+accountPassword+`","new_password":"violet-kettle-harbour-7"}`)
	wantField(t, resp, body, "/current_password")

	// The sign-in is seconds old: no body needed.
	resp, body = do(t, s, "DELETE", "/v1/me", tok, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("delete me: %d %v", resp.StatusCode, body)
	}
	if _, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, ada); err == nil {
		t.Fatal("the user is still there")
	}
	if st := protocolStatus(t, s, "", "/userinfo", tok); st != 401 {
		t.Fatalf("userinfo after deletion: %d", st)
	}
}

// A user patches only the attributes the tenant's schema declares and
// does not mark readOnly: entitlements (a plan, roles) stay the Admin
// API's. A refused member, set or removed, changes nothing at all.
func TestUpdateMeAttributesOnlyUserWritable(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	schema := gen.AttributeSchema{"type": "object", "properties": map[string]any{
		"department": map[string]any{"type": "string"},
		"plan":       map[string]any{"type": "string", "readOnly": true},
	}}
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "acme", AttributeSchema: &schema}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("create tenant: %v %s", err, r.Body)
	}
	id := mkAccountUser(t, s, "acme", "ada@example.com")
	tok := newUserAgent(t, s).signIn(mkApp(t, s, "acme", "Account console", true), "ada@example.com", "openid account").AccessToken
	if resp, body := do(t, s, "PATCH", "/admin/v1/tenants/acme/users/"+id, testserver.AdminToken, "application/json",
		`{"attributes":{"plan":"free"}}`); resp.StatusCode != 200 {
		t.Fatalf("the admin sets the plan: %d %v", resp.StatusCode, body)
	}

	resp, u := do(t, s, "PATCH", mePath("acme", ""), tok, "application/merge-patch+json", `{"attributes":{"department":"sales"}}`)
	if resp.StatusCode != 200 || mustJSON(u["attributes"]) != `{"department":"sales","plan":"free"}` {
		t.Fatalf("user-writable attribute: %d %v", resp.StatusCode, u)
	}
	for _, c := range []struct{ patch, field string }{
		{`{"given_name":"Eve","attributes":{"department":"it","plan":"enterprise"}}`, "/attributes/plan"},
		{`{"attributes":{"roles":["admin"]}}`, "/attributes/roles"},
		{`{"attributes":{"plan":null}}`, "/attributes/plan"},
	} {
		resp, body := do(t, s, "PATCH", mePath("acme", ""), tok, "application/merge-patch+json", c.patch)
		wantField(t, resp, body, c.field)
	}
	resp, u = do(t, s, "GET", mePath("acme", ""), tok, "", "")
	if resp.StatusCode != 200 || u["given_name"] != nil || mustJSON(u["attributes"]) != `{"department":"sales","plan":"free"}` {
		t.Fatalf("after refused patches: %d %v", resp.StatusCode, u)
	}
	// The user's own attribute can be removed again.
	resp, u = do(t, s, "PATCH", mePath("acme", ""), tok, "application/json", `{"attributes":{"department":null}}`)
	if resp.StatusCode != 200 || mustJSON(u["attributes"]) != `{"plan":"free"}` {
		t.Fatalf("removing a user-writable attribute: %d %v", resp.StatusCode, u)
	}
}

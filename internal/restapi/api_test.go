package restapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

var ctx = context.Background()

func strp(s string) *string { return &s }

// do sends a raw request through the contract-checking client.
// A path starting with "!" is deliberately off-contract and not checked.
func do(t *testing.T, s *testserver.Server, method, path, token, contentType, body string, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	offContract := strings.HasPrefix(path, "!")
	req, err := http.NewRequest(method, s.URL+strings.TrimPrefix(path, "!"), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if offContract {
		req = apitest.Unchecked(req)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp, m
}

func wantProblem(t *testing.T, resp *http.Response, body map[string]any, status int, typ string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %v", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	if body["type"] != typ {
		t.Fatalf("type %v, want %s: %v", body["type"], typ, body)
	}
	if body["request_id"] != resp.Header.Get("X-Request-ID") || body["request_id"] == "" {
		t.Fatalf("request_id %v vs header %q", body["request_id"], resp.Header.Get("X-Request-ID"))
	}
}

func userCount(t *testing.T, s *testserver.Server) int {
	t.Helper()
	r, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{})
	if err != nil || r.JSON200 == nil {
		t.Fatalf("list: %v %s", err, r.Body)
	}
	return len(r.JSON200.Items)
}

func TestQuickstartContracts(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	// The two shapes tooling outside the project relies on.
	resp, body := do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json",
		`{"email":"Jane@Example.com","password":"correct horse battery","email_verified":true,"given_name":"Jane","family_name":"Doe"}`)
	if resp.StatusCode != 201 || body["id"] == "" || body["has_password"] != true || body["email_verified"] != true {
		t.Fatalf("create user: %d %v", resp.StatusCode, body)
	}
	if _, ok := body["password"]; ok {
		t.Fatal("password echoed")
	}
	if resp.Header.Get("ETag") != `"1"` || resp.Header.Get("Location") != "/admin/v1/users/"+body["id"].(string) {
		t.Fatalf("headers %v", resp.Header)
	}
	resp, body = do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json",
		`{"client_name":"Demo","redirect_uris":["https://app.example.com/cb"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"client_secret_basic","scope":"openid profile email"}`)
	if resp.StatusCode != 201 || body["client_id"] == "" || body["client_secret"] == nil {
		t.Fatalf("create client: %d %v", resp.StatusCode, body)
	}
	// A public client gets no secret.
	resp, body = do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json",
		`{"client_name":"SPA","redirect_uris":["https://spa.example.com/cb"],"token_endpoint_auth_method":"none"}`)
	if resp.StatusCode != 201 || body["client_secret"] != nil {
		t.Fatalf("public client: %d %v", resp.StatusCode, body)
	}
}

func TestBadInputIsPreciseAndWritesNothing(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	cases := []struct {
		name, ct, body string
		status         int
		typ, field     string
	}{
		{"malformed json", "application/json", `{"email":`, 400, "urn:gatehouse:problem:malformed-json", ""},
		{"unknown field", "application/json", `{"email":"a@example.com","bogus":1}`, 400, "urn:gatehouse:problem:validation", "/bogus"},
		{"wrong type", "application/json", `{"email":"a@example.com","email_verified":"yes"}`, 400, "urn:gatehouse:problem:validation", "/email_verified"},
		{"invalid email", "application/json", `{"email":"not-an-email"}`, 400, "urn:gatehouse:problem:validation", "/email"},
		{"missing email", "application/json", `{"given_name":"x"}`, 400, "urn:gatehouse:problem:validation", ""},
		{"short password", "application/json", `{"email":"a@example.com","password":"short"}`, 400, "urn:gatehouse:problem:validation", "/password"},
		{"bad attribute shape", "application/json", `{"email":"a@example.com","attributes":[1]}`, 400, "urn:gatehouse:problem:validation", "/attributes"},
		{"wrong content type", "text/plain", `{"email":"a@example.com"}`, 415, "urn:gatehouse:problem:unsupported-media-type", ""},
		{"oversized", "application/json", `{"email":"a@example.com","name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "urn:gatehouse:problem:payload-too-large", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := do(t, s, "POST", "/admin/v1/users", tok, c.ct, c.body)
			wantProblem(t, resp, body, c.status, c.typ)
			if c.field != "" {
				errs, _ := body["errors"].([]any)
				found := false
				for _, e := range errs {
					if e.(map[string]any)["field"] == c.field {
						found = true
					}
				}
				if !found {
					t.Fatalf("no field error for %s: %v", c.field, body)
				}
			}
		})
	}
	if n := userCount(t, s); n != 0 {
		t.Fatalf("bad input wrote %d users", n)
	}
}

func TestDuplicateEmailIsCaseInsensitive(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	r, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "dup@example.com"})
	if err != nil || r.StatusCode() != 201 {
		t.Fatalf("%v %s", err, r.Body)
	}
	resp, body := do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json", `{"email":"DUP@Example.COM"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	if n := userCount(t, s); n != 1 {
		t.Fatalf("users: %d", n)
	}
}

func TestAuthErrors(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	resp, body := do(t, s, "GET", "/admin/v1/users", "", "", "")
	wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")
	if resp.Header.Get("WWW-Authenticate") == "" {
		t.Fatal("no WWW-Authenticate")
	}
	resp, body = do(t, s, "GET", "/admin/v1/users", "gh_AAAAAAAAAAAAAAAA_nope", "", "")
	wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")
	resp, body = do(t, s, "GET", "/admin/v1/users", "wrong-token-of-some-length", "", "")
	wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")

	// A read-only key cannot write, and cannot mint itself a stronger key.
	kr, err := s.Admin.CreateAPIKeyWithResponse(ctx, nil, gen.APIKeyCreate{Name: "reader", Scopes: []gen.APIKeyScope{"users:read", "api_keys:write"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	reader := kr.JSON201.Token
	resp, body = do(t, s, "POST", "/admin/v1/users", reader, "application/json", `{"email":"x@example.com"}`)
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	resp, body = do(t, s, "POST", "/admin/v1/api-keys", reader, "application/json", `{"name":"escalate","scopes":["admin"]}`)
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	resp, _ = do(t, s, "GET", "/admin/v1/users", reader, "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("reader list: %d", resp.StatusCode)
	}
	// Revoked keys stop working at once.
	resp, _ = do(t, s, "DELETE", "/admin/v1/api-keys/"+kr.JSON201.ID, testserver.AdminToken, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	resp, body = do(t, s, "GET", "/admin/v1/users", reader, "", "")
	wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")
	lr, err := s.Admin.ListAPIKeysWithResponse(ctx, nil)
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 1 || !lr.JSON200.Items[0].RevokedAt.IsSpecified() {
		t.Fatalf("keys after revoke: %v %s", err, lr.Body)
	}
}

func TestNotFoundAndRouting(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "GET", "/admin/v1/users/01936a00-0000-7000-8000-000000000000", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "GET", "/admin/v1/clients/nope", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "GET", "/admin/v1/tenants/nope", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "DELETE", "/admin/v1/tenants/default", tok, "", "")
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
}

func TestCrossTenantIDsAreNotFound(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	for _, slug := range []string{"acme", "globex"} {
		r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: slug})
		if err != nil || r.StatusCode() != 201 {
			t.Fatalf("%v %s", err, r.Body)
		}
	}
	ur, err := s.Admin.CreateTenantUserWithResponse(ctx, "acme", nil, gen.UserCreate{Email: "wile@acme.test"})
	if err != nil || ur.JSON201 == nil {
		t.Fatalf("%v %s", err, ur.Body)
	}
	id := ur.JSON201.ID
	// Same ID through another tenant, or the default tenant: not found.
	for _, path := range []string{"/admin/v1/tenants/globex/users/" + id, "/admin/v1/users/" + id} {
		resp, body := do(t, s, "GET", path, testserver.AdminToken, "", "")
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
		resp, body = do(t, s, "DELETE", path, testserver.AdminToken, "", "")
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	}
	// The same email is free in another tenant.
	if r, _ := s.Admin.CreateTenantUserWithResponse(ctx, "globex", nil, gen.UserCreate{Email: "wile@acme.test"}); r.StatusCode() != 201 {
		t.Fatalf("same email in another tenant: %d %s", r.StatusCode(), r.Body)
	}
	// A key of one tenant sees only that tenant.
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "acme", nil, gen.APIKeyCreate{Name: "acme ops", Scopes: []gen.APIKeyScope{"admin"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	acme := kr.JSON201.Token
	resp, _ := do(t, s, "GET", "/admin/v1/tenants/acme/users/"+id, acme, "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("own tenant: %d", resp.StatusCode)
	}
	resp, body := do(t, s, "GET", "/admin/v1/tenants/globex/users", acme, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	resp, body = do(t, s, "GET", "/admin/v1/users", acme, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	resp, body = do(t, s, "GET", "/admin/v1/tenants/no-such-tenant/users", acme, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	resp, body = do(t, s, "GET", "/admin/v1/tenants", acme, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	// Deleting a tenant removes its users.
	if r, _ := s.Admin.DeleteTenantWithResponse(ctx, "acme"); r.StatusCode() != 204 {
		t.Fatalf("delete tenant: %d %s", r.StatusCode(), r.Body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/acme/users/"+id, testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
}

func TestPatchWithIfMatch(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	cr, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "p@example.com", GivenName: strp("Pat"),
		Attributes: &gen.UserAttributes{"plan": "free", "team": "a"}})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("%v %s", err, cr.Body)
	}
	id := cr.JSON201.ID
	tag := cr.HTTPResponse.Header.Get("ETag")
	patch := gen.UserPatch{
		GivenName:  nullable.NewNullNullable[string](),
		FamilyName: nullable.NewNullableWithValue("Smith"),
		Attributes: nullable.NewNullableWithValue(gen.UserAttributes{"plan": "pro", "team": nil}),
	}
	ur, err := s.Admin.UpdateUserWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, id, &gen.UpdateUserParams{IfMatch: &tag}, patch)
	if err != nil || ur.JSON200 == nil {
		t.Fatalf("%v %s", err, ur.Body)
	}
	u := ur.JSON200
	if u.GivenName != nil || *u.FamilyName != "Smith" || u.Attributes["plan"] != "pro" || u.Attributes["team"] != nil || u.Version != 2 {
		t.Fatalf("patched: %+v", u)
	}
	if ur.HTTPResponse.Header.Get("ETag") != `"2"` {
		t.Fatalf("etag %q", ur.HTTPResponse.Header.Get("ETag"))
	}
	// The old ETag is stale now: 412 and nothing changes.
	resp, body := do(t, s, "PATCH", "/admin/v1/users/"+id, testserver.AdminToken, "application/merge-patch+json", `{"family_name":"Jones"}`, "If-Match", tag)
	wantProblem(t, resp, body, 412, "urn:gatehouse:problem:precondition-failed")
	gr, _ := s.Admin.GetUserWithResponse(ctx, id)
	if *gr.JSON200.FamilyName != "Smith" {
		t.Fatal("412 changed the user")
	}
	// A schema violation after merge is a 400 that writes nothing.
	if r, _ := s.Admin.UpdateTenantWithResponse(ctx, "default", nil, gen.TenantPatch{AttributeSchema: nullable.NewNullableWithValue(gen.AttributeSchema{
		"type": "object", "properties": map[string]any{"plan": map[string]any{"enum": []any{"free", "pro"}}}})}); r.StatusCode() != 200 {
		t.Fatalf("set schema: %d %s", r.StatusCode(), r.Body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/users/"+id, testserver.AdminToken, "application/json", `{"attributes":{"plan":"gold"}}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	if !strings.Contains(mustJSON(body), "/attributes/plan") {
		t.Fatalf("field error: %v", body)
	}
	gr, _ = s.Admin.GetUserWithResponse(ctx, id)
	if gr.JSON200.Attributes["plan"] != "pro" || gr.JSON200.Version != 2 {
		t.Fatalf("rejected patch changed the user: %+v", gr.JSON200)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestIdempotencyKey(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	body := `{"email":"idem@example.com"}`
	r1, b1 := do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json", body, "Idempotency-Key", "k-1")
	r2, b2 := do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json", body, "Idempotency-Key", "k-1")
	if r1.StatusCode != 201 || r2.StatusCode != 201 || b1["id"] != b2["id"] || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %d %v %v", r1.StatusCode, r2.StatusCode, b1["id"], b2["id"])
	}
	r3, b3 := do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json", `{"email":"other@example.com"}`, "Idempotency-Key", "k-1")
	wantProblem(t, r3, b3, 409, "urn:gatehouse:problem:idempotency-conflict")
	if n := userCount(t, s); n != 1 {
		t.Fatalf("users: %d", n)
	}
}

func TestPaginationAndFilters(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	for i, e := range []string{"a@x.test", "b@x.test", "c@y.test", "d@y.test", "e@z.test"} {
		attrs := gen.UserAttributes{"tier": []string{"gold", "silver"}[i%2]}
		if r, _ := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: openapi_types.Email(e), Attributes: &attrs}); r.StatusCode() != 201 {
			t.Fatalf("%s", r.Body)
		}
	}
	var seen []string
	var cursor *string
	for pages := 0; ; pages++ {
		limit := 2
		r, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Limit: &limit, Cursor: cursor})
		if err != nil || r.JSON200 == nil {
			t.Fatalf("%v %s", err, r.Body)
		}
		for _, u := range r.JSON200.Items {
			seen = append(seen, string(u.Email))
		}
		if r.JSON200.NextCursor.IsNull() {
			break
		}
		c, _ := r.JSON200.NextCursor.Get()
		cursor = &c
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if strings.Join(seen, ",") != "a@x.test,b@x.test,c@y.test,d@y.test,e@z.test" {
		t.Fatalf("walk: %v", seen)
	}
	count := func(p gen.ListUsersParams) int {
		r, err := s.Admin.ListUsersWithResponse(ctx, &p)
		if err != nil || r.JSON200 == nil {
			t.Fatalf("%v %s", err, r.Body)
		}
		return len(r.JSON200.Items)
	}
	em := openapi_types.Email("C@Y.TEST")
	if n := count(gen.ListUsersParams{Email: &em}); n != 1 {
		t.Errorf("email filter: %d", n)
	}
	if n := count(gen.ListUsersParams{Q: strp("@y.")}); n != 2 {
		t.Errorf("q filter: %d", n)
	}
	if n := count(gen.ListUsersParams{Attribute: strp("tier=gold")}); n != 3 {
		t.Errorf("attribute filter: %d", n)
	}
	resp, body := do(t, s, "GET", "/admin/v1/users?cursor=bm9wZQ", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "GET", "/admin/v1/users?limit=500", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
}

func TestUserLifecycle(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	cr, _ := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "life@example.com", Username: strp("life")})
	id := cr.JSON201.ID
	if cr.JSON201.HasPassword {
		t.Fatal("no password was set")
	}
	if r, _ := s.Admin.SetUserPasswordWithResponse(ctx, id, gen.UserPassword{Password: strp("a long enough password")}); r.StatusCode() != 204 {
		t.Fatalf("set password: %d %s", r.StatusCode(), r.Body)
	}
	dr, _ := s.Admin.DisableUserWithResponse(ctx, id)
	if !dr.JSON200.Disabled || !dr.JSON200.HasPassword {
		t.Fatalf("disable: %+v", dr.JSON200)
	}
	er, _ := s.Admin.EnableUserWithResponse(ctx, id)
	if er.JSON200.Disabled {
		t.Fatal("enable")
	}
	sc, err := s.App.Directory.Resolve(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.App.Directory.VerifyPassword(ctx, sc, id, "a long enough password"); !ok || err != nil {
		t.Fatalf("verify: %v %v", ok, err)
	}
	if r, _ := s.Admin.DeleteUserWithResponse(ctx, id); r.StatusCode() != 204 {
		t.Fatal("delete")
	}
	if r, _ := s.Admin.GetUserWithResponse(ctx, id); r.StatusCode() != 404 {
		t.Fatal("deleted user still there")
	}
}

func TestClientLifecycle(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	cr, err := s.Admin.CreateClientWithResponse(ctx, nil, gen.ClientCreate{ClientName: "svc",
		GrantTypes: &[]gen.GrantType{"client_credentials"}})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("%v %s", err, cr.Body)
	}
	id, first := cr.JSON201.ClientID, *cr.JSON201.ClientSecret
	rr, _ := s.Admin.RotateClientSecretWithResponse(ctx, id, nil)
	if rr.JSON200 == nil || rr.JSON200.ClientSecret == first {
		t.Fatalf("rotate: %s", rr.Body)
	}
	sc, _ := s.App.Directory.Resolve(ctx, "")
	c, err := sc.Store.Clients().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.App.Directory.VerifyClientSecret(c, first) || !s.App.Directory.VerifyClientSecret(c, rr.JSON200.ClientSecret) {
		t.Fatal("rotation did not replace the secret")
	}
	gr, _ := s.Admin.GetClientWithResponse(ctx, id)
	if strings.Contains(string(gr.Body), "secret\"") {
		t.Fatalf("GET leaks a secret: %s", gr.Body)
	}
	ur, _ := s.Admin.UpdateClientWithResponse(ctx, id, nil, gen.ClientPatch{ClientName: strp("svc2"), Metadata: nullable.NewNullableWithValue(map[string]any{"first_party": true})})
	if ur.JSON200 == nil || ur.JSON200.ClientName != "svc2" || ur.JSON200.Metadata["first_party"] != true {
		t.Fatalf("update: %s", ur.Body)
	}
	resp, body := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json",
		`{"client_name":"bad","grant_types":["authorization_code"],"redirect_uris":["http://evil.example.com/cb"]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	lr, _ := s.Admin.ListClientsWithResponse(ctx, nil)
	if len(lr.JSON200.Items) != 1 {
		t.Fatalf("clients: %d", len(lr.JSON200.Items))
	}
	if r, _ := s.Admin.DeleteClientWithResponse(ctx, id); r.StatusCode() != 204 {
		t.Fatal("delete")
	}
}

func TestOperationalEndpoints(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	for _, p := range []string{"/healthz", "/readyz", "/openapi.json", "/openapi.yaml", "/docs", "/docs/redoc.standalone.js"} {
		resp, _ := do(t, s, "GET", p, "", "", "")
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	do(t, s, "GET", "/admin/v1/users", testserver.AdminToken, "", "")
	resp, err := s.HTTP.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`gatehouse_http_requests_total{method="GET",route="GET /admin/v1/users",status="200"}`, "go_goroutines", "gatehouse_http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	resp2, body := do(t, s, "PUT", "!/admin/v1/users", testserver.AdminToken, "", "")
	wantProblem(t, resp2, body, 405, "urn:gatehouse:problem:method-not-allowed")
	resp2, body = do(t, s, "GET", "!/nowhere", "", "", "")
	wantProblem(t, resp2, body, 404, "urn:gatehouse:problem:not-found")
	if resp2.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("security headers missing")
	}
}

func TestNoSecretsInLogs(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	const pw = "Sup3r-Secret-Passw0rd!"
	do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json", `{"email":"log@example.com","password":"`+pw+`"}`)
	do(t, s, "POST", "/admin/v1/users", testserver.AdminToken, "application/json", `{"email":"bad","password":"`+pw+`"}`)
	_, c := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json", `{"client_name":"c","grant_types":["client_credentials"]}`)
	_, k := do(t, s, "POST", "/admin/v1/api-keys", testserver.AdminToken, "application/json", `{"name":"k","scopes":["users:read"]}`)
	do(t, s, "GET", "/admin/v1/users?q="+pw, k["token"].(string), "", "")
	logs := s.Logs.String()
	if !strings.Contains(logs, "http request") {
		t.Fatal("no request logs captured")
	}
	for _, secret := range []string{pw, testserver.AdminToken, c["client_secret"].(string), k["token"].(string)} {
		if strings.Contains(logs, secret) {
			t.Fatalf("a secret appears in the logs")
		}
	}
}

func TestTenantBranding(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "POST", "/admin/v1/tenants", tok, "application/json",
		`{"slug":"brand","display_name":"Brand Co","branding":{"logo_uri":"https://brand.example/logo.svg","primary_color":"#0f766e"}}`)
	if resp.StatusCode != 201 || mustJSON(body["branding"]) != `{"logo_uri":"https://brand.example/logo.svg","primary_color":"#0f766e"}` {
		t.Fatalf("create: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/brand", tok, "application/merge-patch+json", `{"branding":{"primary_color":"#111111"}}`)
	if resp.StatusCode != 200 || mustJSON(body["branding"]) != `{"logo_uri":"https://brand.example/logo.svg","primary_color":"#111111"}` {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	for _, bad := range []string{
		`{"branding":{"primary_color":"red"}}`,
		`{"branding":{"logo_uri":"http://evil.example/x.png"}}`,
		`{"branding":{"logo_uri":"javascript:alert(1)"}}`,
		`{"display_name":"bad\u0000name"}`,
	} {
		resp, body = do(t, s, "PATCH", "/admin/v1/tenants/brand", tok, "application/json", bad)
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	}
	// The hosted pages use the tenant's colour.
	css, err := http.Get(s.URL + "/t/brand/login/assets/theme.css")
	if err != nil {
		t.Fatal(err)
	}
	defer css.Body.Close()
	b, _ := io.ReadAll(css.Body)
	if css.StatusCode != 200 || !strings.Contains(string(b), "#111111") {
		t.Fatalf("theme does not carry the brand colour: %s", b)
	}
}

// TestPasswordPolicy: the admin API applies NIST SP 800-63B rules wherever
// it sets a password: breached passwords and ones built from the account's
// identifiers are refused, with a field error on /password.
func TestPasswordPolicy(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	for _, body := range []string{
		`{"email":"pp@example.com","password":"password123"}`,
		`{"email":"pp@example.com","password":"iloveyou"}`,
		`{"email":"maximilian@example.com","password":"maximilian-2026"}`,
		`{"email":"pp@example.com","username":"captain","password":"my-captain-pw"}`,
		`{"email":"pp@example.com","password":"short"}`,
	} {
		resp, p := do(t, s, "POST", "/admin/v1/users", tok, "application/json", body)
		wantProblem(t, resp, p, 400, "urn:gatehouse:problem:validation")
		if !strings.Contains(mustJSON(p["errors"]), `"/password"`) {
			t.Fatalf("%s: %v", body, p)
		}
	}
	if n := userCount(t, s); n != 0 {
		t.Fatalf("refused passwords created %d users", n)
	}
	resp, u := do(t, s, "POST", "/admin/v1/users", tok, "application/json", `{"email":"pp@example.com","password":"violet-kettle-harbour"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("good password refused: %v", u)
	}
	resp, p := do(t, s, "PUT", "/admin/v1/users/"+u["id"].(string)+"/password", tok, "application/json", `{"password":"qwerty123"}`)
	wantProblem(t, resp, p, 400, "urn:gatehouse:problem:validation")
}

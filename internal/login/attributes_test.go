package login_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

const corpSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "employee_id": {"type": "string", "title": "Employee ID", "description": "As printed on your badge", "pattern": "^E[0-9]{4}$"},
    "team": {"enum": ["red", "blue"], "title": "Team"},
    "age": {"type": "integer", "minimum": 18},
    "newsletter": {"type": "boolean"}
  },
  "required": ["employee_id", "team", "age"]
}`

// corpTenant creates tenant "corp" whose schema requires three attributes.
func (e *env) corpTenant() { e.schemaTenant("corp", corpSchema) }

// schemaTenant creates a tenant with an attribute schema.
func (e *env) schemaTenant(slug, schemaJSON string) {
	e.t.Helper()
	var schema gen.AttributeSchema
	if err := json.Unmarshal([]byte(schemaJSON), &schema); err != nil {
		e.t.Fatal(err)
	}
	r, err := e.srv.Admin.CreateTenantWithResponse(context.Background(), &gen.CreateTenantParams{},
		gen.TenantCreate{Slug: slug, AttributeSchema: &schema})
	if err != nil || r.JSON201 == nil {
		e.t.Fatalf("create tenant: %v %s", err, r.Body)
	}
}

// attributesOf returns the stored attributes of the tenant user with email.
func (e *env) attributesOf(tenant, email string) map[string]any {
	e.t.Helper()
	us := e.usersWithEmail(tenant, email)
	if len(us) != 1 {
		e.t.Fatalf("%d users with %s, want 1", len(us), email)
	}
	return us[0].Attributes
}

// usersWithEmail lists the tenant's users with that address.
func (e *env) usersWithEmail(tenant, email string) []gen.User {
	e.t.Helper()
	q := gen.EmailFilter(email)
	r, err := e.srv.Admin.ListTenantUsersWithResponse(context.Background(), tenant, &gen.ListTenantUsersParams{Email: &q})
	if err != nil || r.JSON200 == nil {
		e.t.Fatalf("list users: %v %s", err, r.Body)
	}
	return r.JSON200.Items
}

// The registration page asks for the tenant's required attributes,
// labelled by their titles, refuses a form without them field by field,
// and stores them with the new user.
func TestRegisterPageAsksForRequiredAttributes(t *testing.T) {
	e, ms := newMailEnv(t)
	e.corpTenant()
	c := e.createClient(clientSpec{tenant: "corp", firstParty: true})
	b := newBrowser(t)
	reg := b.registerPage(b.startLogin(e.issuer("corp"), newAuthz(c, "openid")))
	for _, want := range []string{`>Employee ID</label>`, `As printed on your badge`, `name="attributes.team"`,
		`<option value="blue"`, `name="attributes.age" type="number"`, `>age</label>`} {
		if !strings.Contains(reg.body, want) {
			t.Fatalf("registration page lacks %q: %.3000s", want, reg.body)
		}
	}
	if strings.Contains(reg.body, "attributes.newsletter") {
		t.Error("an optional attribute is on the form")
	}

	// Missing and malformed values: one message per field, nothing registered.
	r := b.register(reg, "jane@corp.example", newPassword)
	if r.status != http.StatusUnprocessableEntity || strings.Count(r.body, `class="field-error"`) != 3 ||
		!strings.Contains(r.body, `id="attr-0-error"`) || !strings.Contains(r.body, `id="attr-2-error"`) {
		t.Fatalf("without attributes: %d %.3000s", r.status, r.body)
	}
	f := reg.form(t, "email", "password")
	r = b.submit(reg, f, "email", "jane@corp.example", "password", newPassword, "terms", "accepted",
		"attributes.employee_id", "X1", "attributes.team", "blue", "attributes.age", "thirty")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "must be an integer") ||
		!strings.Contains(r.body, `value="X1"`) || !strings.Contains(r.body, `<option value="blue" selected>`) {
		t.Fatalf("malformed attributes: %d %.3000s", r.status, r.body)
	}

	r = b.submit(reg, f, "email", "jane@corp.example", "password", newPassword, "terms", "accepted",
		"attributes.employee_id", "E1234", "attributes.team", "blue", "attributes.age", "30")
	if r.status != http.StatusOK {
		t.Fatalf("with attributes: %d %.2000s", r.status, r.body)
	}
	mailCode(t, ms.WaitFor(t, "jane@corp.example", 10*time.Second))
	got := e.attributesOf("corp", "jane@corp.example")
	if got["employee_id"] != "E1234" || got["team"] != "blue" || got["age"] != float64(30) {
		t.Fatalf("stored attributes: %v", got)
	}
}

// The headless API takes the attributes as an object and names each
// missing or invalid one.
func TestRegisterAPIWithRequiredAttributes(t *testing.T) {
	e, ms := newMailEnv(t)
	e.corpTenant()
	c := e.createClient(clientSpec{tenant: "corp", firstParty: true})
	b := newBrowser(t)
	b.header.Set("Origin", e.srv.URL)
	id := b.startLogin(e.issuer("corp"), newAuthz(c, "openid")).url.Query().Get("authRequestID")
	in := gen.RegistrationRequest{AuthRequestID: id, Email: "api@corp.example", Password: newPassword, AcceptTerms: true}
	r := b.postJSON(e.issuer("corp")+"/register/api", in)
	for _, field := range []string{"/attributes/employee_id", "/attributes/team", "/attributes/age"} {
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"`+field+`"`) {
			t.Fatalf("without attributes: %d %s (want an error on %s)", r.status, r.body, field)
		}
	}
	in.Attributes = &map[string]any{"employee_id": "E12", "team": "green", "age": 30}
	if r = b.postJSON(e.issuer("corp")+"/register/api", in); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "/attributes/employee_id") || !strings.Contains(r.body, "/attributes/team") ||
		strings.Contains(r.body, "/attributes/age") {
		t.Fatalf("invalid attributes: %d %s", r.status, r.body)
	}
	in.Attributes = &map[string]any{"employee_id": "E0042", "team": "red", "age": 41, "newsletter": true}
	if r = b.postJSON(e.issuer("corp")+"/register/api", in); r.status != http.StatusAccepted {
		t.Fatalf("valid attributes: %d %s", r.status, r.body)
	}
	mailCode(t, ms.WaitFor(t, "api@corp.example", 10*time.Second))
	if got := e.attributesOf("corp", "api@corp.example"); got["employee_id"] != "E0042" || got["newsletter"] != true {
		t.Fatalf("stored attributes: %v", got)
	}
}

// shopSchema declares only department, as in the report: roles and plan
// are entitlements the tenant sets through the Admin API. tier is declared
// but readOnly, and required, so the page cannot offer it.
const shopSchema = `{
  "type": "object",
  "properties": {
    "department": {"type": "string", "title": "Department"},
    "tier": {"type": "string", "readOnly": true}
  },
  "required": ["department"]
}`

// entitlementMappings are a client's claim mappings that would carry the
// entitlements into its tokens.
var entitlementMappings = map[string]any{"claim_mappings": map[string]any{
	"department": "department", "roles": "roles", "plan": "plan", "tier": "tier",
}}

// Self-registration cannot grant entitlements: the report's payload, with
// roles and plan the schema does not declare, is refused field by field
// and registers nothing; a registration with the declared attribute goes
// through, and the ID token of a client that maps roles and plan carries
// neither.
func TestRegisterAPICannotSetEntitlements(t *testing.T) {
	e, ms := newMailEnv(t)
	e.schemaTenant("shop", shopSchema)
	c := e.createClient(clientSpec{tenant: "shop", firstParty: true, metadata: entitlementMappings})
	b := newBrowser(t)
	b.header.Set("Origin", e.srv.URL)
	a := newAuthz(c, "openid email")
	id := b.startLogin(e.issuer("shop"), a).url.Query().Get("authRequestID")
	const email = "eve@shop.example"
	in := gen.RegistrationRequest{AuthRequestID: id, Email: email, Password: newPassword, AcceptTerms: true,
		Attributes: &map[string]any{"department": "sales", "roles": []string{"admin"}, "plan": "enterprise"}}
	r := b.postJSON(e.issuer("shop")+"/register/api", in)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "urn:gatehouse:problem:validation") ||
		!strings.Contains(r.body, `"/attributes/roles"`) || !strings.Contains(r.body, `"/attributes/plan"`) ||
		strings.Contains(r.body, `"/attributes/department"`) {
		t.Fatalf("entitlements at registration: %d %s", r.status, r.body)
	}
	// A readOnly attribute is refused too.
	in.Attributes = &map[string]any{"department": "sales", "tier": "gold"}
	if r = b.postJSON(e.issuer("shop")+"/register/api", in); r.status != http.StatusBadRequest || !strings.Contains(r.body, `"/attributes/tier"`) {
		t.Fatalf("a readOnly attribute at registration: %d %s", r.status, r.body)
	}
	if n := len(e.usersWithEmail("shop", email)); n != 0 {
		t.Fatalf("%d users registered by refused requests", n)
	}

	in.Attributes = &map[string]any{"department": "sales"}
	if r = b.postJSON(e.issuer("shop")+"/register/api", in); r.status != http.StatusAccepted {
		t.Fatalf("the declared attribute: %d %s", r.status, r.body)
	}
	code := mailCode(t, ms.WaitFor(t, email, 10*time.Second))
	addr := email
	r = b.postJSON(e.issuer("shop")+"/verify/api", gen.VerificationRequest{Email: &addr, Code: &code})
	var ver gen.VerificationResult
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &ver) != nil {
		t.Fatalf("verify: %d %s", r.status, r.body)
	}
	_, cl := e.exchange(a, redirectCode(t, a, ver.RedirectTo))
	if cl.All["department"] != "sales" {
		t.Errorf("ID token claims %v, want department=sales (the mapping works)", cl.All)
	}
	for _, claim := range []string{"roles", "plan", "tier"} {
		if v, ok := cl.All[claim]; ok {
			t.Errorf("the ID token carries %s=%v from self-registration", claim, v)
		}
	}
	if got := e.attributesOf("shop", email); len(got) != 1 || got["department"] != "sales" {
		t.Errorf("stored attributes %v, want only department", got)
	}
}

// The hosted form offers inputs for the user-writable required attributes
// only, and ignores any other attributes.* field a forged post adds.
func TestRegisterPageIgnoresOtherAttributeFields(t *testing.T) {
	e, ms := newMailEnv(t)
	e.schemaTenant("shop", strings.Replace(shopSchema, `"required": ["department"]`, `"required": ["department", "tier"]`, 1))
	c := e.createClient(clientSpec{tenant: "shop", firstParty: true, metadata: entitlementMappings})
	b := newBrowser(t)
	reg := b.registerPage(b.startLogin(e.issuer("shop"), newAuthz(c, "openid")))
	if !strings.Contains(reg.body, `name="attributes.department"`) || strings.Contains(reg.body, `name="attributes.tier"`) {
		t.Fatalf("registration page inputs: %.3000s", reg.body)
	}
	f := reg.form(t, "email", "password")
	extra := []string{"email", "eve@shop.example", "password", newPassword, "terms", "accepted",
		"attributes.department", "sales", "attributes.roles", "admin", "attributes.plan", "enterprise", "attributes.tier", "gold"}
	// tier is required but only an administrator sets it: the page says
	// so at the top instead of registering a user who violates the schema.
	r := b.submit(reg, f, extra...)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "tier: is required") {
		t.Fatalf("required readOnly attribute: %d %.3000s", r.status, r.body)
	}

	e.schemaTenant("shop2", shopSchema)
	c2 := e.createClient(clientSpec{tenant: "shop2", firstParty: true})
	reg = b.registerPage(b.startLogin(e.issuer("shop2"), newAuthz(c2, "openid")))
	if r = b.submit(reg, reg.form(t, "email", "password"), extra...); r.status != http.StatusOK {
		t.Fatalf("forged attribute fields: %d %.2000s", r.status, r.body)
	}
	mailCode(t, ms.WaitFor(t, "eve@shop.example", 10*time.Second))
	if got := e.attributesOf("shop2", "eve@shop.example"); len(got) != 1 || got["department"] != "sales" {
		t.Errorf("stored attributes %v, want only department", got)
	}
}

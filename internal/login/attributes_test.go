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
func (e *env) corpTenant() {
	e.t.Helper()
	var schema gen.AttributeSchema
	if err := json.Unmarshal([]byte(corpSchema), &schema); err != nil {
		e.t.Fatal(err)
	}
	r, err := e.srv.Admin.CreateTenantWithResponse(context.Background(), &gen.CreateTenantParams{},
		gen.TenantCreate{Slug: "corp", AttributeSchema: &schema})
	if err != nil || r.JSON201 == nil {
		e.t.Fatalf("create tenant: %v %s", err, r.Body)
	}
}

// attributesOf returns the stored attributes of the tenant user with email.
func (e *env) attributesOf(tenant, email string) map[string]any {
	e.t.Helper()
	q := gen.EmailFilter(email)
	r, err := e.srv.Admin.ListTenantUsersWithResponse(context.Background(), tenant, &gen.ListTenantUsersParams{Email: &q})
	if err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 1 {
		e.t.Fatalf("find %s: %v %s", email, err, r.Body)
	}
	return r.JSON200.Items[0].Attributes
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

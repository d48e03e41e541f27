package restapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// A tenant's override set through the Admin API is what the next mail of
// that kind says (read from the SMTP server); a broken one is refused and
// nothing is stored; deleting it brings the built-in mail back.
func TestTenantMailTemplateOverride(t *testing.T) {
	s, ms := newInviteServer(t)
	mkTenant(t, s, "acme")
	path := "/admin/v1/tenants/acme/mail-templates/invitation/en"

	resp, body := do(t, s, "GET", path, testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

	// Broken templates: 400 naming the part, nothing stored.
	for part, tmpl := range map[string]string{
		"/subject": `{{.Nope}}`,
		"/text":    `{{if .Link}}unclosed`,
		"/html":    `{{printf "%s" .Link}}`,
	} {
		resp, body = do(t, s, "PUT", path, testserver.AdminToken, "application/json", mustJSON(map[string]string{part[1:]: tmpl}))
		wantField(t, resp, body, part)
	}
	resp, body = do(t, s, "GET", path, testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

	resp, body = do(t, s, "PUT", path, testserver.AdminToken, "application/json", mustJSON(map[string]string{
		"subject": "Join {{.TenantName}} at Acme Corp",
		"text":    "Acme welcomes you{{with .UserName}}, {{.}}{{end}}. Start here: {{.Link}} (valid {{.ExpiresIn}})",
	}))
	if resp.StatusCode != 200 || body["kind"] != "invitation" || body["lang"] != "en" || body["html"] != "" {
		t.Fatalf("put: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "GET", path, testserver.AdminToken, "", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(body["subject"].(string), "Join") {
		t.Fatalf("get: %d %v", resp.StatusCode, body)
	}

	invite := func(email string) {
		t.Helper()
		r, err := s.Admin.CreateTenantInvitationWithResponse(ctx, "acme", &gen.CreateTenantInvitationParams{},
			gen.InvitationCreate{Email: openapi_types.Email(email), GivenName: strp("Nia")})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("invite: %v %s", err, r.Body)
		}
	}
	invite("nia@example.com")
	m := ms.WaitFor(t, "nia@example.com", 10*time.Second)
	if !strings.HasPrefix(m.Subject, "Join ") || !strings.HasSuffix(m.Subject, "at Acme Corp") ||
		!strings.Contains(m.Text, "Acme welcomes you, Nia. Start here: http") || !strings.Contains(m.Text, "/t/acme/invite?token=") {
		t.Fatalf("overridden mail: %q\n%s", m.Subject, m.Text)
	}
	// The HTML part was not overridden: the built-in one is sent.
	if !strings.Contains(m.HTML, "/t/acme/invite?token=") {
		t.Errorf("built-in HTML part missing:\n%s", m.HTML)
	}

	// Another tenant keeps the built-in mail.
	r, err := s.Admin.CreateInvitationWithResponse(ctx, &gen.CreateInvitationParams{}, gen.InvitationCreate{Email: "other@example.com"})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("invite in the default tenant: %v %s", err, r.Body)
	}
	if m := ms.WaitFor(t, "other@example.com", 10*time.Second); strings.Contains(m.Subject, "Acme Corp") {
		t.Errorf("default tenant got acme's template: %q", m.Subject)
	}

	if resp, body := do(t, s, "DELETE", path, testserver.AdminToken, "", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "DELETE", path, testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	invite("sam@example.com")
	if m := ms.WaitFor(t, "sam@example.com", 10*time.Second); strings.Contains(m.Subject, "Acme Corp") {
		t.Errorf("override still used after delete: %q", m.Subject)
	}
}

// Every kind internal/mail sends is in the contract's MailKind enum, so a
// tenant can override each one in each language.
func TestEveryMailKindCanBeOverridden(t *testing.T) {
	s, _ := newInviteServer(t)
	mkTenant(t, s, "acme")
	for _, kind := range mail.Kinds {
		if !gen.MailKind(kind).Valid() {
			t.Errorf("MailKind enum lacks %s", kind)
			continue
		}
		for _, lang := range mail.Languages {
			path := "/admin/v1/tenants/acme/mail-templates/" + string(kind) + "/" + lang
			resp, body := do(t, s, "PUT", path, testserver.AdminToken, "application/json",
				mustJSON(map[string]string{"subject": "{{.TenantName}}: " + string(kind)}))
			if resp.StatusCode != 200 || body["kind"] != string(kind) || body["lang"] != lang {
				t.Errorf("put %s: %d %v", path, resp.StatusCode, body)
			}
		}
	}
}

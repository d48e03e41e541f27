package restapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

func newInviteServer(t *testing.T) (*testserver.Server, *mailtest.Server) {
	t.Helper()
	ms := mailtest.Start(t, mailtest.Options{})
	s := testserver.New(t, testserver.Options{Env: map[string]string{
		"GATEHOUSE_SMTP_URL":  ms.URL(),
		"GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
	}})
	return s, ms
}

func TestInvitationLifecycle(t *testing.T) {
	s, ms := newInviteServer(t)
	exp := 3600
	cr, err := s.Admin.CreateInvitationWithResponse(ctx, &gen.CreateInvitationParams{},
		gen.InvitationCreate{Email: "new@example.com", GivenName: strp("Nia"), ExpiresIn: &exp})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("create: %v %d %s", err, cr.StatusCode(), cr.Body)
	}
	inv := cr.JSON201
	if got := inv.ExpiresAt.Sub(inv.CreatedAt); got != time.Hour {
		t.Errorf("lifetime %v, want 1h", got)
	}
	if loc := cr.HTTPResponse.Header.Get("Location"); loc != "/admin/v1/invitations/"+*inv.ID {
		t.Errorf("Location %q", loc)
	}
	m := ms.WaitFor(t, "new@example.com", 10*time.Second)
	if !strings.Contains(m.Text, "/invite?token=") || strings.Contains(m.Text, "/t/") || !strings.Contains(m.Text, "Nia") {
		t.Errorf("invitation mail:\n%s", m.Text)
	}
	// The user exists, unverified and without a password.
	ur, _ := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Email: (*openapi_types.Email)(strp("new@example.com"))})
	if ur.JSON200 == nil || len(ur.JSON200.Items) != 1 || ur.JSON200.Items[0].EmailVerified || ur.JSON200.Items[0].HasPassword {
		t.Fatalf("invited user: %s", ur.Body)
	}

	lr, _ := s.Admin.ListInvitationsWithResponse(ctx, &gen.ListInvitationsParams{})
	if lr.JSON200 == nil || len(lr.JSON200.Items) != 1 || *lr.JSON200.Items[0].ID != *inv.ID {
		t.Fatalf("list: %d %s", lr.StatusCode(), lr.Body)
	}
	if r, _ := s.Admin.RevokeInvitationWithResponse(ctx, *inv.ID); r.StatusCode() != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.StatusCode(), r.Body)
	}
	lr, _ = s.Admin.ListInvitationsWithResponse(ctx, &gen.ListInvitationsParams{})
	if len(lr.JSON200.Items) != 0 {
		t.Fatalf("revoked invitation still listed: %s", lr.Body)
	}
	resp, body := do(t, s, "DELETE", "/admin/v1/invitations/no-such-id", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, http.StatusNotFound, notFound)
}

func TestInviteUserWithPasswordIsConflict(t *testing.T) {
	s, _ := newInviteServer(t)
	cr, _ := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "has@example.com", Password: strp("a long enough password")})
	if cr.JSON201 == nil {
		t.Fatalf("create user: %s", cr.Body)
	}
	resp, body := do(t, s, "POST", "/admin/v1/invitations", testserver.AdminToken, "application/json", `{"email":"has@example.com"}`)
	wantProblem(t, resp, body, http.StatusConflict, "urn:gatehouse:problem:conflict")

	resp, body = do(t, s, "POST", "/admin/v1/invitations", testserver.AdminToken, "application/json", `{"email":"x@example.com","expires_in":2592001}`)
	wantProblem(t, resp, body, http.StatusBadRequest, validation)
}

func TestTenantInvitation(t *testing.T) {
	s, ms := newInviteServer(t)
	if r, _ := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "acme", DisplayName: strp("Acme")}); r.StatusCode() != http.StatusCreated {
		t.Fatalf("tenant: %d %s", r.StatusCode(), r.Body)
	}
	cr, _ := s.Admin.CreateTenantInvitationWithResponse(ctx, "acme", &gen.CreateTenantInvitationParams{},
		gen.InvitationCreate{Email: "t@example.com"})
	if cr.JSON201 == nil {
		t.Fatalf("create: %d %s", cr.StatusCode(), cr.Body)
	}
	m := ms.WaitFor(t, "t@example.com", 10*time.Second)
	if !strings.Contains(m.Text, "/t/acme/invite?token=") || !strings.Contains(m.Text, "Acme") {
		t.Errorf("tenant invitation mail:\n%s", m.Text)
	}
	// The default tenant knows nothing of it.
	if r, _ := s.Admin.RevokeInvitationWithResponse(ctx, *cr.JSON201.ID); r.StatusCode() != http.StatusNotFound {
		t.Fatalf("revoke from another tenant: %d", r.StatusCode())
	}
	lr, _ := s.Admin.ListTenantInvitationsWithResponse(ctx, "acme", &gen.ListTenantInvitationsParams{})
	if lr.JSON200 == nil || len(lr.JSON200.Items) != 1 {
		t.Fatalf("tenant list: %s", lr.Body)
	}
	if r, _ := s.Admin.RevokeTenantInvitationWithResponse(ctx, "acme", *cr.JSON201.ID); r.StatusCode() != http.StatusNoContent {
		t.Fatalf("tenant revoke: %d %s", r.StatusCode(), r.Body)
	}
}

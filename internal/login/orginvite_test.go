package login_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Invitations into an organization end to end (issue 14): the Admin API
// invites with roles, the mail arrives over SMTP, the invitee proves the
// invited account on the hosted page and becomes a member with those
// roles; the link works once, not for another account, not after it is
// revoked, and bad input is refused.
var orgInviteLinkRe = regexp.MustCompile(`https?://\S+/invite/organization\?token=\S+`)

func TestOrganizationInvitation(t *testing.T) {
	e, ms := newMailEnv(t)
	ctx := t.Context()
	display := "Acme Corp"
	o, err := e.srv.Admin.CreateOrganizationWithResponse(ctx, &gen.CreateOrganizationParams{}, gen.OrganizationCreate{Name: "acme-corp", DisplayName: &display})
	if err != nil || o.JSON201 == nil {
		t.Fatalf("create organization: %v %s", err, o.Body)
	}
	orgID := o.JSON201.ID
	role, err := e.srv.Admin.CreateRoleWithResponse(ctx, &gen.CreateRoleParams{}, gen.RoleCreate{Name: "accountant"})
	if err != nil || role.JSON201 == nil {
		t.Fatalf("create role: %v %s", err, role.Body)
	}
	jane := e.createUser(userSpec{email: "jane@example.com"})
	e.createUser(userSpec{email: "mallory@example.com"})

	invite := func(email string, roles []string) (*gen.CreateOrganizationInvitationResponse, string) {
		t.Helper()
		in := gen.OrganizationInvitationCreate{Email: openapi_types.Email(email)}
		if roles != nil {
			in.Roles = &roles
		}
		res, err := e.srv.Admin.CreateOrganizationInvitationWithResponse(ctx, orgID, &gen.CreateOrganizationInvitationParams{}, in)
		if err != nil {
			t.Fatal(err)
		}
		if res.JSON201 == nil {
			return res, ""
		}
		m := ms.WaitFor(t, email, 10*time.Second)
		link := orgInviteLinkRe.FindString(m.Text)
		if link == "" || !strings.Contains(m.Subject, display) {
			t.Fatalf("invitation mail %q:\n%s", m.Subject, m.Text)
		}
		return res, link
	}

	// Bad input: an unknown role (nothing stored, nothing mailed), an
	// unknown organization.
	if res, _ := invite("jane@example.com", []string{"no-such-role"}); res.StatusCode() != 400 || !strings.Contains(string(res.Body), "/roles/0") {
		t.Fatalf("unknown role: %d %s", res.StatusCode(), res.Body)
	}
	if res, _ := e.srv.Admin.CreateOrganizationInvitationWithResponse(ctx, "nothing", &gen.CreateOrganizationInvitationParams{},
		gen.OrganizationInvitationCreate{Email: "jane@example.com"}); res.StatusCode() != 404 {
		t.Fatalf("unknown organization: %d %s", res.StatusCode(), res.Body)
	}

	res, link := invite("jane@example.com", []string{role.JSON201.ID})
	inv := res.JSON201
	if inv.Email != "jane@example.com" || inv.OrgID != orgID || len(inv.Roles) != 1 || !inv.ExpiresAt.After(inv.CreatedAt.Add(6*24*time.Hour)) {
		t.Fatalf("invitation %+v", inv)
	}
	if l, err := e.srv.Admin.ListOrganizationInvitationsWithResponse(ctx, orgID, &gen.ListOrganizationInvitationsParams{}); err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 1 {
		t.Fatalf("list: %v %s", err, l.Body)
	}

	// Signed in as another account: the password of the invited one is
	// still asked for; a wrong one is refused and uses nothing up.
	b := newBrowser(t)
	page := b.get(link)
	if page.status != 200 || !strings.Contains(page.body, "Acme Corp") || !strings.Contains(page.body, "jane@example.com") ||
		!strings.Contains(page.body, `name="password"`) {
		t.Fatalf("accept page: %d %.1500s", page.status, page.body)
	}
	bad := b.submit(page, page.form(t, "token", "csrf"), "password", "wrong password")
	if bad.status != http.StatusUnauthorized || !strings.Contains(bad.body, `id="form-error"`) {
		t.Fatalf("wrong password: %d %.1500s", bad.status, bad.body)
	}
	// Without the CSRF token: refused.
	if r := b.post(page.url.String(), map[string][]string{"token": {strings.SplitN(link, "token=", 2)[1]}, "password": {testPassword}}); r.status != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", r.status)
	}
	done := b.submit(bad, bad.form(t, "token", "csrf"), "password", testPassword)
	if done.status != 200 || !strings.Contains(done.body, "now a member of Acme Corp") {
		t.Fatalf("accept: %d %.1500s", done.status, done.body)
	}
	roles, err := e.srv.Admin.ListOrganizationMemberRolesWithResponse(ctx, orgID, jane, &gen.ListOrganizationMemberRolesParams{})
	if err != nil || roles.JSON200 == nil || len(roles.JSON200.Items) != 1 || roles.JSON200.Items[0].Name != "accountant" {
		t.Fatalf("member roles: %v %s", err, roles.Body)
	}
	// Used up.
	if again := newBrowser(t).get(link); again.status != http.StatusBadRequest || !strings.Contains(again.body, "not valid") {
		t.Fatalf("used link: %d %.800s", again.status, again.body)
	}
	if l, _ := e.srv.Admin.ListOrganizationInvitationsWithResponse(ctx, orgID, &gen.ListOrganizationInvitationsParams{}); len(l.JSON200.Items) != 0 {
		t.Fatalf("accepted invitation still listed: %s", l.Body)
	}

	// Another account's password does not accept Jane's invitation; a
	// revoked link is dead.
	_, link2 := invite("jane@example.com", nil)
	b2 := newBrowser(t)
	p2 := b2.get(link2)
	if r := b2.submit(p2, p2.form(t, "token", "csrf"), "password", "not janes"); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong account: %d", r.status)
	}
	l, _ := e.srv.Admin.ListOrganizationInvitationsWithResponse(ctx, orgID, &gen.ListOrganizationInvitationsParams{})
	if del, err := e.srv.Admin.DeleteOrganizationInvitationWithResponse(ctx, orgID, l.JSON200.Items[0].ID); err != nil || del.StatusCode() != 204 {
		t.Fatalf("delete: %v %d", err, del.StatusCode())
	}
	if dead := newBrowser(t).get(link2); dead.status != http.StatusBadRequest {
		t.Fatalf("revoked link: %d", dead.status)
	}

	// No account yet: register first.
	_, link3 := invite("newcomer@example.com", nil)
	if p := newBrowser(t).get(link3); p.status != 200 || !strings.Contains(p.body, "no account with this address") {
		t.Fatalf("no account: %d %.1500s", p.status, p.body)
	}
}

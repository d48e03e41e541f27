package login_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
)

// Invitations end to end: the Admin API invites, the mail arrives over
// SMTP, the invitee sets a password on the hosted page.

var inviteLinkRe = regexp.MustCompile(`https?://\S+/invite\?token=\S+`)

func (e *env) invite(ms *mailtest.Server, email string) (gen.Invitation, string) {
	e.t.Helper()
	res, err := e.srv.Admin.CreateInvitationWithResponse(e.t.Context(), &gen.CreateInvitationParams{},
		gen.InvitationCreate{Email: openapi_types.Email(email), GivenName: strp("Ines")})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON201 == nil {
		e.t.Fatalf("invite: %d %s", res.StatusCode(), res.Body)
	}
	m := ms.WaitFor(e.t, email, 10*time.Second)
	link := inviteLinkRe.FindString(m.Text)
	if link == "" {
		e.t.Fatalf("no invitation link in mail %q:\n%s", m.Subject, m.Text)
	}
	return *res.JSON201, link
}

func strp(s string) *string { return &s }

func TestInvitationSetsPasswordAndVerifiesEmail(t *testing.T) {
	e, ms := newMailEnv(t)
	inv, link := e.invite(ms, "ines@example.com")
	if inv.Email != "ines@example.com" || !inv.ExpiresAt.After(inv.CreatedAt.Add(6*24*time.Hour)) {
		t.Fatalf("invitation %+v", inv)
	}
	b := newBrowser(t)
	page := b.get(link)
	if page.status != http.StatusOK || !strings.Contains(page.body, "ines@example.com") {
		t.Fatalf("invite page: %d %.1500s", page.status, page.body)
	}
	// The policy's errors are shown on the password field; the link lives on.
	weak := b.submit(page, page.form(t, "token", "csrf"), "password", "short")
	if weak.status != http.StatusUnprocessableEntity || !strings.Contains(weak.body, `id="password-error"`) {
		t.Fatalf("weak password: %d %.1500s", weak.status, weak.body)
	}
	done := b.submit(weak, weak.form(t, "token", "csrf"), "password", newPassword)
	if done.status != http.StatusOK || !strings.Contains(done.body, "all set") {
		t.Fatalf("accept: %d %.1500s", done.status, done.body)
	}
	if len(done.header.Values("Set-Cookie")) == 0 {
		t.Error("accepting started no session")
	}

	ctx := t.Context()
	sc, err := e.srv.App.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	u, err := sc.Store.Users().GetByEmail(ctx, sc.Tenant.ID, "ines@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !u.EmailVerified {
		t.Error("email not verified after accepting")
	}
	if ok, err := e.srv.App.Directory.VerifyPassword(ctx, sc, u.ID, newPassword); err != nil || !ok {
		t.Errorf("password not set: %v %v", ok, err)
	}

	// Used up: the link shows the error page, and a second post fails.
	if again := newBrowser(t).get(link); again.status != http.StatusBadRequest || !strings.Contains(again.body, "not valid") {
		t.Fatalf("used link: %d %.1000s", again.status, again.body)
	}
	if re := b.submit(page, page.form(t, "token", "csrf"), "password", "another long passphrase 77"); re.status != http.StatusBadRequest {
		t.Fatalf("second accept: %d", re.status)
	}
	if ok, _ := e.srv.App.Directory.VerifyPassword(ctx, sc, u.ID, newPassword); !ok {
		t.Error("a used link changed the password")
	}
}

func TestRevokedInvitationLinkIsDead(t *testing.T) {
	e, ms := newMailEnv(t)
	inv, link := e.invite(ms, "rex@example.com")
	b := newBrowser(t)
	page := b.get(link)
	if page.status != http.StatusOK {
		t.Fatalf("invite page: %d", page.status)
	}
	res, err := e.srv.Admin.RevokeInvitationWithResponse(t.Context(), *inv.ID)
	if err != nil || res.StatusCode() != http.StatusNoContent {
		t.Fatalf("revoke: %v %d %s", err, res.StatusCode(), res.Body)
	}
	if got := newBrowser(t).get(link); got.status != http.StatusBadRequest {
		t.Fatalf("revoked link: %d", got.status)
	}
	// A form loaded before the revocation cannot be used either.
	if got := b.submit(page, page.form(t, "token", "csrf"), "password", newPassword); got.status != http.StatusBadRequest {
		t.Fatalf("revoked link, post: %d %.800s", got.status, got.body)
	}
}

func TestInvitationFormNeedsCSRF(t *testing.T) {
	e, ms := newMailEnv(t)
	_, link := e.invite(ms, "csrf@example.com")
	b := newBrowser(t)
	page := b.get(link)
	f := page.form(t, "token", "csrf")
	got := b.submit(page, f, "csrf", "forged", "password", newPassword)
	if got.status != http.StatusForbidden && got.status != http.StatusBadRequest {
		t.Fatalf("forged CSRF: %d", got.status)
	}
	if ok := b.get(link); ok.status != http.StatusOK {
		t.Fatalf("the link died after a refused post: %d", ok.status)
	}
}

// The invitation page sets a brand-new account's first password: its
// button says so in every language, and the reset page keeps its own text
// (the two once shared a catalog key, and the reset page's text won).
func TestInvitationPageButtonSaysSetPassword(t *testing.T) {
	e, ms := newMailEnv(t)
	for _, c := range []struct{ lang, invite, reset string }{
		{"en", "Set password", "Change password"},
		{"de", "Passwort festlegen", "Passwort ändern"},
	} {
		b := newBrowser(t)
		b.header.Set("Accept-Language", c.lang)
		_, link := e.invite(ms, "invited."+c.lang+"@example.com")
		if got := b.get(link).submitButtons(t); !slices.Equal(got, []string{c.invite}) {
			t.Errorf("%s: invitation page buttons %q, want [%q]", c.lang, got, c.invite)
		}

		// The reset page's password step, opened from a reset link.
		addr := "reset." + c.lang + "@example.com"
		e.createUser(userSpec{email: addr, verified: true})
		b.askReset(b.get(e.issuer("")+"/recover"), addr)
		page := b.get(resetLink(t, ms.WaitFor(t, addr, 10*time.Second)))
		if got := page.submitButtons(t); !slices.Equal(got, []string{c.reset}) {
			t.Errorf("%s: reset page buttons %q, want [%q]", c.lang, got, c.reset)
		}
	}
}

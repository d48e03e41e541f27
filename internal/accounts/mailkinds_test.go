package accounts_test

import (
	"bytes"
	"html"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

const mailWait = 10 * time.Second

// withSMTP makes the fixture mail through the in-process SMTP server.
func (f *fixture) withSMTP(t *testing.T) *mailtest.Server {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	f.svc.Mail = srv.Sender(t, "Acme <login@acme.example>")
	return srv
}

func (f *fixture) putTemplate(t *testing.T, kind mail.Kind, lang string, o mail.Template) {
	t.Helper()
	if err := f.svc.Templates.CheckOverride(kind, lang, o); err != nil {
		t.Fatal(err)
	}
	m := &store.MailTemplate{TenantID: f.tg.Scope.Tenant.ID, Kind: string(kind), Lang: lang, Subject: o.Subject, Text: o.Text, HTML: o.HTML}
	if err := f.st.MailTemplates().Put(t.Context(), m); err != nil {
		t.Fatal(err)
	}
}

// Registering a taken address sends the account_exists mail from the
// templates, text and HTML, in the asked language, without a code.
func TestAccountExistsNoticeIsTemplated(t *testing.T) {
	f := newFixture(t)
	ms := f.withSMTP(t)
	u := f.changeUser(t, "taken@example.com")
	for _, lang := range []string{"en", "de"} {
		if err := f.svc.Register(t.Context(), f.tg, accounts.Registration{Email: u.Email, Password: pw, AcceptedTerms: true, Lang: lang}); err != nil {
			t.Fatal(err)
		}
		m := ms.WaitFor(t, u.Email, mailWait)
		want := map[string]string{"en": "Your Acme account already exists", "de": "Ihr Konto bei Acme besteht bereits"}[lang]
		if m.Subject != want || m.HTML == "" || !strings.Contains(m.HTML, `lang="`+lang+`"`) {
			t.Fatalf("%s: subject %q, html %d bytes", lang, m.Subject, len(m.HTML))
		}
		if codeRe.MatchString(m.Text) {
			t.Errorf("%s: notice carries a code:\n%s", lang, m.Text)
		}
	}
}

// The email-change mail comes from the templates and carries the code
// and the link in both parts.
func TestEmailChangeMailIsTemplated(t *testing.T) {
	f := newFixture(t)
	ms := f.withSMTP(t)
	f.tg.EmailChangeURL = "https://id.example.org/email/confirm"
	u := f.changeUser(t, "old@example.com")
	if err := f.svc.StartEmailChange(t.Context(), f.tg, u, "new@example.com", "de"); err != nil {
		t.Fatal(err)
	}
	m := ms.WaitFor(t, "new@example.com", mailWait)
	if m.Subject != "Bestätigen Sie Ihre neue E-Mail-Adresse bei Acme" {
		t.Fatalf("subject %q", m.Subject)
	}
	code := regexpCode(t, `Bestätigungscode: ([0-9]{6})`, m.Text)
	if !strings.Contains(m.HTML, ">"+code+"<") {
		t.Errorf("HTML lacks the code %s", code)
	}
	for _, part := range []string{m.Text, html.UnescapeString(m.HTML)} {
		if !strings.Contains(part, "https://id.example.org/email/confirm?token=") || !strings.Contains(part, "10 Minuten") {
			t.Errorf("part lacks the link or the code's lifetime:\n%s", part)
		}
	}
	if _, err := f.svc.ConfirmEmailChange(t.Context(), f.tg, u.ID, code, "de"); err != nil {
		t.Fatalf("the mailed code does not confirm: %v", err)
	}
}

// The tenant's overrides of the new kinds are what the mails say.
func TestOverridesOfNoticeAndEmailChange(t *testing.T) {
	f := newFixture(t)
	ms := f.withSMTP(t)
	f.putTemplate(t, mail.KindAccountExists, "en", mail.Template{Subject: "Acme Corp: you are already with {{.TenantName}}"})
	f.putTemplate(t, mail.KindEmailChange, "de", mail.Template{
		Subject: "Acme Corp: neue Adresse",
		Text:    "Acme-Code {{.Code}} gilt {{.ExpiresIn}}.",
	})

	u := f.changeUser(t, "taken@example.com")
	if err := f.svc.Register(t.Context(), f.tg, accounts.Registration{Email: u.Email, Password: pw, AcceptedTerms: true, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if m := ms.WaitFor(t, u.Email, mailWait); m.Subject != "Acme Corp: you are already with Acme" || !strings.Contains(m.Text, "already have one") {
		t.Errorf("account_exists override not used: %q\n%s", m.Subject, m.Text)
	}

	if err := f.svc.StartEmailChange(t.Context(), f.tg, u, "new@example.com", "de"); err != nil {
		t.Fatal(err)
	}
	m := ms.WaitFor(t, "new@example.com", mailWait)
	if m.Subject != "Acme Corp: neue Adresse" {
		t.Fatalf("email_change override not used: %q", m.Subject)
	}
	code := regexpCode(t, `^Acme-Code ([0-9]{6}) gilt 10 Minuten\.\n$`, m.Text)
	if !strings.Contains(m.HTML, ">"+code+"<") {
		t.Errorf("built-in HTML part lacks the code %s", code)
	}
	// The override is German only: an English change gets the built-in mail.
	f.clock.Advance(2 * time.Minute) // past the resend cooldown
	if err := f.svc.StartEmailChange(t.Context(), f.tg, u, "new@example.com", "en"); err != nil {
		t.Fatal(err)
	}
	if m := ms.WaitFor(t, "new@example.com", mailWait); m.Subject != "Confirm your new email address for Acme" {
		t.Errorf("English mail: %q", m.Subject)
	}
}

// regexpCode returns the first group of pattern in s.
func regexpCode(t *testing.T, pattern, s string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s in:\n%s", pattern, s)
	}
	return m[1]
}

// Overrides are the tenant's own; a stored override that fails to render
// (stored behind the API's back) gives the built-in mail, logged.
func TestOverridesAreTheTenantsAndFallBack(t *testing.T) {
	f := newFixture(t)
	ms := f.withSMTP(t)
	var logs bytes.Buffer
	f.svc.Log = slog.New(slog.NewTextHandler(&logs, nil))
	ctx := t.Context()
	f.putTemplate(t, mail.KindAccountExists, "en", mail.Template{Subject: "Acme Corp: already registered"})
	other := &identity.Tenant{Slug: "other", DisplayName: "Other"}
	if err := f.st.Tenants().Create(ctx, other); err != nil {
		t.Fatal(err)
	}
	otherTg := accounts.Target{Scope: &tenancy.Tenant{Tenant: other, Store: f.st}, Name: "Other"}
	u := &identity.User{Email: "taken@example.com"}
	p := pw
	if err := f.svc.Directory.CreateUser(ctx, otherTg.Scope, u, &p); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Register(ctx, otherTg, accounts.Registration{Email: u.Email, Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	if m := ms.WaitFor(t, u.Email, mailWait); m.Subject != "Your Other account already exists" {
		t.Errorf("other tenant's mail: %q", m.Subject)
	}

	broken := &store.MailTemplate{TenantID: f.tg.Scope.Tenant.ID, Kind: string(mail.KindAccountExists), Lang: "en", Subject: "{{range .Code}}x{{end}}"}
	if err := f.st.MailTemplates().Put(ctx, broken); err != nil {
		t.Fatal(err)
	}
	f.changeUser(t, u.Email)
	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: u.Email, Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	if m := ms.WaitFor(t, u.Email, mailWait); m.Subject != "Your Acme account already exists" {
		t.Errorf("broken override: %q, want the built-in mail", m.Subject)
	}
	if !strings.Contains(logs.String(), "kind=account_exists") {
		t.Errorf("fallback not logged: %s", logs.String())
	}
}

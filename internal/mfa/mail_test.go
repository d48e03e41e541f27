package mfa_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func (f *fixture) putTemplate(t *testing.T, kind mail.Kind, lang string, o mail.Template) {
	t.Helper()
	must(t, f.svc.Templates.CheckOverride(kind, lang, o))
	must(t, f.st.MailTemplates().Put(t.Context(), &store.MailTemplate{TenantID: f.tg.Tenant.ID, Kind: string(kind), Lang: lang,
		Subject: o.Subject, Text: o.Text, HTML: o.HTML}))
}

// The email code comes from the mfa_code templates: subject, text and
// HTML, each with the code.
func TestEmailCodeMailIsTemplated(t *testing.T) {
	f := newFixture(t, allowEmail)
	_, err := f.svc.BeginChallenge(t.Context(), f.tg, f.user, factor.EmailOTP, "en")
	must(t, err)
	m := f.smtp.WaitFor(t, f.user.Email, wait)
	if m.Subject != "Your Acme sign-in code" || !strings.Contains(m.Text, "Hello Alex,") || !strings.Contains(m.Text, "5 minutes") {
		t.Fatalf("mail: %q\n%s", m.Subject, m.Text)
	}
	code := mailCodeRe.FindStringSubmatch(m.Text)[1]
	if !strings.Contains(m.HTML, ">"+code+"<") || !strings.Contains(m.HTML, `lang="en"`) {
		t.Errorf("HTML lacks the code %s:\n%s", code, m.HTML)
	}
}

// The tenant's overrides of mfa_code and mfa_changed are what the mails
// say; the code still works.
func TestMailOverridesAreUsed(t *testing.T) {
	f := newFixture(t, allowEmail)
	ctx := t.Context()
	f.putTemplate(t, mail.KindMFACode, "de", mail.Template{
		Subject: "Acme Corp: Ihr Code",
		Text:    "Code {{.Code}}, gültig {{.ExpiresIn}}.",
		HTML:    "<p>Acme Corp code <b>{{.Code}}</b></p>",
	})
	f.putTemplate(t, mail.KindMFAChanged, "en", mail.Template{Subject: "Acme Corp: {{.TenantName}} second factor changed"})

	ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.EmailOTP, "de")
	must(t, err)
	m := f.smtp.WaitFor(t, f.user.Email, wait)
	code := mailCodeRe.FindStringSubmatch(m.Text)[1]
	if m.Subject != "Acme Corp: Ihr Code" || m.Text != "Code "+code+", gültig 5 Minuten.\n" || m.HTML != "<p>Acme Corp code <b>"+code+"</b></p>" {
		t.Fatalf("mfa_code override not used: %q\n%s\n%s", m.Subject, m.Text, m.HTML)
	}
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: code}); err != nil {
		t.Fatalf("the mailed code does not verify: %v", err)
	}

	_, err = f.svc.GenerateRecoveryCodes(ctx, f.tg, f.user)
	must(t, err)
	if m := f.smtp.WaitFor(t, f.user.Email, wait); m.Subject != "Acme Corp: Acme second factor changed" || !strings.Contains(m.Text, "recovery codes") {
		t.Errorf("mfa_changed override not used: %q\n%s", m.Subject, m.Text)
	}
}

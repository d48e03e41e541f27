package accounts_test

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Every mail that carries a code and a link states how long each lives,
// from the setting that sets the rows' expiry: change the setting and the
// mail follows. Read as received over SMTP, text and HTML, in English and
// German.
func TestMailsStateTheConfiguredLifetimes(t *testing.T) {
	configs := []struct {
		name string
		cfg  accounts.Config
		// The sentences the mails must carry, by purpose and language.
		want map[string]map[string]string
	}{
		{"defaults", accounts.Config{}, map[string]map[string]string{
			accounts.PurposeVerifyEmail: {
				"en": "The code expires in 15 minutes, the link in 1 day.",
				"de": "Der Code ist 15 Minuten lang gültig, der Link 1 Tag lang.",
			},
			accounts.PurposeReset: {
				"en": "The code expires in 15 minutes, the link in 1 hour.",
				"de": "Der Code ist 15 Minuten lang gültig, der Link 1 Stunde lang.",
			},
			accounts.PurposeEmailChange: {
				"en": "The code expires in 15 minutes, the link in 1 day.",
				"de": "Der Code ist 15 Minuten lang gültig, der Link 1 Tag lang.",
			},
		}},
		{"configured", accounts.Config{CodeTTL: 7 * time.Minute, LinkTTL: 3 * time.Hour, ResetLinkTTL: 45 * time.Minute},
			map[string]map[string]string{
				accounts.PurposeVerifyEmail: {
					"en": "The code expires in 7 minutes, the link in 3 hours.",
					"de": "Der Code ist 7 Minuten lang gültig, der Link 3 Stunden lang.",
				},
				accounts.PurposeReset: {
					"en": "The code expires in 7 minutes, the link in 45 minutes.",
					"de": "Der Code ist 7 Minuten lang gültig, der Link 45 Minuten lang.",
				},
				accounts.PurposeEmailChange: {
					"en": "The code expires in 7 minutes, the link in 3 hours.",
					"de": "Der Code ist 7 Minuten lang gültig, der Link 3 Stunden lang.",
				},
			}},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.svc.Config = c.cfg
			f.tg.EmailChangeURL = "https://id.example.org/email/confirm"
			ms := f.withSMTP(t)
			ctx := t.Context()
			for _, lang := range []string{"en", "de"} {
				sent := map[string]mailtest.Message{}
				addr := "new." + lang + "@example.com"
				if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: addr, Password: pw, AcceptedTerms: true, Lang: lang}); err != nil {
					t.Fatal(err)
				}
				sent[accounts.PurposeVerifyEmail] = ms.WaitFor(t, addr, mailWait)
				reset := f.user(t, "reset."+lang+"@example.com", true)
				if err := f.svc.Recover(ctx, f.tg, accounts.Recovery{Email: reset.Email, ResetURL: resetURL, Lang: lang}); err != nil {
					t.Fatal(err)
				}
				sent[accounts.PurposeReset] = ms.WaitFor(t, reset.Email, mailWait)
				if err := f.svc.StartEmailChange(ctx, f.tg, reset, "changed."+lang+"@example.com", lang); err != nil {
					t.Fatal(err)
				}
				sent[accounts.PurposeEmailChange] = ms.WaitFor(t, "changed."+lang+"@example.com", mailWait)

				for purpose, m := range sent {
					want := c.want[purpose][lang]
					if !strings.Contains(m.Text, want) || !strings.Contains(html.UnescapeString(m.HTML), want) {
						t.Errorf("%s %s mail does not say %q:\n%s", purpose, lang, want, m.Text)
					}
					if strings.Contains(m.Text, "The code and the link") || strings.Contains(m.Text, "Code und Link") {
						t.Errorf("%s %s mail gives the code and the link one lifetime:\n%s", purpose, lang, m.Text)
					}
				}
			}
			// The rows expire when the mails say they do.
			cfg := c.cfg
			if cfg.CodeTTL == 0 {
				cfg = accounts.DefaultConfig
			}
			u := f.user(t, "rows@example.com", true)
			if err := f.svc.Recover(ctx, f.tg, accounts.Recovery{Email: u.Email, ResetURL: resetURL, Lang: "en"}); err != nil {
				t.Fatal(err)
			}
			ms.WaitFor(t, u.Email, mailWait)
			for kind, ttl := range map[string]time.Duration{store.VerificationCode: cfg.CodeTTL, store.VerificationLink: cfg.ResetLinkTTL} {
				v, err := f.st.Verifications().Latest(ctx, f.tg.Scope.Tenant.ID, u.ID, accounts.PurposeReset, kind)
				if err != nil {
					t.Fatal(err)
				}
				if got := v.ExpiresAt.Sub(v.CreatedAt); got != ttl {
					t.Errorf("reset %s lives %v, the mail says %v", kind, got, ttl)
				}
			}
		})
	}
}

// A tenant's own template gets both lifetimes as variables, and the
// layout's sentence as {{template "lifetimes" .}}.
func TestTenantTemplateGetsTheLifetimes(t *testing.T) {
	f := newFixture(t)
	f.svc.Config = accounts.Config{CodeTTL: 20 * time.Minute, ResetLinkTTL: 2 * time.Hour}
	ms := f.withSMTP(t)
	f.putTemplate(t, mail.KindPasswordReset, "en", mail.Template{
		Text: "Code {{.Code}} for {{.ExpiresIn}}, link {{.Link}} for {{.LinkExpiresIn}}. {{template \"lifetimes\" .}}",
	})
	u := f.user(t, "own@example.com", true)
	if err := f.svc.Recover(t.Context(), f.tg, accounts.Recovery{Email: u.Email, ResetURL: resetURL, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	m := ms.WaitFor(t, u.Email, mailWait)
	for _, want := range []string{" for 20 minutes, link ", " for 2 hours. The code expires in 20 minutes, the link in 2 hours."} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("tenant template lacks %q:\n%s", want, m.Text)
		}
	}
}

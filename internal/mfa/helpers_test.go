package mfa_test

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events/eventstest"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite/sqlitetest"
)

const wait = 10 * time.Second

type fixture struct {
	svc   *mfa.Service
	tg    mfa.Target
	st    store.Store
	clock *clock.Fake
	smtp  *mailtest.Server
	rec   *eventstest.Log
	user  *identity.User
}

// newFixture is a service on an in-memory SQLite store, mailing through
// the in-process SMTP server, with a fake clock and a user
// alex@example.com (verified).
func newFixture(t *testing.T, policy ...func(*identity.MFAPolicy)) *fixture {
	t.Helper()
	ctx := t.Context()
	st := sqlitetest.Open(t)
	ten := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
	for _, p := range policy {
		p(&ten.MFA)
	}
	sqlitetest.Tenant(t, st, ten)
	u := &identity.User{Email: "alex@example.com", EmailVerified: true, Phone: "+4915112345678", PhoneVerified: true,
		Profile: identity.Profile{GivenName: "Alex"}}
	if err := st.Users().Create(ctx, ten.ID, u); err != nil {
		t.Fatal(err)
	}
	keys, err := secret.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	sender := srv.Sender(t, "Acme <login@acme.example>")
	c := clock.NewFake(time.Date(2026, 5, 1, 12, 0, 10, 0, time.UTC))
	rec := &eventstest.Log{}
	svc := &mfa.Service{Keyring: keys, Mail: sender, Templates: mail.MustLoadTemplates(), Events: rec, Now: c.Now}
	return &fixture{svc: svc, st: st, clock: c, smtp: srv, rec: rec, user: u,
		tg: mfa.Target{Tenant: ten, Store: st, Issuer: "https://id.example.org/t/acme"}}
}

// noticeMail waits for the "mfa_changed" notice to the user.
func (f *fixture) noticeMail(t *testing.T) mailtest.Message {
	t.Helper()
	m := f.smtp.WaitFor(t, f.user.Email, wait)
	if m.Subject != "Two-factor authentication changed for your Acme account" {
		t.Fatalf("mail subject %q, want the mfa_changed notice", m.Subject)
	}
	return m
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

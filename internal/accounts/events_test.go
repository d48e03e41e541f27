package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/events/eventstest"
)

// Registration, a reset and an email change each record their event
// with the tenant, the user and the client's IP.
func TestEventsAreRecorded(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	log := &eventstest.Log{}
	f.svc.Events = log
	f.tg.IP = "203.0.113.7"

	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: "ev@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	// A known address records nothing: the event would tell what the page does not.
	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: "ev@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	u := f.user(t, "reset@example.com", true)
	f.recover(t, "reset@example.com")
	if _, err := f.svc.Reset(ctx, f.tg, accounts.PasswordReset{
		Proof: accounts.ResetProof{Token: f.lastToken(t)}, NewPassword: "another long passphrase 77",
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.StartEmailChange(ctx, f.tg, u, "moved@example.com", "en"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ConfirmEmailChange(ctx, f.tg, u.ID, f.lastChangeCode(t), "en"); err != nil {
		t.Fatal(err)
	}
	want := []string{events.UserRegistered, events.PasswordReset, events.EmailChanged}
	if got := log.Types(); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("events = %v, want %v", got, want)
	}
	for i, e := range log.All() {
		if e.TenantID != f.tg.Scope.Tenant.ID || e.UserID == "" || e.IP != "203.0.113.7" || e.Time.IsZero() {
			t.Errorf("event %d: %+v", i, e)
		}
		if i > 0 && e.UserID != u.ID {
			t.Errorf("event %d is about %s, want %s", i, e.UserID, u.ID)
		}
	}
}

// A failing recorder does not fail the action.
func TestEventFailureDoesNotFailTheAction(t *testing.T) {
	f := newFixture(t)
	f.svc.Events = events.Func(func(context.Context, events.Event) error { return errors.New("audit store down") })
	if err := f.svc.Register(t.Context(), f.tg, accounts.Registration{Email: "x@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatalf("register with a failing recorder: %v", err)
	}
	f.lastCode(t)
}

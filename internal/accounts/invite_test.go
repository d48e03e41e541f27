package accounts_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

const invitePage = "https://id.example.org/invite"

var inviteTokenRe = regexp.MustCompile(`/invite\?token=([A-Za-z0-9_%-]+)`)

func (f *fixture) lastInviteToken(t *testing.T) string {
	t.Helper()
	m := inviteTokenRe.FindAllStringSubmatch(f.console.String(), -1)
	if m == nil {
		t.Fatalf("no invitation link on the console:\n%s", f.console.String())
	}
	return m[len(m)-1][1]
}

func (f *fixture) invite(t *testing.T, email string, ttl time.Duration) (*accounts.Invitation, string) {
	t.Helper()
	inv, err := f.svc.Invite(t.Context(), f.tg, invitePage, accounts.Invitee{Email: email, TTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	return inv, f.lastInviteToken(t)
}

func TestInvitationExpires(t *testing.T) {
	f := newFixture(t)
	inv, tok := f.invite(t, "late@example.com", time.Hour)
	if want := f.clock.Now().Add(time.Hour); !inv.ExpiresAt.Equal(want) {
		t.Fatalf("expires at %v, want %v", inv.ExpiresAt, want)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.svc.InvitedUser(t.Context(), f.tg, tok); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Fatalf("expired invitation: err = %v", err)
	}
	if _, err := f.svc.AcceptInvite(t.Context(), f.tg, tok, pw); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Fatalf("accepting an expired invitation: err = %v", err)
	}
	items, _, err := f.svc.PendingInvitations(t.Context(), f.tg.Scope, store.Page{})
	if err != nil || len(items) != 0 {
		t.Fatalf("pending after expiry: %v %v", items, err)
	}
}

func TestInvitationDefaultsAndLimits(t *testing.T) {
	f := newFixture(t)
	inv, _ := f.invite(t, "d@example.com", 0)
	if got := inv.ExpiresAt.Sub(inv.CreatedAt); got != accounts.DefaultInviteTTL {
		t.Errorf("default lifetime %v", got)
	}
	_, err := f.svc.Invite(t.Context(), f.tg, invitePage, accounts.Invitee{Email: "x@example.com", TTL: accounts.MaxInviteTTL + time.Second})
	var ve *identity.ValidationError
	if !errors.As(err, &ve) || ve.Errors[0].Field != "/expires_in" {
		t.Fatalf("too long: err = %v", err)
	}
}

func TestInvitationAcceptance(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, tok := f.invite(t, "ann@example.com", 0)
	// A weak password leaves the invitation usable.
	var ve *identity.ValidationError
	if _, err := f.svc.AcceptInvite(ctx, f.tg, tok, "short"); !errors.As(err, &ve) {
		t.Fatalf("weak password: err = %v", err)
	}
	u, err := f.svc.AcceptInvite(ctx, f.tg, tok, pw)
	if err != nil {
		t.Fatal(err)
	}
	if !u.EmailVerified {
		t.Error("email not verified")
	}
	if ok, err := f.svc.Directory.VerifyPassword(ctx, f.tg.Scope, u.ID, pw); err != nil || !ok {
		t.Errorf("password not set: %v %v", ok, err)
	}
	if _, err := f.svc.AcceptInvite(ctx, f.tg, tok, pw+"x"); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Fatalf("second use: err = %v", err)
	}
	// Now the user has a password: no more invitations.
	if _, err := f.svc.Invite(ctx, f.tg, invitePage, accounts.Invitee{Email: "ann@example.com"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("invite an active user: err = %v", err)
	}
}

func TestReinviteRetiresTheOldLink(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	first, old := f.invite(t, "re@example.com", 0)
	second, fresh := f.invite(t, "re@example.com", 0)
	if first.UserID != second.UserID || first.ID == second.ID {
		t.Fatalf("invitations %+v %+v", first, second)
	}
	if _, err := f.svc.InvitedUser(ctx, f.tg, old); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Errorf("old link: err = %v", err)
	}
	if _, err := f.svc.InvitedUser(ctx, f.tg, fresh); err != nil {
		t.Errorf("new link: %v", err)
	}
}

func TestRevokeAndListInvitations(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	var ids []string
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		inv, _ := f.invite(t, e, 0)
		ids = append(ids, inv.ID)
	}
	// A registered user without an invitation is not listed.
	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: "reg@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeInvitation(ctx, f.tg.Scope, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeInvitation(ctx, f.tg.Scope, ids[1]); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	if err := f.svc.RevokeInvitation(ctx, f.tg.Scope, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: err = %v", err)
	}
	var got []string
	pg := store.Page{Limit: 1}
	for range 10 {
		items, next, err := f.svc.PendingInvitations(ctx, f.tg.Scope, pg)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			got = append(got, it.ID)
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	if len(got) != 2 || (got[0] != ids[0] && got[1] != ids[0]) || (got[0] != ids[2] && got[1] != ids[2]) {
		t.Fatalf("pending %v, want %s and %s", got, ids[0], ids[2])
	}
}

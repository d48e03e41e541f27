package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var userTests = []test{
	{"User/CRUD", testUserCRUD},
	{"User/NotFound", testUserNotFound},
	{"User/UnknownTenant", testUserUnknownTenant},
	{"User/EmailConflict", testUserEmailConflict},
	{"User/UsernameConflict", testUserUsernameConflict},
	{"User/Update", testUserUpdate},
	{"User/DeleteRemovesPassword", testUserDeleteRemovesPassword},
}

func testUserCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := fullUser("Ada.Lovelace@Example.COM", "Ada_L")
	u.TenantID = "ignored: the tenantID argument wins"
	must(t, s.Users().Create(ctx, tn.ID, u))
	if u.ID == "" || u.TenantID != tn.ID || u.Version != 1 || u.CreatedAt.IsZero() {
		t.Fatalf("Create did not stamp the user: %+v", u)
	}
	if want := micro(time.Date(2031, 5, 6, 5, 8, 9, 123456000, time.UTC)); !u.LockedUntil.Equal(want) {
		t.Fatalf("LockedUntil = %v, want %v", u.LockedUntil, want)
	}
	if want := micro(time.Date(2026, 5, 6, 7, 8, 9, 987654000, time.UTC)); !u.TermsAcceptedAt.Equal(want) {
		t.Fatalf("TermsAcceptedAt = %v, want %v", u.TermsAcceptedAt, want)
	}

	got, err := s.Users().Get(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, got, u, "Get")
	// What the user typed is kept for display.
	equal(t, got.Email, "Ada.Lovelace@Example.COM", "Email")
	equal(t, got.Username, "Ada_L", "Username")

	got, err = s.Users().GetByEmail(ctx, tn.ID, "ada.lovelace@example.com")
	must(t, err)
	equal(t, got, u, "GetByEmail (lowercase)")
	got, err = s.Users().GetByEmail(ctx, tn.ID, "ADA.LOVELACE@EXAMPLE.COM")
	must(t, err)
	equal(t, got.ID, u.ID, "GetByEmail (uppercase)")
	got, err = s.Users().GetByUsername(ctx, tn.ID, "ada_l")
	must(t, err)
	equal(t, got, u, "GetByUsername")

	// A minimal user: zero values round-trip as zero values.
	m := &identity.User{Email: "min@example.com"}
	must(t, s.Users().Create(ctx, tn.ID, m))
	got, err = s.Users().Get(ctx, tn.ID, m.ID)
	must(t, err)
	equal(t, got, m, "Get minimal user")
	if got.Attributes != nil || got.LockedUntil != nil || got.Profile.Address != nil || got.TermsAcceptedAt != nil || got.TermsVersion != "" {
		t.Fatalf("minimal user grew fields: %+v", got)
	}

	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	_, err = s.Users().Get(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	_, err = s.Users().GetByEmail(ctx, tn.ID, u.Email)
	wantErr(t, err, store.ErrNotFound, "GetByEmail after Delete")
	wantErr(t, s.Users().Delete(ctx, tn.ID, u.ID), store.ErrNotFound, "Delete twice")

	// The email is free again.
	mkUser(t, s, tn.ID, "ada.lovelace@example.com")
}

func testUserNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	mkUser(t, s, tn.ID, "someone@example.com") // no username
	_, err := s.Users().Get(ctx, tn.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "Get")
	_, err = s.Users().GetByEmail(ctx, tn.ID, "nobody@example.com")
	wantErr(t, err, store.ErrNotFound, "GetByEmail")
	_, err = s.Users().GetByUsername(ctx, tn.ID, "nobody")
	wantErr(t, err, store.ErrNotFound, "GetByUsername")
	_, err = s.Users().GetByUsername(ctx, tn.ID, "")
	wantErr(t, err, store.ErrNotFound, "GetByUsername of empty username")
	_, err = s.Users().Update(ctx, tn.ID, "missing", 0, func(*identity.User) error {
		t.Error("fn called for a missing user")
		return nil
	})
	wantErr(t, err, store.ErrNotFound, "Update")
	wantErr(t, s.Users().Delete(ctx, tn.ID, "missing"), store.ErrNotFound, "Delete")
}

func testUserUnknownTenant(t *testing.T, s store.Store) {
	err := s.Users().Create(t.Context(), "no-such-tenant", &identity.User{Email: "x@example.com"})
	wantErr(t, err, store.ErrNotFound, "Create in unknown tenant")
}

func testUserEmailConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	first := mkUser(t, s, a.ID, "dup@example.com")
	err := s.Users().Create(ctx, a.ID, &identity.User{Email: "DUP@Example.com"})
	wantErr(t, err, store.ErrConflict, "Create with same email, other case")
	err = s.Users().Create(ctx, a.ID, &identity.User{ID: first.ID, Email: "other@example.com"})
	wantErr(t, err, store.ErrConflict, "Create with taken ID")
	// Uniqueness is per tenant.
	mkUser(t, s, b.ID, "dup@example.com")
	// Users without an email do not collide with each other.
	mkUser(t, s, a.ID, "", func(u *identity.User) { u.Username = "nomail1" })
	mkUser(t, s, a.ID, "", func(u *identity.User) { u.Username = "nomail2" })
	_, err = s.Users().GetByEmail(ctx, a.ID, "")
	wantErr(t, err, store.ErrNotFound, "GetByEmail of empty email")

	second := mkUser(t, s, a.ID, "second@example.com")
	_, err = s.Users().Update(ctx, a.ID, second.ID, 0, func(u *identity.User) error {
		u.Email = "Dup@EXAMPLE.com"
		return nil
	})
	wantErr(t, err, store.ErrConflict, "Update to taken email")
	got, err := s.Users().Get(ctx, a.ID, second.ID)
	must(t, err)
	equal(t, got, second, "user after failed Update")
}

func testUserUsernameConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	mkUser(t, s, a.ID, "one@example.com", func(u *identity.User) { u.Username = "Neo" })
	err := s.Users().Create(ctx, a.ID, &identity.User{Email: "two@example.com", Username: "nEO"})
	wantErr(t, err, store.ErrConflict, "Create with same username, other case")
	mkUser(t, s, b.ID, "one@example.com", func(u *identity.User) { u.Username = "neo" })
	// Empty usernames are not unique.
	mkUser(t, s, a.ID, "three@example.com")
	four := mkUser(t, s, a.ID, "four@example.com")
	_, err = s.Users().Update(ctx, a.ID, four.ID, 0, func(u *identity.User) error { u.Username = "NEO"; return nil })
	wantErr(t, err, store.ErrConflict, "Update to taken username")
	got, err := s.Users().Get(ctx, a.ID, four.ID)
	must(t, err)
	equal(t, got, four, "user after failed Update")
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, "upd@example.com")

	v2, err := s.Users().Update(ctx, tn.ID, u.ID, 1, func(x *identity.User) error {
		x.Email = "Updated@Example.com"
		x.Username = "upd"
		x.Profile.GivenName = "Grace"
		x.Attributes = map[string]any{"plan": "free"}
		x.LockedUntil = ptr(time.Now().Add(time.Hour))
		// Identity and bookkeeping fields belong to the store.
		x.ID, x.TenantID, x.CreatedAt, x.Version = "hijack", "other", time.Time{}, 42
		return nil
	})
	must(t, err)
	if v2.ID != u.ID || v2.TenantID != tn.ID || !v2.CreatedAt.Equal(u.CreatedAt) || v2.Version != 2 {
		t.Fatalf("Update let fn change identity/bookkeeping: %+v", v2)
	}
	if v2.UpdatedAt.Before(u.UpdatedAt) {
		t.Fatalf("UpdatedAt went back: %v -> %v", u.UpdatedAt, v2.UpdatedAt)
	}
	got, err := s.Users().Get(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, got, v2, "Get after Update")
	got, err = s.Users().GetByEmail(ctx, tn.ID, "updated@example.com")
	must(t, err)
	equal(t, got.ID, u.ID, "GetByEmail with new email")
	_, err = s.Users().GetByEmail(ctx, tn.ID, "upd@example.com")
	wantErr(t, err, store.ErrNotFound, "GetByEmail with old email")

	_, err = s.Users().Update(ctx, tn.ID, u.ID, 1, func(*identity.User) error {
		t.Error("fn called despite a stale version")
		return nil
	})
	wantErr(t, err, store.ErrVersionMismatch, "Update with stale version")

	boom := errors.New("boom")
	_, err = s.Users().Update(ctx, tn.ID, u.ID, 2, func(x *identity.User) error {
		x.Email = "never@example.com"
		return boom
	})
	wantErr(t, err, boom, "Update with failing fn")
	got, err = s.Users().Get(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, got, v2, "Get after aborted Update")

	// ifVersion 0 skips the check.
	v3, err := s.Users().Update(ctx, tn.ID, u.ID, 0, func(x *identity.User) error { x.LockedUntil = nil; return nil })
	must(t, err)
	if v3.Version != 3 || v3.LockedUntil != nil {
		t.Fatalf("Update without version check: %+v", v3)
	}
}

func testUserDeleteRemovesPassword(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, "pw@example.com")
	must(t, s.Passwords().Set(ctx, tn.ID, u.ID, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"))
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	_, err := s.Passwords().Get(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "password after user Delete")
	// A user re-created with the same ID does not inherit a password.
	mkUser(t, s, tn.ID, "pw@example.com", func(x *identity.User) { x.ID = u.ID })
	_, err = s.Passwords().Get(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "password of re-created user")
}

package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

// Migrator is a store with schema management (storeopen.DB has this shape).
type Migrator interface {
	store.Store
	Migrate(ctx context.Context) error
	MigrationStatus(ctx context.Context) ([]sqlstore.MigrationStatus, error)
}

// RunMigrations checks schema management on an empty database: Ready
// fails while migrations are pending, Migrate applies them all, and
// migrating again is a no-op. newEmpty must return a store on an empty,
// unmigrated database.
func RunMigrations(t *testing.T, newEmpty func(t *testing.T) Migrator) {
	ctx := t.Context()
	db := newEmpty(t)

	if err := db.Ready(ctx); err == nil {
		t.Fatal("Ready succeeded before Migrate")
	}
	st, err := db.MigrationStatus(ctx)
	must(t, err)
	if len(st) == 0 {
		t.Fatal("no embedded migrations")
	}
	for _, m := range st {
		if m.Applied || !m.AppliedAt.IsZero() {
			t.Fatalf("migration %d %s applied before Migrate", m.Version, m.Name)
		}
	}
	// Status created the version table: Ready now fails on the pending list.
	if err := db.Ready(ctx); err == nil || !strings.Contains(err.Error(), st[0].Name) {
		t.Fatalf("Ready with pending migrations = %v, want an error naming %s", err, st[0].Name)
	}

	must(t, db.Migrate(ctx))
	st, err = db.MigrationStatus(ctx)
	must(t, err)
	var last int64
	for _, m := range st {
		if !m.Applied || m.AppliedAt.IsZero() || m.Name == "" {
			t.Fatalf("after Migrate: %+v", m)
		}
		if m.Version <= last {
			t.Fatalf("status not in version order: %d after %d", m.Version, last)
		}
		last = m.Version
	}
	must(t, db.Ready(ctx))

	must(t, db.Migrate(ctx)) // nothing pending: no-op
	again, err := db.MigrationStatus(ctx)
	must(t, err)
	equal(t, again, st, "status after a second Migrate")

	// The migrated schema works.
	tn := mkTenant(t, db)
	mkUser(t, db, tn.ID, "migrated@example.com")
}

// DownMigrator is a Migrator that can also roll back.
type DownMigrator interface {
	Migrator
	MigrateDownTo(ctx context.Context, version int64) error
}

// RunSessionPendingMigration runs migration 00010 (what a session still
// owes) on sessions written before it: it revokes those that may still
// owe a step under the old scheme (password-only sessions of the last
// 30 minutes, those of users with a second factor, those of users who
// must change their password) and keeps the others, which owe nothing.
// newEmpty must return a store on an empty, unmigrated database.
func RunSessionPendingMigration(t *testing.T, newEmpty func(t *testing.T) DownMigrator) {
	ctx := t.Context()
	db := newEmpty(t)
	must(t, db.Migrate(ctx))
	tn := mkTenant(t, db)
	plain := mkUser(t, db, tn.ID, "plain@example.com")
	withFactor := mkUser(t, db, tn.ID, "factor@example.com")
	flagged := mkUser(t, db, tn.ID, "flagged@example.com")
	now := time.Now().UTC()
	must(t, db.MFA().CreateFactor(ctx, &factor.Factor{TenantID: tn.ID, UserID: withFactor.ID, Type: factor.TOTP, Name: "Phone"}))
	must(t, db.MFA().CreateFactor(ctx, &factor.Factor{TenantID: tn.ID, UserID: plain.ID, Type: factor.Recovery, Name: "Codes"}))
	must(t, db.Verifications().Create(ctx, &store.Verification{TenantID: tn.ID, UserID: flagged.ID, Purpose: "password_change",
		Kind: store.VerificationCode, Hash: hash(uniq("flag")), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	const pwd, mfaACR = "urn:gatehouse:acr:pwd", "urn:gatehouse:acr:mfa"
	session := func(u *identity.User, acr string, age time.Duration) *oauth.Session {
		return mkSession(t, db, tn.ID, u.ID, func(s *oauth.Session) { s.ACR, s.CreatedAt = acr, now.Add(-age) })
	}
	keep := []*oauth.Session{
		session(plain, pwd, 2*time.Hour),         // signed in long ago with the password alone
		session(plain, mfaACR, time.Minute),      // recent, with the second factor
		session(withFactor, mfaACR, 2*time.Hour), // with the factor the user has
	}
	revoke := []*oauth.Session{
		session(plain, pwd, 5*time.Minute),    // may owe a risk challenge
		session(withFactor, pwd, 2*time.Hour), // owes the factor
		session(flagged, pwd, 2*time.Hour),    // owes the password change
	}
	must(t, db.MigrateDownTo(ctx, 9))
	must(t, db.Migrate(ctx))
	for _, s := range keep {
		got, err := db.Sessions().Get(ctx, tn.ID, s.ID)
		must(t, err)
		if got.RevokedAt != nil || !got.SignedIn() {
			t.Errorf("migration revoked or charged %s (acr %s, created %v ago): %+v", s.ID, s.ACR, now.Sub(s.CreatedAt), got)
		}
	}
	for _, s := range revoke {
		got, err := db.Sessions().Get(ctx, tn.ID, s.ID)
		must(t, err)
		if got.RevokedAt == nil {
			t.Errorf("migration kept %s (acr %s, created %v ago, user %s)", s.ID, s.ACR, now.Sub(s.CreatedAt), s.UserID)
		}
	}
}

package storetest

import (
	"context"
	"strings"
	"testing"

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

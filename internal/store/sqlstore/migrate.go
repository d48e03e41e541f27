package sqlstore

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// MigrationStatus describes one embedded migration.
type MigrationStatus struct {
	Version   int64
	Name      string // file name, e.g. 00001_init.sql
	Applied   bool
	AppliedAt time.Time // zero unless Applied
}

// Migrate applies every pending migration. Each migration runs in its own
// transaction; on PostgreSQL an advisory lock keeps concurrent processes
// from migrating at once.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.c.migrator.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", s.c.d.Name, err)
	}
	return nil
}

// MigrateDownTo rolls back every applied migration above version, newest
// first (a rollback, and the tests that run a migration on data written
// under the schema before it).
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	if _, err := s.c.migrator.DownTo(ctx, version); err != nil {
		return fmt.Errorf("store: migrate %s down to %d: %w", s.c.d.Name, version, err)
	}
	return nil
}

// MigrationStatus lists the embedded migrations in version order with
// whether each is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	st, err := s.c.migrator.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status %s: %w", s.c.d.Name, err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, m := range st {
		ms := MigrationStatus{Version: m.Source.Version, Name: path.Base(m.Source.Path)}
		if m.State == goose.StateApplied {
			ms.Applied, ms.AppliedAt = true, m.AppliedAt.UTC()
		}
		out = append(out, ms)
	}
	return out, nil
}

// Ready reports whether the database answers and every embedded migration
// is applied, so a process never serves on a schema older than its code.
// It only reads goose's version table (goose's own HasPending would create
// the table on an empty database, and a health check must not write).
func (s *Store) Ready(ctx context.Context) error {
	rows, err := s.c.read.QueryContext(ctx, `SELECT version_id FROM `+goose.DefaultTablename+` WHERE is_applied`)
	if err != nil {
		if pingErr := s.c.read.PingContext(ctx); pingErr != nil {
			return fmt.Errorf("%w: %s unreachable: %w", store.ErrUnavailable, s.c.d.Name, pingErr)
		}
		return fmt.Errorf("store: %s schema is not migrated: %w", s.c.d.Name, err)
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("store: read %s migration versions: %w", s.c.d.Name, err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read %s migration versions: %w", s.c.d.Name, err)
	}
	var pending []string
	for _, src := range s.c.migrator.ListSources() {
		if !applied[src.Version] {
			pending = append(pending, path.Base(src.Path))
		}
	}
	if len(pending) > 0 {
		return fmt.Errorf("store: %s schema has pending migrations (%s); run migrate", s.c.d.Name, strings.Join(pending, ", "))
	}
	return nil
}

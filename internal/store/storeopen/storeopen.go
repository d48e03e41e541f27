// Package storeopen opens a store from a database URL, so callers (the
// server, the CLI) pick the engine by configuration without importing it.
package storeopen

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

// MigrationStatus describes one embedded migration.
type MigrationStatus = sqlstore.MigrationStatus

// DB is a store together with its schema management.
type DB interface {
	store.Store
	// Sealed rewrites sealed values in place (secret-key rotation).
	store.SealedStore
	// Stats reads aggregates for the operations metrics.
	store.StatsStore
	// Migrate applies pending migrations.
	Migrate(ctx context.Context) error
	// MigrationStatus lists every embedded migration and whether it is applied.
	MigrationStatus(ctx context.Context) ([]MigrationStatus, error)
}

var _ DB = (*sqlstore.Store)(nil)

// Options tune Open.
type Options struct {
	// AutoMigrate applies pending migrations before Open returns.
	AutoMigrate bool
	// Now is the clock for CreatedAt/UpdatedAt defaults; nil means time.Now.
	Now func() time.Time
}

// Open opens the database named by url:
//
//	sqlite:./data/gatehouse.db    relative to the working directory
//	sqlite:/var/lib/gatehouse.db  absolute
//	sqlite::memory:               private in-memory database (tests, demos)
//	postgres://user:pass@host/db?sslmode=disable  (also postgresql://)
//
// Without AutoMigrate the schema is left as it is; Ready reports pending
// migrations.
func Open(ctx context.Context, url string, opts Options) (DB, error) {
	var (
		db  *sqlstore.Store
		err error
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		path = strings.TrimPrefix(path, "//") // tolerate sqlite:///abs/path
		if path == "" {
			return nil, errors.New("storeopen: sqlite URL has no path (want sqlite:./data/gatehouse.db, sqlite:/abs/path.db or sqlite::memory:)")
		}
		var sopts []sqlite.Option
		if opts.Now != nil {
			sopts = append(sopts, sqlite.WithNow(opts.Now))
		}
		db, err = sqlite.Open(ctx, path, sopts...)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		var popts []postgres.Option
		if opts.Now != nil {
			popts = append(popts, postgres.WithNow(opts.Now))
		}
		db, err = postgres.Open(ctx, url, popts...)
	default:
		s, _, ok := strings.Cut(url, ":") // only the scheme: the rest may hold a password
		if !ok {
			return nil, fmt.Errorf("storeopen: database URL has no scheme (want sqlite:PATH or postgres://...)")
		}
		return nil, fmt.Errorf("storeopen: unsupported database URL scheme %q (want sqlite:PATH or postgres://...)", s)
	}
	if err != nil {
		return nil, err
	}
	if opts.AutoMigrate {
		if err := db.Migrate(ctx); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return db, nil
}

package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse-iam/gatehouse/internal/store/storetest"
)

const dsnEnv = "GATEHOUSE_TEST_POSTGRES_DSN"

var schemaSeq atomic.Int64

// open returns an unmigrated store in a schema of its own, dropped when the
// test ends, so tests and concurrent runs never see each other's rows. A
// set but unreachable DSN fails the test: CI must not pass by skipping.
func open(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	dsn := requireDSN(tb)
	schema := fmt.Sprintf("gh_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), schemaSeq.Add(1))
	s, err := postgres.Open(tb.Context(), dsn, postgres.WithSchema(schema))
	if err != nil {
		tb.Fatalf("%s is set but the database is unusable: %v", dsnEnv, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
		dropSchema(tb, dsn, schema)
	})
	return s
}

// requireDSN skips when no database is configured: locally the suite is
// opt-in, CI sets the variable.
func requireDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		tb.Skip(dsnEnv + " not set: skipping PostgreSQL suite")
	}
	return dsn
}

func dropSchema(tb testing.TB, dsn, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		tb.Errorf("drop schema %s: %v", schema, err)
	}
}

func migrated(tb testing.TB) store.Store {
	tb.Helper()
	s := open(tb)
	if err := s.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	requireDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return migrated(t) })
}

func TestMigrations(t *testing.T) {
	storetest.RunMigrations(t, func(t *testing.T) storetest.Migrator { return open(t) })
}

func TestSessionPendingMigration(t *testing.T) {
	storetest.RunSessionPendingMigration(t, func(t *testing.T) storetest.DownMigrator { return open(t) })
}

// The schema option really isolates: a store in one schema does not see
// another schema's tables.
func TestSchemaIsolation(t *testing.T) {
	a := migrated(t)
	b := open(t)
	if err := b.Ready(t.Context()); err == nil || !strings.Contains(err.Error(), "not migrated") {
		t.Fatalf("fresh schema Ready = %v, want not migrated", err)
	}
	if err := a.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkStore(b *testing.B) {
	requireDSN(b)
	storetest.RunBenchmarks(b, func(b *testing.B) store.Store { return migrated(b) })
}

// Two transactions that lock rows in opposite order deadlock; PostgreSQL
// aborts one with SQLSTATE 40P01 and InTx runs it again, so both commit.
func TestDeadlockIsRetried(t *testing.T) {
	s := migrated(t)
	ctx := t.Context()
	for _, k := range []string{"x", "y"} {
		if err := s.Settings().Set(ctx, k, []byte("0")); err != nil {
			t.Fatal(err)
		}
	}
	var (
		firstWrites sync.WaitGroup
		attempts    atomic.Int32
		wg          sync.WaitGroup
	)
	firstWrites.Add(2)
	run := func(first, second string) error {
		try := 0
		return s.InTx(ctx, func(tx store.Store) error {
			attempts.Add(1)
			try++
			if err := tx.Settings().Set(ctx, first, []byte("1")); err != nil {
				return err
			}
			if try == 1 { // make sure both hold their first lock
				firstWrites.Done()
				firstWrites.Wait()
			}
			return tx.Settings().Set(ctx, second, []byte("1"))
		})
	}
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = run("x", "y") })
	wg.Go(func() { errs[1] = run("y", "x") })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("transaction failed despite retry: %v", err)
		}
	}
	if n := attempts.Load(); n != 3 {
		t.Fatalf("%d attempts, want 3 (one deadlock victim retried once)", n)
	}
}

package audit_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

const pgDSNEnv = "GATEHOUSE_TEST_POSTGRES_DSN"

var schemaSeq atomic.Int64

// eachEngine runs fn per engine on a fresh migrated store: SQLite always,
// PostgreSQL (in a schema of its own) when GATEHOUSE_TEST_POSTGRES_DSN is set.
func eachEngine(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "gatehouse.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		migrate(t, s)
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv(pgDSNEnv)
		if dsn == "" {
			t.Skip(pgDSNEnv + " not set: skipping the PostgreSQL variant")
		}
		schema := fmt.Sprintf("gh_audit_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), schemaSeq.Add(1))
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		if err != nil {
			t.Fatalf("%s is set but the database is unusable: %v", pgDSNEnv, err)
		}
		t.Cleanup(func() {
			_ = s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
				t.Error(err)
			}
		})
		migrate(t, s)
		fn(t, s)
	})
}

func migrate(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func mkTenant(t testing.TB, s store.Store) *identity.Tenant {
	t.Helper()
	tn := &identity.Tenant{Slug: fmt.Sprintf("t%d", schemaSeq.Add(1)), DisplayName: "T"}
	if err := s.Tenants().Create(t.Context(), tn); err != nil {
		t.Fatal(err)
	}
	return tn
}

func recorder(s store.Store, m *audit.Metrics) *audit.Recorder {
	return &audit.Recorder{Store: func(context.Context, string) (store.Store, error) { return s, nil }, Metrics: m}
}

// exec runs raw SQL around the store, with ? placeholders on both engines.
func exec(t *testing.T, s *sqlstore.Store, q string, args ...any) {
	t.Helper()
	if s.Dialect() == "postgres" {
		n := 0
		out := []byte{}
		for i := 0; i < len(q); i++ {
			if q[i] == '?' {
				n++
				out = fmt.Appendf(out, "$%d", n)
				continue
			}
			out = append(out, q[i])
		}
		q = string(out)
	}
	if _, err := s.WriteDB().ExecContext(t.Context(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// dropTriggers removes the append-only guard, as an attacker with
// database access could.
func dropTriggers(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	if s.Dialect() == "postgres" {
		exec(t, s, `DROP TRIGGER audit_events_no_change ON audit_events`)
		return
	}
	exec(t, s, `DROP TRIGGER audit_events_no_update`)
	exec(t, s, `DROP TRIGGER audit_events_no_delete`)
}

package audit_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

var schemaSeq atomic.Int64

// eachEngine runs fn per engine on a fresh migrated store: SQLite always,
// PostgreSQL (in a schema of its own) when pgtest.DSNEnv is set.
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
		s, err := postgres.Open(t.Context(), pgtest.SchemaURL(t, "gh_audit"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
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

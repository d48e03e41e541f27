package cli_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
)

// audit verify passes on an intact log, and after a row is edited in the
// database (the append-only trigger dropped first) names the broken link
// and exits non-zero.
func TestAuditVerify(t *testing.T) {
	eachEngine(t, func(t *testing.T, env map[string]string) {
		ctx := t.Context()
		mustRun(t, env, "migrate", "up")
		db, err := storeopen.Open(ctx, env["GATEHOUSE_DATABASE"], storeopen.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rec := &audit.Recorder{Store: func(context.Context, string) (store.Store, error) { return db, nil }}
		var ids []string
		for _, typ := range []string{events.LoginFailed, events.LoginSucceeded, events.PasswordChanged} {
			e := events.Event{ID: uuid.Must(uuid.NewV7()).String(), TenantID: "tenant-1", Type: typ, UserID: "u1", IP: "192.0.2.7"}
			if err := rec.Record(ctx, e); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		if r := mustRun(t, env, "audit", "verify"); !strings.Contains(r.stdout, "OK: 1 chain(s), 3 record(s)") {
			t.Fatalf("intact log: %v", r)
		}

		raw := db.(interface{ WriteDB() *sql.DB }).WriteDB()
		drop, edit := `DROP TRIGGER audit_events_no_update`, `UPDATE audit_events SET ip = '203.0.113.66' WHERE id = ?`
		if db.Dialect() == "postgres" {
			drop, edit = `DROP TRIGGER audit_events_no_change ON audit_events`, `UPDATE audit_events SET ip = '203.0.113.66' WHERE id = $1`
		}
		if _, err := raw.ExecContext(ctx, edit, ids[1]); err == nil {
			t.Fatal("the database allowed an edit of an audit row")
		}
		if _, err := raw.ExecContext(ctx, drop); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, edit, ids[1]); err != nil {
			t.Fatal(err)
		}
		r := run(t, env, "audit", "verify")
		if r.code == 0 || !strings.Contains(r.stdout, "position=2 record="+ids[1]+" field=hash") ||
			!strings.Contains(r.stderr, "tampered") {
			t.Fatalf("tampered log: %v", r)
		}
	})
}

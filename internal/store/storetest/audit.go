package storetest

import (
	"bytes"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var auditTests = []test{
	{"AuditChainLinks", testAuditChainLinks},
	{"AuditConcurrentAppends", testAuditConcurrentAppends},
	{"AuditAppendOnly", testAuditAppendOnly},
	{"AuditListFilters", testAuditListFilters},
	{"AuditIsolation", testAuditIsolation},
	{"AuditOutlivesTenant", testAuditOutlivesTenant},
}

func appendAudit(t testing.TB, s store.Store, tenantID, typ, userID string, mut ...func(*store.AuditRecord)) *store.AuditRecord {
	t.Helper()
	r := &store.AuditRecord{TenantID: tenantID, Type: typ, UserID: userID}
	for _, m := range mut {
		m(r)
	}
	must(t, s.Audit().Append(t.Context(), r))
	return r
}

// checkChain walks a tenant's chain and fails on any broken link.
func checkChain(t testing.TB, s store.Store, tenantID string, want int) {
	t.Helper()
	recs, err := s.Audit().Chain(t.Context(), tenantID, 0, want+10)
	must(t, err)
	if len(recs) != want {
		t.Fatalf("chain has %d records, want %d", len(recs), want)
	}
	var prev []byte
	for i, r := range recs {
		if r.Seq != int64(i+1) || !bytes.Equal(r.PrevHash, prev) || !bytes.Equal(r.Hash, r.ChainHash()) {
			t.Fatalf("record %d (seq %d) breaks the chain", i, r.Seq)
		}
		prev = r.Hash
	}
}

func testAuditChainLinks(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	at := time.Date(2026, 1, 2, 3, 4, 5, 678912345, time.UTC)
	first := appendAudit(t, s, tn.ID, "login.failed", "u1", func(r *store.AuditRecord) {
		r.Time, r.IP, r.Decision, r.Reasons, r.Data = at, "192.0.2.1", "deny", `["velocity"]`, `{"k":1}`
	})
	equal(t, first.Seq, int64(1), "first seq")
	equal(t, first.Time, micro(at), "time kept to the microsecond")
	if first.PrevHash != nil || first.ID == "" {
		t.Fatalf("first record: prev %x id %q", first.PrevHash, first.ID)
	}
	second := appendAudit(t, s, tn.ID, "login.succeeded", "u1")
	equal(t, second.PrevHash, first.Hash, "second links to first")
	equal(t, second.Reasons+second.Data, "[]{}", "empty reasons and data")
	got, err := s.Audit().Get(ctx, tn.ID, first.ID)
	must(t, err)
	equal(t, *got, *first, "Get")
	heads, err := s.Audit().Heads(ctx)
	must(t, err)
	equal(t, heads, []store.AuditHead{{TenantID: tn.ID, Seq: 2, Hash: second.Hash}}, "heads")
	checkChain(t, s, tn.ID, 2)
	_, err = s.Audit().Get(ctx, tn.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "Get unknown")
}

func testAuditConcurrentAppends(t *testing.T, s store.Store) {
	tn := mkTenant(t, s)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				errs <- s.Audit().Append(t.Context(), &store.AuditRecord{TenantID: tn.ID, Type: "login.failed",
					UserID: fmt.Sprintf("u%d-%d", w, i)})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	checkChain(t, s, tn.ID, workers*each)
}

// rawDB is the engine's connection, for tests that go around the store.
func rawDB(t testing.TB, s store.Store) *sql.DB {
	t.Helper()
	w, ok := s.(interface{ WriteDB() *sql.DB })
	if !ok {
		t.Fatalf("%T does not expose WriteDB", s)
	}
	return w.WriteDB()
}

func testAuditAppendOnly(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	r := appendAudit(t, s, tn.ID, "login.failed", "u1")
	db := rawDB(t, s)
	q := func(sqlite, pg string) string {
		if s.Dialect() == "postgres" {
			return pg
		}
		return sqlite
	}
	for _, stmt := range []string{
		q(`UPDATE audit_events SET user_id = 'mallory' WHERE id = ?`, `UPDATE audit_events SET user_id = 'mallory' WHERE id = $1`),
		q(`DELETE FROM audit_events WHERE id = ?`, `DELETE FROM audit_events WHERE id = $1`),
	} {
		if _, err := db.ExecContext(ctx, stmt, r.ID); err == nil {
			t.Errorf("%s: the database allowed it", stmt)
		}
	}
	got, err := s.Audit().Get(ctx, tn.ID, r.ID)
	must(t, err)
	equal(t, *got, *r, "record after refused changes")
}

func testAuditListFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var all []*store.AuditRecord
	for i := range 6 {
		typ, user := "login.failed", "u1"
		if i%2 == 1 {
			typ, user = "login.succeeded", "u2"
		}
		all = append(all, appendAudit(t, s, tn.ID, typ, user, func(r *store.AuditRecord) {
			r.Time, r.IP = base.Add(time.Duration(i)*time.Hour), fmt.Sprintf("192.0.2.%d", i%3)
			if i == 4 {
				r.Decision = "deny"
			}
		}))
	}
	ids := func(f store.AuditFilter, p store.Page) ([]string, string) {
		t.Helper()
		items, next, err := s.Audit().List(ctx, tn.ID, f, p)
		must(t, err)
		var out []string
		for _, r := range items {
			out = append(out, r.ID)
		}
		return out, next
	}
	got, next := ids(store.AuditFilter{}, store.Page{Limit: 4})
	equal(t, got, []string{all[5].ID, all[4].ID, all[3].ID, all[2].ID}, "newest first")
	got, next = ids(store.AuditFilter{}, store.Page{Limit: 4, After: next})
	equal(t, got, []string{all[1].ID, all[0].ID}, "second page")
	equal(t, next, "", "end")
	got, _ = ids(store.AuditFilter{Type: "login.succeeded"}, store.Page{})
	equal(t, got, []string{all[5].ID, all[3].ID, all[1].ID}, "by type")
	got, _ = ids(store.AuditFilter{UserID: "u1", IP: "192.0.2.0"}, store.Page{})
	equal(t, got, []string{all[0].ID}, "by user and IP")
	got, _ = ids(store.AuditFilter{Decision: "deny"}, store.Page{})
	equal(t, got, []string{all[4].ID}, "by decision")
	got, _ = ids(store.AuditFilter{Since: base.Add(2 * time.Hour), Until: base.Add(4 * time.Hour)}, store.Page{})
	equal(t, got, []string{all[3].ID, all[2].ID}, "since/until")
}

func testAuditIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	r := appendAudit(t, s, a.ID, "login.failed", "u1")
	appendAudit(t, s, b.ID, "login.failed", "u1")
	_, err := s.Audit().Get(ctx, b.ID, r.ID)
	wantErr(t, err, store.ErrNotFound, "Get from another tenant")
	items, _, err := s.Audit().List(ctx, b.ID, store.AuditFilter{}, store.Page{})
	must(t, err)
	if len(items) != 1 || items[0].TenantID != b.ID || items[0].Seq != 1 {
		t.Fatalf("tenant B lists %+v", items)
	}
	checkChain(t, s, a.ID, 1) // each tenant has a chain of its own
	checkChain(t, s, b.ID, 1)
}

func testAuditOutlivesTenant(t *testing.T, s store.Store) {
	tn := mkTenant(t, s)
	appendAudit(t, s, tn.ID, "admin.tenant.deleted", "")
	must(t, s.Tenants().Delete(t.Context(), tn.ID))
	checkChain(t, s, tn.ID, 1)
}

package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var exportTests = []test{
	{"DataExports", testDataExports},
}

func testDataExports(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("x")+"@example.com")
	v := mkUser(t, s, tn.ID, uniq("y")+"@example.com")
	now := time.Now().UTC()
	e := &store.DataExport{TenantID: tn.ID, UserID: u.ID, Status: store.ExportPending, ExpiresAt: now.Add(7 * 24 * time.Hour)}
	must(t, s.Exports().CreateExport(ctx, e))
	if e.ID == "" || e.CreatedAt.IsZero() {
		t.Fatalf("created export: %+v", e)
	}
	got, err := s.Exports().GetExport(ctx, tn.ID, u.ID, e.ID)
	must(t, err)
	equal(t, *got, *e, "GetExport")
	wantErr(t, s.Exports().CreateExport(ctx, &store.DataExport{TenantID: tn.ID, UserID: "nobody", Status: store.ExportPending, ExpiresAt: now}),
		store.ErrNotFound, "export of a missing user")

	// Another user's or another tenant's export is not found.
	_, err = s.Exports().GetExport(ctx, tn.ID, v.ID, e.ID)
	wantErr(t, err, store.ErrNotFound, "another user's export")
	_, err = s.Exports().GetExport(ctx, other.ID, u.ID, e.ID)
	wantErr(t, err, store.ErrNotFound, "another tenant's export")
	wantErr(t, s.Exports().FinishExport(ctx, other.ID, e.ID, store.ExportReady, "{}"), store.ErrNotFound, "finish in another tenant")

	must(t, s.Exports().FinishExport(ctx, tn.ID, e.ID, store.ExportReady, `{"a":1}`))
	got, err = s.Exports().GetExport(ctx, tn.ID, u.ID, e.ID)
	must(t, err)
	if got.Status != store.ExportReady || got.Document != `{"a":1}` {
		t.Fatalf("finished export: %+v", got)
	}

	// The latest start of a user's exports; none for another user.
	at, err := s.Exports().LatestExportAt(ctx, tn.ID, u.ID)
	must(t, err)
	if !at.Equal(e.CreatedAt) {
		t.Fatalf("LatestExportAt = %v, want %v", at, e.CreatedAt)
	}
	_, err = s.Exports().LatestExportAt(ctx, tn.ID, v.ID)
	wantErr(t, err, store.ErrNotFound, "latest export of a user without one")
	_, err = s.Exports().LatestExportAt(ctx, other.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "latest export in another tenant")

	// The job deletes expired exports only.
	old := &store.DataExport{TenantID: tn.ID, UserID: u.ID, Status: store.ExportReady, Document: "{}",
		CreatedAt: now.Add(-8 * 24 * time.Hour), ExpiresAt: now.Add(-24 * time.Hour)}
	must(t, s.Exports().CreateExport(ctx, old))
	n, err := s.Exports().DeleteExpiredExports(ctx, now)
	must(t, err)
	if n < 1 {
		t.Fatalf("deleted %d expired exports", n)
	}
	_, err = s.Exports().GetExport(ctx, tn.ID, u.ID, old.ID)
	wantErr(t, err, store.ErrNotFound, "expired export after the job")
	_, err = s.Exports().GetExport(ctx, tn.ID, u.ID, e.ID)
	must(t, err)

	// Exports go with their user.
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	_, err = s.Exports().GetExport(ctx, tn.ID, u.ID, e.ID)
	wantErr(t, err, store.ErrNotFound, "export after the user's deletion")
}

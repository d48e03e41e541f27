package storetest

import (
	"errors"
	"sync"
	"sync/atomic"
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

	// A start after since is refused with the latest start; one before is not.
	fresh := &store.DataExport{TenantID: tn.ID, UserID: u.ID, Status: store.ExportPending, ExpiresAt: now.Add(time.Hour)}
	latest, err := s.Exports().CreateExportUnlessRecent(ctx, fresh, e.CreatedAt.Add(-time.Minute))
	wantErr(t, err, store.ErrConflict, "export started within the window")
	if !latest.Equal(e.CreatedAt) || fresh.ID != "" {
		t.Fatalf("refused start: latest %v (want %v), id %q", latest, e.CreatedAt, fresh.ID)
	}
	_, err = s.Exports().CreateExportUnlessRecent(ctx, fresh, e.CreatedAt)
	must(t, err)
	if fresh.ID == "" {
		t.Fatal("CreateExportUnlessRecent set no ID")
	}
	_, err = s.Exports().CreateExportUnlessRecent(ctx, &store.DataExport{TenantID: tn.ID, UserID: "nobody", Status: store.ExportPending, ExpiresAt: now}, now)
	wantErr(t, err, store.ErrNotFound, "export of an unknown user")
	_, err = s.Exports().CreateExportUnlessRecent(ctx, &store.DataExport{TenantID: other.ID, UserID: u.ID, Status: store.ExportPending, ExpiresAt: now}, now)
	wantErr(t, err, store.ErrNotFound, "export of a user of another tenant")

	// Concurrent starts: exactly one passes.
	var wg sync.WaitGroup
	var passed atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Exports().CreateExportUnlessRecent(ctx, &store.DataExport{TenantID: tn.ID, UserID: v.ID, Status: store.ExportPending, ExpiresAt: now.Add(time.Hour)}, now.Add(-time.Hour))
			if err == nil {
				passed.Add(1)
			} else if !errors.Is(err, store.ErrConflict) {
				t.Errorf("concurrent start: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := passed.Load(); n != 1 {
		t.Fatalf("%d of 8 concurrent starts passed, want 1", n)
	}

	// An interrupted build (still pending when it should have ended) is
	// marked failed; a ready one and a recent pending one are not.
	n, err := s.Exports().FailStaleExports(ctx, fresh.CreatedAt.Add(time.Microsecond))
	must(t, err)
	if n < 1 {
		t.Fatalf("FailStaleExports marked %d", n)
	}
	got, err = s.Exports().GetExport(ctx, tn.ID, u.ID, fresh.ID)
	must(t, err)
	if got.Status != store.ExportFailed {
		t.Fatalf("stale pending export is %q", got.Status)
	}
	got, err = s.Exports().GetExport(ctx, tn.ID, u.ID, e.ID)
	must(t, err)
	if got.Status != store.ExportReady {
		t.Fatalf("ready export became %q", got.Status)
	}

	// The job deletes expired exports only.
	old := &store.DataExport{TenantID: tn.ID, UserID: u.ID, Status: store.ExportReady, Document: "{}",
		CreatedAt: now.Add(-8 * 24 * time.Hour), ExpiresAt: now.Add(-24 * time.Hour)}
	must(t, s.Exports().CreateExport(ctx, old))
	n, err = s.Exports().DeleteExpiredExports(ctx, now)
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

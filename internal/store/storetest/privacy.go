package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var privacyTests = []test{
	{"PurposeCRUD", testPurposeCRUD},
	{"ConsentLedger", testConsentLedger},
	{"ConsentLedgerAllOrNothing", testConsentLedgerAllOrNothing},
	{"ConsentLedgerGoesWithUser", testConsentLedgerGoesWithUser},
	{"PrivacyIsolation", testPrivacyIsolation},
}

func mkPurpose(t testing.TB, s store.Store, tenantID, id string, required bool) *store.Purpose {
	t.Helper()
	p := &store.Purpose{TenantID: tenantID, ID: id, Name: "Purpose " + id, Description: "why " + id,
		LegalBasis: "consent", Required: required}
	must(t, s.Privacy().CreatePurpose(t.Context(), p))
	return p
}

func entry(tenantID, userID, purposeID string, version int64, granted bool) store.ConsentEntry {
	return store.ConsentEntry{TenantID: tenantID, UserID: userID, PurposeID: purposeID, PurposeVersion: version,
		Granted: granted, Channel: "api", IP: "203.0.113.7", UserAgent: "ua", Receipt: "jws"}
}

func testPurposeCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	p := mkPurpose(t, s, tn.ID, "newsletter", false)
	if p.Version != 1 || p.CreatedAt.IsZero() || !p.UpdatedAt.Equal(p.CreatedAt) {
		t.Fatalf("created purpose: %+v", p)
	}
	got, err := s.Privacy().GetPurpose(ctx, tn.ID, "newsletter")
	must(t, err)
	equal(t, *got, *p, "GetPurpose")
	wantErr(t, s.Privacy().CreatePurpose(ctx, &store.Purpose{TenantID: tn.ID, ID: "newsletter", Name: "again", LegalBasis: "consent"}),
		store.ErrConflict, "duplicate ID")

	up, err := s.Privacy().UpdatePurpose(ctx, tn.ID, "newsletter", func(x *store.Purpose) error {
		x.ID, x.TenantID = "evil", "evil" // ignored
		x.Description, x.Required, x.Version = "weekly", true, 2
		return nil
	})
	must(t, err)
	if up.ID != "newsletter" || up.Version != 2 || !up.Required || up.Description != "weekly" || !up.CreatedAt.Equal(p.CreatedAt) {
		t.Fatalf("updated purpose: %+v", up)
	}
	got, err = s.Privacy().GetPurpose(ctx, tn.ID, "newsletter")
	must(t, err)
	equal(t, *got, *up, "GetPurpose after update")
	boom := errors.New("boom")
	if _, err := s.Privacy().UpdatePurpose(ctx, tn.ID, "newsletter", func(x *store.Purpose) error { x.Name = "no"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn error: %v", err)
	}
	if _, err := s.Privacy().UpdatePurpose(ctx, tn.ID, "nope", func(*store.Purpose) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of an absent purpose: %v", err)
	}

	for _, id := range []string{"a", "b", "c", "d"} {
		mkPurpose(t, s, tn.ID, id, false)
	}
	all := walk(t, 2, func(pg store.Page) ([]string, string, error) {
		items, next, err := s.Privacy().ListPurposes(ctx, tn.ID, pg)
		return ids(items, func(x store.Purpose) string { return x.ID }), next, err
	})
	equal(t, all, []string{"a", "b", "c", "d", "newsletter"}, "ListPurposes")

	// Deleting a purpose drops the current decisions, not the ledger.
	u := mkUser(t, s, tn.ID, uniq("p")+"@example.com")
	must(t, s.Privacy().Record(ctx, []store.ConsentEntry{entry(tn.ID, u.ID, "a", 1, true)}))
	must(t, s.Privacy().DeletePurpose(ctx, tn.ID, "a"))
	wantErr(t, s.Privacy().DeletePurpose(ctx, tn.ID, "a"), store.ErrNotFound, "second delete")
	_, err = s.Privacy().GetPurpose(ctx, tn.ID, "a")
	wantErr(t, err, store.ErrNotFound, "deleted purpose")
	ds, err := s.Privacy().Decisions(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, len(ds), 0, "decisions after the purpose's deletion")
	h, _, err := s.Privacy().History(ctx, tn.ID, u.ID, store.Page{})
	must(t, err)
	equal(t, len(h), 1, "ledger after the purpose's deletion")
}

func testConsentLedger(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("l")+"@example.com")
	first := []store.ConsentEntry{entry(tn.ID, u.ID, "terms", 1, true), entry(tn.ID, u.ID, "news", 1, true)}
	first[0].Channel = "registration"
	must(t, s.Privacy().Record(ctx, first))
	if first[0].ID == "" || first[0].At.IsZero() || first[0].ID == first[1].ID {
		t.Fatalf("Record did not stamp the entries: %+v", first)
	}
	later := entry(tn.ID, u.ID, "news", 2, false)
	later.Channel, later.ActorID, later.Evidence = "admin", "key1", "ticket 4711"
	later.At = time.Now().Add(time.Second)
	l := []store.ConsentEntry{later}
	must(t, s.Privacy().Record(ctx, l))

	ds, err := s.Privacy().Decisions(ctx, tn.ID, u.ID)
	must(t, err)
	if len(ds) != 2 || ds[0].PurposeID != "news" || ds[0].Granted || ds[0].Version != 2 || ds[0].ReceiptID != l[0].ID ||
		ds[1].PurposeID != "terms" || !ds[1].Granted || ds[1].ReceiptID != first[0].ID {
		t.Fatalf("decisions: %+v", ds)
	}
	all := walk(t, 2, func(pg store.Page) ([]string, string, error) {
		items, next, err := s.Privacy().History(ctx, tn.ID, u.ID, pg)
		return ids(items, func(x store.ConsentEntry) string { return x.ID }), next, err
	})
	equal(t, len(all), 3, "history length")
	got, err := s.Privacy().Entry(ctx, tn.ID, u.ID, l[0].ID)
	must(t, err)
	equal(t, *got, l[0], "Entry")

	other := mkUser(t, s, tn.ID, uniq("o")+"@example.com")
	_, err = s.Privacy().Entry(ctx, tn.ID, other.ID, l[0].ID)
	wantErr(t, err, store.ErrNotFound, "another user's entry")
	h, _, err := s.Privacy().History(ctx, tn.ID, other.ID, store.Page{})
	must(t, err)
	equal(t, len(h), 0, "another user's history")
}

func testConsentLedgerAllOrNothing(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("n")+"@example.com")
	wantErr(t, s.Privacy().Record(ctx, []store.ConsentEntry{entry(tn.ID, u.ID, "a", 1, true), entry(tn.ID, "no-such-user", "a", 1, true)}),
		store.ErrNotFound, "unknown user")
	h, _, err := s.Privacy().History(ctx, tn.ID, u.ID, store.Page{})
	must(t, err)
	equal(t, len(h), 0, "ledger after a failed Record")
	ds, err := s.Privacy().Decisions(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, len(ds), 0, "decisions after a failed Record")

	e := []store.ConsentEntry{entry(tn.ID, u.ID, "a", 1, true)}
	must(t, s.Privacy().Record(ctx, e))
	dup := entry(tn.ID, u.ID, "a", 1, false)
	dup.ID = e[0].ID
	wantErr(t, s.Privacy().Record(ctx, []store.ConsentEntry{dup}), store.ErrConflict, "duplicate entry ID")
}

func testConsentLedgerGoesWithUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("g")+"@example.com")
	must(t, s.Privacy().Record(ctx, []store.ConsentEntry{entry(tn.ID, u.ID, "a", 1, true)}))
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	h, _, err := s.Privacy().History(ctx, tn.ID, u.ID, store.Page{})
	must(t, err)
	equal(t, len(h), 0, "ledger after the user's deletion")
	ds, err := s.Privacy().Decisions(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, len(ds), 0, "decisions after the user's deletion")
}

func testPrivacyIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	mkPurpose(t, s, a.ID, "shared", true)
	_, err := s.Privacy().GetPurpose(ctx, b.ID, "shared")
	wantErr(t, err, store.ErrNotFound, "another tenant's purpose")
	wantErr(t, s.Privacy().DeletePurpose(ctx, b.ID, "shared"), store.ErrNotFound, "delete in another tenant")
	if _, err := s.Privacy().UpdatePurpose(ctx, b.ID, "shared", func(*store.Purpose) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update in another tenant: %v", err)
	}
	mkPurpose(t, s, b.ID, "shared", false) // the same ID in another tenant
	items, _, err := s.Privacy().ListPurposes(ctx, b.ID, store.Page{})
	must(t, err)
	if len(items) != 1 || items[0].Required {
		t.Fatalf("tenant b's purposes: %+v", items)
	}
	u := mkUser(t, s, a.ID, uniq("i")+"@example.com")
	e := []store.ConsentEntry{entry(a.ID, u.ID, "shared", 1, true)}
	must(t, s.Privacy().Record(ctx, e))
	// A user of tenant a named under tenant b is no user.
	wantErr(t, s.Privacy().Record(ctx, []store.ConsentEntry{entry(b.ID, u.ID, "shared", 1, true)}), store.ErrNotFound, "user of another tenant")
	_, err = s.Privacy().Entry(ctx, b.ID, u.ID, e[0].ID)
	wantErr(t, err, store.ErrNotFound, "entry in another tenant")
	ds, err := s.Privacy().Decisions(ctx, b.ID, u.ID)
	must(t, err)
	equal(t, len(ds), 0, "decisions in another tenant")
}

package storetest

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var mailTemplateTests = []test{
	{"MailTemplate/Lifecycle", testMailTemplateLifecycle},
	{"MailTemplate/TenantIsolation", testMailTemplateIsolation},
}

func testMailTemplateLifecycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	repo := s.MailTemplates()
	_, err := repo.Get(ctx, tn.ID, "verify_email", "en")
	wantErr(t, err, store.ErrNotFound, "Get before Put")

	m := &store.MailTemplate{TenantID: tn.ID, Kind: "verify_email", Lang: "en", Subject: "Hi {{.TenantName}}", Text: "Code {{.Code}}"}
	must(t, repo.Put(ctx, m))
	if m.UpdatedAt.IsZero() {
		t.Fatal("Put did not stamp UpdatedAt")
	}
	got, err := repo.Get(ctx, tn.ID, "verify_email", "en")
	must(t, err)
	equal(t, got, m, "Get after Put")

	// Put replaces every part, an empty one included.
	m2 := &store.MailTemplate{TenantID: tn.ID, Kind: "verify_email", Lang: "en", HTML: "<p>{{.Code}}</p>"}
	must(t, repo.Put(ctx, m2))
	got, err = repo.Get(ctx, tn.ID, "verify_email", "en")
	must(t, err)
	equal(t, got, m2, "Get after replacing Put")

	must(t, repo.Put(ctx, &store.MailTemplate{TenantID: tn.ID, Kind: "verify_email", Lang: "de", Subject: "Hallo"}))
	must(t, repo.Put(ctx, &store.MailTemplate{TenantID: tn.ID, Kind: "invitation", Lang: "en", Subject: "Welcome"}))
	list, err := repo.List(ctx, tn.ID)
	must(t, err)
	if len(list) != 3 || list[0].Kind != "invitation" || list[1].Lang != "de" || list[2].Lang != "en" {
		t.Fatalf("List = %+v, want by kind then language", list)
	}

	must(t, repo.Delete(ctx, tn.ID, "verify_email", "de"))
	wantErr(t, repo.Delete(ctx, tn.ID, "verify_email", "de"), store.ErrNotFound, "Delete twice")
	wantErr(t, repo.Put(ctx, &store.MailTemplate{TenantID: "no-such-tenant", Kind: "verify_email", Lang: "en"}),
		store.ErrNotFound, "Put for an unknown tenant")

	// Deleting the tenant deletes its templates.
	must(t, s.Tenants().Delete(ctx, tn.ID))
	list, err = repo.List(ctx, tn.ID)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("templates outlived their tenant: %+v", list)
	}
}

func testMailTemplateIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	repo := s.MailTemplates()
	must(t, repo.Put(ctx, &store.MailTemplate{TenantID: a.ID, Kind: "verify_email", Lang: "en", Subject: "A"}))
	_, err := repo.Get(ctx, b.ID, "verify_email", "en")
	wantErr(t, err, store.ErrNotFound, "Get of another tenant's template")
	wantErr(t, repo.Delete(ctx, b.ID, "verify_email", "en"), store.ErrNotFound, "Delete of another tenant's template")
	list, err := repo.List(ctx, b.ID)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("tenant B lists A's templates: %+v", list)
	}
	if _, err := repo.Get(ctx, a.ID, "verify_email", "en"); err != nil {
		t.Fatalf("A's template after B's attempts: %v", err)
	}
}

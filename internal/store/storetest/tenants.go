package storetest

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var tenantTests = []test{
	{"Tenant/CRUD", testTenantCRUD},
	{"Tenant/NotFound", testTenantNotFound},
	{"Tenant/SlugConflict", testTenantSlugConflict},
	{"Tenant/Timestamps", testTenantTimestamps},
	{"Tenant/List", testTenantList},
	{"Tenant/DeleteCascades", testTenantDeleteCascades},
}

func testTenantCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	schema := json.RawMessage(`{"type": "object",  "properties": {"plan": {"type": "string"}}}`)
	tn := &identity.Tenant{Slug: "acme", DisplayName: "ACME Corp", Region: "eu", AttributeSchema: schema,
		Branding:   identity.Branding{LogoURI: "https://acme.example/logo.png", PrimaryColor: "#112233"},
		Onboarding: identity.Onboarding{RegistrationDisabled: true, TermsVersion: "v3", TermsURI: "https://acme.example/terms"}}
	must(t, s.Tenants().Create(ctx, tn))

	id, err := uuid.Parse(tn.ID)
	if err != nil || id.Version() != 7 {
		t.Fatalf("generated ID %q is not a UUIDv7 (err %v)", tn.ID, err)
	}
	if tn.Version != 1 || tn.CreatedAt.IsZero() || !tn.UpdatedAt.Equal(tn.CreatedAt) {
		t.Fatalf("Create did not stamp version/timestamps: %+v", tn)
	}

	got, err := s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	equal(t, got, tn, "Get")
	// The schema is the caller's document: kept byte for byte.
	equal(t, string(got.AttributeSchema), string(schema), "AttributeSchema")

	got, err = s.Tenants().GetBySlug(ctx, "acme")
	must(t, err)
	equal(t, got, tn, "GetBySlug")

	upd, err := s.Tenants().Update(ctx, tn.ID, 1, func(x *identity.Tenant) error {
		x.DisplayName = "ACME Inc"
		x.AttributeSchema = nil
		x.Onboarding = identity.Onboarding{RequireVerifiedEmail: true}
		x.DefaultAPI = "https://api.example.com/billing"
		x.Version = 99 // the store owns Version
		return nil
	})
	must(t, err)
	if upd.Version != 2 || upd.DisplayName != "ACME Inc" || upd.AttributeSchema != nil || upd.DefaultAPI != "https://api.example.com/billing" ||
		upd.Onboarding != (identity.Onboarding{RequireVerifiedEmail: true}) {
		t.Fatalf("Update returned %+v", upd)
	}
	if upd.UpdatedAt.Before(tn.UpdatedAt) || !upd.CreatedAt.Equal(tn.CreatedAt) {
		t.Fatalf("Update timestamps: created %v -> %v, updated %v -> %v", tn.CreatedAt, upd.CreatedAt, tn.UpdatedAt, upd.UpdatedAt)
	}
	got, err = s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	equal(t, got, upd, "Get after Update")

	_, err = s.Tenants().Update(ctx, tn.ID, 1, func(*identity.Tenant) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "Update with stale version")

	boom := errors.New("boom")
	_, err = s.Tenants().Update(ctx, tn.ID, 0, func(x *identity.Tenant) error {
		x.DisplayName = "never stored"
		return boom
	})
	wantErr(t, err, boom, "Update with failing fn")
	got, err = s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	equal(t, got, upd, "Get after aborted Update")

	must(t, s.Tenants().Delete(ctx, tn.ID))
	_, err = s.Tenants().Get(ctx, tn.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	_, err = s.Tenants().GetBySlug(ctx, "acme")
	wantErr(t, err, store.ErrNotFound, "GetBySlug after Delete")
}

func testTenantNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.Tenants().Get(ctx, "missing")
	wantErr(t, err, store.ErrNotFound, "Get")
	_, err = s.Tenants().GetBySlug(ctx, "missing")
	wantErr(t, err, store.ErrNotFound, "GetBySlug")
	called := false
	_, err = s.Tenants().Update(ctx, "missing", 0, func(*identity.Tenant) error { called = true; return nil })
	wantErr(t, err, store.ErrNotFound, "Update")
	if called {
		t.Error("Update called fn for a missing tenant")
	}
	wantErr(t, s.Tenants().Delete(ctx, "missing"), store.ErrNotFound, "Delete")
}

func testTenantSlugConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := mkTenant(t, s)
	b := mkTenant(t, s)
	wantErr(t, s.Tenants().Create(ctx, &identity.Tenant{Slug: a.Slug}), store.ErrConflict, "Create with taken slug")
	wantErr(t, s.Tenants().Create(ctx, &identity.Tenant{ID: a.ID, Slug: uniq("s")}), store.ErrConflict, "Create with taken ID")
	_, err := s.Tenants().Update(ctx, b.ID, 0, func(x *identity.Tenant) error { x.Slug = a.Slug; return nil })
	wantErr(t, err, store.ErrConflict, "Update to taken slug")
	got, err := s.Tenants().Get(ctx, b.ID)
	must(t, err)
	equal(t, got, b, "tenant after failed Update")
}

// Timestamps keep microseconds and come back in UTC, whatever the caller's zone.
func testTenantTimestamps(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("UTC-7", -7*3600)
	created := time.Date(2020, 2, 29, 23, 59, 58, 987654321, zone)
	tn := &identity.Tenant{ID: "fixed-id", Slug: "ts", CreatedAt: created, Version: 7}
	must(t, s.Tenants().Create(ctx, tn))
	if tn.ID != "fixed-id" || tn.Version != 7 {
		t.Fatalf("Create replaced caller-set ID/Version: %+v", tn)
	}
	got, err := s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	if got.CreatedAt.Location() != time.UTC || !got.CreatedAt.Equal(micro(created)) {
		t.Fatalf("CreatedAt = %v, want %v in UTC", got.CreatedAt, micro(created))
	}
	equal(t, got, tn, "Get")
}

func testTenantList(t *testing.T, s store.Store) {
	ctx := t.Context()
	var want []string
	for range 7 {
		want = append(want, mkTenant(t, s).ID)
	}
	slices.Sort(want)
	got := walk(t, 3, func(p store.Page) ([]string, string, error) {
		items, next, err := s.Tenants().List(ctx, p)
		return ids(items, func(x identity.Tenant) string { return x.ID }), next, err
	})
	equal(t, got, want, "tenant IDs over pages")
}

// walk pages through a list with the given limit and checks the pages:
// none larger than the limit, strictly ascending IDs across pages.
func walk(t *testing.T, limit int, list func(store.Page) ([]string, string, error)) []string {
	t.Helper()
	var all []string
	p := store.Page{Limit: limit}
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("pagination does not terminate")
		}
		items, next, err := list(p)
		must(t, err)
		if len(items) > limit {
			t.Fatalf("page has %d items, limit %d", len(items), limit)
		}
		for _, id := range items {
			if len(all) > 0 && id <= all[len(all)-1] {
				t.Fatalf("ID %q after %q: not strictly ascending", id, all[len(all)-1])
			}
			all = append(all, id)
		}
		if next == "" {
			return all
		}
		if len(items) != limit {
			t.Fatalf("short page (%d of %d) with a next cursor", len(items), limit)
		}
		p.After = next
	}
}

func ids[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, x := range items {
		out = append(out, id(x))
	}
	return out
}

func testTenantDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	type owned struct {
		user   *identity.User
		client *oauth.Client
		key    *identity.APIKey
	}
	seed := func(tn *identity.Tenant) owned {
		u := mkUser(t, s, tn.ID, "same@example.com")
		must(t, s.Passwords().Set(ctx, tn.ID, u.ID, "$argon2id$hash"))
		c := mkClient(t, s, tn.ID, "web")
		k := &identity.APIKey{TenantID: tn.ID, Name: "ci"}
		must(t, s.APIKeys().Create(ctx, k))
		_, err := s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: tn.ID, Key: "k1"})
		must(t, err)
		return owned{u, c, k}
	}
	oa, ob := seed(a), seed(b)

	must(t, s.Tenants().Delete(ctx, a.ID))

	_, err := s.Users().Get(ctx, a.ID, oa.user.ID)
	wantErr(t, err, store.ErrNotFound, "user of deleted tenant")
	_, err = s.Passwords().Get(ctx, a.ID, oa.user.ID)
	wantErr(t, err, store.ErrNotFound, "password of deleted tenant")
	_, err = s.Clients().Get(ctx, a.ID, oa.client.ID)
	wantErr(t, err, store.ErrNotFound, "client of deleted tenant")
	_, err = s.APIKeys().Get(ctx, oa.key.ID)
	wantErr(t, err, store.ErrNotFound, "API key of deleted tenant")
	// The idempotency claim is gone: the key can be claimed afresh.
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: a.ID, Key: "k1"})
	must(t, err)

	// The other tenant keeps everything.
	_, err = s.Users().Get(ctx, b.ID, ob.user.ID)
	must(t, err)
	_, err = s.Passwords().Get(ctx, b.ID, ob.user.ID)
	must(t, err)
	_, err = s.Clients().Get(ctx, b.ID, ob.client.ID)
	must(t, err)
	_, err = s.APIKeys().Get(ctx, ob.key.ID)
	must(t, err)
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: b.ID, Key: "k1"})
	wantErr(t, err, store.ErrConflict, "other tenant's idempotency claim")
}

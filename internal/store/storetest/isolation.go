package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var isolationTests = []test{
	{"TenantIsolation", testTenantIsolation},
}

// testTenantIsolation writes as tenant A, then runs every tenant-scoped
// read, update, delete, list and password operation as tenant B with A's
// IDs and keys. Each must behave as if A's rows did not exist, and A's rows
// must be unchanged afterwards.
func testTenantIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)

	user := mkUser(t, s, a.ID, "victim@example.com", func(u *identity.User) {
		u.Username = "victim"
		u.Attributes = map[string]any{"plan": "pro"}
	})
	must(t, s.Passwords().Set(ctx, a.ID, user.ID, "$argon2id$a"))
	pw, err := s.Passwords().Get(ctx, a.ID, user.ID)
	must(t, err)
	client := mkClient(t, s, a.ID, "a-client")
	key := &identity.APIKey{TenantID: a.ID, Name: "a-key"}
	must(t, s.APIKeys().Create(ctx, key))
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: a.ID, Key: "idem"})
	must(t, err)

	fnCalled := false
	// Users.
	_, err = s.Users().Get(ctx, b.ID, user.ID)
	wantErr(t, err, store.ErrNotFound, "B Users.Get")
	_, err = s.Users().GetByEmail(ctx, b.ID, user.Email)
	wantErr(t, err, store.ErrNotFound, "B Users.GetByEmail")
	_, err = s.Users().GetByUsername(ctx, b.ID, user.Username)
	wantErr(t, err, store.ErrNotFound, "B Users.GetByUsername")
	_, err = s.Users().Update(ctx, b.ID, user.ID, 0, func(u *identity.User) error { fnCalled = true; u.Disabled = true; return nil })
	wantErr(t, err, store.ErrNotFound, "B Users.Update")
	wantErr(t, s.Users().Delete(ctx, b.ID, user.ID), store.ErrNotFound, "B Users.Delete")
	for _, f := range []store.UserFilter{
		{},
		{Email: user.Email},
		{Username: user.Username},
		{Query: "victim"},
		{AttrKey: "plan", AttrValue: "pro"},
	} {
		items, next, err := s.Users().List(ctx, b.ID, f, store.Page{})
		must(t, err)
		if len(items) != 0 || next != "" {
			t.Fatalf("B Users.List(%+v) returned %d of A's users", f, len(items))
		}
	}

	// Passwords.
	_, err = s.Passwords().Get(ctx, b.ID, user.ID)
	wantErr(t, err, store.ErrNotFound, "B Passwords.Get")
	wantErr(t, s.Passwords().Set(ctx, b.ID, user.ID, "$argon2id$b"), store.ErrNotFound, "B Passwords.Set")
	wantErr(t, s.Passwords().Delete(ctx, b.ID, user.ID), store.ErrNotFound, "B Passwords.Delete")
	// Clients.
	_, err = s.Clients().Get(ctx, b.ID, client.ID)
	wantErr(t, err, store.ErrNotFound, "B Clients.Get")
	_, err = s.Clients().Update(ctx, b.ID, client.ID, 0, func(c *oauth.Client) error { fnCalled = true; return nil })
	wantErr(t, err, store.ErrNotFound, "B Clients.Update")
	wantErr(t, s.Clients().Delete(ctx, b.ID, client.ID), store.ErrNotFound, "B Clients.Delete")
	clients, _, err := s.Clients().List(ctx, b.ID, store.Page{})
	must(t, err)
	equal(t, len(clients), 0, "B Clients.List")

	// API keys: Get is by ID alone by contract; everything else is scoped.
	keys, _, err := s.APIKeys().List(ctx, b.ID, store.Page{})
	must(t, err)
	equal(t, len(keys), 0, "B APIKeys.List")
	wantErr(t, s.APIKeys().Revoke(ctx, b.ID, key.ID, time.Now()), store.ErrNotFound, "B APIKeys.Revoke")

	// Idempotency.
	wantErr(t, s.Idempotency().Finish(ctx, b.ID, "idem", 200, nil, []byte("b")), store.ErrNotFound, "B Idempotency.Finish")
	must(t, s.Idempotency().Abandon(ctx, b.ID, "idem"))

	if fnCalled {
		t.Fatal("an Update called fn on another tenant's row")
	}

	// A's rows are untouched.
	got, err := s.Users().Get(ctx, a.ID, user.ID)
	must(t, err)
	equal(t, got, user, "A's user")
	gotPW, err := s.Passwords().Get(ctx, a.ID, user.ID)
	must(t, err)
	equal(t, gotPW, pw, "A's password")
	gotClient, err := s.Clients().Get(ctx, a.ID, client.ID)
	must(t, err)
	equal(t, gotClient, client, "A's client")
	gotKey, err := s.APIKeys().Get(ctx, key.ID)
	must(t, err)
	equal(t, gotKey, key, "A's API key")
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: a.ID, Key: "idem"})
	wantErr(t, err, store.ErrConflict, "A's idempotency claim")
	// B may claim the same key for itself without touching A's claim.
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: b.ID, Key: "idem"})
	must(t, err)
	// B may use A's email and username: uniqueness is per tenant.
	mkUser(t, s, b.ID, user.Email, func(u *identity.User) { u.Username = user.Username })
}

package storetest

import (
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var connectionTests = []test{
	{"ConnectionCRUD", testConnectionCRUD},
	{"ConnectionIdentities", testConnectionIdentities},
	{"ConnectionIsolation", testConnectionIsolation},
	{"ConnectionAssertions", testConnectionAssertions},
	{"ConnectionAssertionsConcurrent", testConnectionAssertionsConcurrent},
}

func mkConnection(t testing.TB, s store.Store, tenantID, id string) *store.Connection {
	t.Helper()
	c := &store.Connection{TenantID: tenantID, ID: id, Type: "ldap", DisplayName: "Corp", Enabled: true,
		Domains: []string{"corp.example"}, AttributeMapping: map[string]string{"mail": "email"},
		Config:        json.RawMessage(`{"url":"ldap://127.0.0.1:389","user_search_filter":"(uid={username})"}`),
		SecretsSealed: []byte("sealed")}
	must(t, s.Connections().Create(t.Context(), c))
	return c
}

func testConnectionCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	c := mkConnection(t, s, tn.ID, "corp")
	if c.Version != 1 || c.CreatedAt.IsZero() || c.Provisioning != "jit" || c.LinkByEmail != "never" {
		t.Fatalf("created: %+v", c)
	}
	got, err := s.Connections().Get(ctx, tn.ID, "corp")
	must(t, err)
	equal(t, got, c, "Get after Create")
	wantErr(t, s.Connections().Create(ctx, &store.Connection{TenantID: tn.ID, ID: "corp", Type: "oidc", DisplayName: "x"}),
		store.ErrConflict, "Create with a used ID")
	_, err = s.Connections().Get(ctx, tn.ID, "nope")
	wantErr(t, err, store.ErrNotFound, "Get unknown")

	// Update: ID and type stay, the secret can be cleared, versions are checked.
	u, err := s.Connections().Update(ctx, tn.ID, "corp", c.Version, func(c *store.Connection) error {
		c.ID, c.Type = "renamed", "oidc"
		c.Enabled, c.ShowOnLogin, c.DisplayName = false, true, "Corporate"
		c.Domains, c.AttributeMapping, c.SecretsSealed = nil, nil, nil
		c.Config = json.RawMessage(`{"url":"ldaps://ldap.example:636"}`)
		return nil
	})
	must(t, err)
	if u.ID != "corp" || u.Type != "ldap" || u.Version != 2 || u.Enabled || !u.ShowOnLogin {
		t.Fatalf("updated: %+v", u)
	}
	got, err = s.Connections().Get(ctx, tn.ID, "corp")
	must(t, err)
	equal(t, got, u, "Get after Update")
	if got.SecretsSealed != nil || got.Domains != nil || got.AttributeMapping != nil {
		t.Fatalf("cleared members came back: %+v", got)
	}
	_, err = s.Connections().Update(ctx, tn.ID, "corp", 1, func(*store.Connection) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "Update with a stale version")
	boom := errors.New("boom")
	_, err = s.Connections().Update(ctx, tn.ID, "corp", 0, func(c *store.Connection) error { c.DisplayName = "no"; return boom })
	wantErr(t, err, boom, "Update whose fn fails")
	got, _ = s.Connections().Get(ctx, tn.ID, "corp")
	equal(t, got.DisplayName, "Corporate", "name after a failed update")

	// List pages in ID order.
	mkConnection(t, s, tn.ID, "a-first")
	mkConnection(t, s, tn.ID, "z-last")
	items, next, err := s.Connections().List(ctx, tn.ID, store.Page{Limit: 2})
	must(t, err)
	if len(items) != 2 || items[0].ID != "a-first" || items[1].ID != "corp" || next == "" {
		t.Fatalf("page 1: %d items, next %q", len(items), next)
	}
	items, next, err = s.Connections().List(ctx, tn.ID, store.Page{Limit: 2, After: next})
	must(t, err)
	if len(items) != 1 || items[0].ID != "z-last" || next != "" {
		t.Fatalf("page 2: %+v, next %q", items, next)
	}

	must(t, s.Connections().Delete(ctx, tn.ID, "corp"))
	wantErr(t, s.Connections().Delete(ctx, tn.ID, "corp"), store.ErrNotFound, "Delete twice")
	_, err = s.Connections().Get(ctx, tn.ID, "corp")
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
}

func testConnectionIdentities(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, "ann@example.com")
	other := mkUser(t, s, tn.ID, "bob@example.com")
	mkConnection(t, s, tn.ID, "corp")
	mkConnection(t, s, tn.ID, "google")
	r := s.Connections()

	fi := &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "uid-1", UserID: u.ID, Email: "ann@corp.example"}
	must(t, r.Link(ctx, fi))
	if fi.LinkedAt.IsZero() || fi.LastUsedAt != nil {
		t.Fatalf("linked: %+v", fi)
	}
	got, err := r.IdentityBySubject(ctx, tn.ID, "corp", "uid-1")
	must(t, err)
	equal(t, got, fi, "IdentityBySubject")
	_, err = r.IdentityBySubject(ctx, tn.ID, "corp", "UID-1")
	wantErr(t, err, store.ErrNotFound, "subjects are compared exactly")

	wantErr(t, r.Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "uid-1", UserID: other.ID}),
		store.ErrConflict, "a subject linked twice")
	wantErr(t, r.Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "uid-2", UserID: u.ID}),
		store.ErrConflict, "a user linked twice at one connection")
	wantErr(t, r.Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "nope", Subject: "x", UserID: u.ID}),
		store.ErrNotFound, "Link to an unknown connection")
	wantErr(t, r.Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "x", UserID: "nobody"}),
		store.ErrNotFound, "Link of an unknown user")
	must(t, r.Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "google", Subject: "g-1", UserID: u.ID}))

	at := time.Now().Add(time.Minute).Truncate(time.Millisecond).UTC()
	must(t, r.Used(ctx, tn.ID, "corp", "uid-1", "ann@new.example", at))
	wantErr(t, r.Used(ctx, tn.ID, "corp", "uid-9", "", at), store.ErrNotFound, "Used of an unknown subject")
	ids, err := r.Identities(ctx, tn.ID, u.ID)
	must(t, err)
	if len(ids) != 2 || ids[0].ConnectionID != "corp" || ids[1].ConnectionID != "google" {
		t.Fatalf("Identities: %+v", ids)
	}
	if ids[0].LastUsedAt == nil || !ids[0].LastUsedAt.Equal(at) || ids[0].Email != "ann@new.example" {
		t.Fatalf("after Used: %+v", ids[0])
	}

	must(t, r.Unlink(ctx, tn.ID, u.ID, "google"))
	wantErr(t, r.Unlink(ctx, tn.ID, u.ID, "google"), store.ErrNotFound, "Unlink twice")
	// Deleting the connection removes its identities; deleting the user too.
	must(t, r.Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "google", Subject: "g-2", UserID: other.ID}))
	must(t, r.Delete(ctx, tn.ID, "corp"))
	_, err = r.IdentityBySubject(ctx, tn.ID, "corp", "uid-1")
	wantErr(t, err, store.ErrNotFound, "identity after its connection was deleted")
	must(t, s.Users().Delete(ctx, tn.ID, other.ID))
	_, err = r.IdentityBySubject(ctx, tn.ID, "google", "g-2")
	wantErr(t, err, store.ErrNotFound, "identity after its user was deleted")
	// The connection's ID is free again, with no identity attached.
	mkConnection(t, s, tn.ID, "corp")
	ids, err = r.Identities(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, len(ids), 0, "identities after re-creating the connection")
}

// testConnectionIsolation: tenant B, using A's IDs, sees and changes none
// of A's connections or identities, and may use the same IDs itself.
func testConnectionIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	ua := mkUser(t, s, a.ID, "victim@example.com")
	ca := mkConnection(t, s, a.ID, "corp")
	r := s.Connections()
	must(t, r.Link(ctx, &store.FederatedIdentity{TenantID: a.ID, ConnectionID: "corp", Subject: "s-1", UserID: ua.ID}))

	_, err := r.Get(ctx, b.ID, "corp")
	wantErr(t, err, store.ErrNotFound, "B Get")
	items, _, err := r.List(ctx, b.ID, store.Page{})
	must(t, err)
	equal(t, len(items), 0, "B List")
	called := false
	_, err = r.Update(ctx, b.ID, "corp", 0, func(*store.Connection) error { called = true; return nil })
	wantErr(t, err, store.ErrNotFound, "B Update")
	if called {
		t.Fatal("B Update ran its fn on A's connection")
	}
	wantErr(t, r.Delete(ctx, b.ID, "corp"), store.ErrNotFound, "B Delete")
	_, err = r.IdentityBySubject(ctx, b.ID, "corp", "s-1")
	wantErr(t, err, store.ErrNotFound, "B IdentityBySubject")
	ids, err := r.Identities(ctx, b.ID, ua.ID)
	must(t, err)
	equal(t, len(ids), 0, "B Identities")
	wantErr(t, r.Used(ctx, b.ID, "corp", "s-1", "x@b", time.Now()), store.ErrNotFound, "B Used")
	wantErr(t, r.Unlink(ctx, b.ID, ua.ID, "corp"), store.ErrNotFound, "B Unlink")
	wantErr(t, r.Link(ctx, &store.FederatedIdentity{TenantID: b.ID, ConnectionID: "corp", Subject: "s-2", UserID: ua.ID}),
		store.ErrNotFound, "B Link to A's connection and user")

	// B may use the same connection ID and subject.
	mkConnection(t, s, b.ID, "corp")
	ub := mkUser(t, s, b.ID, "victim@example.com")
	must(t, r.Link(ctx, &store.FederatedIdentity{TenantID: b.ID, ConnectionID: "corp", Subject: "s-1", UserID: ub.ID}))

	got, err := r.Get(ctx, a.ID, "corp")
	must(t, err)
	equal(t, got, ca, "A's connection afterwards")
	fi, err := r.IdentityBySubject(ctx, a.ID, "corp", "s-1")
	must(t, err)
	equal(t, fi.UserID, ua.ID, "A's identity afterwards")
}

// A SAML assertion ID is accepted once per connection until it expires:
// again after its expiry, at another connection or in another tenant;
// never for an unknown connection; its records go with the connection.
func testConnectionAssertions(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	mkConnection(t, s, a.ID, "idp")
	mkConnection(t, s, a.ID, "idp2")
	mkConnection(t, s, b.ID, "idp")
	r := s.Connections()
	now := time.Now()
	exp := now.Add(5 * time.Minute)
	id := hash("_assertion-1")
	must(t, r.ConsumeAssertion(ctx, a.ID, "idp", id, exp, now))
	wantErr(t, r.ConsumeAssertion(ctx, a.ID, "idp", id, exp.Add(time.Hour), now.Add(time.Minute)), store.ErrReused, "replay before expiry")
	must(t, r.ConsumeAssertion(ctx, a.ID, "idp2", id, exp, now))
	must(t, r.ConsumeAssertion(ctx, b.ID, "idp", id, exp, now))
	must(t, r.ConsumeAssertion(ctx, a.ID, "idp", id, exp.Add(time.Minute), exp))
	wantErr(t, r.ConsumeAssertion(ctx, a.ID, "idp", id, exp.Add(time.Hour), exp.Add(30*time.Second)), store.ErrReused, "replay of the renewed record")
	wantErr(t, r.ConsumeAssertion(ctx, a.ID, "nope", hash("_x"), exp, now), store.ErrNotFound, "unknown connection")
	wantErr(t, r.ConsumeAssertion(ctx, b.ID, "idp2", hash("_y"), exp, now), store.ErrNotFound, "another tenant's connection")
	must(t, r.Delete(ctx, a.ID, "idp2"))
	n, err := r.DeleteExpiredAssertions(ctx, exp.Add(2*time.Minute))
	count(t, n, err, 2, "DeleteExpiredAssertions (the deleted connection's record went with it)")
	n, err = r.DeleteExpiredAssertions(ctx, exp.Add(2*time.Minute))
	count(t, n, err, 0, "a second sweep")
}

// Of concurrent uses of one assertion ID exactly one is accepted.
func testConnectionAssertionsConcurrent(t *testing.T, s store.Store) {
	tn := mkTenant(t, s)
	mkConnection(t, s, tn.ID, "idp")
	now := time.Now()
	won, refused := raceUses(t, 8, func() error {
		return s.Connections().ConsumeAssertion(t.Context(), tn.ID, "idp", hash("_race"), now.Add(time.Minute), now)
	})
	if won != 1 || refused != 7 {
		t.Fatalf("%d uses accepted, %d refused; want 1 and 7", won, refused)
	}
}

// raceUses runs use n times at once and counts the successes and the
// ErrReused refusals; any other error fails the test.
func raceUses(t *testing.T, n int, use func() error) (won, refused int32) {
	var ok, reused atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			switch err := use(); {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, store.ErrReused):
				reused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	return ok.Load(), reused.Load()
}

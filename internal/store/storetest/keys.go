package storetest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var signingKeyTests = []test{
	{"SigningKey/Lifecycle", testSigningKeys},
	{"SigningKey/ListTenantsWithKeys", testSigningKeyTenants},
	{"SigningKey/LockedOneCreator", testSigningKeyLocked},
}

var revocationTests = []test{
	{"Revocation/AddMerges", testRevocationAdd},
	{"Revocation/Since", testRevocationSince},
	{"Revocation/DeleteExpired", testRevocationDeleteExpired},
}

func testSigningKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	keys, err := s.SigningKeys().List(ctx, tn.ID)
	must(t, err)
	equal(t, len(keys), 0, "List of a tenant without keys")

	t0 := time.Now().Add(-48 * time.Hour)
	t1 := t0.Add(24 * time.Hour)
	oldest := mkSigningKey(t, s, tn.ID, func(k *oauth.SigningKey) { k.CreatedAt, k.Alg = t0, "RS256" })
	// Two keys of the same microsecond: the kid breaks the tie.
	a := mkSigningKey(t, s, tn.ID, func(k *oauth.SigningKey) { k.ID, k.CreatedAt = "kid-a", t1 })
	b := mkSigningKey(t, s, tn.ID, func(k *oauth.SigningKey) { k.ID, k.CreatedAt, k.Alg, k.PublicJWK = "kid-b", t1, "EdDSA", nil })
	if oldest.ID == "" {
		t.Fatal("Create did not generate a kid")
	}
	keys, err = s.SigningKeys().List(ctx, tn.ID)
	must(t, err)
	equal(t, keys, []oauth.SigningKey{*b, *a, *oldest}, "List, newest first")
	// The public JWK is the caller's document, kept byte for byte.
	equal(t, string(keys[1].PublicJWK), string(a.PublicJWK), "PublicJWK")

	err = s.SigningKeys().Create(ctx, &oauth.SigningKey{TenantID: tn.ID, ID: "kid-a", Alg: "ES256", Private: []byte{1}})
	wantErr(t, err, store.ErrConflict, "Create with a taken kid")
	err = s.SigningKeys().Create(ctx, &oauth.SigningKey{TenantID: "no-such-tenant", Alg: "ES256", Private: []byte{1}})
	wantErr(t, err, store.ErrNotFound, "Create in an unknown tenant")

	retired, expires := time.Now(), time.Now().Add(24*time.Hour)
	must(t, s.SigningKeys().Retire(ctx, tn.ID, oldest.ID, retired, expires))
	must(t, s.SigningKeys().Retire(ctx, tn.ID, oldest.ID, retired.Add(time.Hour), expires.Add(time.Hour))) // first wins
	wantErr(t, s.SigningKeys().Retire(ctx, tn.ID, "missing", retired, expires), store.ErrNotFound, "Retire missing")
	keys, err = s.SigningKeys().List(ctx, tn.ID)
	must(t, err)
	want := *oldest
	want.RetiredAt, want.ExpiresAt = ptr(micro(retired)), ptr(micro(expires))
	equal(t, keys[2], want, "retired key")
	equal(t, keys[0], *b, "other keys untouched by Retire")

	must(t, s.SigningKeys().Delete(ctx, tn.ID, a.ID))
	wantErr(t, s.SigningKeys().Delete(ctx, tn.ID, a.ID), store.ErrNotFound, "Delete twice")
	keys, err = s.SigningKeys().List(ctx, tn.ID)
	must(t, err)
	equal(t, ids(keys, func(k oauth.SigningKey) string { return k.ID }), []string{b.ID, oldest.ID}, "List after Delete")
}

func testSigningKeyTenants(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.SigningKeys().ListTenantsWithKeys(ctx)
	must(t, err)
	equal(t, len(got), 0, "ListTenantsWithKeys on an empty store")
	a, b := mkTenant(t, s), mkTenant(t, s)
	mkTenant(t, s) // no keys
	for range 3 {
		mkSigningKey(t, s, a.ID)
	}
	mkSigningKey(t, s, b.ID)
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	got, err = s.SigningKeys().ListTenantsWithKeys(ctx)
	must(t, err)
	equal(t, got, want, "ListTenantsWithKeys")
}

func testRevocationAdd(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	_, err := s.Revocations().Get(ctx, tn.ID, oauth.RevokeJTI, "jti-1")
	wantErr(t, err, store.ErrNotFound, "Get before Add")

	created := time.Now().Add(-time.Hour)
	r := mkRevocation(t, s, tn.ID, oauth.RevokeJTI, "jti-1", func(x *oauth.Revocation) { x.CreatedAt = zoned(created) })
	if !r.CreatedAt.Equal(micro(created)) || r.CreatedAt.Location() != time.UTC {
		t.Fatalf("Add did not keep/normalise CreatedAt: %+v", r)
	}
	got, err := s.Revocations().Get(ctx, tn.ID, oauth.RevokeJTI, "jti-1")
	must(t, err)
	equal(t, got, r, "Get")
	_, err = s.Revocations().Get(ctx, tn.ID, oauth.RevokeUser, "jti-1")
	wantErr(t, err, store.ErrNotFound, "Get with another kind")

	// An earlier NotBefore and a later ExpiresAt: the expiry moves, the
	// cut-off stays; the entry counts as changed now.
	before := time.Now()
	merged := &oauth.Revocation{TenantID: tn.ID, Kind: oauth.RevokeJTI, Key: "jti-1",
		NotBefore: r.NotBefore.Add(-time.Hour), ExpiresAt: r.ExpiresAt.Add(time.Hour)}
	must(t, s.Revocations().Add(ctx, merged))
	if !merged.NotBefore.Equal(r.NotBefore) || !merged.ExpiresAt.Equal(micro(r.ExpiresAt.Add(time.Hour))) ||
		merged.CreatedAt.Before(micro(before)) {
		t.Fatalf("Add over an entry returned %+v (was %+v)", merged, r)
	}
	got, err = s.Revocations().Get(ctx, tn.ID, oauth.RevokeJTI, "jti-1")
	must(t, err)
	equal(t, got, merged, "Get after merge")

	// A later NotBefore and an earlier ExpiresAt: the reverse.
	later := &oauth.Revocation{TenantID: tn.ID, Kind: oauth.RevokeJTI, Key: "jti-1",
		NotBefore: merged.NotBefore.Add(time.Minute), ExpiresAt: merged.ExpiresAt.Add(-2 * time.Hour)}
	must(t, s.Revocations().Add(ctx, later))
	if !later.NotBefore.Equal(merged.NotBefore.Add(time.Minute)) || !later.ExpiresAt.Equal(merged.ExpiresAt) {
		t.Fatalf("second merge returned %+v (was %+v)", later, merged)
	}

	// Kinds are separate keys.
	user := mkRevocation(t, s, tn.ID, oauth.RevokeUser, "jti-1")
	got, err = s.Revocations().Get(ctx, tn.ID, oauth.RevokeUser, "jti-1")
	must(t, err)
	equal(t, got, user, "same key, other kind")
	wantErr(t, s.Revocations().Add(ctx, &oauth.Revocation{TenantID: "no-such-tenant", Kind: oauth.RevokeJTI, Key: "k"}),
		store.ErrNotFound, "Add in an unknown tenant")
}

func testRevocationSince(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	base := micro(time.Now().Add(-time.Hour))
	at := func(d time.Duration) func(*oauth.Revocation) {
		return func(x *oauth.Revocation) { x.CreatedAt = base.Add(d) }
	}
	first := mkRevocation(t, s, b.ID, oauth.RevokeJTI, "j0", at(0))
	// Same created_at: ordered by tenant, kind, key.
	tied := []*oauth.Revocation{
		mkRevocation(t, s, b.ID, oauth.RevokeUser, "u1", at(time.Minute)),
		mkRevocation(t, s, a.ID, oauth.RevokeUser, "u2", at(time.Minute)),
		mkRevocation(t, s, a.ID, oauth.RevokeClient, "c1", at(time.Minute)),
		mkRevocation(t, s, a.ID, oauth.RevokeUser, "u1", at(time.Minute)),
		mkRevocation(t, s, b.ID, oauth.RevokeSession, "s1", at(time.Minute)),
	}
	slices.SortFunc(tied, func(x, y *oauth.Revocation) int {
		for _, c := range [][2]string{{x.TenantID, y.TenantID}, {string(x.Kind), string(y.Kind)}, {x.Key, y.Key}} {
			if c[0] != c[1] {
				if c[0] < c[1] {
					return -1
				}
				return 1
			}
		}
		return 0
	})
	last := mkRevocation(t, s, a.ID, oauth.RevokeJTI, "j9", at(2*time.Minute))

	deref := func(rs ...*oauth.Revocation) []oauth.Revocation {
		var out []oauth.Revocation
		for _, r := range rs {
			out = append(out, *r)
		}
		return out
	}
	got, err := s.Revocations().Since(ctx, time.Time{})
	must(t, err)
	equal(t, got, deref(append(append([]*oauth.Revocation{first}, tied...), last)...), "Since(zero): every tenant")
	got, err = s.Revocations().Since(ctx, base.Add(time.Minute)) // inclusive
	must(t, err)
	equal(t, got, deref(append(tied, last)...), "Since(tied time)")
	got, err = s.Revocations().Since(ctx, base.Add(time.Minute+time.Microsecond))
	must(t, err)
	equal(t, got, deref(last), "Since just after the tie")
	got, err = s.Revocations().Since(ctx, time.Now().Add(time.Hour))
	must(t, err)
	equal(t, len(got), 0, "Since the future")

	// Re-adding an old entry moves it to the end: caches see the change.
	bump := &oauth.Revocation{TenantID: b.ID, Kind: oauth.RevokeJTI, Key: "j0", NotBefore: time.Now(), ExpiresAt: first.ExpiresAt}
	must(t, s.Revocations().Add(ctx, bump))
	got, err = s.Revocations().Since(ctx, base.Add(2*time.Minute))
	must(t, err)
	equal(t, got, deref(last, bump), "Since after re-adding the first entry")
}

func testRevocationDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.Revocation
	for range 2 {
		tn := mkTenant(t, s)
		for i, d := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			r := mkRevocation(t, s, tn.ID, oauth.RevokeJTI, string(rune('a'+i)), func(x *oauth.Revocation) { x.ExpiresAt = now.Add(d) })
			if d > 0 {
				keep = append(keep, r)
			}
		}
	}
	n, err := s.Revocations().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.Revocations().DeleteExpired(ctx, now)
	count(t, n, err, 0, "second DeleteExpired")
	for _, r := range keep {
		_, err := s.Revocations().Get(ctx, r.TenantID, r.Kind, r.Key)
		must(t, err)
	}
}

// Callers that each create a key only if the tenant has none end with one
// key when they create under the tenant's key lock: each sees the keys the
// previous holder committed. A failing fn rolls its writes back.
func testSigningKeyLocked(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	other := mkTenant(t, s)
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tid := tn.ID
			if i%4 == 3 {
				tid = other.ID // another tenant's lock does not block or merge with this one
			}
			err := s.SigningKeys().Locked(ctx, tid, func(keys store.SigningKeyRepo) error {
				rows, err := keys.List(ctx, tid)
				if err != nil || len(rows) > 0 {
					return err
				}
				return keys.Create(ctx, &oauth.SigningKey{TenantID: tid, Alg: "ES256", Private: []byte{1}, PublicJWK: []byte(`{}`)})
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, tid := range []string{tn.ID, other.ID} {
		rows, err := s.SigningKeys().List(ctx, tid)
		must(t, err)
		equal(t, len(rows), 1, "keys after concurrent locked creates")
	}

	boom := errors.New("boom")
	err := s.SigningKeys().Locked(ctx, tn.ID, func(keys store.SigningKeyRepo) error {
		must(t, keys.Create(ctx, &oauth.SigningKey{TenantID: tn.ID, Alg: "RS256", Private: []byte{1}, PublicJWK: []byte(`{}`)}))
		return boom
	})
	wantErr(t, err, boom, "Locked returns fn's error")
	rows, err := s.SigningKeys().List(ctx, tn.ID)
	must(t, err)
	equal(t, len(rows), 1, "keys after a failed Locked")
}

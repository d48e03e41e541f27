package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var controlPlaneTests = []test{
	{"APIKey/Lifecycle", testAPIKeys},
	{"Idempotency/Lifecycle", testIdempotency},
	{"Idempotency/Expire", testIdempotencyExpire},
	{"Settings", testSettings},
}

func testAPIKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	exp := time.Now().Add(24 * time.Hour)
	k := &identity.APIKey{TenantID: tn.ID, Name: "deploy", Scopes: []string{"users:read", "users:write"},
		SecretHash: []byte("0123456789abcdef0123456789abcdef"), ExpiresAt: &exp}
	must(t, s.APIKeys().Create(ctx, k))
	if k.ID == "" || k.CreatedAt.IsZero() || !k.ExpiresAt.Equal(micro(exp)) {
		t.Fatalf("Create did not stamp the key: %+v", k)
	}
	got, err := s.APIKeys().Get(ctx, k.ID)
	must(t, err)
	equal(t, got, k, "Get")
	if !got.Active(time.Now()) {
		t.Fatal("new key is not active")
	}
	wantErr(t, s.APIKeys().Create(ctx, &identity.APIKey{ID: k.ID, TenantID: tn.ID}), store.ErrConflict, "Create with taken ID")
	wantErr(t, s.APIKeys().Create(ctx, &identity.APIKey{TenantID: "no-such-tenant"}), store.ErrNotFound, "Create in unknown tenant")
	_, err = s.APIKeys().Get(ctx, "missing")
	wantErr(t, err, store.ErrNotFound, "Get missing")

	bare := &identity.APIKey{TenantID: tn.ID}
	must(t, s.APIKeys().Create(ctx, bare))
	mine := &identity.APIKey{TenantID: other.ID}
	must(t, s.APIKeys().Create(ctx, mine))
	got, err = s.APIKeys().Get(ctx, bare.ID)
	must(t, err)
	equal(t, got, bare, "Get bare key")

	want := []string{k.ID, bare.ID}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	listed := walk(t, 1, func(p store.Page) ([]string, string, error) {
		items, next, err := s.APIKeys().List(ctx, tn.ID, p)
		return ids(items, func(k identity.APIKey) string { return k.ID }), next, err
	})
	equal(t, listed, want, "List")

	used := time.Now().Add(time.Minute)
	must(t, s.APIKeys().Touch(ctx, k.ID, used))
	wantErr(t, s.APIKeys().Touch(ctx, "missing", used), store.ErrNotFound, "Touch missing")
	got, err = s.APIKeys().Get(ctx, k.ID)
	must(t, err)
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(micro(used)) {
		t.Fatalf("LastUsedAt = %v, want %v", got.LastUsedAt, micro(used))
	}

	wantErr(t, s.APIKeys().Revoke(ctx, other.ID, k.ID, time.Now()), store.ErrNotFound, "Revoke from another tenant")
	got, err = s.APIKeys().Get(ctx, k.ID)
	must(t, err)
	if got.RevokedAt != nil {
		t.Fatal("Revoke from another tenant revoked the key")
	}
	revoked := time.Now()
	must(t, s.APIKeys().Revoke(ctx, tn.ID, k.ID, revoked))
	must(t, s.APIKeys().Revoke(ctx, tn.ID, k.ID, revoked.Add(time.Hour))) // keeps the first time
	wantErr(t, s.APIKeys().Revoke(ctx, tn.ID, "missing", revoked), store.ErrNotFound, "Revoke missing")
	got, err = s.APIKeys().Get(ctx, k.ID)
	must(t, err)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(micro(revoked)) || got.Active(time.Now()) {
		t.Fatalf("after Revoke: RevokedAt %v (want %v), active %v", got.RevokedAt, micro(revoked), got.Active(time.Now()))
	}
}

func testIdempotency(t *testing.T, s store.Store) {
	ctx := t.Context()
	rec := &store.IdempotencyRecord{TenantID: "t1", Key: "admin:POST:/users:abc", RequestHash: []byte{1, 2, 3}}
	got, err := s.Idempotency().Begin(ctx, rec)
	must(t, err)
	if got.Status != 0 || got.CreatedAt.IsZero() || string(got.RequestHash) != "\x01\x02\x03" {
		t.Fatalf("Begin = %+v", got)
	}

	// A second claim conflicts and sees the in-flight record.
	again, err := s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t1", Key: rec.Key, RequestHash: []byte{9}})
	wantErr(t, err, store.ErrConflict, "Begin on a claimed key")
	if again == nil || again.Status != 0 || string(again.RequestHash) != "\x01\x02\x03" || !again.CreatedAt.Equal(got.CreatedAt) {
		t.Fatalf("conflicting Begin returned %+v", again)
	}
	// The same key in another tenant is another record.
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t2", Key: rec.Key})
	must(t, err)

	header := map[string]string{"Content-Type": "application/json", "Location": "/users/1"}
	must(t, s.Idempotency().Finish(ctx, "t1", rec.Key, 201, header, []byte(`{"id":"1"}`)))
	wantErr(t, s.Idempotency().Finish(ctx, "t1", "missing", 200, nil, nil), store.ErrNotFound, "Finish unclaimed key")

	done, err := s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t1", Key: rec.Key})
	wantErr(t, err, store.ErrConflict, "Begin on a finished key")
	equal(t, done.Status, 201, "replayed status")
	equal(t, done.Header, header, "replayed header")
	equal(t, string(done.Body), `{"id":"1"}`, "replayed body")

	// Abandon leaves finished records alone...
	must(t, s.Idempotency().Abandon(ctx, "t1", rec.Key))
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t1", Key: rec.Key})
	wantErr(t, err, store.ErrConflict, "Begin after Abandon of a finished key")
	// ...and releases in-flight claims.
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t1", Key: "inflight"})
	must(t, err)
	must(t, s.Idempotency().Abandon(ctx, "t1", "inflight"))
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t1", Key: "inflight"})
	must(t, err)
	must(t, s.Idempotency().Abandon(ctx, "t1", "never-claimed"))

	// An empty finished response replays as empty.
	must(t, s.Idempotency().Finish(ctx, "t1", "inflight", 204, nil, nil))
	empty, err := s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "t1", Key: "inflight"})
	wantErr(t, err, store.ErrConflict, "Begin on finished empty response")
	if empty.Status != 204 || empty.Header != nil || empty.Body != nil {
		t.Fatalf("empty response replayed as %+v", empty)
	}
}

func testIdempotencyExpire(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	for i, age := range []time.Duration{48 * time.Hour, 25 * time.Hour, time.Hour, 0} {
		_, err := s.Idempotency().Begin(ctx, &store.IdempotencyRecord{
			TenantID: "t" + string(rune('a'+i%2)), Key: "k" + string(rune('0'+i)), CreatedAt: now.Add(-age),
		})
		must(t, err)
	}
	n, err := s.Idempotency().Expire(ctx, now.Add(-24*time.Hour))
	must(t, err)
	equal(t, n, int64(2), "expired records")
	n, err = s.Idempotency().Expire(ctx, now.Add(-24*time.Hour))
	must(t, err)
	equal(t, n, int64(0), "second Expire")
	// Expired keys can be claimed again; fresh ones still conflict.
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "ta", Key: "k0"})
	must(t, err)
	_, err = s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "ta", Key: "k2"})
	wantErr(t, err, store.ErrConflict, "Begin on a fresh key")
}

func testSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.Settings().Get(ctx, "bootstrap.hash")
	wantErr(t, err, store.ErrNotFound, "Get unset")

	stored, err := s.Settings().SetIfAbsent(ctx, "bootstrap.hash", []byte("first"))
	must(t, err)
	equal(t, stored, true, "first SetIfAbsent stored")
	stored, err = s.Settings().SetIfAbsent(ctx, "bootstrap.hash", []byte("second"))
	must(t, err)
	equal(t, stored, false, "second SetIfAbsent stored")
	v, err := s.Settings().Get(ctx, "bootstrap.hash")
	must(t, err)
	equal(t, string(v), "first", "value after SetIfAbsent")

	must(t, s.Settings().Set(ctx, "bootstrap.hash", []byte{0, 1, 2, 255}))
	v, err = s.Settings().Get(ctx, "bootstrap.hash")
	must(t, err)
	equal(t, v, []byte{0, 1, 2, 255}, "value after Set")

	must(t, s.Settings().Set(ctx, "empty", nil))
	v, err = s.Settings().Get(ctx, "empty")
	must(t, err)
	if v == nil || len(v) != 0 {
		t.Fatalf("empty value read back as %#v, want a non-nil empty slice", v)
	}

	// Racing SetIfAbsent: exactly one stores.
	results := make(chan bool, 8)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			ok, err := s.Settings().SetIfAbsent(ctx, "race", []byte{byte(i)})
			results <- ok
			errs <- err
		}()
	}
	wins := 0
	for range 8 {
		if <-results {
			wins++
		}
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	equal(t, wins, 1, "racing SetIfAbsent winners")
}

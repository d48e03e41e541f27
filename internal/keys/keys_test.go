package keys_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

func setup(t testing.TB) (*keys.Manager, store.Store, *identity.Tenant, *clock.Fake) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ten := &identity.Tenant{Slug: "default", DisplayName: "Default"}
	if err := st.Tenants().Create(ctx, ten); err != nil {
		t.Fatal(err)
	}
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, err := secret.NewKeyring(raw)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cfg := keys.Config{RotateEvery: 30 * 24 * time.Hour, MaxTokenLifetime: time.Hour, RefreshEvery: time.Minute, RSABits: 2048}
	m := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr, cfg, clk.Now, slog.Default())
	return m, st, ten, clk
}

func jwks(t *testing.T, m *keys.Manager, tenantID string) jose.JSONWebKeySet {
	t.Helper()
	body, etag, err := m.JWKS(context.Background(), tenantID)
	if err != nil || etag == "" {
		t.Fatalf("jwks: %v %q", err, etag)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestKeysGeneratedSealedAndPublished(t *testing.T) {
	m, st, ten, _ := setup(t)
	ctx := context.Background()
	set := jwks(t, m, ten.ID)
	if len(set.Keys) != 2 {
		t.Fatalf("want an RS256 and an ES256 key, got %d", len(set.Keys))
	}
	for _, k := range set.Keys {
		if !k.IsPublic() || k.KeyID == "" || k.Use != "sig" {
			t.Fatalf("published key %+v", k)
		}
	}
	if _, err := m.Active(ctx, ten.ID, keys.EdDSA); err != nil { // made on demand
		t.Fatal(err)
	}
	rows, err := st.SigningKeys().List(ctx, ten.ID)
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows: %v %d", err, len(rows))
	}
	for _, r := range rows {
		if _, err := jose.ParseSignedCompact(string(r.Private), []jose.SignatureAlgorithm{jose.ES256}); err == nil {
			t.Fatal("private key stored in a readable form")
		}
		if len(r.Private) < 32 {
			t.Fatal("private key not stored")
		}
	}
	// Each algorithm signs and the signature verifies with the published key.
	for _, alg := range keys.Algs {
		k, err := m.Active(ctx, ten.ID, alg)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := jwt.Signed(k.Signer(true)).Claims(map[string]any{"sub": "x"}).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := jwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
		if err != nil {
			t.Fatal(err)
		}
		if parsed.Headers[0].KeyID != k.ID || parsed.Headers[0].ExtraHeaders["typ"] != "at+jwt" {
			t.Fatalf("header %+v", parsed.Headers[0])
		}
		pub, err := m.Public(ctx, ten.ID, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		if err := parsed.Claims(pub.Key, &out); err != nil || out["sub"] != "x" {
			t.Fatalf("verify %s: %v", alg, err)
		}
	}
}

func TestRotationKeepsOldKeysUntilTokensExpire(t *testing.T) {
	m, st, ten, clk := setup(t)
	ctx := context.Background()
	old, err := m.Active(ctx, ten.ID, keys.ES256)
	if err != nil {
		t.Fatal(err)
	}
	_, etag1, _ := m.JWKS(ctx, ten.ID)
	if err := m.Rotate(ctx, ten.ID, keys.ES256); err != nil {
		t.Fatal(err)
	}
	cur, _ := m.Active(ctx, ten.ID, keys.ES256)
	if cur.ID == old.ID {
		t.Fatal("rotation kept the active key")
	}
	set := jwks(t, m, ten.ID)
	if len(set.Key(old.ID)) != 1 || len(set.Key(cur.ID)) != 1 || len(set.Keys) != 3 {
		t.Fatalf("jwks after rotation: %d keys", len(set.Keys))
	}
	if _, etag2, _ := m.JWKS(ctx, ten.ID); etag2 == etag1 {
		t.Fatal("ETag did not change with the key set")
	}
	// Once every token the old key signed has expired, it leaves the set
	// and the scheduler deletes it.
	clk.Advance(time.Hour + 2*time.Minute)
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil {
		t.Fatal(err)
	}
	set = jwks(t, m, ten.ID)
	if len(set.Key(old.ID)) != 0 || len(set.Keys) != 2 {
		t.Fatalf("expired key still published: %d keys", len(set.Keys))
	}
	rows, _ := st.SigningKeys().List(ctx, ten.ID)
	if len(rows) != 2 {
		t.Fatalf("expired key not deleted: %d rows", len(rows))
	}
}

func TestScheduledRotation(t *testing.T) {
	m, _, ten, clk := setup(t)
	ctx := context.Background()
	first, _ := m.Active(ctx, ten.ID, keys.RS256)
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil {
		t.Fatal(err)
	}
	if k, _ := m.Active(ctx, ten.ID, keys.RS256); k.ID != first.ID {
		t.Fatal("rotated a fresh key")
	}
	clk.Advance(31 * 24 * time.Hour)
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil {
		t.Fatal(err)
	}
	for _, alg := range keys.Algs {
		k, err := m.Active(ctx, ten.ID, alg)
		if err != nil {
			t.Fatal(err)
		}
		if alg == keys.RS256 && k.ID == first.ID {
			t.Fatal("old key still active after the rotation period")
		}
	}
}

// EdDSA keys exist only while a client of the tenant uses EdDSA: a fresh
// tenant publishes none (an OKP key breaks cjose 0.6, Debian 12's
// mod_auth_openidc); Ensure or the first EdDSA signature makes one and the
// pre-serialised JWKS (and its ETag) changes with it; the scheduler
// retires it, without a successor, once no client asks for EdDSA, and it
// leaves the JWKS when the tokens it signed have expired.
func TestEdDSAKeyOnlyWhileUsed(t *testing.T) {
	m, st, ten, clk := setup(t)
	ctx := context.Background()
	okp := func() []string {
		var kids []string
		for _, k := range jwks(t, m, ten.ID).Keys {
			if k.Algorithm == keys.EdDSA {
				kids = append(kids, k.KeyID)
			}
		}
		return kids
	}
	if kids := okp(); len(kids) != 0 {
		t.Fatalf("fresh tenant publishes EdDSA keys %v", kids)
	}
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil {
		t.Fatal(err)
	}
	if err := m.Rotate(ctx, ten.ID); err != nil { // every algorithm the tenant has
		t.Fatal(err)
	}
	if kids := okp(); len(kids) != 0 {
		t.Fatalf("rotation made EdDSA keys %v", kids)
	}

	_, etag, _ := m.JWKS(ctx, ten.ID)
	client := &oauth.Client{ID: "eddsa-app", ClientName: "EdDSA app", GrantTypes: []string{"client_credentials"},
		TokenEndpointAuthMethod: "client_secret_basic", IDTokenSignedResponseAlg: keys.EdDSA, SecretHash: []byte("h")}
	if err := st.Clients().Create(ctx, ten.ID, client); err != nil {
		t.Fatal(err)
	}
	if err := m.Ensure(ctx, ten.ID, keys.EdDSA); err != nil {
		t.Fatal(err)
	}
	kids := okp()
	if _, etag2, _ := m.JWKS(ctx, ten.ID); len(kids) != 1 || etag2 == etag {
		t.Fatalf("after Ensure: EdDSA keys %v, ETag changed %v", kids, etag2 != etag)
	}
	if k, err := m.Active(ctx, ten.ID, keys.EdDSA); err != nil || k.ID != kids[0] {
		t.Fatalf("active EdDSA key %v %v, want %s", k, err, kids[0])
	}
	if err := m.Ensure(ctx, ten.ID, keys.EdDSA); err != nil || len(okp()) != 1 {
		t.Fatalf("a second Ensure made another key: %v %v", okp(), err)
	}
	// In use: the scheduler keeps it.
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil || len(okp()) != 1 {
		t.Fatalf("used key retired: %v %v", okp(), err)
	}
	if k, _ := m.Active(ctx, ten.ID, keys.EdDSA); k == nil || k.ID != kids[0] {
		t.Fatal("used key no longer signs")
	}

	// No client uses it any more: retired, no successor, published until
	// the tokens it signed have expired.
	if _, err := st.Clients().Update(ctx, ten.ID, client.ID, 0, func(c *oauth.Client) error {
		c.IDTokenSignedResponseAlg = keys.RS256
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil {
		t.Fatal(err)
	}
	rows, _ := st.SigningKeys().List(ctx, ten.ID)
	for _, r := range rows {
		if r.Alg == keys.EdDSA && r.RetiredAt == nil {
			t.Fatalf("EdDSA key %s still active", r.ID)
		}
	}
	if got := okp(); len(got) != 1 || got[0] != kids[0] {
		t.Fatalf("retired key left the JWKS early: %v", got)
	}
	clk.Advance(time.Hour + time.Minute)
	if err := m.RotateDue(ctx, []string{ten.ID}); err != nil {
		t.Fatal(err)
	}
	if got := okp(); len(got) != 0 {
		t.Fatalf("expired EdDSA key still published: %v", got)
	}
	// Signing with EdDSA again makes a new key.
	if k, err := m.Active(ctx, ten.ID, keys.EdDSA); err != nil || k.ID == kids[0] || len(okp()) != 1 {
		t.Fatalf("EdDSA on demand after retirement: %v %v", k, err)
	}
}

func TestAnotherNodesRotationIsSeen(t *testing.T) {
	// Two managers on one database stand for two nodes.
	m1, st, ten, clk := setup(t)
	ctx := context.Background()
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, _ := secret.NewKeyring(raw)
	m2 := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr,
		keys.Config{RotateEvery: 30 * 24 * time.Hour, MaxTokenLifetime: time.Hour, RefreshEvery: time.Minute}, clk.Now, slog.Default())
	k1, _ := m1.Active(ctx, ten.ID, keys.ES256)
	k2, _ := m2.Active(ctx, ten.ID, keys.ES256)
	if k1.ID != k2.ID {
		t.Fatal("nodes disagree on the active key")
	}
	if err := m1.Rotate(ctx, ten.ID, keys.ES256); err != nil {
		t.Fatal(err)
	}
	n1, _ := m1.Active(ctx, ten.ID, keys.ES256)
	// Node 2 verifies node 1's new tokens at once (unknown kid forces a reload)...
	clk.Advance(2 * time.Second)
	if _, err := m2.Public(ctx, ten.ID, n1.ID); err != nil {
		t.Fatalf("node 2 cannot find the new key: %v", err)
	}
	// ...and signs with it after its refresh period.
	clk.Advance(time.Minute)
	if n2, _ := m2.Active(ctx, ten.ID, keys.ES256); n2.ID != n1.ID {
		t.Fatal("node 2 still signs with the retired key")
	}
}

func TestWrongMasterKeyFailsLoudly(t *testing.T) {
	m, st, ten, clk := setup(t)
	ctx := context.Background()
	if _, _, err := m.JWKS(ctx, ten.ID); err != nil {
		t.Fatal(err)
	}
	raw, _ := secret.ParseMasterKey("ffffffffffffffffffffffffffffffffffffffffff")
	kr, _ := secret.NewKeyring(raw)
	other := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr, keys.DefaultConfig, clk.Now, slog.Default())
	if _, err := other.Active(ctx, ten.ID, keys.ES256); err == nil {
		t.Fatal("keys opened with another master key")
	}
}

func BenchmarkJWKS(b *testing.B) {
	m, _, ten, _ := setup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := m.JWKS(ctx, ten.ID); err != nil {
			b.Fatal(err)
		}
	}
}

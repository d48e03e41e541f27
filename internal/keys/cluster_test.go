package keys_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

// Several managers on one database stand for several nodes: on SQLite
// they share the one store, on PostgreSQL each has its own pool.

type nodes struct {
	m   []*keys.Manager
	st  store.Store
	ten *identity.Tenant
	clk *clock.Fake
}

func cluster(t *testing.T, engine string, n int) *nodes {
	t.Helper()
	ctx := t.Context()
	var open func() *sqlstore.Store
	switch engine {
	case "sqlite":
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "k.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		open = func() *sqlstore.Store { return st }
	case "postgres":
		url := pgtest.SchemaURL(t, "keys")
		open = func() *sqlstore.Store {
			st, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}
	}
	first := open()
	if err := first.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ten := &identity.Tenant{Slug: "default", DisplayName: "Default"}
	if err := first.Tenants().Create(ctx, ten); err != nil {
		t.Fatal(err)
	}
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, _ := secret.NewKeyring(raw)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cfg := keys.Config{RotateEvery: 30 * 24 * time.Hour, MaxTokenLifetime: time.Hour, RefreshEvery: time.Minute, RSABits: 2048}
	c := &nodes{st: first, ten: ten, clk: clk}
	for i := range n {
		st := first
		if i > 0 {
			st = open()
		}
		c.m = append(c.m, keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr, cfg, clk.Now, slog.Default()))
	}
	return c
}

// each runs fn on every node at the same time.
func (c *nodes) each(t *testing.T, fn func(m *keys.Manager) error) {
	t.Helper()
	var wg sync.WaitGroup
	for _, m := range c.m {
		wg.Go(func() {
			if err := fn(m); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// active counts the tenant's stored keys that are not retired, by algorithm.
func (c *nodes) active(t *testing.T) map[string]int {
	t.Helper()
	rows, err := c.st.SigningKeys().List(t.Context(), c.ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		if r.RetiredAt == nil {
			out[r.Alg]++
		}
	}
	return out
}

func engines(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, e := range []string{"sqlite", "postgres"} {
		t.Run(e, func(t *testing.T) { fn(t, e) })
	}
}

func TestNodesStartingTogetherMakeOneKeyPerAlg(t *testing.T) {
	engines(t, func(t *testing.T, engine string) {
		c := cluster(t, engine, 3)
		ctx := t.Context()
		c.each(t, func(m *keys.Manager) error { _, _, err := m.JWKS(ctx, c.ten.ID); return err })
		if got := c.active(t); got[keys.RS256] != 1 || got[keys.ES256] != 1 || len(got) != 2 {
			t.Fatalf("active keys after 3 nodes started = %v, want one RS256 and one ES256", got)
		}
		want, _, _ := c.m[0].JWKS(ctx, c.ten.ID)
		for i, m := range c.m {
			if got, _, _ := m.JWKS(ctx, c.ten.ID); string(got) != string(want) {
				t.Fatalf("node %d publishes another JWKS", i)
			}
		}
		// EdDSA on demand, asked for by every node at once: one key.
		c.each(t, func(m *keys.Manager) error { return m.Ensure(ctx, c.ten.ID, keys.EdDSA) })
		if got := c.active(t); got[keys.EdDSA] != 1 {
			t.Fatalf("active EdDSA keys = %d, want 1", got[keys.EdDSA])
		}
	})
}

func TestSchedulersRotateOnce(t *testing.T) {
	engines(t, func(t *testing.T, engine string) {
		c := cluster(t, engine, 3)
		ctx := t.Context()
		first, err := c.m[0].Active(ctx, c.ten.ID, keys.ES256)
		if err != nil {
			t.Fatal(err)
		}
		c.clk.Advance(31 * 24 * time.Hour)
		c.each(t, func(m *keys.Manager) error { return m.RotateDue(ctx, []string{c.ten.ID}) })
		rows, err := c.st.SigningKeys().List(ctx, c.ten.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 {
			t.Fatalf("%d keys after 3 schedulers rotated, want 4 (2 retired, 2 new)", len(rows))
		}
		if got := c.active(t); got[keys.RS256] != 1 || got[keys.ES256] != 1 {
			t.Fatalf("active keys = %v", got)
		}
		for i, m := range c.m {
			k, err := m.Active(ctx, c.ten.ID, keys.ES256)
			if err != nil || k.ID == first.ID {
				t.Fatalf("node %d signs with %v (%v), want the new key", i, k, err)
			}
		}
	})
}

func TestUnknownKidReloadsAtOnceAtMostOncePerSecond(t *testing.T) {
	engines(t, func(t *testing.T, engine string) {
		c := cluster(t, engine, 2)
		ctx := t.Context()
		a, b := c.m[0], c.m[1]
		if _, _, err := b.JWKS(ctx, c.ten.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.Rotate(ctx, c.ten.ID, keys.ES256); err != nil {
			t.Fatal(err)
		}
		k1, _ := a.Active(ctx, c.ten.ID, keys.ES256)
		// The clock has not moved: B finds the new key by reloading at once.
		if _, err := b.Public(ctx, c.ten.ID, k1.ID); err != nil {
			t.Fatalf("B cannot find A's new key: %v", err)
		}
		if err := a.Rotate(ctx, c.ten.ID, keys.ES256); err != nil {
			t.Fatal(err)
		}
		k2, _ := a.Active(ctx, c.ten.ID, keys.ES256)
		// Within the second B does not reload again (made-up kids cost
		// one query a second)...
		if _, err := b.Public(ctx, c.ten.ID, k2.ID); !errors.Is(err, keys.ErrNoKey) {
			t.Fatalf("second reload within a second: err = %v, want ErrNoKey", err)
		}
		// ...and after it does.
		c.clk.Advance(time.Second)
		if _, err := b.Public(ctx, c.ten.ID, k2.ID); err != nil {
			t.Fatalf("B cannot find the newer key a second later: %v", err)
		}
	})
}

func TestReloadPicksUpAnotherNodesRotation(t *testing.T) {
	engines(t, func(t *testing.T, engine string) {
		c := cluster(t, engine, 2)
		ctx := t.Context()
		a, b := c.m[0], c.m[1]
		if _, err := b.Active(ctx, c.ten.ID, keys.ES256); err != nil {
			t.Fatal(err)
		}
		if err := a.Rotate(ctx, c.ten.ID, keys.ES256); err != nil {
			t.Fatal(err)
		}
		want, _ := a.Active(ctx, c.ten.ID, keys.ES256)
		if err := b.Reload(ctx, c.ten.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.Active(ctx, c.ten.ID, keys.ES256); got.ID != want.ID {
			t.Fatal("B signs with the retired key after Reload")
		}
	})
}

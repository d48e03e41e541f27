package connectors_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func TestCache(t *testing.T) {
	k, err := secret.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	now := t0
	conn := func(tenant, id, issuer string, version int64) *store.Connection {
		c := &store.Connection{TenantID: tenant, ID: id, Type: "oidc", Version: version, CreatedAt: t0,
			UpdatedAt: t0.Add(time.Duration(version) * time.Microsecond),
			Config:    json.RawMessage(`{"issuer":"` + issuer + `","client_id":"c"}`)}
		if c.SecretsSealed, err = federation.SealSecrets(k, tenant, id, federation.Secrets{ClientSecret: "s"}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	o := connectors.Options{Keyring: k, Issuer: "https://id.example.com/t/acme"}
	cache := connectors.NewCache(time.Minute, func() time.Time { return now })

	a1, err := cache.Get(conn("t1", "up", "https://op.example.com", 1), o)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := cache.Get(conn("t1", "up", "https://op.example.com", 1), o); again != a1 {
		t.Fatal("the same version was built again")
	}
	// Another tenant's connection of the same ID is its own.
	if b, _ := cache.Get(conn("t2", "up", "https://op.example.com", 1), o); b == a1 {
		t.Fatal("another tenant was served tenant t1's connector")
	}
	// An update (a new version) is never served the old connector, even
	// when nobody said Forget (a node that missed the announcement).
	a2, err := cache.Get(conn("t1", "up", "https://op2.example.com", 2), o)
	if err != nil || a2 == a1 {
		t.Fatalf("an updated connection was served its old connector: %v", err)
	}
	// Deleted and created again: version 1 again, but a new creation time.
	re := conn("t1", "up", "https://op.example.com", 2)
	re.CreatedAt = t0.Add(time.Second)
	if c, _ := cache.Get(re, o); c == a2 {
		t.Fatal("a re-created connection was served the deleted one's connector")
	}
	// Another issuer (the tenant's slug changed): built again.
	o2 := o
	o2.Issuer = "https://id.example.com/t/renamed"
	if c, _ := cache.Get(re, o2); c == a2 {
		t.Fatal("another issuer was served the old connector")
	}
	if cache.Len() != 2 {
		t.Fatalf("entries: %d, want 2 (one per tenant and connection)", cache.Len())
	}
	// Forget one, a tenant, everything.
	cur, _ := cache.Get(re, o2)
	cache.Forget("t1", "up")
	if c, _ := cache.Get(re, o2); c == cur {
		t.Fatal("Forget did not drop the connector")
	}
	cache.Forget("t2", "")
	if cache.Len() != 1 {
		t.Fatalf("after forgetting tenant t2: %d entries", cache.Len())
	}
	cache.Forget("", "")
	if cache.Len() != 0 {
		t.Fatalf("after forgetting all: %d entries", cache.Len())
	}
	// The TTL: an entry is built again once it expired.
	c1, _ := cache.Get(re, o2)
	now = now.Add(2 * time.Minute)
	if c, _ := cache.Get(re, o2); c == c1 {
		t.Fatal("an expired entry was served")
	}
	// Invalid settings are not cached; a nil cache builds every time.
	bad := conn("t1", "bad", "", 1)
	if _, err := cache.Get(bad, o); err == nil {
		t.Fatal("an invalid connection built")
	}
	var none *connectors.Cache
	x, _ := none.Get(conn("t1", "up", "https://op.example.com", 1), o)
	y, _ := none.Get(conn("t1", "up", "https://op.example.com", 1), o)
	if x == nil || x == y {
		t.Fatal("a nil cache must build every time")
	}
	none.Forget("", "")
}

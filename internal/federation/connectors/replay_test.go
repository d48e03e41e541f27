package connectors_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/federation/saml"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite/sqlitetest"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

// Two nodes (two store handles on one database file) share the SAML
// replay store: an assertion accepted on one is refused on the other,
// until it expires; another connection's is not affected.
func TestStoreReplayAcrossNodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	open := func() *sqlstore.Store {
		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	node1 := open()
	if err := node1.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	node2 := open()
	ten := sqlitetest.Tenant(t, node1, &identity.Tenant{Slug: "acme", DisplayName: "Acme"})
	for _, id := range []string{"idp", "idp2"} {
		if err := node1.Connections().Create(t.Context(), &store.Connection{TenantID: ten.ID, ID: id, Type: "saml", DisplayName: id}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	clock := func() time.Time { return now }
	r1 := connectors.StoreReplay(node1.Connections(), ten.ID, "idp", clock)
	r2 := connectors.StoreReplay(node2.Connections(), ten.ID, "idp", clock)
	exp := now.Add(5 * time.Minute)
	if err := r1.Consume("t/idp/_a1", exp); err != nil {
		t.Fatal(err)
	}
	if err := r2.Consume("t/idp/_a1", exp); !errors.Is(err, saml.ErrReplayed) {
		t.Fatalf("replay on the other node: %v, want saml.ErrReplayed", err)
	}
	if err := connectors.StoreReplay(node2.Connections(), ten.ID, "idp2", clock).Consume("t/idp/_a1", exp); err != nil {
		t.Fatalf("another connection: %v", err)
	}
	now = exp
	if err := r2.Consume("t/idp/_a1", exp.Add(time.Minute)); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	// Fail closed: a connection that does not exist records nothing.
	if err := connectors.StoreReplay(node2.Connections(), ten.ID, "gone", clock).Consume("x", exp); err == nil || errors.Is(err, saml.ErrReplayed) {
		t.Fatalf("unknown connection: %v", err)
	}
}

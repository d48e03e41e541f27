// Package sqlitetest gives the tests of services a real store: migrated,
// in-memory SQLite, closed when the test ends.
package sqlitetest

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

// Open returns a migrated in-memory store.
func Open(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

// Tenant creates ten in st (ID and timestamps are filled in) and returns
// it.
func Tenant(t testing.TB, st store.Store, ten *identity.Tenant) *identity.Tenant {
	t.Helper()
	if err := st.Tenants().Create(t.Context(), ten); err != nil {
		t.Fatal(err)
	}
	return ten
}

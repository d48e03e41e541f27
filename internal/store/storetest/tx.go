package storetest

import (
	"errors"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var txTests = []test{
	{"InTx/Commit", testTxCommit},
	{"InTx/Rollback", testTxRollback},
	{"InTx/Nested", testTxNested},
}

func testTxCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	var tn *identity.Tenant
	var u *identity.User
	err := s.InTx(ctx, func(tx store.Store) error {
		tn = &identity.Tenant{Slug: uniq("tx-")}
		if err := tx.Tenants().Create(ctx, tn); err != nil {
			return err
		}
		u = &identity.User{Email: "tx@example.com"}
		if err := tx.Users().Create(ctx, tn.ID, u); err != nil {
			return err
		}
		if err := tx.Passwords().Set(ctx, tn.ID, u.ID, "h"); err != nil {
			return err
		}
		// Reads inside the transaction see its writes.
		got, err := tx.Users().GetByEmail(ctx, tn.ID, "TX@example.com")
		if err != nil {
			return err
		}
		if got.ID != u.ID {
			t.Errorf("read inside tx returned %s, want %s", got.ID, u.ID)
		}
		_, err = tx.Users().Update(ctx, tn.ID, u.ID, 1, func(x *identity.User) error { x.Username = "txuser"; return nil })
		return err
	})
	must(t, err)
	got, err := s.Users().GetByUsername(ctx, tn.ID, "txuser")
	must(t, err)
	equal(t, got.Version, int64(2), "version after update in tx")
	_, err = s.Passwords().Get(ctx, tn.ID, u.ID)
	must(t, err)
}

func testTxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	existing := mkTenant(t, s)
	boom := errors.New("boom")
	var tn identity.Tenant
	var u identity.User
	err := s.InTx(ctx, func(tx store.Store) error {
		tn = identity.Tenant{Slug: "rolled-back"}
		must(t, tx.Tenants().Create(ctx, &tn))
		u = identity.User{Email: "gone@example.com"}
		must(t, tx.Users().Create(ctx, tn.ID, &u))
		must(t, tx.Settings().Set(ctx, "rolled-back", []byte("x")))
		_, err := tx.Tenants().Update(ctx, existing.ID, 0, func(x *identity.Tenant) error { x.DisplayName = "changed"; return nil })
		must(t, err)
		must(t, tx.APIKeys().Create(ctx, &identity.APIKey{TenantID: existing.ID}))
		return boom
	})
	wantErr(t, err, boom, "InTx")

	_, err = s.Tenants().GetBySlug(ctx, "rolled-back")
	wantErr(t, err, store.ErrNotFound, "tenant created in rolled-back tx")
	_, err = s.Users().Get(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "user created in rolled-back tx")
	_, err = s.Settings().Get(ctx, "rolled-back")
	wantErr(t, err, store.ErrNotFound, "setting written in rolled-back tx")
	got, err := s.Tenants().Get(ctx, existing.ID)
	must(t, err)
	equal(t, got, existing, "tenant updated in rolled-back tx")
	keys, _, err := s.APIKeys().List(ctx, existing.ID, store.Page{})
	must(t, err)
	equal(t, len(keys), 0, "API keys created in rolled-back tx")

	// A conflict inside the transaction rolls everything back too.
	err = s.InTx(ctx, func(tx store.Store) error {
		if err := tx.Settings().Set(ctx, "partial", []byte("x")); err != nil {
			return err
		}
		return tx.Tenants().Create(ctx, &identity.Tenant{Slug: existing.Slug})
	})
	wantErr(t, err, store.ErrConflict, "InTx with a conflicting insert")
	_, err = s.Settings().Get(ctx, "partial")
	wantErr(t, err, store.ErrNotFound, "setting written before the conflict")

	// The store is usable afterwards.
	mkTenant(t, s)
}

func testTxNested(t *testing.T, s store.Store) {
	ctx := t.Context()
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx store.Store) error {
		err := tx.InTx(ctx, func(inner store.Store) error {
			return inner.Settings().Set(ctx, "nested", []byte("x"))
		})
		if err != nil {
			return err
		}
		return boom // the inner InTx joined this one, so its write goes too
	})
	wantErr(t, err, boom, "outer InTx")
	_, err = s.Settings().Get(ctx, "nested")
	wantErr(t, err, store.ErrNotFound, "write of nested InTx after outer rollback")
}

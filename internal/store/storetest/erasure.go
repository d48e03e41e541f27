package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var erasureTests = []test{
	{"UserKeys", testUserKeys},
	{"AuditPurge", testAuditPurge},
	{"RetentionQueries", testRetentionQueries},
}

func testUserKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("k")+"@example.com")
	v := mkUser(t, s, tn.ID, uniq("k")+"@example.com")

	got, err := s.UserKeys().Ensure(ctx, tn.ID, u.ID, []byte("first"))
	must(t, err)
	equal(t, string(got), "first", "first Ensure stores the key")
	got, err = s.UserKeys().Ensure(ctx, tn.ID, u.ID, []byte("second"))
	must(t, err)
	equal(t, string(got), "first", "a second Ensure keeps the first key")
	_, err = s.UserKeys().Ensure(ctx, tn.ID, "nobody", []byte("k"))
	wantErr(t, err, store.ErrNotFound, "key for a missing user")
	_, err = s.UserKeys().Ensure(ctx, other.ID, u.ID, []byte("k"))
	wantErr(t, err, store.ErrNotFound, "key for a user of another tenant")

	// A missing user in a transaction does not spoil it (PostgreSQL aborts
	// a transaction on a failed statement).
	must(t, s.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.UserKeys().Ensure(ctx, tn.ID, "nobody", []byte("k")); err == nil {
			t.Error("Ensure for a missing user in a transaction succeeded")
		}
		_, err := tx.UserKeys().Ensure(ctx, tn.ID, v.ID, []byte("v"))
		return err
	}))

	keys, err := s.UserKeys().Keys(ctx, tn.ID, []string{u.ID, v.ID, "nobody"})
	must(t, err)
	if len(keys) != 2 || string(keys[u.ID]) != "first" || string(keys[v.ID]) != "v" {
		t.Fatalf("Keys = %q", keys)
	}
	keys, err = s.UserKeys().Keys(ctx, other.ID, []string{u.ID})
	must(t, err)
	equal(t, len(keys), 0, "keys seen from another tenant")

	// The key goes with its user: crypto-shredding.
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	keys, err = s.UserKeys().Keys(ctx, tn.ID, []string{u.ID, v.ID})
	must(t, err)
	if _, ok := keys[u.ID]; ok || len(keys) != 1 {
		t.Fatalf("after deleting the user, Keys = %q", keys)
	}
	_, err = s.UserKeys().Ensure(ctx, tn.ID, u.ID, []byte("again"))
	wantErr(t, err, store.ErrNotFound, "an erased user gets no key again")
}

func testAuditPurge(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	base := time.Now().UTC().Add(-100 * 24 * time.Hour).Truncate(time.Second)
	var recs []*store.AuditRecord
	for i := range 6 {
		recs = append(recs, appendAudit(t, s, tn.ID, "login.failed", "u1", func(r *store.AuditRecord) {
			r.Time = base.Add(time.Duration(i) * 24 * time.Hour)
		}))
	}
	appendAudit(t, s, other.ID, "login.failed", "u1", func(r *store.AuditRecord) { r.Time = base })

	_, err := s.Audit().Checkpoint(ctx, tn.ID)
	wantErr(t, err, store.ErrNotFound, "checkpoint of a chain never purged")
	last, err := s.Audit().LastBefore(ctx, tn.ID, base.Add(3*24*time.Hour))
	must(t, err)
	equal(t, last.ID, recs[2].ID, "LastBefore")
	_, err = s.Audit().LastBefore(ctx, tn.ID, base)
	wantErr(t, err, store.ErrNotFound, "LastBefore the first record")

	// The database refuses deleting records above the checkpoint.
	db := rawDB(t, s)
	del := `DELETE FROM audit_events WHERE tenant_id = ? AND seq = 1`
	if s.Dialect() == "postgres" {
		del = `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 1`
	}
	if _, err := db.ExecContext(ctx, del, tn.ID); err == nil {
		t.Fatal("deleting an audit record without a checkpoint was allowed")
	}

	marker := appendAudit(t, s, tn.ID, "audit.purged", "")
	n, err := s.Audit().Purge(ctx, store.AuditCheckpoint{TenantID: tn.ID, Seq: last.Seq, Hash: last.Hash, EventID: marker.ID})
	must(t, err)
	equal(t, n, int64(3), "records purged")
	cp, err := s.Audit().Checkpoint(ctx, tn.ID)
	must(t, err)
	if cp.Seq != last.Seq || !bytes.Equal(cp.Hash, last.Hash) || cp.EventID != marker.ID || cp.PurgedAt.IsZero() {
		t.Fatalf("checkpoint = %+v", cp)
	}
	chain, err := s.Audit().Chain(ctx, tn.ID, 0, 100)
	must(t, err)
	if len(chain) != 4 || chain[0].Seq != 4 || !bytes.Equal(chain[0].PrevHash, cp.Hash) {
		t.Fatalf("chain after purge: %d records, first %+v", len(chain), chain[0])
	}
	// The other tenant's chain is untouched.
	oc, err := s.Audit().Chain(ctx, other.ID, 0, 100)
	must(t, err)
	equal(t, len(oc), 1, "other tenant's chain")

	// A checkpoint never moves back, and records above it stay refused.
	_, err = s.Audit().Purge(ctx, store.AuditCheckpoint{TenantID: tn.ID, Seq: 1, Hash: recs[0].Hash, EventID: marker.ID})
	wantErr(t, err, store.ErrConflict, "moving a checkpoint back")
	del = `DELETE FROM audit_events WHERE tenant_id = ? AND seq = 4`
	if s.Dialect() == "postgres" {
		del = `DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 4`
	}
	if _, err := db.ExecContext(ctx, del, tn.ID); err == nil {
		t.Fatal("deleting an audit record above the checkpoint was allowed")
	}
	delCP := `DELETE FROM audit_checkpoints WHERE tenant_id = ?`
	if s.Dialect() == "postgres" {
		delCP = `DELETE FROM audit_checkpoints WHERE tenant_id = $1`
	}
	if _, err := db.ExecContext(ctx, delCP, tn.ID); err == nil {
		t.Fatal("deleting a checkpoint was allowed")
	}
	_, err = s.Audit().Purge(ctx, store.AuditCheckpoint{TenantID: tn.ID})
	wantErr(t, err, store.ErrInvalidInput, "an empty checkpoint")

	// Moving forward again.
	n, err = s.Audit().Purge(ctx, store.AuditCheckpoint{TenantID: tn.ID, Seq: 5, Hash: recs[4].Hash, EventID: marker.ID})
	must(t, err)
	equal(t, n, int64(2), "second purge")
}

func testRetentionQueries(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	now := time.Now().UTC()
	old := now.Add(-60 * 24 * time.Hour)
	cutoff := now.Add(-30 * 24 * time.Hour)
	oldUnverified := mkUser(t, s, tn.ID, uniq("a")+"@example.com", func(u *identity.User) { u.CreatedAt = old })
	mkUser(t, s, tn.ID, uniq("b")+"@example.com", func(u *identity.User) { u.CreatedAt, u.EmailVerified = old, true })
	mkUser(t, s, tn.ID, uniq("c")+"@example.com") // new
	signedIn := mkUser(t, s, tn.ID, uniq("d")+"@example.com", func(u *identity.User) { u.CreatedAt = old })
	mkSession(t, s, tn.ID, signedIn.ID)
	mkUser(t, s, other.ID, uniq("e")+"@example.com", func(u *identity.User) { u.CreatedAt = old })

	ids, err := s.Retention().StaleUnverifiedUsers(ctx, tn.ID, cutoff, 10)
	must(t, err)
	if len(ids) != 1 || ids[0] != oldUnverified.ID {
		t.Fatalf("StaleUnverifiedUsers = %v, want [%s]", ids, oldUnverified.ID)
	}

	u := mkUser(t, s, tn.ID, uniq("s")+"@example.com")
	live := mkSession(t, s, tn.ID, u.ID)
	ended := mkSession(t, s, tn.ID, u.ID)
	recent := mkSession(t, s, tn.ID, u.ID)
	must(t, s.Sessions().Revoke(ctx, tn.ID, ended.ID, old))
	must(t, s.Sessions().Revoke(ctx, tn.ID, recent.ID, now))
	ou := mkUser(t, s, other.ID, uniq("o")+"@example.com")
	otherEnded := mkSession(t, s, other.ID, ou.ID)
	must(t, s.Sessions().Revoke(ctx, other.ID, otherEnded.ID, old))
	n, err := s.Retention().DeleteEndedSessions(ctx, tn.ID, cutoff)
	must(t, err)
	equal(t, n, int64(1), "ended sessions deleted")
	for _, x := range []*oauth.Session{live, recent} {
		_, err := s.Sessions().Get(ctx, tn.ID, x.ID)
		must(t, err)
	}
	_, err = s.Sessions().Get(ctx, tn.ID, ended.ID)
	wantErr(t, err, store.ErrNotFound, "the ended session")
	_, err = s.Sessions().Get(ctx, other.ID, otherEnded.ID)
	must(t, err)

	w := mkWebhook(t, s, tn.ID)
	enqueue(t, s, w, u.ID)
	enqueue(t, s, w, u.ID)
	keep := enqueue(t, s, w, "someone-else")
	n, err = s.Retention().DeleteUserDeliveries(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, n, int64(2), "deliveries about the user deleted")
	n, err = s.Retention().DeleteUserDeliveries(ctx, other.ID, "someone-else")
	must(t, err)
	equal(t, n, int64(0), "deliveries of another tenant")
	_ = keep
}

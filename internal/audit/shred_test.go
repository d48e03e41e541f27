package audit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

func testKeyring(t *testing.T) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Events about a user keep their personal fields sealed with the user's
// key; the chain hashes the sealed form, so it verifies before and after
// the key is destroyed with the user, next to plaintext records written
// before crypto-shredding existed.
func TestCryptoShredding(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		tn := mkTenant(t, s)
		u := &identity.User{Email: "ada@example.com"}
		if err := s.Users().Create(ctx, tn.ID, u); err != nil {
			t.Fatal(err)
		}
		hook := &store.Webhook{TenantID: tn.ID, URL: "https://a.example.org/", SecretSealed: []byte("x"), Enabled: true}
		if err := s.Webhooks().Create(ctx, hook); err != nil {
			t.Fatal(err)
		}
		legacy := recorder(s, nil) // no keyring: as before this feature
		rec := recorder(s, nil)
		rec.Keyring = testKeyring(t)
		record := func(r *audit.Recorder, e events.Event) {
			t.Helper()
			e.TenantID = tn.ID
			if err := r.Record(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		record(legacy, events.Event{Type: "login.failed", UserID: u.ID, IP: "192.0.2.9", Data: map[string]any{"email": "ada@example.com"}})
		record(rec, events.Event{Type: "login.failed", UserID: u.ID, IP: "192.0.2.1", UserAgent: "Firefox",
			Data: map[string]any{"identifier": "ada@example.com", "name": "Ada L", "reason": "password"}})
		record(rec, events.Event{Type: "login.failed", IP: "192.0.2.2", Data: map[string]any{"identifier": "nobody@example.com"}})
		record(rec, events.Event{Type: "password.changed", UserID: u.ID})

		chain, err := s.Audit().Chain(ctx, tn.ID, 0, 10)
		if err != nil || len(chain) != 4 {
			t.Fatalf("chain: %v %d", err, len(chain))
		}
		sealed := chain[1]
		if strings.Contains(sealed.Data, "ada@example.com") || strings.Contains(sealed.Data, "Ada L") ||
			!strings.HasPrefix(sealed.IP, "ghs1:") || !strings.HasPrefix(sealed.UserAgent, "ghs1:") || !strings.Contains(sealed.Data, `"reason":"password"`) {
			t.Fatalf("stored %+v", sealed)
		}
		if chain[2].IP != "192.0.2.2" || chain[3].IP != "" {
			t.Fatalf("events without a subject or personal fields changed: %+v %+v", chain[2], chain[3])
		}
		// Webhook subscribers get the event as it happened.
		q := `SELECT payload FROM webhook_deliveries WHERE event_id = ?`
		if s.Dialect() == "postgres" {
			q = `SELECT payload FROM webhook_deliveries WHERE event_id = $1`
		}
		var payload []byte
		if err := s.WriteDB().QueryRowContext(ctx, q, sealed.ID).Scan(&payload); err != nil ||
			!bytes.Contains(payload, []byte(`"ip":"192.0.2.1"`)) || !bytes.Contains(payload, []byte(`"identifier":"ada@example.com"`)) {
			t.Fatalf("webhook payload %s %v", payload, err)
		}
		verifyOK(t, s)

		// Opened with the key.
		opened := append([]store.AuditRecord(nil), chain...)
		erased, err := audit.OpenRecords(ctx, rec.Keyring, s, opened)
		if err != nil {
			t.Fatal(err)
		}
		var data map[string]any
		_ = json.Unmarshal([]byte(opened[1].Data), &data)
		if erased[1] || opened[1].IP != "192.0.2.1" || opened[1].UserAgent != "Firefox" || data["identifier"] != "ada@example.com" || data["name"] != "Ada L" {
			t.Fatalf("opened %+v (erased %v)", opened[1], erased[1])
		}
		// A sealed value moved to another event does not open there.
		moved := []store.AuditRecord{chain[3]}
		moved[0].IP = sealed.IP
		erased, err = audit.OpenRecords(ctx, rec.Keyring, s, moved)
		if err != nil || !erased[0] || moved[0].IP != audit.Erased {
			t.Fatalf("moved sealed value opened: %+v %v", moved[0], err)
		}

		// Erasure destroys the key with the user.
		if err := s.Users().Delete(ctx, tn.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		record(rec, events.Event{Type: "user.deleted", UserID: u.ID, IP: "192.0.2.3", Data: map[string]any{"email": "ada@example.com"}})
		chain, err = s.Audit().Chain(ctx, tn.ID, 0, 10)
		if err != nil || len(chain) != 5 {
			t.Fatalf("chain: %v %d", err, len(chain))
		}
		if late := chain[4]; late.IP != "" || strings.Contains(late.Data, "ada@") {
			t.Fatalf("an event about an erased user kept personal fields: %+v", late)
		}
		erased, err = audit.OpenRecords(ctx, rec.Keyring, s, chain)
		if err != nil {
			t.Fatal(err)
		}
		data = nil
		_ = json.Unmarshal([]byte(chain[1].Data), &data)
		if !erased[1] || chain[1].IP != audit.Erased || chain[1].UserAgent != audit.Erased || data["identifier"] != audit.Erased ||
			data["reason"] != "password" {
			t.Fatalf("after erasure %+v (erased %v)", chain[1], erased[1])
		}
		if erased[0] || erased[2] || erased[3] {
			t.Fatalf("erased flags %v", erased)
		}
		verifyOK(t, s)
	})
}

func verifyOK(t *testing.T, s store.Store) {
	t.Helper()
	rep, err := audit.Verify(t.Context(), s)
	if err != nil || rep.Break != nil {
		t.Fatalf("verify: %v %v", err, rep.Break)
	}
}

// A retention purge removes the oldest records behind a checkpoint that
// Verify starts from; a checkpoint no audit.purged event vouches for (an
// attacker deleting history) is a break.
func TestPurgeKeepsTheChainVerifiable(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		tn, other := mkTenant(t, s), mkTenant(t, s)
		rec := recorder(s, nil)
		old := time.Now().UTC().Add(-400 * 24 * time.Hour)
		for i := range 5 {
			for _, tid := range []string{tn.ID, other.ID} {
				if err := rec.Record(ctx, events.Event{TenantID: tid, Type: "login.failed", Time: old.Add(time.Duration(i) * time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range 2 {
			if err := rec.Record(ctx, events.Event{TenantID: tn.ID, Type: "login.succeeded"}); err != nil {
				t.Fatal(err)
			}
		}
		cutoff := time.Now().UTC().Add(-365 * 24 * time.Hour)
		n, err := rec.Purge(ctx, tn.ID, cutoff)
		if err != nil || n != 5 {
			t.Fatalf("purge: %d %v", n, err)
		}
		cp, err := s.Audit().Checkpoint(ctx, tn.ID)
		if err != nil || cp.Seq != 5 {
			t.Fatalf("checkpoint %+v %v", cp, err)
		}
		marker, err := s.Audit().Get(ctx, tn.ID, cp.EventID)
		if err != nil || marker.Type != audit.EventPurged || marker.Seq != 8 {
			t.Fatalf("purge event %+v %v", marker, err)
		}
		verifyOK(t, s)
		if n, err := rec.Purge(ctx, tn.ID, cutoff); err != nil || n != 0 {
			t.Fatalf("second purge: %d %v", n, err)
		}
		// Appends go on after a purge.
		if err := rec.Record(ctx, events.Event{TenantID: tn.ID, Type: "login.succeeded"}); err != nil {
			t.Fatal(err)
		}
		verifyOK(t, s)

		// Forged: a checkpoint written straight into the database, and the
		// history under it deleted (the trigger allows that much).
		chain, err := s.Audit().Chain(ctx, other.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		exec(t, s, `INSERT INTO audit_checkpoints (tenant_id, seq, hash, event_id, purged_at) VALUES (?, ?, ?, ?, ?)`,
			other.ID, chain[1].Seq, chain[1].Hash, chain[4].ID, forgedTime(s))
		exec(t, s, `DELETE FROM audit_events WHERE tenant_id = ? AND seq <= 2`, other.ID)
		rep, err := audit.Verify(ctx, s)
		if err != nil || rep.Break == nil || rep.Break.Field != "checkpoint" || rep.Break.TenantID != other.ID {
			t.Fatalf("forged checkpoint: %v %+v", err, rep.Break)
		}
		if _, err := s.Audit().Purge(ctx, store.AuditCheckpoint{TenantID: tn.ID, Seq: 1, Hash: []byte{1}, EventID: "x"}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("checkpoint moved back: %v", err)
		}
	})
}

// forgedTime is a purged_at value in the engine's column type.
func forgedTime(s *sqlstore.Store) any {
	if s.Dialect() == "postgres" {
		return time.Now()
	}
	return time.Now().UnixMicro()
}

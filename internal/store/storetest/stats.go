package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var statsTests = []test{
	{"StatsWebhookBacklog", testStatsWebhookBacklog},
	{"StatsOldestActiveSigningKeys", testStatsSigningKeys},
}

func statsRepo(t *testing.T, s store.Store) store.StatsRepo {
	return capability[store.StatsStore](t, s).Stats()
}

// The backlog is the pending deliveries of enabled webhooks of every
// tenant; delivered and failed ones and those of disabled webhooks are
// not.
func testStatsWebhookBacklog(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := statsRepo(t, s)
	n, oldest, err := r.WebhookBacklog(ctx)
	must(t, err)
	if n != 0 || oldest != nil {
		t.Fatalf("empty outbox: %d, %v", n, oldest)
	}
	base := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	add := func(w *store.Webhook, age time.Duration) *store.Delivery {
		d := &store.Delivery{TenantID: w.TenantID, WebhookID: w.ID, EventID: uniq("e"), EventType: "login.failed",
			Payload: []byte(`{}`), CreatedAt: base.Add(-age), NextAttemptAt: base}
		must(t, s.Webhooks().Enqueue(ctx, d))
		return d
	}
	a, b := mkTenant(t, s), mkTenant(t, s)
	wa, wb := mkWebhook(t, s, a.ID), mkWebhook(t, s, b.ID)
	add(wa, 5*time.Minute)
	add(wb, 10*time.Minute)
	done := add(wa, 30*time.Minute)
	off := mkWebhook(t, s, b.ID)
	add(off, 2*time.Hour)
	_, err = s.Webhooks().Update(ctx, b.ID, off.ID, 0, func(w *store.Webhook) error { w.Enabled = false; return nil })
	must(t, err)
	// The oldest enabled one is claimed and delivered.
	claimed, err := s.Webhooks().Claim(ctx, time.Now(), time.Minute, 10)
	must(t, err)
	for _, c := range claimed {
		res := store.DeliveryResult{Status: store.DeliveryPending, NextAttemptAt: base, At: time.Now()}
		if c.ID == done.ID {
			res.Status = store.DeliveryDelivered
		}
		must(t, s.Webhooks().Finish(ctx, c.TenantID, c.ID, c.LeaseToken, res))
	}
	n, oldest, err = r.WebhookBacklog(ctx)
	must(t, err)
	if n != 2 || oldest == nil || !oldest.Equal(base.Add(-10*time.Minute)) {
		t.Fatalf("backlog %d, oldest %v; want 2, %v", n, oldest, base.Add(-10*time.Minute))
	}
}

// The oldest key still signing, per algorithm, across tenants; retired
// keys do not count.
func testStatsSigningKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := statsRepo(t, s)
	got, err := r.OldestActiveSigningKeys(ctx)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("no keys: %v", got)
	}
	now := time.Now().UTC().Truncate(time.Second)
	a, b := mkTenant(t, s), mkTenant(t, s)
	at := func(tenant, alg string, age time.Duration) *oauth.SigningKey {
		return mkSigningKey(t, s, tenant, func(k *oauth.SigningKey) { k.Alg, k.CreatedAt = alg, now.Add(-age) })
	}
	at(a.ID, "ES256", 20*24*time.Hour)
	at(a.ID, "RS256", 3*24*time.Hour)
	at(b.ID, "ES256", 2*24*time.Hour)
	old := at(b.ID, "ES256", 90*24*time.Hour)
	must(t, s.SigningKeys().Retire(ctx, b.ID, old.ID, now, now.Add(time.Hour)))
	got, err = r.OldestActiveSigningKeys(ctx)
	must(t, err)
	if len(got) != 2 || !got["ES256"].Equal(now.Add(-20*24*time.Hour)) || !got["RS256"].Equal(now.Add(-3*24*time.Hour)) {
		t.Fatalf("oldest active keys: %v", got)
	}
}

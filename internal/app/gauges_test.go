package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The database gauges on /metrics: the webhook backlog and the signing
// keys' ages come from the database at scrape time; a database that does
// not answer leaves them out of the scrape instead of failing it.
func TestGauges(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := openApp(t, map[string]string{
		"GATEHOUSE_DATABASE":   "sqlite:" + filepath.Join(dir, "g.db"),
		"GATEHOUSE_DATA_DIR":   dir,
		"GATEHOUSE_SECRET_KEY": "gauges-test-key-0123456789abcdefghijkl",
	})
	def, err := a.Directory.EnsureDefaultTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(a.Gauges...)
	if n, err := testutil.GatherAndCount(reg, "gatehouse_webhook_deliveries_pending", "gatehouse_signing_key_age_seconds"); err != nil || n != 1 {
		t.Fatalf("before any key or delivery: %d series, %v", n, err)
	}
	if _, _, err := a.SigningKeys.JWKS(ctx, def.ID); err != nil {
		t.Fatal(err)
	}
	st := a.Stores.Control()
	w := &store.Webhook{TenantID: def.ID, URL: "https://hooks.example.org/x", SecretSealed: []byte("s"), Enabled: true}
	if err := st.Webhooks().Create(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := st.Webhooks().Enqueue(ctx, &store.Delivery{TenantID: def.ID, WebhookID: w.ID, EventID: "e1", EventType: "login.failed",
		Payload: []byte(`{}`), CreatedAt: time.Now().Add(-time.Hour), NextAttemptAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			name := mf.GetName()
			for _, l := range m.Label {
				name += "/" + l.GetValue()
			}
			got[name] = m.GetGauge().GetValue()
		}
	}
	if n := got["gatehouse_webhook_deliveries_pending"]; n != 1 {
		t.Errorf("pending deliveries = %v, want 1", n)
	}
	if age := got["gatehouse_webhook_oldest_pending_age_seconds"]; age < 3500 || age > 3700 {
		t.Errorf("oldest pending age %v, want about an hour", age)
	}
	if age, ok := got["gatehouse_signing_key_age_seconds/ES256"]; !ok || age < 0 || age > 60 {
		t.Errorf("ES256 key age %v (%v)", age, ok)
	}
	if p := got["gatehouse_signing_key_rotation_period_seconds"]; p != (30 * 24 * time.Hour).Seconds() {
		t.Errorf("rotation period %v", p)
	}

	_ = a.DB.Close()
	mfs, err = reg.Gather()
	if err != nil {
		t.Fatalf("a closed database failed the scrape: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "gatehouse_signing_key_rotation_period_seconds" {
			t.Errorf("%s reported without a database", mf.GetName())
		}
	}
}

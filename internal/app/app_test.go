package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/geoip/geoiptest"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// openApp opens a migrated App configured by env and closes it when t ends.
func openApp(t *testing.T, env map[string]string) *app.App {
	t.Helper()
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

func TestMaintenancePurgesExpiredState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{
		"GATEHOUSE_DATABASE":   "sqlite:" + filepath.Join(dir, "g.db"),
		"GATEHOUSE_DATA_DIR":   dir,
		"GATEHOUSE_SECRET_KEY": "maintenance-test-key-0123456789abcdef",
	}
	a := openApp(t, env)
	def, err := a.Directory.EnsureDefaultTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := a.Stores.Control()
	u := &identity.User{Email: "m@example.com"}
	if err := st.Users().Create(ctx, def.ID, u); err != nil {
		t.Fatal(err)
	}
	past := time.Now().UTC().Add(-time.Hour)
	future := time.Now().UTC().Add(time.Hour)
	for _, exp := range []time.Time{past, future} {
		s := &oauth.Session{TenantID: def.ID, UserID: u.ID, TokenHash: []byte(exp.String()), CreatedAt: past.Add(-time.Hour),
			LastSeenAt: past, ExpiresAt: exp, AuthTime: past}
		if err := st.Sessions().Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// An export left pending by a node that stopped mid-build, and one
	// still building now.
	stale := &store.DataExport{TenantID: def.ID, UserID: u.ID, Status: store.ExportPending,
		CreatedAt: time.Now().UTC().Add(-privacy.StaleExportAfter - time.Minute), ExpiresAt: future}
	building := &store.DataExport{TenantID: def.ID, UserID: u.ID, Status: store.ExportPending, ExpiresAt: future}
	for _, e := range []*store.DataExport{stale, building} {
		if err := st.Exports().CreateExport(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.MaintainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for e, want := range map[*store.DataExport]string{stale: store.ExportFailed, building: store.ExportPending} {
		if got, err := st.Exports().GetExport(ctx, def.ID, u.ID, e.ID); err != nil || got.Status != want {
			t.Fatalf("export after maintenance: %v %+v, want %s", err, got, want)
		}
	}
	items, _, err := st.Sessions().ListByUser(ctx, def.ID, u.ID, store.Page{Limit: 10})
	if err != nil || len(items) != 1 || !items[0].ExpiresAt.Equal(future.Truncate(time.Microsecond)) {
		t.Fatalf("after maintenance: %v %+v", err, items)
	}
	if n, err := st.Sessions().DeleteExpired(ctx, time.Now()); err != nil || n != 0 {
		t.Fatalf("expired session survived maintenance: %d %v", n, err)
	}
	// Keys exist for the default tenant once anything asked for them, and
	// maintenance leaves fresh keys alone.
	if _, _, err := a.SigningKeys.JWKS(ctx, def.ID); err != nil {
		t.Fatal(err)
	}
	before, _ := st.SigningKeys().List(ctx, def.ID)
	if err := a.MaintainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := st.SigningKeys().List(ctx, def.ID)
	if len(before) != 2 || len(after) != 2 { // RS256 and ES256; EdDSA only once a client uses it
		t.Fatalf("keys: %d before, %d after", len(before), len(after))
	}
}

// TestRiskWiring: GATEHOUSE_GEOIP_DB and GATEHOUSE_TRUSTED_PROXIES reach
// the risk engine and the client-address resolver.
func TestRiskWiring(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{
		"GATEHOUSE_DATABASE":        "sqlite:" + filepath.Join(dir, "g.db"),
		"GATEHOUSE_DATA_DIR":        dir,
		"GATEHOUSE_SECRET_KEY":      "risk-wiring-test-key-0123456789abcdef",
		"GATEHOUSE_GEOIP_DB":        geoiptest.WriteCity(t, geoiptest.Sample),
		"GATEHOUSE_TRUSTED_PROXIES": "127.0.0.0/8",
	}
	a := openApp(t, env)
	if loc, ok := a.Risk.Geo.Lookup(netip.MustParseAddr("192.0.2.1")); !ok || loc.Country != "DE" {
		t.Errorf("engine geolocation: %+v %v", loc, ok)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:4000"
	r.Header.Set("X-Forwarded-For", "198.51.100.3")
	if got := a.ClientIP.IP(r).String(); got != "198.51.100.3" {
		t.Errorf("client IP behind the trusted proxy: %s", got)
	}
	def, err := a.Directory.EnsureDefaultTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	as, err := a.Risk.Assess(ctx, risk.Attempt{TenantID: def.ID, Login: "x", IP: netip.MustParseAddr("192.0.2.1")})
	if err != nil || as.Decision != riskpolicy.Allow {
		t.Fatalf("assess: %+v %v", as, err)
	}
	if a.Devices == nil || a.Devices.Secure {
		t.Errorf("device cookies on an http issuer: %+v", a.Devices)
	}
}

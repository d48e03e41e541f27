package app_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func TestMaintenancePurgesExpiredState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{
		"GATEHOUSE_DATABASE":   "sqlite:" + filepath.Join(dir, "g.db"),
		"GATEHOUSE_DATA_DIR":   dir,
		"GATEHOUSE_SECRET_KEY": "maintenance-test-key-0123456789abcdef",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	def, err := a.Admin.EnsureDefaultTenant(ctx)
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
	if err := a.MaintainOnce(ctx); err != nil {
		t.Fatal(err)
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
	if len(before) != 3 || len(after) != 3 {
		t.Fatalf("keys: %d before, %d after", len(before), len(after))
	}
}

package privacy_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

type env struct {
	svc    *privacy.Service
	t      *tenancy.Tenant
	userID string
	events []events.Event
}

// newEnv is the service on a file SQLite store (WAL, as served) with a
// tenant, a user and the purposes terms (required) and newsletter.
func newEnv(tb testing.TB) *env {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "privacy.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	ten := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
	if err := st.Tenants().Create(ctx, ten); err != nil {
		tb.Fatal(err)
	}
	u := &identity.User{TenantID: ten.ID, Email: "jane@example.org"}
	if err := st.Users().Create(ctx, ten.ID, u); err != nil {
		tb.Fatal(err)
	}
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, err := secret.NewKeyring(raw)
	if err != nil {
		tb.Fatal(err)
	}
	km := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr, keys.DefaultConfig, nil,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := &env{t: tenancy.Of(ten, st, "https://id.example.com"), userID: u.ID}
	e.svc = &privacy.Service{Keys: km, Events: events.Func(func(_ context.Context, ev events.Event) error {
		e.events = append(e.events, ev)
		return nil
	})}
	for _, p := range []struct {
		id string
		in privacy.PurposeInput
	}{
		{"terms", privacy.PurposeInput{Name: "Terms", Description: "To provide the service.", LegalBasis: privacy.BasisContract, Required: true}},
		{"newsletter", privacy.PurposeInput{Name: "Newsletter", Description: "A monthly newsletter.", LegalBasis: privacy.BasisConsent}},
	} {
		if _, err := e.svc.CreatePurpose(ctx, e.t, p.id, p.in); err != nil {
			tb.Fatal(err)
		}
	}
	return e
}

func TestVersionBumpsOnlyOnMaterialChange(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	for _, c := range []struct {
		in     privacy.PurposeInput
		bumped bool
	}{
		{privacy.PurposeInput{Name: "  newsletter ", Description: "a   MONTHLY newsletter.", LegalBasis: privacy.BasisConsent}, false},
		{privacy.PurposeInput{Name: "Newsletter", Description: "A monthly newsletter.", LegalBasis: privacy.BasisConsent, Required: true}, false},
		{privacy.PurposeInput{Name: "Newsletter", Description: "A weekly newsletter.", LegalBasis: privacy.BasisConsent}, true},
		{privacy.PurposeInput{Name: "Newsletter", Description: "A weekly newsletter.", LegalBasis: privacy.BasisLegitimateInterest}, true},
		{privacy.PurposeInput{Name: "News", Description: "A weekly newsletter.", LegalBasis: privacy.BasisLegitimateInterest}, true},
	} {
		before, _ := e.svc.Purpose(ctx, e.t, "newsletter")
		p, bumped, err := e.svc.ReplacePurpose(ctx, e.t, "newsletter", c.in)
		if err != nil || bumped != c.bumped || (bumped && p.Version != before.Version+1) || (!bumped && p.Version != before.Version) {
			t.Fatalf("%+v: bumped %v, version %d -> %d, err %v", c.in, bumped, before.Version, p.Version, err)
		}
	}
	if _, _, err := e.svc.ReplacePurpose(ctx, e.t, "nope", privacy.PurposeInput{Name: "x", LegalBasis: privacy.BasisConsent}); !errors.Is(err, privacy.ErrUnknownPurpose) {
		t.Fatalf("unknown purpose: %v", err)
	}
	var ve *identity.ValidationError
	if _, err := e.svc.CreatePurpose(ctx, e.t, "Bad ID", privacy.PurposeInput{Name: "x", LegalBasis: "maybe"}); !errors.As(err, &ve) || len(ve.Errors) != 2 {
		t.Fatalf("bad purpose: %v", err)
	}
}

func TestDecide(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	m := privacy.Meta{Channel: privacy.ChannelAPI, IP: "203.0.113.7", UserAgent: "ua"}
	if _, err := e.svc.Decide(ctx, e.t, e.userID, "terms", false, m); !errors.Is(err, privacy.ErrRequiredPurpose) {
		t.Fatalf("withdrawing a required purpose: %v", err)
	}
	if _, err := e.svc.Decide(ctx, e.t, e.userID, "nope", true, m); !errors.Is(err, privacy.ErrUnknownPurpose) {
		t.Fatalf("unknown purpose: %v", err)
	}
	if _, err := e.svc.Decide(ctx, e.t, "nobody", "newsletter", true, m); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if _, err := e.svc.Decide(ctx, e.t, e.userID, "newsletter", true, privacy.Meta{Channel: privacy.ChannelAdmin}); err == nil {
		t.Fatal("an admin decision without evidence was recorded")
	}
	if _, err := e.svc.Decide(ctx, e.t, e.userID, "newsletter", true, privacy.Meta{Channel: "fax"}); err == nil {
		t.Fatal("an unknown channel was recorded")
	}
	if len(e.events) != 0 {
		t.Fatalf("refused decisions were announced: %+v", e.events)
	}
	en, err := e.svc.Decide(ctx, e.t, e.userID, "newsletter", true, m)
	if err != nil || en.Receipt == "" || en.PurposeVersion != 1 {
		t.Fatalf("grant: %+v %v", en, err)
	}
	if len(e.events) != 1 || e.events[0].Type != privacy.EventGranted || e.events[0].Data["receipt_id"] != en.ID {
		t.Fatalf("events: %+v", e.events)
	}
	got, err := privacy.ConsentsClaim(ctx, e.t, e.userID)
	if err != nil || len(got) != 1 || got["newsletter"] != 1 {
		t.Fatalf("claim: %v %v", got, err)
	}
}

// BenchmarkDecide is one decision: the purpose and user read, the
// receipt signed (RS256), the entry and the current decision written in
// one transaction (file SQLite, WAL).
func BenchmarkDecide(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	m := privacy.Meta{Channel: privacy.ChannelAPI, IP: "203.0.113.7", UserAgent: "bench"}
	if _, err := e.svc.Decide(ctx, e.t, e.userID, "newsletter", true, m); err != nil { // loads the key
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := e.svc.Decide(ctx, e.t, e.userID, "newsletter", i%2 == 0, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConsentsClaim is what the scope privacy adds to an ID token
// or userinfo: two indexed reads.
func BenchmarkConsentsClaim(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	if _, err := e.svc.Decide(ctx, e.t, e.userID, "newsletter", true, privacy.Meta{Channel: privacy.ChannelAPI}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := privacy.ConsentsClaim(ctx, e.t, e.userID); err != nil {
			b.Fatal(err)
		}
	}
}

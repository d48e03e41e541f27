package cluster_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-iam/gatehouse/internal/cluster"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
)

// listen starts a listener on dbURL under a unique application name and
// returns its events.
func listen(t *testing.T, dbURL string) (<-chan cluster.Event, string) {
	t.Helper()
	u, _ := url.Parse(dbURL)
	q := u.Query()
	app := "gatehouse-cluster-test-" + time.Now().Format("150405.000000000")
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	events := make(chan cluster.Event, 64)
	l := cluster.NewListener(u.String(), func(_ context.Context, e cluster.Event) { events <- e }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); l.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-l.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("listener never listened")
	}
	return events, app
}

func next(t *testing.T, events <-chan cluster.Event) cluster.Event {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		return cluster.Event{}
	}
}

// The triggers announce exactly the changes caches depend on.
func TestTriggersAnnounceChanges(t *testing.T) {
	dbURL := requirePostgres(t)
	ctx := t.Context()
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	events, _ := listen(t, dbURL)
	tn := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
	must(t, st.Tenants().Create(ctx, tn)) // a new tenant is nobody's cache entry: no event
	must(t, st.Clients().Create(ctx, tn.ID, &oauth.Client{ID: "app"}))
	want(t, next(t, events), cluster.Event{Kind: cluster.ClientChanged, Tenant: tn.ID, ID: "app"})
	u := &identity.User{Email: "u@example.com"}
	must(t, st.Users().Create(ctx, tn.ID, u))
	_, err = st.Users().Update(ctx, tn.ID, u.ID, 0, func(u *identity.User) error { u.Profile.GivenName = "Pat"; return nil }) // not announced
	must(t, err)
	_, err = st.Users().Update(ctx, tn.ID, u.ID, 0, func(u *identity.User) error { u.Disabled = true; return nil })
	must(t, err)
	want(t, next(t, events), cluster.Event{Kind: cluster.UserChanged, Tenant: tn.ID, ID: u.ID})
	must(t, st.SigningKeys().Create(ctx, &oauth.SigningKey{TenantID: tn.ID, Alg: "ES256", Private: []byte{1}, PublicJWK: []byte(`{}`)}))
	want(t, next(t, events), cluster.Event{Kind: cluster.KeysChanged, Tenant: tn.ID})
	c := &store.SAMLCert{TenantID: tn.ID, Private: []byte{1}, CertDER: []byte{2}}
	must(t, st.SAMLCerts().Create(ctx, c))
	want(t, next(t, events), cluster.Event{Kind: cluster.SAMLCertsChanged, Tenant: tn.ID})
	must(t, st.SAMLCerts().Activate(ctx, tn.ID, c.ID, time.Now()))
	want(t, next(t, events), cluster.Event{Kind: cluster.SAMLCertsChanged, Tenant: tn.ID})
	now := time.Now()
	must(t, st.Revocations().Add(ctx, &oauth.Revocation{TenantID: tn.ID, Kind: oauth.RevokeJTI, Key: "j1", NotBefore: now, ExpiresAt: now.Add(time.Hour)}))
	want(t, next(t, events), cluster.Event{Kind: cluster.RevocationAdded, Tenant: tn.ID, RevKind: "jti", ID: "j1"})
	_, err = st.Tenants().Update(ctx, tn.ID, 0, func(x *identity.Tenant) error { x.Slug = "acme2"; return nil })
	must(t, err)
	want(t, next(t, events), cluster.Event{Kind: cluster.TenantChanged, Tenant: tn.ID, Slug: "acme2", Old: "acme"})
	// A rolled-back change is never announced.
	rollback := errors.New("rollback")
	err = st.InTx(ctx, func(tx store.Store) error {
		if err := tx.Clients().Delete(ctx, tn.ID, "app"); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	select {
	case e := <-events:
		t.Fatalf("unexpected event %+v", e)
	case <-time.After(100 * time.Millisecond):
	}
}

// A listener whose connection is killed reconnects, says Resync, and goes
// on delivering.
func TestListenerReconnects(t *testing.T) {
	dbURL := requirePostgres(t)
	ctx := t.Context()
	events, app := listen(t, dbURL)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var schema string
	must(t, conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema))
	notify := func(payload string) {
		_, err := conn.Exec(ctx, "SELECT pg_notify($1, $2)", cluster.Channel(schema), payload)
		must(t, err)
	}
	notify(`{"k":"keys","t":"t1"}`)
	want(t, next(t, events), cluster.Event{Kind: cluster.KeysChanged, Tenant: "t1"})
	notify(`not json`) // logged and skipped
	var killed int
	must(t, conn.QueryRow(ctx, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&killed))
	if killed != 1 {
		t.Fatalf("terminated %d listener connections, want 1", killed)
	}
	want(t, next(t, events), cluster.Event{Kind: cluster.Resync})
	notify(`{"k":"client","t":"t1","id":"c1"}`)
	want(t, next(t, events), cluster.Event{Kind: cluster.ClientChanged, Tenant: "t1", ID: "c1"})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func want(t *testing.T, got, want cluster.Event) {
	t.Helper()
	if got != want {
		t.Fatalf("event %+v, want %+v", got, want)
	}
}

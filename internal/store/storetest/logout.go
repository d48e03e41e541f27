package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var logoutTests = []test{
	{"LogoutSessionClients", testLogoutSessionClients},
	{"LogoutOutbox", testLogoutOutbox},
	{"LogoutEndSessionOnce", testLogoutEndSessionOnce},
	{"LogoutIsolation", testLogoutIsolation},
	{"LogoutCascade", testLogoutCascade},
}

// logoutFixture is a tenant with a user, a session and two clients, one
// with a backchannel_logout_uri.
type logoutFixture struct {
	tenantID, userID string
	sess             *oauth.Session
	withURI, without *oauth.Client
}

func mkLogoutFixture(t *testing.T, s store.Store) logoutFixture {
	t.Helper()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	with := &oauth.Client{ID: uniq("rp"), ClientName: "RP", TokenEndpointAuthMethod: "none",
		BackchannelLogoutURI: "https://rp.example.com/bcl", BackchannelLogoutSessionRequired: true}
	must(t, s.Clients().Create(t.Context(), tn.ID, with))
	return logoutFixture{tenantID: tn.ID, userID: u.ID, sess: mkSession(t, s, tn.ID, u.ID),
		withURI: with, without: mkClient(t, s, tn.ID, uniq("plain"))}
}

func (f logoutFixture) add(t *testing.T, s store.Store, clientID string) {
	t.Helper()
	must(t, s.Logouts().AddSessionClient(t.Context(), &store.SessionClient{TenantID: f.tenantID,
		SessionID: f.sess.ID, ClientID: clientID, UserID: f.userID}))
}

func testLogoutSessionClients(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := mkLogoutFixture(t, s)
	f.add(t, s, f.withURI.ID)
	f.add(t, s, f.withURI.ID) // again: nothing changes
	f.add(t, s, f.without.ID)
	got, err := s.Logouts().SessionClients(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	if len(got) != 2 || got[0].UserID != f.userID {
		t.Fatalf("SessionClients = %+v, want the two clients", got)
	}
	wantErr(t, s.Logouts().AddSessionClient(ctx, &store.SessionClient{TenantID: f.tenantID, SessionID: "no-such-session",
		ClientID: f.withURI.ID, UserID: f.userID}), store.ErrNotFound, "AddSessionClient for an unknown session")
	wantErr(t, s.Logouts().AddSessionClient(ctx, &store.SessionClient{TenantID: f.tenantID, SessionID: f.sess.ID,
		ClientID: "no-such-client", UserID: f.userID}), store.ErrNotFound, "AddSessionClient for an unknown client")
}

func testLogoutOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := mkLogoutFixture(t, s)
	f.add(t, s, f.withURI.ID)
	f.add(t, s, f.without.ID)
	now := time.Now().UTC()
	ds, err := s.Logouts().EndSession(ctx, f.tenantID, f.sess.ID, now)
	must(t, err)
	if len(ds) != 1 || ds[0].ClientID != f.withURI.ID || ds[0].SessionID != f.sess.ID || ds[0].UserID != f.userID {
		t.Fatalf("EndSession = %+v, want one delivery to the client with a backchannel_logout_uri", ds)
	}
	left, err := s.Logouts().SessionClients(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	equal(t, len(left), 0, "session clients left after EndSession")

	claimed, err := s.Logouts().Claim(ctx, now, time.Minute, 10)
	must(t, err)
	if len(claimed) != 1 || claimed[0].ID != ds[0].ID || claimed[0].Attempts != 1 || claimed[0].LeaseToken == "" {
		t.Fatalf("Claim = %+v", claimed)
	}
	again, err := s.Logouts().Claim(ctx, now, time.Minute, 10)
	must(t, err)
	equal(t, len(again), 0, "claims while leased")

	// A failed attempt is retried when due, not before.
	d := claimed[0]
	must(t, s.Logouts().Finish(ctx, f.tenantID, d.ID, d.LeaseToken, store.DeliveryResult{Status: store.DeliveryPending,
		Error: "HTTP 503", NextAttemptAt: now.Add(time.Minute), At: now}))
	wantErr(t, s.Logouts().Finish(ctx, f.tenantID, d.ID, d.LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered, At: now}),
		store.ErrNotFound, "Finish with a spent lease")
	early, err := s.Logouts().Claim(ctx, now.Add(30*time.Second), time.Minute, 10)
	must(t, err)
	equal(t, len(early), 0, "claims before the retry is due")
	retry, err := s.Logouts().Claim(ctx, now.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(retry) != 1 || retry[0].Attempts != 2 || retry[0].LastError != "HTTP 503" {
		t.Fatalf("retry Claim = %+v", retry)
	}
	must(t, s.Logouts().Finish(ctx, f.tenantID, d.ID, retry[0].LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered,
		At: now.Add(2 * time.Minute)}))
	got, err := s.Logouts().Deliveries(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	if len(got) != 1 || got[0].Status != store.DeliveryDelivered || got[0].DeliveredAt == nil {
		t.Fatalf("Deliveries = %+v, want one delivered", got)
	}
	n, err := s.Logouts().DeleteFinished(ctx, now.Add(time.Hour))
	must(t, err)
	equal(t, n, int64(1), "DeleteFinished")
}

// testLogoutEndSessionOnce: nodes that end one session together enqueue
// one delivery per client between them.
func testLogoutEndSessionOnce(t *testing.T, s store.Store) {
	f := mkLogoutFixture(t, s)
	f.add(t, s, f.withURI.ID)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			ds, err := s.Logouts().EndSession(t.Context(), f.tenantID, f.sess.ID, time.Now())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			total += len(ds)
			mu.Unlock()
		})
	}
	wg.Wait()
	equal(t, total, 1, "deliveries enqueued by concurrent ends")
}

func testLogoutIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkLogoutFixture(t, s), mkLogoutFixture(t, s)
	a.add(t, s, a.withURI.ID)
	// Tenant B names A's session: a foreign key failure, nothing written.
	wantErr(t, s.Logouts().AddSessionClient(ctx, &store.SessionClient{TenantID: b.tenantID, SessionID: a.sess.ID,
		ClientID: b.withURI.ID, UserID: b.userID}), store.ErrNotFound, "AddSessionClient with another tenant's session")
	got, err := s.Logouts().SessionClients(ctx, b.tenantID, a.sess.ID)
	must(t, err)
	equal(t, len(got), 0, "another tenant's session clients")
	ds, err := s.Logouts().EndSession(ctx, b.tenantID, a.sess.ID, time.Now())
	must(t, err)
	equal(t, len(ds), 0, "EndSession of another tenant's session")
	left, err := s.Logouts().SessionClients(ctx, a.tenantID, a.sess.ID)
	must(t, err)
	equal(t, len(left), 1, "A's session clients after B's EndSession")
	ds, err = s.Logouts().EndSession(ctx, a.tenantID, a.sess.ID, time.Now())
	must(t, err)
	equal(t, len(ds), 1, "A's deliveries")
	other, err := s.Logouts().Deliveries(ctx, b.tenantID, a.sess.ID)
	must(t, err)
	equal(t, len(other), 0, "A's deliveries seen from B")
}

// testLogoutCascade: rows go with their session and their client.
func testLogoutCascade(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := mkLogoutFixture(t, s)
	f.add(t, s, f.withURI.ID)
	f.add(t, s, f.without.ID)
	must(t, s.Clients().Delete(ctx, f.tenantID, f.without.ID))
	got, err := s.Logouts().SessionClients(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	equal(t, len(got), 1, "session clients after a client's deletion")
	ds, err := s.Logouts().EndSession(ctx, f.tenantID, f.sess.ID, time.Now())
	must(t, err)
	equal(t, len(ds), 1, "deliveries")
	must(t, s.Clients().Delete(ctx, f.tenantID, f.withURI.ID))
	left, err := s.Logouts().Deliveries(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	equal(t, len(left), 0, "deliveries after the client's deletion")
}

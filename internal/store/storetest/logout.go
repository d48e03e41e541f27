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
	{"LogoutSAMLOutbox", testLogoutSAMLOutbox},
	{"LogoutSAMLEnqueueOnce", testLogoutSAMLEnqueueOnce},
	{"LogoutSAMLIsolation", testLogoutSAMLIsolation},
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
	total := concurrentTotal(t, 4, func() (int, error) {
		ds, err := s.Logouts().EndSession(t.Context(), f.tenantID, f.sess.ID, time.Now())
		return len(ds), err
	})
	equal(t, total, 1, "deliveries enqueued by concurrent ends")
}

// concurrentTotal runs fn n times at once and adds up what they return.
func concurrentTotal(t *testing.T, n int, fn func() (int, error)) int {
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			got, err := fn()
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			total += got
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
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

// samlLogoutFixture is a logoutFixture whose session signed into two
// SAML service providers.
type samlLogoutFixture struct {
	logoutFixture
	a, b *store.SAMLServiceProvider
}

func mkSAMLLogoutFixture(t *testing.T, s store.Store) samlLogoutFixture {
	t.Helper()
	f := samlLogoutFixture{logoutFixture: mkLogoutFixture(t, s)}
	f.a, f.b = mkSAMLSP(t, s, f.tenantID), mkSAMLSP(t, s, f.tenantID)
	for _, sp := range []*store.SAMLServiceProvider{f.a, f.b} {
		must(t, s.SAMLSessions().Record(t.Context(), &store.SAMLSession{TenantID: f.tenantID, SessionID: f.sess.ID,
			SPID: sp.ID, NameID: "n-" + sp.ID, NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
			SessionIndex: "_i-" + sp.ID}))
	}
	return f
}

// testLogoutSAMLOutbox: the SPs named are enqueued with the NameID and
// SessionIndex they were sent and forgotten as participants; the others
// stay participants. Leases, retries and DeleteFinished as for OIDC.
func testLogoutSAMLOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := mkSAMLLogoutFixture(t, s)
	now := time.Now().UTC()
	ds, err := s.Logouts().EnqueueSAML(ctx, f.tenantID, f.sess.ID, f.userID, []string{f.a.ID, "no-such-sp"}, now)
	must(t, err)
	if len(ds) != 1 || ds[0].SPID != f.a.ID || ds[0].NameID != "n-"+f.a.ID || ds[0].SessionIndex != "_i-"+f.a.ID ||
		ds[0].UserID != f.userID || ds[0].NameIDFormat == "" || ds[0].ID == "" {
		t.Fatalf("EnqueueSAML = %+v, want one delivery to A", ds)
	}
	left, err := s.SAMLSessions().ListBySession(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	if len(left) != 1 || left[0].SPID != f.b.ID {
		t.Fatalf("participants left = %+v, want B only", left)
	}
	again, err := s.Logouts().EnqueueSAML(ctx, f.tenantID, f.sess.ID, f.userID, []string{f.a.ID}, now)
	must(t, err)
	equal(t, len(again), 0, "a second EnqueueSAML for A")

	claimed, err := s.Logouts().ClaimSAML(ctx, now, time.Minute, 10)
	must(t, err)
	var mine []store.SAMLLogoutDelivery
	for _, c := range claimed {
		if c.TenantID == f.tenantID {
			mine = append(mine, c)
		}
	}
	if len(mine) != 1 || mine[0].ID != ds[0].ID || mine[0].Attempts != 1 || mine[0].LeaseToken == "" {
		t.Fatalf("ClaimSAML = %+v", mine)
	}
	d := mine[0]
	must(t, s.Logouts().FinishSAML(ctx, f.tenantID, d.ID, d.LeaseToken, store.DeliveryResult{Status: store.DeliveryPending,
		Error: "HTTP 503", NextAttemptAt: now.Add(time.Minute), At: now}))
	wantErr(t, s.Logouts().FinishSAML(ctx, f.tenantID, d.ID, d.LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered, At: now}),
		store.ErrNotFound, "FinishSAML with a spent lease")
	retry, err := s.Logouts().ClaimSAML(ctx, now.Add(2*time.Minute), time.Minute, 100)
	must(t, err)
	var r *store.SAMLLogoutDelivery
	for i := range retry {
		if retry[i].ID == d.ID {
			r = &retry[i]
		}
	}
	if r == nil || r.Attempts != 2 || r.LastError != "HTTP 503" {
		t.Fatalf("retry ClaimSAML = %+v", retry)
	}
	must(t, s.Logouts().FinishSAML(ctx, f.tenantID, d.ID, r.LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered,
		At: now.Add(2 * time.Minute)}))
	got, err := s.Logouts().SAMLDeliveries(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	if len(got) != 1 || got[0].Status != store.DeliveryDelivered || got[0].DeliveredAt == nil {
		t.Fatalf("SAMLDeliveries = %+v, want one delivered", got)
	}
	_, err = s.Logouts().DeleteFinished(ctx, now.Add(time.Hour))
	must(t, err)
	got, err = s.Logouts().SAMLDeliveries(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	equal(t, len(got), 0, "SAML deliveries after DeleteFinished")

	// Deleting an SP takes its deliveries with it.
	ds, err = s.Logouts().EnqueueSAML(ctx, f.tenantID, f.sess.ID, f.userID, []string{f.b.ID}, now)
	must(t, err)
	equal(t, len(ds), 1, "B's delivery")
	must(t, s.SAMLServiceProviders().Delete(ctx, f.tenantID, f.b.ID))
	got, err = s.Logouts().SAMLDeliveries(ctx, f.tenantID, f.sess.ID)
	must(t, err)
	equal(t, len(got), 0, "SAML deliveries after the SP's deletion")
}

// testLogoutSAMLEnqueueOnce: nodes that end one session together enqueue
// one delivery per SP between them.
func testLogoutSAMLEnqueueOnce(t *testing.T, s store.Store) {
	f := mkSAMLLogoutFixture(t, s)
	total := concurrentTotal(t, 4, func() (int, error) {
		ds, err := s.Logouts().EnqueueSAML(t.Context(), f.tenantID, f.sess.ID, f.userID, []string{f.a.ID, f.b.ID}, time.Now())
		return len(ds), err
	})
	equal(t, total, 2, "SAML deliveries enqueued by concurrent ends")
}

// testLogoutSAMLIsolation: another tenant naming A's session and SPs
// enqueues nothing and leaves A's participants alone.
func testLogoutSAMLIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkSAMLLogoutFixture(t, s), mkSAMLLogoutFixture(t, s)
	ds, err := s.Logouts().EnqueueSAML(ctx, b.tenantID, a.sess.ID, b.userID, []string{a.a.ID, a.b.ID}, time.Now())
	must(t, err)
	equal(t, len(ds), 0, "EnqueueSAML of another tenant's session")
	left, err := s.SAMLSessions().ListBySession(ctx, a.tenantID, a.sess.ID)
	must(t, err)
	equal(t, len(left), 2, "A's participants after B's EnqueueSAML")
	ds, err = s.Logouts().EnqueueSAML(ctx, a.tenantID, a.sess.ID, a.userID, []string{a.a.ID}, time.Now())
	must(t, err)
	equal(t, len(ds), 1, "A's delivery")
	other, err := s.Logouts().SAMLDeliveries(ctx, b.tenantID, a.sess.ID)
	must(t, err)
	equal(t, len(other), 0, "A's SAML deliveries seen from B")
}

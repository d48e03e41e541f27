package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var sessionTests = []test{
	{"Session/CRUD", testSessionCRUD},
	{"Session/Update", testSessionUpdate},
	{"Session/TouchRevoke", testSessionTouchRevoke},
	{"Session/ListAndRevokeAll", testSessionListAndRevokeAll},
	{"Session/ConcurrentUpdates", testSessionConcurrentUpdates},
	{"Session/DeleteExpired", testSessionDeleteExpired},
}

var consentTests = []test{
	{"Consent/Upsert", testConsentUpsert},
	{"Consent/List", testConsentList},
}

func testSessionCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	x := mkSession(t, s, p.tenant.ID, p.user.ID)
	if x.ID == "" || x.CreatedAt.IsZero() || !x.LastSeenAt.Equal(x.CreatedAt) {
		t.Fatalf("Create did not stamp ID/CreatedAt/LastSeenAt: %+v", x)
	}
	got, err := s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	equal(t, got, x, "Get")
	got, err = s.Sessions().GetByToken(ctx, p.tenant.ID, x.TokenHash)
	must(t, err)
	equal(t, got, x, "GetByToken")
	if !got.Active(time.Now(), time.Hour) {
		t.Fatal("new session is not active")
	}
	_, err = s.Sessions().GetByToken(ctx, p.tenant.ID, hash("unknown"))
	wantErr(t, err, store.ErrNotFound, "GetByToken unknown")
	_, err = s.Sessions().Get(ctx, p.tenant.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "Get missing")

	// A bare session round-trips its zero values.
	bare := &oauth.Session{TenantID: p.tenant.ID, UserID: p.user.ID, TokenHash: hash(uniq("bare")), ExpiresAt: time.Now().Add(time.Hour)}
	must(t, s.Sessions().Create(ctx, bare))
	got, err = s.Sessions().Get(ctx, p.tenant.ID, bare.ID)
	must(t, err)
	equal(t, got, bare, "Get bare session")
	if !got.AuthTime.IsZero() || got.AMR != nil || got.RevokedAt != nil || got.Pending != nil || got.NotifyNewDevice {
		t.Fatalf("bare session grew fields: %+v", got)
	}

	// A session that owes steps round-trips them, in order.
	owing := mkSession(t, s, p.tenant.ID, p.user.ID, func(v *oauth.Session) {
		v.Pending = []oauth.Step{oauth.StepRiskChallenge, oauth.StepPasswordChange}
		v.NotifyNewDevice = true
	})
	got, err = s.Sessions().GetByToken(ctx, p.tenant.ID, owing.TokenHash)
	must(t, err)
	equal(t, got, owing, "GetByToken of a session that owes steps")
	if got.SignedIn() || !got.Owes(oauth.StepRiskChallenge) || !got.NotifyNewDevice {
		t.Fatalf("pending steps lost: %+v", got)
	}

	err = s.Sessions().Create(ctx, &oauth.Session{TenantID: p.tenant.ID, UserID: p.user.ID, TokenHash: x.TokenHash})
	wantErr(t, err, store.ErrConflict, "Create with a token hash in use")
	err = s.Sessions().Create(ctx, &oauth.Session{ID: x.ID, TenantID: p.tenant.ID, UserID: p.user.ID, TokenHash: hash(uniq("s"))})
	wantErr(t, err, store.ErrConflict, "Create with a taken ID")
	err = s.Sessions().Create(ctx, &oauth.Session{TenantID: p.tenant.ID, UserID: "no-such-user", TokenHash: hash(uniq("s"))})
	wantErr(t, err, store.ErrNotFound, "Create for an unknown user")
}

func testSessionUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	x := mkSession(t, s, p.tenant.ID, p.user.ID)
	other := mkSession(t, s, p.tenant.ID, p.user.ID)

	// Step-up authentication: new AMR, new cookie.
	newToken := hash(uniq("rotated-cookie"))
	authTime := zoned(time.Now())
	upd, err := s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error {
		v.AMR = append(v.AMR, "otp")
		v.ACR, v.AuthTime, v.TokenHash = "urn:example:loa:2", authTime, newToken
		v.ID, v.TenantID, v.CreatedAt = "hijack", "other", time.Time{} // the store's
		return nil
	})
	must(t, err)
	if upd.ID != x.ID || upd.TenantID != p.tenant.ID || !upd.CreatedAt.Equal(x.CreatedAt) || !upd.AuthTime.Equal(micro(authTime)) {
		t.Fatalf("Update let fn change identity fields or kept raw times: %+v", upd)
	}
	equal(t, upd.AMR, []string{"pwd", "otp"}, "AMR after step-up")

	// What a session owes is added and paid through Update, atomically
	// with the factor.
	upd, err = s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error {
		v.Owe(oauth.StepSecondFactor, oauth.StepRiskChallenge, oauth.StepSecondFactor)
		v.NotifyNewDevice = true
		return nil
	})
	must(t, err)
	equal(t, upd.Pending, []oauth.Step{oauth.StepSecondFactor, oauth.StepRiskChallenge}, "Pending after Owe")
	got, err := s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	equal(t, got, upd, "Get after Owe")
	upd, err = s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error {
		v.Pay(oauth.StepSecondFactor, oauth.StepRiskChallenge)
		return nil
	})
	must(t, err)
	if !upd.SignedIn() || upd.NotifyNewDevice {
		t.Fatalf("Pay left %+v", upd)
	}
	got, err = s.Sessions().GetByToken(ctx, p.tenant.ID, newToken)
	must(t, err)
	equal(t, got, upd, "GetByToken after Pay")
	got, err = s.Sessions().GetByToken(ctx, p.tenant.ID, newToken)
	must(t, err)
	equal(t, got, upd, "GetByToken with the new cookie")
	_, err = s.Sessions().GetByToken(ctx, p.tenant.ID, x.TokenHash)
	wantErr(t, err, store.ErrNotFound, "GetByToken with the old cookie")

	boom := errors.New("boom")
	_, err = s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error { v.ACR = "never"; return boom })
	wantErr(t, err, boom, "Update with failing fn")
	_, err = s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error { v.TokenHash = other.TokenHash; return nil })
	wantErr(t, err, store.ErrConflict, "Update to another session's token hash")
	got, err = s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	equal(t, got, upd, "session after failed Updates")
	_, err = s.Sessions().Update(ctx, p.tenant.ID, "missing", func(*oauth.Session) error {
		t.Error("fn called for a missing session")
		return nil
	})
	wantErr(t, err, store.ErrNotFound, "Update missing")

	// Update cannot undo or move a revocation.
	revoked := time.Now()
	must(t, s.Sessions().Revoke(ctx, p.tenant.ID, x.ID, revoked))
	upd, err = s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error {
		v.RevokedAt, v.IP = nil, "198.51.100.7"
		return nil
	})
	must(t, err)
	if upd.RevokedAt == nil || !upd.RevokedAt.Equal(micro(revoked)) || upd.IP != "198.51.100.7" {
		t.Fatalf("Update resurrected the session or dropped its change: %+v", upd)
	}
	got, err = s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	equal(t, got, upd, "Get after Update of a revoked session")
	// Revoking through Update works, and keeps the first time after that.
	_, err = s.Sessions().Update(ctx, p.tenant.ID, other.ID, func(v *oauth.Session) error { v.RevokedAt = &revoked; return nil })
	must(t, err)
	later := revoked.Add(time.Hour)
	upd, err = s.Sessions().Update(ctx, p.tenant.ID, other.ID, func(v *oauth.Session) error { v.RevokedAt = &later; return nil })
	must(t, err)
	if upd.RevokedAt == nil || !upd.RevokedAt.Equal(micro(revoked)) {
		t.Fatalf("revocation time moved: %v, want %v", upd.RevokedAt, micro(revoked))
	}
}

func testSessionTouchRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	x := mkSession(t, s, p.tenant.ID, p.user.ID)
	seen := time.Now().Add(time.Minute)
	must(t, s.Sessions().Touch(ctx, p.tenant.ID, x.ID, seen, "203.0.113.9", "curl/8"))
	got, err := s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	want := *x
	want.LastSeenAt, want.IP, want.UserAgent = micro(seen), "203.0.113.9", "curl/8"
	equal(t, got, &want, "Get after Touch")
	wantErr(t, s.Sessions().Touch(ctx, p.tenant.ID, "missing", seen, "", ""), store.ErrNotFound, "Touch missing")

	revoked := time.Now()
	must(t, s.Sessions().Revoke(ctx, p.tenant.ID, x.ID, revoked))
	must(t, s.Sessions().Revoke(ctx, p.tenant.ID, x.ID, revoked.Add(time.Hour))) // first wins
	wantErr(t, s.Sessions().Revoke(ctx, p.tenant.ID, "missing", revoked), store.ErrNotFound, "Revoke missing")
	got, err = s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(micro(revoked)) || got.Active(time.Now(), 0) {
		t.Fatalf("after Revoke: RevokedAt %v, want %v", got.RevokedAt, micro(revoked))
	}
	want = *got

	// Touching a revoked session records nothing and resurrects nothing.
	must(t, s.Sessions().Touch(ctx, p.tenant.ID, x.ID, seen.Add(time.Hour), "192.0.2.99", "evil"))
	got, err = s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	equal(t, got, &want, "revoked session after Touch")
}

func testSessionListAndRevokeAll(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	other := mkUser(t, s, p.tenant.ID, "other@example.com")
	var active []string
	for range 5 {
		active = append(active, mkSession(t, s, p.tenant.ID, p.user.ID).ID)
	}
	revoked := mkSession(t, s, p.tenant.ID, p.user.ID)
	must(t, s.Sessions().Revoke(ctx, p.tenant.ID, revoked.ID, time.Now()))
	expired := mkSession(t, s, p.tenant.ID, p.user.ID, func(x *oauth.Session) { x.ExpiresAt = time.Now().Add(-time.Second) })
	theirs := mkSession(t, s, p.tenant.ID, other.ID)
	slices.Sort(active)

	got := walk(t, 2, func(pg store.Page) ([]string, string, error) {
		items, next, err := s.Sessions().ListByUser(ctx, p.tenant.ID, p.user.ID, pg)
		return ids(items, func(x oauth.Session) string { return x.ID }), next, err
	})
	equal(t, got, active, "ListByUser (no revoked, no expired, no other user's)")

	at := time.Now()
	n, err := s.Sessions().RevokeAllForUser(ctx, p.tenant.ID, p.user.ID, at)
	count(t, n, err, 5, "RevokeAllForUser")
	n, err = s.Sessions().RevokeAllForUser(ctx, p.tenant.ID, p.user.ID, at.Add(time.Hour))
	count(t, n, err, 0, "second RevokeAllForUser")
	items, next, err := s.Sessions().ListByUser(ctx, p.tenant.ID, p.user.ID, store.Page{})
	must(t, err)
	if len(items) != 0 || next != "" {
		t.Fatalf("ListByUser after RevokeAllForUser: %d sessions", len(items))
	}
	for _, id := range active {
		x, err := s.Sessions().Get(ctx, p.tenant.ID, id)
		must(t, err)
		if x.RevokedAt == nil || !x.RevokedAt.Equal(micro(at)) {
			t.Fatalf("session %s: RevokedAt %v, want %v", id, x.RevokedAt, micro(at))
		}
	}
	// Already revoked and expired sessions are left as they were.
	got1, err := s.Sessions().Get(ctx, p.tenant.ID, revoked.ID)
	must(t, err)
	if got1.RevokedAt.Equal(micro(at)) {
		t.Fatal("RevokeAllForUser moved an earlier revocation")
	}
	got1, err = s.Sessions().Get(ctx, p.tenant.ID, expired.ID)
	must(t, err)
	equal(t, got1, expired, "expired session")
	got1, err = s.Sessions().Get(ctx, p.tenant.ID, theirs.ID)
	must(t, err)
	equal(t, got1, theirs, "other user's session")
}

// Concurrent read-modify-write Updates serialise: none is lost.
func testSessionConcurrentUpdates(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	x := mkSession(t, s, p.tenant.ID, p.user.ID, func(x *oauth.Session) { x.AMR = nil })
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error {
				v.AMR = append(v.AMR, fmt.Sprintf("m%02d", i))
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	must(t, err)
	equal(t, len(got.AMR), n, "AMR entries after concurrent Updates")
}

func testSessionDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.Session
	for range 2 {
		p := mkParty(t, s)
		for _, d := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			x := mkSession(t, s, p.tenant.ID, p.user.ID, func(x *oauth.Session) { x.ExpiresAt = now.Add(d) })
			if d > 0 {
				keep = append(keep, x)
			}
		}
	}
	n, err := s.Sessions().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.Sessions().DeleteExpired(ctx, now)
	count(t, n, err, 0, "second DeleteExpired")
	for _, x := range keep {
		_, err := s.Sessions().Get(ctx, x.TenantID, x.ID)
		must(t, err)
	}
}

func testConsentUpsert(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	_, err := s.Consents().Get(ctx, p.tenant.ID, p.user.ID, p.client.ID)
	wantErr(t, err, store.ErrNotFound, "Get before Upsert")

	c := &oauth.Consent{TenantID: p.tenant.ID, UserID: p.user.ID, ClientID: p.client.ID, Scopes: []string{"openid", "profile"}}
	must(t, s.Consents().Upsert(ctx, c))
	if c.CreatedAt.IsZero() || !c.UpdatedAt.Equal(c.CreatedAt) {
		t.Fatalf("Upsert did not stamp the consent: %+v", c)
	}
	got, err := s.Consents().Get(ctx, p.tenant.ID, p.user.ID, p.client.ID)
	must(t, err)
	equal(t, got, c, "Get")
	if !got.Covers([]string{"openid"}) || got.Covers([]string{"email"}) {
		t.Fatalf("Covers on %v", got.Scopes)
	}

	// Replacing keeps CreatedAt and moves UpdatedAt, whatever the caller
	// passes (here: the stale copy it loaded).
	time.Sleep(2 * time.Millisecond)
	got.Scopes = []string{"openid", "profile", "email"}
	got.CreatedAt = time.Now().Add(-24 * time.Hour)
	must(t, s.Consents().Upsert(ctx, got))
	if !got.CreatedAt.Equal(c.CreatedAt) || !got.UpdatedAt.After(c.UpdatedAt) {
		t.Fatalf("Upsert over an existing consent: created %v (want %v), updated %v (want after %v)",
			got.CreatedAt, c.CreatedAt, got.UpdatedAt, c.UpdatedAt)
	}
	again, err := s.Consents().Get(ctx, p.tenant.ID, p.user.ID, p.client.ID)
	must(t, err)
	equal(t, again, got, "Get after replace")

	err = s.Consents().Upsert(ctx, &oauth.Consent{TenantID: p.tenant.ID, UserID: "no-such-user", ClientID: p.client.ID})
	wantErr(t, err, store.ErrNotFound, "Upsert for an unknown user")
	err = s.Consents().Upsert(ctx, &oauth.Consent{TenantID: p.tenant.ID, UserID: p.user.ID, ClientID: "no-such-client"})
	wantErr(t, err, store.ErrNotFound, "Upsert for an unknown client")

	must(t, s.Consents().Delete(ctx, p.tenant.ID, p.user.ID, p.client.ID))
	_, err = s.Consents().Get(ctx, p.tenant.ID, p.user.ID, p.client.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	wantErr(t, s.Consents().Delete(ctx, p.tenant.ID, p.user.ID, p.client.ID), store.ErrNotFound, "Delete twice")

	// An empty grant round-trips as nil scopes.
	empty := &oauth.Consent{TenantID: p.tenant.ID, UserID: p.user.ID, ClientID: p.client.ID}
	must(t, s.Consents().Upsert(ctx, empty))
	got, err = s.Consents().Get(ctx, p.tenant.ID, p.user.ID, p.client.ID)
	must(t, err)
	equal(t, got, empty, "Get empty consent")
}

func testConsentList(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	other := mkUser(t, s, p.tenant.ID, "other@example.com")
	var want []string
	for i := range 7 {
		id := fmt.Sprintf("app-%c", 'g'-i) // created out of order
		mkClient(t, s, p.tenant.ID, id)
		must(t, s.Consents().Upsert(ctx, &oauth.Consent{TenantID: p.tenant.ID, UserID: p.user.ID, ClientID: id, Scopes: []string{"openid"}}))
		want = append(want, id)
	}
	must(t, s.Consents().Upsert(ctx, &oauth.Consent{TenantID: p.tenant.ID, UserID: other.ID, ClientID: p.client.ID}))
	slices.Sort(want)
	got := walk(t, 3, func(pg store.Page) ([]string, string, error) {
		items, next, err := s.Consents().ListByUser(ctx, p.tenant.ID, p.user.ID, pg)
		for _, c := range items {
			if c.UserID != p.user.ID {
				t.Fatalf("ListByUser returned another user's consent: %+v", c)
			}
		}
		return ids(items, func(c oauth.Consent) string { return c.ClientID }), next, err
	})
	equal(t, got, want, "client IDs over pages")
}

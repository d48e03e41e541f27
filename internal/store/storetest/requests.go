package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Authorization requests, pushed requests and device authorizations: the
// short-lived state of a login in progress.

var authRequestTests = []test{
	{"AuthRequest/CRUD", testAuthRequestCRUD},
	{"AuthRequest/Constraints", testAuthRequestConstraints},
	{"AuthRequest/UpdateAborts", testAuthRequestUpdateAborts},
	{"AuthRequest/ConcurrentCodeExchange", testAuthRequestConcurrentExchange},
	{"AuthRequest/DeleteExpired", testAuthRequestDeleteExpired},
	{"OAuthJSON/KeepsNUL", testOAuthJSONKeepsNUL},
}

var pushedRequestTests = []test{
	{"PushedRequest/CreateTake", testPushedTake},
	{"PushedRequest/TakeRace", testPushedTakeRace},
	{"PushedRequest/DeleteExpired", testPushedDeleteExpired},
}

var deviceTests = []test{
	{"DeviceAuthorization/CRUD", testDeviceCRUD},
	{"DeviceAuthorization/UserCodeReuse", testDeviceUserCodeReuse},
	{"DeviceAuthorization/DeleteExpired", testDeviceDeleteExpired},
	{"DeviceAuthorization/PollState", testDevicePollState},
}

func testAuthRequestCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	a := mkAuthRequest(t, s, p.tenant.ID, p.client.ID)
	if a.ID == "" || a.CreatedAt.Location() != time.UTC || !a.CreatedAt.Equal(a.CreatedAt.Truncate(time.Microsecond)) {
		t.Fatalf("Create did not stamp/normalise the request: %+v", a)
	}
	got, err := s.AuthRequests().Get(ctx, p.tenant.ID, a.ID)
	must(t, err)
	equal(t, got, a, "Get")
	if got.UserID != "" || !got.AuthTime.IsZero() || got.CodeHash != nil || got.CodeUsedAt != nil {
		t.Fatalf("fresh request grew fields: %+v", got)
	}
	_, err = s.AuthRequests().GetByCode(ctx, p.tenant.ID, nil)
	wantErr(t, err, store.ErrNotFound, "GetByCode of an empty hash (no request has a code yet)")

	// Authentication, consent and code issuance.
	code := hash("the-code")
	authTime := zoned(time.Now())
	upd, err := s.AuthRequests().Update(ctx, p.tenant.ID, a.ID, func(x *oauth.AuthRequest) error {
		x.UserID, x.SessionID, x.AuthTime = p.user.ID, "sess-1", authTime
		x.AMR, x.ACR, x.Done, x.CodeHash = []string{"pwd", "hwk"}, "urn:example:loa:3", true, code
		x.ID, x.TenantID, x.CreatedAt = "hijack", "other", time.Time{} // the store's
		return nil
	})
	must(t, err)
	if upd.ID != a.ID || upd.TenantID != p.tenant.ID || !upd.CreatedAt.Equal(a.CreatedAt) || !upd.AuthTime.Equal(micro(authTime)) {
		t.Fatalf("Update let fn change identity fields or kept raw times: %+v", upd)
	}
	got, err = s.AuthRequests().Get(ctx, p.tenant.ID, a.ID)
	must(t, err)
	equal(t, got, upd, "Get after Update")
	got, err = s.AuthRequests().GetByCode(ctx, p.tenant.ID, code)
	must(t, err)
	equal(t, got, upd, "GetByCode")
	_, err = s.AuthRequests().GetByCode(ctx, p.tenant.ID, hash("other-code"))
	wantErr(t, err, store.ErrNotFound, "GetByCode of an unknown code")

	// The exchange marks the code and records what it issued.
	used := time.Now()
	upd, err = s.AuthRequests().Update(ctx, p.tenant.ID, a.ID, func(x *oauth.AuthRequest) error {
		x.CodeUsedAt, x.IssuedAccessJTI, x.IssuedFamilyID = &used, "jti-1", "family-1"
		x.MaxAge = ptr(time.Duration(0)) // max_age=0 is not "unset"
		x.Prompt = nil
		return nil
	})
	must(t, err)
	got, err = s.AuthRequests().Get(ctx, p.tenant.ID, a.ID)
	must(t, err)
	equal(t, got, upd, "Get after the exchange")
	if got.CodeUsedAt == nil || !got.CodeUsedAt.Equal(micro(used)) || got.MaxAge == nil || *got.MaxAge != 0 || got.Prompt != nil {
		t.Fatalf("exchange fields: %+v", got)
	}

	// A minimal request round-trips its zero values.
	m := &oauth.AuthRequest{TenantID: p.tenant.ID, ClientID: p.client.ID, ExpiresAt: time.Now().Add(time.Minute)}
	must(t, s.AuthRequests().Create(ctx, m))
	got, err = s.AuthRequests().Get(ctx, p.tenant.ID, m.ID)
	must(t, err)
	equal(t, got, m, "Get minimal request")
	if got.MaxAge != nil || got.Scopes != nil {
		t.Fatalf("minimal request grew fields: %+v", got)
	}

	must(t, s.AuthRequests().Delete(ctx, p.tenant.ID, a.ID))
	_, err = s.AuthRequests().Get(ctx, p.tenant.ID, a.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	_, err = s.AuthRequests().GetByCode(ctx, p.tenant.ID, code)
	wantErr(t, err, store.ErrNotFound, "GetByCode after Delete")
	wantErr(t, s.AuthRequests().Delete(ctx, p.tenant.ID, a.ID), store.ErrNotFound, "Delete twice")
}

func testAuthRequestConstraints(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	err := s.AuthRequests().Create(ctx, fullAuthRequest(p.tenant.ID, "no-such-client"))
	wantErr(t, err, store.ErrNotFound, "Create for an unknown client")
	err = s.AuthRequests().Create(ctx, fullAuthRequest("no-such-tenant", p.client.ID))
	wantErr(t, err, store.ErrNotFound, "Create in an unknown tenant")
	a := mkAuthRequest(t, s, p.tenant.ID, p.client.ID, func(x *oauth.AuthRequest) { x.CodeHash = hash("c1") })
	err = s.AuthRequests().Create(ctx, &oauth.AuthRequest{ID: a.ID, TenantID: p.tenant.ID, ClientID: p.client.ID})
	wantErr(t, err, store.ErrConflict, "Create with a taken ID")

	b := mkAuthRequest(t, s, p.tenant.ID, p.client.ID)
	_, err = s.AuthRequests().Update(ctx, p.tenant.ID, b.ID, func(x *oauth.AuthRequest) error { x.CodeHash = hash("c1"); return nil })
	wantErr(t, err, store.ErrConflict, "Update to a code hash in use")
	_, err = s.AuthRequests().Update(ctx, p.tenant.ID, b.ID, func(x *oauth.AuthRequest) error { x.UserID = "no-such-user"; return nil })
	wantErr(t, err, store.ErrNotFound, "Update to an unknown user")
	got, err := s.AuthRequests().Get(ctx, p.tenant.ID, b.ID)
	must(t, err)
	equal(t, got, b, "request after failed Updates")
}

func testAuthRequestUpdateAborts(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	a := mkAuthRequest(t, s, p.tenant.ID, p.client.ID)
	boom := errors.New("boom")
	_, err := s.AuthRequests().Update(ctx, p.tenant.ID, a.ID, func(x *oauth.AuthRequest) error {
		x.Done, x.CodeHash = true, hash("never")
		return boom
	})
	wantErr(t, err, boom, "Update with failing fn")
	got, err := s.AuthRequests().Get(ctx, p.tenant.ID, a.ID)
	must(t, err)
	equal(t, got, a, "request after aborted Update")
	_, err = s.AuthRequests().GetByCode(ctx, p.tenant.ID, hash("never"))
	wantErr(t, err, store.ErrNotFound, "code of aborted Update")

	_, err = s.AuthRequests().Update(ctx, p.tenant.ID, "missing", func(*oauth.AuthRequest) error {
		t.Error("fn called for a missing request")
		return nil
	})
	wantErr(t, err, store.ErrNotFound, "Update missing")
	wantErr(t, s.AuthRequests().Delete(ctx, p.tenant.ID, "missing"), store.ErrNotFound, "Delete missing")
}

// Racing code exchanges serialise on the row: exactly one finds the code
// unused, so replay detection in fn is sound.
func testAuthRequestConcurrentExchange(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	a := mkAuthRequest(t, s, p.tenant.ID, p.client.ID, func(x *oauth.AuthRequest) { x.CodeHash = hash("code") })
	errReplay := errors.New("replay")
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.AuthRequests().Update(ctx, p.tenant.ID, a.ID, func(x *oauth.AuthRequest) error {
				if x.CodeUsedAt != nil {
					return errReplay
				}
				now := time.Now()
				x.CodeUsedAt, x.IssuedAccessJTI = &now, fmt.Sprintf("jti-%d", i)
				return nil
			})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, errReplay):
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	equal(t, wins, 1, "exchanges that found the code unused")
}

func testAuthRequestDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.AuthRequest
	for range 2 {
		p := mkParty(t, s)
		for _, d := range []time.Duration{-2 * time.Hour, -time.Second, time.Hour} {
			a := mkAuthRequest(t, s, p.tenant.ID, p.client.ID, func(x *oauth.AuthRequest) { x.ExpiresAt = now.Add(d) })
			if d > 0 {
				keep = append(keep, a)
			}
		}
	}
	n, err := s.AuthRequests().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.AuthRequests().DeleteExpired(ctx, now)
	count(t, n, err, 0, "second DeleteExpired")
	for _, a := range keep {
		_, err := s.AuthRequests().Get(ctx, a.TenantID, a.ID)
		must(t, err)
	}
}

func testPushedTake(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	r := mkPushed(t, s, p.tenant.ID, p.client.ID)
	if len(r.ID) < 20 {
		t.Fatalf("generated request_uri ID %q is too short to be unguessable", r.ID)
	}
	got, err := s.PushedRequests().Take(ctx, p.tenant.ID, r.ID)
	must(t, err)
	equal(t, got, r, "Take")
	_, err = s.PushedRequests().Take(ctx, p.tenant.ID, r.ID)
	wantErr(t, err, store.ErrNotFound, "second Take (request_uri is one-time)")

	// Caller-chosen ID, no parameters.
	bare := mkPushed(t, s, p.tenant.ID, p.client.ID, func(x *oauth.PushedRequest) { x.ID, x.Params = "fixed-id", nil })
	equal(t, bare.ID, "fixed-id", "caller-chosen ID")
	err = s.PushedRequests().Create(ctx, &oauth.PushedRequest{TenantID: p.tenant.ID, ID: "fixed-id", ClientID: p.client.ID})
	wantErr(t, err, store.ErrConflict, "Create with a taken ID")
	got, err = s.PushedRequests().Take(ctx, p.tenant.ID, "fixed-id")
	must(t, err)
	equal(t, got, bare, "Take bare request")

	// An expired request is not handed out, and is gone afterwards.
	old := mkPushed(t, s, p.tenant.ID, p.client.ID, func(x *oauth.PushedRequest) { x.ExpiresAt = time.Now().Add(-time.Second) })
	_, err = s.PushedRequests().Take(ctx, p.tenant.ID, old.ID)
	wantErr(t, err, store.ErrNotFound, "Take expired")
	n, err := s.PushedRequests().DeleteExpired(ctx, time.Now().Add(time.Hour))
	count(t, n, err, 0, "expired request left behind by Take")

	_, err = s.PushedRequests().Take(ctx, p.tenant.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "Take missing")
	err = s.PushedRequests().Create(ctx, &oauth.PushedRequest{TenantID: p.tenant.ID, ClientID: "no-such-client", ExpiresAt: time.Now().Add(time.Minute)})
	wantErr(t, err, store.ErrNotFound, "Create for an unknown client")
}

func testPushedTakeRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	r := mkPushed(t, s, p.tenant.ID, p.client.ID)
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = s.PushedRequests().Take(ctx, p.tenant.ID, r.ID) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, store.ErrNotFound):
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	equal(t, wins, 1, "racing Takes that got the request")
}

func testPushedDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.PushedRequest
	for range 2 {
		p := mkParty(t, s)
		for _, d := range []time.Duration{-time.Hour, -time.Microsecond, time.Minute} {
			r := mkPushed(t, s, p.tenant.ID, p.client.ID, func(x *oauth.PushedRequest) { x.ExpiresAt = now.Add(d) })
			if d > 0 {
				keep = append(keep, r)
			}
		}
	}
	n, err := s.PushedRequests().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	for _, r := range keep {
		_, err := s.PushedRequests().Take(ctx, r.TenantID, r.ID)
		must(t, err)
	}
}

func testDeviceCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	d := mkDevice(t, s, p.tenant.ID, p.client.ID, "WDJBMJHT", func(d *oauth.DeviceAuthorization) {
		d.Resource = "https://api.example.com/billing"
		d.AuthorizationDetails = `[{"type":"payment_initiation","amount":"10.00"}]`
	})
	if d.State != oauth.DevicePending || d.CreatedAt.IsZero() {
		t.Fatalf("Create did not default State/CreatedAt: %+v", d)
	}
	got, err := s.DeviceAuthorizations().GetByDeviceCode(ctx, p.tenant.ID, d.DeviceCodeHash)
	must(t, err)
	equal(t, got, d, "GetByDeviceCode")
	got, err = s.DeviceAuthorizations().GetByUserCode(ctx, p.tenant.ID, "WDJBMJHT")
	must(t, err)
	equal(t, got, d, "GetByUserCode")
	_, err = s.DeviceAuthorizations().GetByUserCode(ctx, p.tenant.ID, "wdjbmjht")
	wantErr(t, err, store.ErrNotFound, "GetByUserCode is exact (the caller normalises)")
	_, err = s.DeviceAuthorizations().GetByDeviceCode(ctx, p.tenant.ID, hash("unknown"))
	wantErr(t, err, store.ErrNotFound, "GetByDeviceCode unknown")

	authTime := zoned(time.Now())
	upd, err := s.DeviceAuthorizations().Update(ctx, p.tenant.ID, "WDJBMJHT", func(x *oauth.DeviceAuthorization) error {
		x.State, x.UserID, x.AuthTime, x.AMR = oauth.DeviceApproved, p.user.ID, authTime, []string{"pwd"}
		// The keys and CreatedAt are the store's.
		x.TenantID, x.DeviceCodeHash, x.UserCode, x.CreatedAt = "other", hash("hijack"), "HIJACK", time.Time{}
		x.Resource = "https://api.example.com/other"
		x.AuthorizationDetails = `[{"type":"payment_initiation","amount":"99.00"}]`
		return nil
	})
	must(t, err)
	if upd.Resource != d.Resource {
		t.Fatalf("Update changed the resource: %q", upd.Resource)
	}
	if upd.AuthorizationDetails != d.AuthorizationDetails {
		t.Fatalf("Update changed the authorization details: %q", upd.AuthorizationDetails)
	}
	if upd.UserCode != d.UserCode || string(upd.DeviceCodeHash) != string(d.DeviceCodeHash) ||
		upd.TenantID != p.tenant.ID || !upd.CreatedAt.Equal(d.CreatedAt) || !upd.AuthTime.Equal(micro(authTime)) {
		t.Fatalf("Update let fn change keys: %+v", upd)
	}
	got, err = s.DeviceAuthorizations().GetByDeviceCode(ctx, p.tenant.ID, d.DeviceCodeHash)
	must(t, err)
	equal(t, got, upd, "GetByDeviceCode after approval")

	boom := errors.New("boom")
	_, err = s.DeviceAuthorizations().Update(ctx, p.tenant.ID, "WDJBMJHT", func(x *oauth.DeviceAuthorization) error {
		x.State = oauth.DeviceDenied
		return boom
	})
	wantErr(t, err, boom, "Update with failing fn")
	got, err = s.DeviceAuthorizations().GetByUserCode(ctx, p.tenant.ID, "WDJBMJHT")
	must(t, err)
	equal(t, got, upd, "after aborted Update")
	_, err = s.DeviceAuthorizations().Update(ctx, p.tenant.ID, "MISSING", func(*oauth.DeviceAuthorization) error {
		t.Error("fn called for a missing authorization")
		return nil
	})
	wantErr(t, err, store.ErrNotFound, "Update missing")
	_, err = s.DeviceAuthorizations().Update(ctx, p.tenant.ID, "WDJBMJHT", func(x *oauth.DeviceAuthorization) error {
		x.UserID = "no-such-user"
		return nil
	})
	wantErr(t, err, store.ErrNotFound, "Update to an unknown user")

	err = s.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{TenantID: p.tenant.ID, UserCode: "NOHASH", ClientID: p.client.ID})
	if err == nil {
		t.Fatal("Create without a device code hash succeeded")
	}
	err = s.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{TenantID: p.tenant.ID, DeviceCodeHash: hash("x"),
		UserCode: "NOCLIENT", ClientID: "no-such-client", ExpiresAt: time.Now().Add(time.Minute)})
	wantErr(t, err, store.ErrNotFound, "Create for an unknown client")
}

// A user code is unique among the tenant's unexpired authorizations;
// "expired" is ExpiresAt <= the new authorization's CreatedAt.
func testDeviceUserCodeReuse(t *testing.T, s store.Store) {
	ctx := t.Context()
	p, other := mkParty(t, s), mkParty(t, s)
	live := mkDevice(t, s, p.tenant.ID, p.client.ID, "LIVECODE")
	err := s.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{TenantID: p.tenant.ID, DeviceCodeHash: hash(uniq("d")),
		UserCode: "LIVECODE", ClientID: p.client.ID, ExpiresAt: time.Now().Add(time.Hour)})
	wantErr(t, err, store.ErrConflict, "Create with an unexpired authorization's user code")
	err = s.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{TenantID: p.tenant.ID, DeviceCodeHash: live.DeviceCodeHash,
		UserCode: "OTHERCODE", ClientID: p.client.ID, ExpiresAt: time.Now().Add(time.Hour)})
	wantErr(t, err, store.ErrConflict, "Create with a device code hash in use")
	// User codes are per tenant.
	mkDevice(t, s, other.tenant.ID, other.client.ID, "LIVECODE")

	// The boundary is exact: one microsecond before expiry the code is
	// taken, at expiry it is free and the old authorization is replaced.
	exp := micro(time.Now().Add(time.Minute))
	old := mkDevice(t, s, p.tenant.ID, p.client.ID, "EXPIRING", func(x *oauth.DeviceAuthorization) { x.ExpiresAt = exp })
	err = s.DeviceAuthorizations().Create(ctx, &oauth.DeviceAuthorization{TenantID: p.tenant.ID, DeviceCodeHash: hash(uniq("d")),
		UserCode: "EXPIRING", ClientID: p.client.ID, CreatedAt: exp.Add(-time.Microsecond), ExpiresAt: exp.Add(time.Hour)})
	wantErr(t, err, store.ErrConflict, "Create one microsecond before the holder expires")
	repl := mkDevice(t, s, p.tenant.ID, p.client.ID, "EXPIRING", func(x *oauth.DeviceAuthorization) {
		x.CreatedAt, x.ExpiresAt = exp, exp.Add(10*time.Minute)
	})
	got, err := s.DeviceAuthorizations().GetByUserCode(ctx, p.tenant.ID, "EXPIRING")
	must(t, err)
	equal(t, got, repl, "GetByUserCode after replacement")
	_, err = s.DeviceAuthorizations().GetByDeviceCode(ctx, p.tenant.ID, old.DeviceCodeHash)
	wantErr(t, err, store.ErrNotFound, "replaced authorization")

	// With the store clock: an authorization that expired a while ago.
	stale := mkDevice(t, s, p.tenant.ID, p.client.ID, "STALE", func(x *oauth.DeviceAuthorization) {
		x.CreatedAt, x.ExpiresAt = time.Now().Add(-time.Hour), time.Now().Add(-time.Minute)
	})
	mkDevice(t, s, p.tenant.ID, p.client.ID, "STALE")
	_, err = s.DeviceAuthorizations().GetByDeviceCode(ctx, p.tenant.ID, stale.DeviceCodeHash)
	wantErr(t, err, store.ErrNotFound, "stale authorization after its code was reused")
	// The other tenant's holder of LIVECODE was never touched.
	_, err = s.DeviceAuthorizations().GetByUserCode(ctx, other.tenant.ID, "LIVECODE")
	must(t, err)
	got, err = s.DeviceAuthorizations().GetByUserCode(ctx, p.tenant.ID, "LIVECODE")
	must(t, err)
	equal(t, got, live, "live authorization")
}

// The polling state (interval, last poll) is stored with the device code,
// so every node sees it: 5 seconds and no poll by default, whole seconds
// and microsecond times as the rest of the store.
func testDevicePollState(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	d := mkDevice(t, s, p.tenant.ID, p.client.ID, "POLLCODE")
	if d.PollInterval != 5*time.Second || d.LastPolledAt != nil {
		t.Fatalf("defaults: interval %v, last poll %v", d.PollInterval, d.LastPolledAt)
	}
	polled := zoned(time.Now())
	upd, err := s.DeviceAuthorizations().Update(ctx, p.tenant.ID, "POLLCODE", func(x *oauth.DeviceAuthorization) error {
		x.PollInterval, x.LastPolledAt = 10*time.Second+300*time.Millisecond, &polled
		return nil
	})
	must(t, err)
	if upd.PollInterval != 10*time.Second || !upd.LastPolledAt.Equal(micro(polled)) || upd.LastPolledAt.Location() != time.UTC {
		t.Fatalf("Update: interval %v, last poll %v", upd.PollInterval, upd.LastPolledAt)
	}
	got, err := s.DeviceAuthorizations().GetByDeviceCode(ctx, p.tenant.ID, d.DeviceCodeHash)
	must(t, err)
	equal(t, got, upd, "GetByDeviceCode after a poll")
	other := mkDevice(t, s, p.tenant.ID, p.client.ID, "SLOWCODE", func(x *oauth.DeviceAuthorization) {
		x.PollInterval, x.LastPolledAt = 20*time.Second, &polled
	})
	got, err = s.DeviceAuthorizations().GetByUserCode(ctx, p.tenant.ID, "SLOWCODE")
	must(t, err)
	equal(t, got, other, "Create with a poll state")
}

func testDeviceDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.DeviceAuthorization
	for range 2 {
		p := mkParty(t, s)
		for i, d := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			x := mkDevice(t, s, p.tenant.ID, p.client.ID, fmt.Sprintf("CODE%d", i), func(x *oauth.DeviceAuthorization) {
				x.CreatedAt, x.ExpiresAt = now.Add(-2*time.Hour), now.Add(d)
			})
			if d > 0 {
				keep = append(keep, x)
			}
		}
	}
	n, err := s.DeviceAuthorizations().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.DeviceAuthorizations().DeleteExpired(ctx, now)
	count(t, n, err, 0, "second DeleteExpired")
	for _, d := range keep {
		_, err := s.DeviceAuthorizations().GetByUserCode(ctx, d.TenantID, d.UserCode)
		must(t, err)
	}
}

// Request parameters land in JSON columns verbatim; a NUL in them (\u0000
// once encoded) must round-trip on every engine, not fail on one.
func testOAuthJSONKeepsNUL(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	const nul = "a\x00b"
	a := mkAuthRequest(t, s, p.tenant.ID, p.client.ID, func(x *oauth.AuthRequest) {
		x.Scopes, x.UILocales = []string{"openid", nul}, []string{nul}
	})
	got, err := s.AuthRequests().Get(ctx, p.tenant.ID, a.ID)
	must(t, err)
	equal(t, got, a, "auth request with NUL in scopes")
	r := mkPushed(t, s, p.tenant.ID, p.client.ID, func(x *oauth.PushedRequest) { x.Params[nul] = []string{nul} })
	gotR, err := s.PushedRequests().Take(ctx, p.tenant.ID, r.ID)
	must(t, err)
	equal(t, gotR, r, "pushed request with NUL in a parameter")
	o := mkOpaque(t, s, p.tenant.ID, p.client.ID, "", func(x *oauth.OpaqueToken) { x.Claims[nul] = nul })
	gotO, err := s.OpaqueTokens().GetByHash(ctx, p.tenant.ID, o.TokenHash)
	must(t, err)
	equal(t, gotO, o, "opaque token with NUL in a claim")
}

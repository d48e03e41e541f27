package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var oauthIsolationTests = []test{
	{"OAuthTenantIsolation", testOAuthTenantIsolation},
}

var oauthCascadeTests = []test{
	{"OAuthCascade/UserDelete", testOAuthUserDeleteCascades},
	{"OAuthCascade/ClientDelete", testOAuthClientDeleteCascades},
	{"OAuthCascade/TenantDelete", testOAuthTenantDeleteCascades},
	{"OAuthInTx", testOAuthInTx},
}

// oauthRows is one of everything the OAuth repositories hold, for a party.
type oauthRows struct {
	req     *oauth.AuthRequest
	session *oauth.Session
	consent *oauth.Consent
	refresh *oauth.RefreshToken
	machine *oauth.RefreshToken // no user
	device  *oauth.DeviceAuthorization
	pushed  *oauth.PushedRequest
	key     *oauth.SigningKey
	rev     *oauth.Revocation
	opaque  *oauth.OpaqueToken
	ccToken *oauth.OpaqueToken // client credentials: no user
}

func seedOAuth(t *testing.T, s store.Store, p party) oauthRows {
	t.Helper()
	ctx := t.Context()
	r := oauthRows{
		req: mkAuthRequest(t, s, p.tenant.ID, p.client.ID, func(x *oauth.AuthRequest) {
			x.UserID, x.CodeHash, x.AuthTime = p.user.ID, hash(uniq("code")), micro(time.Now())
		}),
		session: mkSession(t, s, p.tenant.ID, p.user.ID),
		consent: &oauth.Consent{TenantID: p.tenant.ID, UserID: p.user.ID, ClientID: p.client.ID, Scopes: []string{"openid"}},
		machine: mkRefresh(t, s, p.tenant.ID, p.client.ID, ""),
		device: mkDevice(t, s, p.tenant.ID, p.client.ID, "BDWP-HQPK", func(x *oauth.DeviceAuthorization) {
			x.State, x.UserID = oauth.DeviceApproved, p.user.ID
		}),
		pushed:  mkPushed(t, s, p.tenant.ID, p.client.ID),
		key:     mkSigningKey(t, s, p.tenant.ID),
		rev:     mkRevocation(t, s, p.tenant.ID, oauth.RevokeUser, p.user.ID),
		opaque:  mkOpaque(t, s, p.tenant.ID, p.client.ID, p.user.ID),
		ccToken: mkOpaque(t, s, p.tenant.ID, p.client.ID, ""),
	}
	r.refresh = mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID, func(x *oauth.RefreshToken) { x.SessionID = r.session.ID })
	must(t, s.Consents().Upsert(ctx, r.consent))
	return r
}

// testOAuthTenantIsolation writes as tenant A, then runs every
// tenant-scoped OAuth read, update, revoke and delete as tenant B with A's
// IDs, hashes and codes. Each must behave as if A's rows did not exist,
// and A's rows must be unchanged afterwards.
func testOAuthTenantIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkParty(t, s), mkParty(t, s)
	ra := seedOAuth(t, s, a)
	B, now := b.tenant.ID, time.Now()
	fnCalled := false

	// Auth requests.
	_, err := s.AuthRequests().Get(ctx, B, ra.req.ID)
	wantErr(t, err, store.ErrNotFound, "B AuthRequests.Get")
	_, err = s.AuthRequests().GetByCode(ctx, B, ra.req.CodeHash)
	wantErr(t, err, store.ErrNotFound, "B AuthRequests.GetByCode")
	_, err = s.AuthRequests().Update(ctx, B, ra.req.ID, func(x *oauth.AuthRequest) error { fnCalled = true; return nil })
	wantErr(t, err, store.ErrNotFound, "B AuthRequests.Update")
	wantErr(t, s.AuthRequests().Delete(ctx, B, ra.req.ID), store.ErrNotFound, "B AuthRequests.Delete")

	// Sessions.
	_, err = s.Sessions().Get(ctx, B, ra.session.ID)
	wantErr(t, err, store.ErrNotFound, "B Sessions.Get")
	_, err = s.Sessions().GetByToken(ctx, B, ra.session.TokenHash)
	wantErr(t, err, store.ErrNotFound, "B Sessions.GetByToken")
	sessions, next, err := s.Sessions().ListByUser(ctx, B, a.user.ID, store.Page{})
	must(t, err)
	if len(sessions) != 0 || next != "" {
		t.Fatalf("B Sessions.ListByUser returned %d of A's sessions", len(sessions))
	}
	_, err = s.Sessions().Update(ctx, B, ra.session.ID, func(x *oauth.Session) error { fnCalled = true; return nil })
	wantErr(t, err, store.ErrNotFound, "B Sessions.Update")
	wantErr(t, s.Sessions().Touch(ctx, B, ra.session.ID, now, "", ""), store.ErrNotFound, "B Sessions.Touch")
	wantErr(t, s.Sessions().Revoke(ctx, B, ra.session.ID, now), store.ErrNotFound, "B Sessions.Revoke")
	n, err := s.Sessions().RevokeAllForUser(ctx, B, a.user.ID, now)
	count(t, n, err, 0, "B Sessions.RevokeAllForUser")

	// Consents: B cannot read, list, delete, or overwrite them (A's user
	// and client do not exist in B).
	_, err = s.Consents().Get(ctx, B, a.user.ID, a.client.ID)
	wantErr(t, err, store.ErrNotFound, "B Consents.Get")
	consents, _, err := s.Consents().ListByUser(ctx, B, a.user.ID, store.Page{})
	must(t, err)
	equal(t, len(consents), 0, "B Consents.ListByUser")
	wantErr(t, s.Consents().Delete(ctx, B, a.user.ID, a.client.ID), store.ErrNotFound, "B Consents.Delete")
	err = s.Consents().Upsert(ctx, &oauth.Consent{TenantID: B, UserID: a.user.ID, ClientID: a.client.ID, Scopes: []string{"all"}})
	wantErr(t, err, store.ErrNotFound, "B Consents.Upsert with A's user and client")

	// Refresh tokens.
	_, err = s.RefreshTokens().Get(ctx, B, ra.refresh.ID)
	wantErr(t, err, store.ErrNotFound, "B RefreshTokens.Get")
	_, err = s.RefreshTokens().GetByHash(ctx, B, ra.refresh.TokenHash)
	wantErr(t, err, store.ErrNotFound, "B RefreshTokens.GetByHash")
	next1 := newRefresh(B, b.client.ID, b.user.ID)
	wantErr(t, s.RefreshTokens().Rotate(ctx, B, ra.refresh.ID, next1, now), store.ErrNotFound, "B RefreshTokens.Rotate")
	_, err = s.RefreshTokens().GetByHash(ctx, B, next1.TokenHash)
	wantErr(t, err, store.ErrNotFound, "successor of B's refused Rotate")
	for what, revoke := range map[string]func() (int64, error){
		"RevokeFamily":     func() (int64, error) { return s.RefreshTokens().RevokeFamily(ctx, B, ra.refresh.FamilyID, now) },
		"RevokeForUser":    func() (int64, error) { return s.RefreshTokens().RevokeForUser(ctx, B, a.user.ID, "", now) },
		"RevokeForUser+c":  func() (int64, error) { return s.RefreshTokens().RevokeForUser(ctx, B, a.user.ID, a.client.ID, now) },
		"RevokeForClient":  func() (int64, error) { return s.RefreshTokens().RevokeForClient(ctx, B, a.client.ID, now) },
		"RevokeForSession": func() (int64, error) { return s.RefreshTokens().RevokeForSession(ctx, B, ra.session.ID, now) },
	} {
		n, err := revoke()
		count(t, n, err, 0, "B RefreshTokens."+what)
	}

	// Device authorizations. B may use the same user code for itself.
	_, err = s.DeviceAuthorizations().GetByDeviceCode(ctx, B, ra.device.DeviceCodeHash)
	wantErr(t, err, store.ErrNotFound, "B DeviceAuthorizations.GetByDeviceCode")
	_, err = s.DeviceAuthorizations().GetByUserCode(ctx, B, ra.device.UserCode)
	wantErr(t, err, store.ErrNotFound, "B DeviceAuthorizations.GetByUserCode")
	_, err = s.DeviceAuthorizations().Update(ctx, B, ra.device.UserCode, func(x *oauth.DeviceAuthorization) error {
		fnCalled = true
		return nil
	})
	wantErr(t, err, store.ErrNotFound, "B DeviceAuthorizations.Update")
	mkDevice(t, s, B, b.client.ID, ra.device.UserCode)

	// Pushed requests.
	_, err = s.PushedRequests().Take(ctx, B, ra.pushed.ID)
	wantErr(t, err, store.ErrNotFound, "B PushedRequests.Take")

	// Signing keys.
	keys, err := s.SigningKeys().List(ctx, B)
	must(t, err)
	equal(t, len(keys), 0, "B SigningKeys.List")
	wantErr(t, s.SigningKeys().Retire(ctx, B, ra.key.ID, now, now), store.ErrNotFound, "B SigningKeys.Retire")
	wantErr(t, s.SigningKeys().Delete(ctx, B, ra.key.ID), store.ErrNotFound, "B SigningKeys.Delete")

	// Revocations: B's entry with A's key is B's own.
	_, err = s.Revocations().Get(ctx, B, ra.rev.Kind, ra.rev.Key)
	wantErr(t, err, store.ErrNotFound, "B Revocations.Get")
	mkRevocation(t, s, B, ra.rev.Kind, ra.rev.Key, func(x *oauth.Revocation) {
		x.NotBefore, x.ExpiresAt = now.Add(time.Hour), now.Add(48*time.Hour)
	})

	// Opaque tokens.
	_, err = s.OpaqueTokens().GetByHash(ctx, B, ra.opaque.TokenHash)
	wantErr(t, err, store.ErrNotFound, "B OpaqueTokens.GetByHash")
	wantErr(t, s.OpaqueTokens().Revoke(ctx, B, ra.opaque.ID, now), store.ErrNotFound, "B OpaqueTokens.Revoke")

	if fnCalled {
		t.Fatal("an Update called fn on another tenant's row")
	}

	// A's rows are untouched.
	A := a.tenant.ID
	gotReq, err := s.AuthRequests().Get(ctx, A, ra.req.ID)
	must(t, err)
	equal(t, gotReq, ra.req, "A's auth request")
	gotSession, err := s.Sessions().Get(ctx, A, ra.session.ID)
	must(t, err)
	equal(t, gotSession, ra.session, "A's session")
	gotConsent, err := s.Consents().Get(ctx, A, a.user.ID, a.client.ID)
	must(t, err)
	equal(t, gotConsent, ra.consent, "A's consent")
	for _, rt := range []*oauth.RefreshToken{ra.refresh, ra.machine} {
		got, err := s.RefreshTokens().Get(ctx, A, rt.ID)
		must(t, err)
		equal(t, got, rt, "A's refresh token")
	}
	gotDevice, err := s.DeviceAuthorizations().GetByUserCode(ctx, A, ra.device.UserCode)
	must(t, err)
	equal(t, gotDevice, ra.device, "A's device authorization")
	keys, err = s.SigningKeys().List(ctx, A)
	must(t, err)
	equal(t, keys, []oauth.SigningKey{*ra.key}, "A's signing keys")
	gotRev, err := s.Revocations().Get(ctx, A, ra.rev.Kind, ra.rev.Key)
	must(t, err)
	equal(t, gotRev, ra.rev, "A's revocation")
	gotOpaque, err := s.OpaqueTokens().GetByHash(ctx, A, ra.opaque.TokenHash)
	must(t, err)
	equal(t, gotOpaque, ra.opaque, "A's opaque token")
	gotPushed, err := s.PushedRequests().Take(ctx, A, ra.pushed.ID) // last: Take deletes
	must(t, err)
	equal(t, gotPushed, ra.pushed, "A's pushed request")
}

// Deleting a user deletes their sessions, consents, refresh and opaque
// tokens, auth requests and device approvals; rows without a user (client
// credentials) and other users' rows stay.
func testOAuthUserDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	r := seedOAuth(t, s, p)
	other := mkUser(t, s, p.tenant.ID, "survivor@example.com")
	keptSession := mkSession(t, s, p.tenant.ID, other.ID)
	keptRefresh := mkRefresh(t, s, p.tenant.ID, p.client.ID, other.ID)

	must(t, s.Users().Delete(ctx, p.tenant.ID, p.user.ID))
	T := p.tenant.ID
	gone := func(err error, what string) {
		t.Helper()
		wantErr(t, err, store.ErrNotFound, what+" of a deleted user")
	}
	_, err := s.Sessions().Get(ctx, T, r.session.ID)
	gone(err, "session")
	_, err = s.Consents().Get(ctx, T, p.user.ID, p.client.ID)
	gone(err, "consent")
	_, err = s.RefreshTokens().Get(ctx, T, r.refresh.ID)
	gone(err, "refresh token")
	_, err = s.OpaqueTokens().GetByHash(ctx, T, r.opaque.TokenHash)
	gone(err, "opaque token")
	_, err = s.AuthRequests().Get(ctx, T, r.req.ID)
	gone(err, "auth request")
	_, err = s.DeviceAuthorizations().GetByUserCode(ctx, T, r.device.UserCode)
	gone(err, "device authorization")

	for what, err := range map[string]error{
		"machine refresh token":    getErr(s.RefreshTokens().Get(ctx, T, r.machine.ID)),
		"client-credentials token": getErr(s.OpaqueTokens().GetByHash(ctx, T, r.ccToken.TokenHash)),
		"other user's session":     getErr(s.Sessions().Get(ctx, T, keptSession.ID)),
		"other user's token":       getErr(s.RefreshTokens().Get(ctx, T, keptRefresh.ID)),
		"signing key":              getErr(signingKey(t, s, T, r.key.ID)),
		"revocation":               getErr(s.Revocations().Get(ctx, T, r.rev.Kind, r.rev.Key)),
		"pushed request":           getErr(s.PushedRequests().Take(ctx, T, r.pushed.ID)),
	} {
		if err != nil {
			t.Fatalf("%s after user delete: %v", what, err)
		}
	}
}

// getErr keeps the error of a two-result call.
func getErr[T any](_ T, err error) error { return err }

// signingKey finds a key through List (the repository has no Get).
func signingKey(t *testing.T, s store.Store, tenantID, id string) (*oauth.SigningKey, error) {
	t.Helper()
	keys, err := s.SigningKeys().List(t.Context(), tenantID)
	must(t, err)
	for _, k := range keys {
		if k.ID == id {
			return &k, nil
		}
	}
	return nil, store.ErrNotFound
}

// Deleting a client deletes everything issued to it or requested by it;
// the user's session (not a client's) stays.
func testOAuthClientDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	r := seedOAuth(t, s, p)
	otherClient := mkClient(t, s, p.tenant.ID, "survivor")
	keptRefresh := mkRefresh(t, s, p.tenant.ID, otherClient.ID, p.user.ID)

	must(t, s.Clients().Delete(ctx, p.tenant.ID, p.client.ID))
	T := p.tenant.ID
	for what, err := range map[string]error{
		"consent":               getErr(s.Consents().Get(ctx, T, p.user.ID, p.client.ID)),
		"refresh token":         getErr(s.RefreshTokens().Get(ctx, T, r.refresh.ID)),
		"machine refresh token": getErr(s.RefreshTokens().Get(ctx, T, r.machine.ID)),
		"opaque token":          getErr(s.OpaqueTokens().GetByHash(ctx, T, r.opaque.TokenHash)),
		"cc token":              getErr(s.OpaqueTokens().GetByHash(ctx, T, r.ccToken.TokenHash)),
		"auth request":          getErr(s.AuthRequests().Get(ctx, T, r.req.ID)),
		"device authorization":  getErr(s.DeviceAuthorizations().GetByUserCode(ctx, T, r.device.UserCode)),
		"pushed request":        getErr(s.PushedRequests().Take(ctx, T, r.pushed.ID)),
	} {
		wantErr(t, err, store.ErrNotFound, what+" of a deleted client")
	}
	_, err := s.Sessions().Get(ctx, T, r.session.ID)
	must(t, err)
	_, err = s.RefreshTokens().Get(ctx, T, keptRefresh.ID)
	must(t, err)
}

func testOAuthTenantDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkParty(t, s), mkParty(t, s)
	ra, rb := seedOAuth(t, s, a), seedOAuth(t, s, b)

	must(t, s.Tenants().Delete(ctx, a.tenant.ID))
	check := func(p party, r oauthRows, want error) {
		t.Helper()
		T := p.tenant.ID
		for what, err := range map[string]error{
			"auth request":         getErr(s.AuthRequests().Get(ctx, T, r.req.ID)),
			"session":              getErr(s.Sessions().Get(ctx, T, r.session.ID)),
			"consent":              getErr(s.Consents().Get(ctx, T, p.user.ID, p.client.ID)),
			"refresh token":        getErr(s.RefreshTokens().Get(ctx, T, r.refresh.ID)),
			"device authorization": getErr(s.DeviceAuthorizations().GetByDeviceCode(ctx, T, r.device.DeviceCodeHash)),
			"signing key":          getErr(signingKey(t, s, T, r.key.ID)),
			"revocation":           getErr(s.Revocations().Get(ctx, T, r.rev.Kind, r.rev.Key)),
			"opaque token":         getErr(s.OpaqueTokens().GetByHash(ctx, T, r.opaque.TokenHash)),
			"pushed request":       getErr(s.PushedRequests().Take(ctx, T, r.pushed.ID)),
		} {
			if !errors.Is(err, want) {
				t.Fatalf("%s of tenant %s: err = %v, want %v", what, T, err, want)
			}
		}
	}
	check(a, ra, store.ErrNotFound)
	check(b, rb, nil)
	tenants, err := s.SigningKeys().ListTenantsWithKeys(ctx)
	must(t, err)
	equal(t, tenants, []string{b.tenant.ID}, "ListTenantsWithKeys after tenant delete")
	revs, err := s.Revocations().Since(ctx, time.Time{})
	must(t, err)
	equal(t, len(revs), 1, "revocations after tenant delete")
}

// The OAuth repositories of an InTx Store share its transaction.
func testOAuthInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	boom := errors.New("boom")
	var x *oauth.Session
	var rt *oauth.RefreshToken
	err := s.InTx(ctx, func(tx store.Store) error {
		x = mkSession(t, tx, p.tenant.ID, p.user.ID)
		rt = mkRefresh(t, tx, p.tenant.ID, p.client.ID, p.user.ID, func(r *oauth.RefreshToken) { r.SessionID = x.ID })
		if err := tx.RefreshTokens().Rotate(ctx, p.tenant.ID, rt.ID, newRefresh(p.tenant.ID, p.client.ID, p.user.ID), time.Now()); err != nil {
			return err
		}
		if _, err := tx.Sessions().Update(ctx, p.tenant.ID, x.ID, func(v *oauth.Session) error { v.ACR = "tx"; return nil }); err != nil {
			return err
		}
		got, err := tx.Sessions().Get(ctx, p.tenant.ID, x.ID) // reads see the transaction's writes
		if err != nil {
			return err
		}
		equal(t, got.ACR, "tx", "read inside the transaction")
		return boom
	})
	wantErr(t, err, boom, "InTx")
	_, err = s.Sessions().Get(ctx, p.tenant.ID, x.ID)
	wantErr(t, err, store.ErrNotFound, "session created in a rolled-back transaction")
	_, err = s.RefreshTokens().Get(ctx, p.tenant.ID, rt.ID)
	wantErr(t, err, store.ErrNotFound, "refresh token created in a rolled-back transaction")

	// Committed: revoking a session and its tokens together.
	x = mkSession(t, s, p.tenant.ID, p.user.ID)
	rt = mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID, func(r *oauth.RefreshToken) { r.SessionID = x.ID })
	at := time.Now()
	must(t, s.InTx(ctx, func(tx store.Store) error {
		if err := tx.Sessions().Revoke(ctx, p.tenant.ID, x.ID, at); err != nil {
			return err
		}
		_, err := tx.RefreshTokens().RevokeForSession(ctx, p.tenant.ID, x.ID, at)
		return err
	}))
	got, err := s.RefreshTokens().Get(ctx, p.tenant.ID, rt.ID)
	must(t, err)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(micro(at)) {
		t.Fatalf("refresh token after committed revocation: %+v", got)
	}
}

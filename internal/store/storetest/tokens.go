package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var refreshTokenTests = []test{
	{"RefreshToken/CRUD", testRefreshCRUD},
	{"RefreshToken/Rotate", testRefreshRotate},
	{"RefreshToken/ConcurrentRotate", testRefreshConcurrentRotate},
	{"RefreshToken/Revoke", testRefreshRevoke},
	{"RefreshToken/DeleteExpired", testRefreshDeleteExpired},
}

var opaqueTokenTests = []test{
	{"OpaqueToken/Lifecycle", testOpaqueToken},
	{"OpaqueToken/DeleteExpired", testOpaqueDeleteExpired},
}

func testRefreshCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	rt := mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID, func(x *oauth.RefreshToken) { x.SessionID = "sess-1" })
	if rt.ID == "" || rt.FamilyID != rt.ID || rt.CreatedAt.IsZero() {
		t.Fatalf("Create did not stamp ID/FamilyID/CreatedAt: %+v", rt)
	}
	got, err := s.RefreshTokens().Get(ctx, p.tenant.ID, rt.ID)
	must(t, err)
	equal(t, got, rt, "Get")
	got, err = s.RefreshTokens().GetByHash(ctx, p.tenant.ID, rt.TokenHash)
	must(t, err)
	equal(t, got, rt, "GetByHash")
	if !got.Usable(time.Now()) {
		t.Fatal("new token is not usable")
	}
	_, err = s.RefreshTokens().GetByHash(ctx, p.tenant.ID, hash("unknown"))
	wantErr(t, err, store.ErrNotFound, "GetByHash unknown")
	_, err = s.RefreshTokens().Get(ctx, p.tenant.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "Get missing")

	// A token without a user (no FK applies) in an explicit family.
	machine := mkRefresh(t, s, p.tenant.ID, p.client.ID, "", func(x *oauth.RefreshToken) {
		x.FamilyID, x.AuthTime, x.AMR, x.ACR, x.Scopes, x.Audience = "fam-m", time.Time{}, nil, "", nil, nil
	})
	got, err = s.RefreshTokens().Get(ctx, p.tenant.ID, machine.ID)
	must(t, err)
	equal(t, got, machine, "Get token without a user")

	dup := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
	dup.TokenHash = rt.TokenHash
	wantErr(t, s.RefreshTokens().Create(ctx, dup), store.ErrConflict, "Create with a token hash in use")
	wantErr(t, s.RefreshTokens().Create(ctx, newRefresh(p.tenant.ID, "no-such-client", p.user.ID)), store.ErrNotFound,
		"Create for an unknown client")
	wantErr(t, s.RefreshTokens().Create(ctx, newRefresh(p.tenant.ID, p.client.ID, "no-such-user")), store.ErrNotFound,
		"Create for an unknown user")
}

func testRefreshRotate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	first := mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID)

	second := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
	second.FamilyID = "not-the-family"             // the store joins it to the old token's
	second.FamilyExpiresAt = time.Time{}           // inherits the family's
	second.TenantID = "ignored: the tenantID wins" // and the tenant's
	at := time.Now()
	must(t, s.RefreshTokens().Rotate(ctx, p.tenant.ID, first.ID, second, at))
	if second.ID == "" || second.FamilyID != first.FamilyID || second.TenantID != p.tenant.ID ||
		!second.FamilyExpiresAt.Equal(first.FamilyExpiresAt) {
		t.Fatalf("Rotate did not join next to the family: %+v", second)
	}
	got, err := s.RefreshTokens().GetByHash(ctx, p.tenant.ID, second.TokenHash)
	must(t, err)
	equal(t, got, second, "rotated-in token")
	old, err := s.RefreshTokens().Get(ctx, p.tenant.ID, first.ID)
	must(t, err)
	if old.RotatedAt == nil || !old.RotatedAt.Equal(micro(at)) || old.RevokedAt != nil || old.Usable(time.Now()) {
		t.Fatalf("rotated-out token: %+v", old)
	}

	// Reuse of the rotated token writes nothing.
	replay := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
	err = s.RefreshTokens().Rotate(ctx, p.tenant.ID, first.ID, replay, time.Now())
	wantErr(t, err, store.ErrReused, "Rotate of a rotated token")
	_, err = s.RefreshTokens().GetByHash(ctx, p.tenant.ID, replay.TokenHash)
	wantErr(t, err, store.ErrNotFound, "token inserted by a refused Rotate")
	again, err := s.RefreshTokens().Get(ctx, p.tenant.ID, first.ID)
	must(t, err)
	equal(t, again, old, "rotated token after the refused Rotate")

	// A successor never outlives the family.
	third := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
	third.FamilyExpiresAt = first.FamilyExpiresAt.Add(365 * 24 * time.Hour)
	must(t, s.RefreshTokens().Rotate(ctx, p.tenant.ID, second.ID, third, time.Now()))
	equal(t, third.FamilyExpiresAt, first.FamilyExpiresAt, "FamilyExpiresAt of a successor asking for more")
	shorter := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
	shorter.FamilyExpiresAt = micro(time.Now().Add(time.Hour))
	must(t, s.RefreshTokens().Rotate(ctx, p.tenant.ID, third.ID, shorter, time.Now()))
	got, err = s.RefreshTokens().Get(ctx, p.tenant.ID, shorter.ID)
	must(t, err)
	equal(t, got.FamilyExpiresAt, shorter.FamilyExpiresAt, "a successor may shorten the family")

	// The reuse response: revoke the family; then nothing in it rotates.
	revokedAt := time.Now()
	n, err := s.RefreshTokens().RevokeFamily(ctx, p.tenant.ID, first.FamilyID, revokedAt)
	count(t, n, err, 4, "RevokeFamily")
	n, err = s.RefreshTokens().RevokeFamily(ctx, p.tenant.ID, first.FamilyID, revokedAt.Add(time.Hour))
	count(t, n, err, 0, "second RevokeFamily")
	got, err = s.RefreshTokens().Get(ctx, p.tenant.ID, shorter.ID)
	must(t, err)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(micro(revokedAt)) {
		t.Fatalf("RevokedAt = %v, want the first revocation %v", got.RevokedAt, micro(revokedAt))
	}
	err = s.RefreshTokens().Rotate(ctx, p.tenant.ID, shorter.ID, newRefresh(p.tenant.ID, p.client.ID, p.user.ID), time.Now())
	wantErr(t, err, store.ErrReused, "Rotate of a revoked token")
	err = s.RefreshTokens().Rotate(ctx, p.tenant.ID, "missing", newRefresh(p.tenant.ID, p.client.ID, p.user.ID), time.Now())
	wantErr(t, err, store.ErrNotFound, "Rotate of a missing token")

	// A failed insert (hash in use) leaves the old token unrotated.
	fresh := mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID)
	clash := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
	clash.TokenHash = first.TokenHash
	wantErr(t, s.RefreshTokens().Rotate(ctx, p.tenant.ID, fresh.ID, clash, time.Now()), store.ErrConflict, "Rotate to a hash in use")
	got, err = s.RefreshTokens().Get(ctx, p.tenant.ID, fresh.ID)
	must(t, err)
	equal(t, got, fresh, "token after a failed Rotate")
}

// Racing rotations of one token: exactly one wins, the others see reuse,
// and the family gains exactly one token.
func testRefreshConcurrentRotate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	old := mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID)
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	next := make([]*oauth.RefreshToken, n)
	for i := range n {
		next[i] = newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
		wg.Go(func() { errs[i] = s.RefreshTokens().Rotate(ctx, p.tenant.ID, old.ID, next[i], time.Now()) })
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
			_, err := s.RefreshTokens().GetByHash(ctx, p.tenant.ID, next[i].TokenHash)
			must(t, err)
		case errors.Is(err, store.ErrReused):
			_, err := s.RefreshTokens().GetByHash(ctx, p.tenant.ID, next[i].TokenHash)
			wantErr(t, err, store.ErrNotFound, "successor of a losing Rotate")
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	equal(t, wins, 1, "rotations that won")
	c, err := s.RefreshTokens().RevokeFamily(ctx, p.tenant.ID, old.FamilyID, time.Now())
	count(t, c, err, 2, "tokens in the family (old and the winner's)")
}

func testRefreshRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	bob := mkUser(t, s, p.tenant.ID, "bob@example.com")
	other := mkClient(t, s, p.tenant.ID, "other-app")
	inSession := func(x *oauth.RefreshToken) { x.SessionID = "sess-a" }

	mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID, inSession)
	mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID)
	mkRefresh(t, s, p.tenant.ID, other.ID, p.user.ID, inSession)
	mkRefresh(t, s, p.tenant.ID, p.client.ID, bob.ID)
	machine := mkRefresh(t, s, p.tenant.ID, p.client.ID, "")

	at := time.Now()
	n, err := s.RefreshTokens().RevokeForUser(ctx, p.tenant.ID, "", "", at)
	count(t, n, err, 0, "RevokeForUser of no user")
	n, err = s.RefreshTokens().RevokeForSession(ctx, p.tenant.ID, "", at)
	count(t, n, err, 0, "RevokeForSession of no session")
	n, err = s.RefreshTokens().RevokeForSession(ctx, p.tenant.ID, "sess-a", at)
	count(t, n, err, 2, "RevokeForSession")
	n, err = s.RefreshTokens().RevokeForUser(ctx, p.tenant.ID, p.user.ID, p.client.ID, at)
	count(t, n, err, 1, "RevokeForUser for one client (one already revoked)")
	n, err = s.RefreshTokens().RevokeForUser(ctx, p.tenant.ID, p.user.ID, "", at)
	count(t, n, err, 0, "RevokeForUser for all clients (all already revoked)")
	n, err = s.RefreshTokens().RevokeForUser(ctx, p.tenant.ID, bob.ID, other.ID, at)
	count(t, n, err, 0, "RevokeForUser for a client bob has no token of")
	n, err = s.RefreshTokens().RevokeForClient(ctx, p.tenant.ID, p.client.ID, at)
	count(t, n, err, 2, "RevokeForClient (bob's and the machine token)")
	n, err = s.RefreshTokens().RevokeForClient(ctx, p.tenant.ID, p.client.ID, at)
	count(t, n, err, 0, "second RevokeForClient")
	got, err := s.RefreshTokens().Get(ctx, p.tenant.ID, machine.ID)
	must(t, err)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(micro(at)) {
		t.Fatalf("machine token RevokedAt = %v, want %v", got.RevokedAt, micro(at))
	}
}

func testRefreshDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.RefreshToken
	for range 2 {
		p := mkParty(t, s)
		for _, c := range []struct{ own, family time.Duration }{
			{-time.Hour, time.Hour},       // own lifetime over
			{time.Hour, -time.Second},     // family over
			{-time.Minute, -time.Second},  // both
			{time.Hour, 24 * time.Hour},   // live
			{time.Microsecond, time.Hour}, // live, just
		} {
			rt := mkRefresh(t, s, p.tenant.ID, p.client.ID, p.user.ID, func(x *oauth.RefreshToken) {
				x.ExpiresAt, x.FamilyExpiresAt = now.Add(c.own), now.Add(c.family)
			})
			if c.own > 0 && c.family > 0 {
				keep = append(keep, rt)
			}
		}
	}
	n, err := s.RefreshTokens().DeleteExpired(ctx, now)
	count(t, n, err, 6, "DeleteExpired across tenants")
	n, err = s.RefreshTokens().DeleteExpired(ctx, now)
	count(t, n, err, 0, "second DeleteExpired")
	for _, rt := range keep {
		_, err := s.RefreshTokens().Get(ctx, rt.TenantID, rt.ID)
		must(t, err)
	}
}

func testOpaqueToken(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	o := mkOpaque(t, s, p.tenant.ID, p.client.ID, p.user.ID, func(x *oauth.OpaqueToken) { x.SessionID = "sess-1" })
	if o.ID == "" {
		t.Fatal("Create did not generate a jti")
	}
	got, err := s.OpaqueTokens().GetByHash(ctx, p.tenant.ID, o.TokenHash)
	must(t, err)
	equal(t, got, o, "GetByHash")
	_, err = s.OpaqueTokens().GetByHash(ctx, p.tenant.ID, hash("unknown"))
	wantErr(t, err, store.ErrNotFound, "GetByHash unknown")

	// Client credentials: no user, no claims.
	cc := mkOpaque(t, s, p.tenant.ID, p.client.ID, "", func(x *oauth.OpaqueToken) { x.ID, x.Claims = "jti-cc", nil })
	got, err = s.OpaqueTokens().GetByHash(ctx, p.tenant.ID, cc.TokenHash)
	must(t, err)
	equal(t, got, cc, "GetByHash of a client-credentials token")
	if got.UserID != "" || got.Claims != nil {
		t.Fatalf("client-credentials token grew fields: %+v", got)
	}

	revoked := time.Now()
	must(t, s.OpaqueTokens().Revoke(ctx, p.tenant.ID, o.ID, revoked))
	must(t, s.OpaqueTokens().Revoke(ctx, p.tenant.ID, o.ID, revoked.Add(time.Hour))) // first wins
	wantErr(t, s.OpaqueTokens().Revoke(ctx, p.tenant.ID, "missing", revoked), store.ErrNotFound, "Revoke missing")
	got, err = s.OpaqueTokens().GetByHash(ctx, p.tenant.ID, o.TokenHash)
	must(t, err)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(micro(revoked)) {
		t.Fatalf("RevokedAt = %v, want %v", got.RevokedAt, micro(revoked))
	}

	dup := &oauth.OpaqueToken{TenantID: p.tenant.ID, TokenHash: o.TokenHash, ClientID: p.client.ID}
	wantErr(t, s.OpaqueTokens().Create(ctx, dup), store.ErrConflict, "Create with a token hash in use")
	dup = &oauth.OpaqueToken{TenantID: p.tenant.ID, ID: "jti-cc", TokenHash: hash(uniq("o")), ClientID: p.client.ID}
	wantErr(t, s.OpaqueTokens().Create(ctx, dup), store.ErrConflict, "Create with a taken jti")
	bad := &oauth.OpaqueToken{TenantID: p.tenant.ID, TokenHash: hash(uniq("o")), ClientID: "no-such-client"}
	wantErr(t, s.OpaqueTokens().Create(ctx, bad), store.ErrNotFound, "Create for an unknown client")
	bad = &oauth.OpaqueToken{TenantID: p.tenant.ID, TokenHash: hash(uniq("o")), ClientID: p.client.ID, UserID: "no-such-user"}
	wantErr(t, s.OpaqueTokens().Create(ctx, bad), store.ErrNotFound, "Create for an unknown user")
}

func testOpaqueDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []*oauth.OpaqueToken
	for range 2 {
		p := mkParty(t, s)
		for _, d := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			o := mkOpaque(t, s, p.tenant.ID, p.client.ID, "", func(x *oauth.OpaqueToken) { x.ExpiresAt = now.Add(d) })
			if d > 0 {
				keep = append(keep, o)
			}
		}
	}
	n, err := s.OpaqueTokens().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.OpaqueTokens().DeleteExpired(ctx, now)
	count(t, n, err, 0, "second DeleteExpired")
	for _, o := range keep {
		_, err := s.OpaqueTokens().GetByHash(ctx, o.TenantID, o.TokenHash)
		must(t, err)
	}
}

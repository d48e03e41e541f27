package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Dynamic client registration: initial access tokens, the tenant's
// setting and the client's registration columns.
var dcrTests = []test{
	{"InitialAccessTokenCRUDAndIsolation", testIATCRUD},
	{"InitialAccessTokenUseRace", testIATUseRace},
	{"DCRTenantAndClientColumns", testDCRColumns},
}

func testIATCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	exp := micro(time.Now().Add(time.Hour))
	tok := &oauth.InitialAccessToken{TenantID: a.ID, SecretHash: []byte("hash"), ExpiresAt: &exp, MaxUses: 2}
	must(t, s.InitialAccessTokens().Create(ctx, tok))
	got, err := s.InitialAccessTokens().Get(ctx, a.ID, tok.ID)
	must(t, err)
	equal(t, got, tok, "Get")
	_, err = s.InitialAccessTokens().Get(ctx, b.ID, tok.ID)
	wantErr(t, err, store.ErrNotFound, "Get from another tenant")
	wantErr(t, s.InitialAccessTokens().Use(ctx, b.ID, tok.ID, time.Now()), store.ErrNotFound, "Use from another tenant")
	wantErr(t, s.InitialAccessTokens().Delete(ctx, b.ID, tok.ID), store.ErrNotFound, "Delete from another tenant")

	// Two uses, then used up; an expired one is not usable.
	must(t, s.InitialAccessTokens().Use(ctx, a.ID, tok.ID, time.Now()))
	must(t, s.InitialAccessTokens().Use(ctx, a.ID, tok.ID, time.Now()))
	wantErr(t, s.InitialAccessTokens().Use(ctx, a.ID, tok.ID, time.Now()), store.ErrNotFound, "Use past max_uses")
	got, _ = s.InitialAccessTokens().Get(ctx, a.ID, tok.ID)
	equal(t, got.Uses, 2, "uses")
	unlimited := &oauth.InitialAccessToken{TenantID: a.ID, SecretHash: []byte("h2")}
	must(t, s.InitialAccessTokens().Create(ctx, unlimited))
	must(t, s.InitialAccessTokens().Use(ctx, a.ID, unlimited.ID, time.Now()))
	wantErr(t, s.InitialAccessTokens().Use(ctx, a.ID, tok.ID, exp.Add(time.Second)), store.ErrNotFound, "Use after expiry")

	items, next, err := s.InitialAccessTokens().List(ctx, a.ID, store.Page{Limit: 1})
	must(t, err)
	if len(items) != 1 || next == "" {
		t.Fatalf("first page: %d items, next %q", len(items), next)
	}
	items2, next2, err := s.InitialAccessTokens().List(ctx, a.ID, store.Page{Limit: 1, After: next})
	must(t, err)
	if len(items2) != 1 || next2 != "" || items2[0].ID == items[0].ID {
		t.Fatalf("second page: %+v, next %q", items2, next2)
	}
	other, _, err := s.InitialAccessTokens().List(ctx, b.ID, store.Page{})
	must(t, err)
	equal(t, len(other), 0, "another tenant's list")

	must(t, s.InitialAccessTokens().Delete(ctx, a.ID, tok.ID))
	_, err = s.InitialAccessTokens().Get(ctx, a.ID, tok.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
}

func testIATUseRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	tok := &oauth.InitialAccessToken{TenantID: tn.ID, SecretHash: []byte("hash"), MaxUses: 1}
	must(t, s.InitialAccessTokens().Create(ctx, tok))
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = s.InitialAccessTokens().Use(ctx, tn.ID, tok.ID, time.Now()) })
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
	equal(t, wins, 1, "racing Uses of a one-use token")
}

func testDCRColumns(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	jwks := `{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}`
	up, err := s.Tenants().Update(ctx, tn.ID, 0, func(x *identity.Tenant) error {
		x.DCR = identity.DCRPolicy{Mode: identity.DCROpen, RequireSoftwareStatement: true, SoftwareStatementJWKS: []byte(jwks)}
		return nil
	})
	must(t, err)
	got, err := s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	equal(t, got.DCR.Mode, identity.DCROpen, "dcr mode")
	equal(t, got.DCR.RequireSoftwareStatement, true, "require statement")
	if len(got.DCR.SoftwareStatementJWKS) == 0 || up.Version != got.Version {
		t.Fatalf("dcr jwks %s", got.DCR.SoftwareStatementJWKS)
	}

	c := &oauth.Client{ID: uniq("dcr-"), ClientName: "DCR", TokenEndpointAuthMethod: "none",
		RegisteredBy: oauth.RegisteredByDCR, RegistrationTokenHash: []byte("reg-hash")}
	must(t, s.Clients().Create(ctx, tn.ID, c))
	gc, err := s.Clients().Get(ctx, tn.ID, c.ID)
	must(t, err)
	equal(t, gc.RegisteredBy, oauth.RegisteredByDCR, "registered_by")
	equal(t, gc.RegistrationTokenHash, []byte("reg-hash"), "registration token hash")
	uc, err := s.Clients().Update(ctx, tn.ID, c.ID, 0, func(x *oauth.Client) error {
		x.RegistrationTokenHash = []byte("rotated")
		return nil
	})
	must(t, err)
	equal(t, uc.RegistrationTokenHash, []byte("rotated"), "rotated hash")
	gc, _ = s.Clients().Get(ctx, tn.ID, c.ID)
	equal(t, gc.RegistrationTokenHash, []byte("rotated"), "rotated hash stored")
	plain := mkClient(t, s, tn.ID, uniq("plain-"))
	equal(t, plain.RegisteredBy, "", "admin client's registered_by")
}

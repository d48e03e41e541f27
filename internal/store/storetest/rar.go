package storetest

import (
	"encoding/json"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Rich authorization requests (RFC 9396, issue 20): an API's detail
// types, the details of an authorization request and of a refresh token,
// and the details a consent covers all round-trip, change with an update
// and stay in their tenant.
func testAuthorizationDetails(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkParty(t, s)
	tn := p.tenant
	types := []store.AuthorizationDetailsType{{Type: "payment_initiation", Description: "Pay a merchant",
		Schema: json.RawMessage(`{"type":"object","required":["amount"]}`)}}
	a := &store.API{TenantID: tn.ID, Identifier: "https://api.example.com/" + uniq("pay"), Name: "Payments",
		AccessTokenLifetime: 900, TokenFormat: "jwt", AuthorizationDetailsTypes: types}
	must(t, s.APIs().Create(ctx, a))
	got, err := s.APIs().Get(ctx, tn.ID, a.ID)
	must(t, err)
	equal(t, got.AuthorizationDetailsTypes, types, "types after create")
	items, _, err := s.APIs().List(ctx, tn.ID, store.Page{})
	must(t, err)
	equal(t, items[0].AuthorizationDetailsTypes, types, "types in the list")

	up, err := s.APIs().Update(ctx, tn.ID, a.ID, 0, func(x *store.API) error {
		x.AuthorizationDetailsTypes = nil
		return nil
	})
	must(t, err)
	equal(t, up.AuthorizationDetailsTypes, []store.AuthorizationDetailsType{}, "types cleared (returned)")
	got, err = s.APIs().Get(ctx, tn.ID, a.ID)
	must(t, err)
	equal(t, got.AuthorizationDetailsTypes, []store.AuthorizationDetailsType{}, "types cleared (stored)")

	details := `[{"amount":"10.00","type":"payment_initiation"}]`
	ar := mkAuthRequest(t, s, tn.ID, p.client.ID, func(r *oauth.AuthRequest) { r.AuthorizationDetails = details })
	gotAR, err := s.AuthRequests().Get(ctx, tn.ID, ar.ID)
	must(t, err)
	equal(t, gotAR.AuthorizationDetails, details, "auth request details")
	gotAR, err = s.AuthRequests().Update(ctx, tn.ID, ar.ID, func(r *oauth.AuthRequest) error {
		r.AuthorizationDetails = ""
		return nil
	})
	must(t, err)
	equal(t, gotAR.AuthorizationDetails, "", "auth request details returned by the update")
	gotAR, err = s.AuthRequests().Get(ctx, tn.ID, ar.ID)
	must(t, err)
	equal(t, gotAR.AuthorizationDetails, "", "auth request details after update")

	rt := mkRefresh(t, s, tn.ID, p.client.ID, p.user.ID, func(r *oauth.RefreshToken) { r.AuthorizationDetails = details })
	gotRT, err := s.RefreshTokens().GetByHash(ctx, tn.ID, rt.TokenHash)
	must(t, err)
	equal(t, gotRT.AuthorizationDetails, details, "refresh token details")

	one := `{"amount":"10.00","type":"payment_initiation"}`
	must(t, s.Consents().Upsert(ctx, &oauth.Consent{TenantID: tn.ID, UserID: p.user.ID, ClientID: p.client.ID,
		Scopes: []string{"openid"}, AuthorizationDetails: []string{one}}))
	c, err := s.Consents().Get(ctx, tn.ID, p.user.ID, p.client.ID)
	must(t, err)
	equal(t, c.AuthorizationDetails, []string{one}, "consent details")
	if !c.CoversDetails([]string{one}) || c.CoversDetails([]string{`{"type":"other"}`}) {
		t.Fatalf("CoversDetails is wrong for %v", c.AuthorizationDetails)
	}
	if _, err := s.Consents().Get(ctx, mkTenant(t, s).ID, p.user.ID, p.client.ID); err == nil {
		t.Fatal("another tenant reads the consent")
	}
}

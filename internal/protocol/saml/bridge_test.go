package saml_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	samlprotocol "github.com/gatehouse-iam/gatehouse/internal/protocol/saml"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The bridge client a sign-in stores (bridge:saml:{sp_id}) is not a
// client of the Admin API: not listed, and 404 to get, patch, delete or
// rotate; it is managed through saml-service-providers. Sign-ins go on.
func TestBridgeClientsAreHidden(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	b := newBrowser(t)
	e.signInAt(b, a) // stores the bridge client
	ctx := context.Background()
	id := samlprotocol.BridgeClientID(e.spID)
	if _, err := e.srv.App.Stores.Control().Clients().Get(ctx, mustDefaultTenant(t, e), id); err != nil {
		t.Fatalf("the sign-in stored no bridge client: %v", err)
	}
	list, err := e.srv.Admin.ListClientsWithResponse(ctx, &gen.ListClientsParams{})
	if err != nil || list.JSON200 == nil {
		t.Fatalf("list: %v %s", err, list.Body)
	}
	for _, c := range list.JSON200.Items {
		if c.ClientID == id {
			t.Fatalf("the bridge client is listed: %+v", c)
		}
	}
	get, err := e.srv.Admin.GetClientWithResponse(ctx, id)
	if err != nil || get.StatusCode() != http.StatusNotFound {
		t.Errorf("get: %v %d", err, get.StatusCode())
	}
	name := "renamed"
	patch, err := e.srv.Admin.UpdateClientWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, id, nil, gen.ClientPatch{ClientName: &name})
	if err != nil || patch.StatusCode() != http.StatusNotFound {
		t.Errorf("patch: %v %d", err, patch.StatusCode())
	}
	rot, err := e.srv.Admin.RotateClientSecretWithResponse(ctx, id, nil)
	if err != nil || rot.StatusCode() != http.StatusNotFound {
		t.Errorf("rotate: %v %d", err, rot.StatusCode())
	}
	del, err := e.srv.Admin.DeleteClientWithResponse(ctx, id)
	if err != nil || del.StatusCode() != http.StatusNotFound {
		t.Errorf("delete: %v %d", err, del.StatusCode())
	}
	tenantGet, err := e.srv.Admin.GetTenantClientWithResponse(ctx, "default", id)
	if err != nil || tenantGet.StatusCode() != http.StatusNotFound {
		t.Errorf("tenant get: %v %d", err, tenantGet.StatusCode())
	}
	if _, err := e.srv.App.Stores.Control().Clients().Get(ctx, mustDefaultTenant(t, e), id); err != nil {
		t.Fatalf("the bridge client went: %v", err)
	}
	// Deleting the service provider deletes its bridge client row too.
	if del, err := e.srv.Admin.DeleteSamlServiceProviderWithResponse(ctx, e.spID); err != nil || del.StatusCode() != http.StatusNoContent {
		t.Fatalf("delete the SP: %v %d %s", err, del.StatusCode(), del.Body)
	}
	if _, err := e.srv.App.Stores.Control().Clients().Get(ctx, mustDefaultTenant(t, e), id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the bridge client outlived its SP: %v", err)
	}
}

func mustDefaultTenant(t *testing.T, e *ssoEnv) string {
	t.Helper()
	tn, err := e.srv.App.Stores.Control().Tenants().GetBySlug(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

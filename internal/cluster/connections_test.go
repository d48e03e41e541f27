package cluster_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/cluster"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// An update or delete of a federation connection is announced by the
// store in its transaction (no trigger: sqlstore's Dialect.Notify); a
// creation is not (nothing is cached of it yet).
func TestConnectionChangesAreAnnounced(t *testing.T) {
	dbURL := requirePostgres(t)
	ctx := t.Context()
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must(t, st.Migrate(ctx))
	tn := &identity.Tenant{Slug: "conns", DisplayName: "Connections"}
	must(t, st.Tenants().Create(ctx, tn))
	events, _ := listen(t, dbURL)
	changed := cluster.Event{Kind: cluster.ConnectionChanged, Tenant: tn.ID, ID: "corp"}

	must(t, st.Connections().Create(ctx, &store.Connection{TenantID: tn.ID, ID: "corp", Type: "oidc", DisplayName: "Corp",
		Provisioning: "jit", LinkByEmail: "never", Config: json.RawMessage(`{}`)}))
	_, err = st.Connections().Update(ctx, tn.ID, "corp", 0, func(c *store.Connection) error { c.DisplayName = "Corp 2"; return nil })
	must(t, err)
	want(t, next(t, events), changed)
	// A failed update (its function refuses) announces nothing.
	_, err = st.Connections().Update(ctx, tn.ID, "corp", 0, func(*store.Connection) error { return store.ErrConflict })
	if err == nil {
		t.Fatal("the refused update succeeded")
	}
	must(t, st.Connections().Delete(ctx, tn.ID, "corp"))
	want(t, next(t, events), changed)
	select {
	case e := <-events:
		t.Fatalf("unexpected event %+v", e)
	default:
	}
}

// A node drops the connector it built from a connection as soon as
// another node changes or deletes it.
func TestNodesDropChangedConnections(t *testing.T) {
	dbURL := requirePostgres(t)
	nodes := startNodes(t, dbURL, 2)
	a, b := nodes[0], nodes[1]
	body := `{"id":"corp-saml","type":"saml","display_name":"Corp","idp_metadata_url":"https://idp.example.com/metadata"}`
	if r, err := a.Admin.CreateConnectionWithBodyWithResponse(t.Context(), &gen.CreateConnectionParams{}, "application/json",
		strings.NewReader(body)); err != nil || r.StatusCode() != http.StatusCreated {
		t.Fatalf("create: %v %v", err, r)
	}
	build := func(n *testserver.Server) { // the SP metadata is served from the built connector
		t.Helper()
		resp, err := http.Get(n.URL + "/login/connections/corp-saml/saml/metadata")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("SP metadata: %d", resp.StatusCode)
		}
	}
	build(b)
	if b.App.Connectors.Len() != 1 {
		t.Fatalf("node B cached %d connectors, want 1", b.App.Connectors.Len())
	}
	if r, err := a.Admin.UpdateConnectionWithBodyWithResponse(t.Context(), "corp-saml", &gen.UpdateConnectionParams{},
		"application/merge-patch+json", strings.NewReader(`{"display_name":"Corp 2"}`)); err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("update: %v %v", err, r)
	}
	eventually(t, "node B drops the updated connection's connector", func() bool { return b.App.Connectors.Len() == 0 })
	build(b)
	if r, err := a.Admin.DeleteConnectionWithResponse(t.Context(), "corp-saml"); err != nil || r.StatusCode() != http.StatusNoContent {
		t.Fatalf("delete: %v %v", err, r)
	}
	eventually(t, "node B drops the deleted connection's connector", func() bool { return b.App.Connectors.Len() == 0 })
}

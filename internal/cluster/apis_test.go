package cluster_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/cluster"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/postgres"
)

// A change to an API, its scopes or a client's grant announces the tenant
// once per transaction (migration 00017); roles are not cached, and not
// announced.
func TestAPIChangesAreAnnounced(t *testing.T) {
	dbURL := requirePostgres(t)
	ctx := t.Context()
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must(t, st.Migrate(ctx))
	tn := &identity.Tenant{Slug: "apis", DisplayName: "APIs"}
	must(t, st.Tenants().Create(ctx, tn))
	events, _ := listen(t, dbURL)
	apiChanged := cluster.Event{Kind: cluster.APIsChanged, Tenant: tn.ID}

	a := &store.API{TenantID: tn.ID, Identifier: "https://api.example.com/billing", Name: "Billing", AccessTokenLifetime: 60,
		TokenFormat: "jwt", Scopes: []store.APIScope{{Value: "read"}, {Value: "write"}}}
	must(t, st.APIs().Create(ctx, a)) // three rows, one message
	want(t, next(t, events), apiChanged)
	must(t, st.Clients().Create(ctx, tn.ID, &oauth.Client{ID: "svc"}))
	want(t, next(t, events), cluster.Event{Kind: cluster.ClientChanged, Tenant: tn.ID, ID: "svc"})
	_, err = st.APIs().SetClientGrant(ctx, tn.ID, "svc", a.ID, []string{"read"})
	must(t, err)
	want(t, next(t, events), apiChanged)
	must(t, st.Roles().Create(ctx, &store.Role{TenantID: tn.ID, Name: "r", Permissions: []store.Permission{{API: a.Identifier, Scope: "read"}}}))
	_, err = st.APIs().Update(ctx, tn.ID, a.ID, 0, func(x *store.API) error { x.Name = "Billing 2"; return nil })
	must(t, err)
	want(t, next(t, events), apiChanged)
	must(t, st.APIs().DeleteClientGrant(ctx, tn.ID, "svc", a.ID))
	want(t, next(t, events), apiChanged)
	select {
	case e := <-events:
		t.Fatalf("unexpected event %+v", e)
	default:
	}
}

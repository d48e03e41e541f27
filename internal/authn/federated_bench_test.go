package authn_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// BenchmarkFederatedSignIn is the sign-in service's share of a federated
// callback (docs/benchmarks.md): a returning identity with the risk
// engine on, then Start (the second-factor policy): the identity lookup,
// the user, the identity's use recorded, the risk assessment, on
// in-memory SQLite. The upstream's round trip and the connector's checks
// of its answer are not in it.
func BenchmarkFederatedSignIn(b *testing.B) {
	f := newFixture(b)
	conn := &store.Connection{TenantID: f.t.ID, ID: "up", Type: federation.TypeOIDC, Enabled: true, Provisioning: "jit", LinkByEmail: "never"}
	if err := f.st.Connections().Create(b.Context(), conn); err != nil {
		b.Fatal(err)
	}
	fed := authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "fed@x.test", EmailVerified: true, Name: "Fed"}}
	req := f.request("198.51.100.7")
	if _, err := f.svc.Authenticate(b.Context(), req, fed); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := f.svc.Authenticate(b.Context(), req, fed)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.svc.Start(b.Context(), req, res.User, res.Verdict, authn.FederatedAMR(f.t, fed)); err != nil {
			b.Fatal(err)
		}
	}
}

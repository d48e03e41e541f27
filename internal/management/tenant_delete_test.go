package management_test

import (
	"net/http"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// A deleted tenant's endpoints are gone at once on this node: its JWKS,
// discovery and hosted pages answer 404, not a 500 from a cached tenant
// whose rows are gone (found by FuzzOperations).
func TestDeletedTenantIsNotFound(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	paths := []string{"/keys", "/.well-known/openid-configuration", "/login?authRequestID=x"}
	// "seen" had its keys and metadata served before it was deleted;
	// "touched" was only resolved (by an account API call).
	for _, tenant := range []string{"seen", "touched"} {
		mkTenant(t, s, tenant)
		if tenant == "seen" {
			for _, p := range paths {
				if got := protocolStatus(t, s, tenant, p, ""); got >= 500 {
					t.Fatalf("GET %s before the deletion: %d", p, got)
				}
			}
		} else if got := protocolStatus(t, s, tenant, "/v1/me", ""); got != http.StatusUnauthorized {
			t.Fatalf("GET /t/touched/v1/me: %d", got)
		}
		resp, body := do(t, s, "DELETE", "/admin/v1/tenants/"+tenant, testserver.AdminToken, "", "")
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %d %v", resp.StatusCode, body)
		}
		for _, p := range paths {
			if got := protocolStatus(t, s, tenant, p, ""); got != http.StatusNotFound {
				t.Errorf("GET /t/%s%s after the deletion: %d, want 404", tenant, p, got)
			}
		}
	}
}

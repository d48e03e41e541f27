package restapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
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

// Deleting a tenant is recorded in the default tenant's audit log (the
// platform's, where the caller's credential lives): the deleted tenant's
// own chain is gone with it, and recording there failed with an error in
// the log and no trace of the deletion.
func TestTenantDeletionIsAudited(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	mkTenant(t, s, "doomed")
	_, created := do(t, s, "GET", "/admin/v1/tenants/doomed", testserver.AdminToken, "", "")
	before := len(s.Logs.String())
	resp, body := do(t, s, "DELETE", "/admin/v1/tenants/doomed", testserver.AdminToken, "", "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %v", resp.StatusCode, body)
	}
	for _, line := range strings.Split(s.Logs.String()[before:], "\n") {
		var entry struct{ Level, Msg string }
		if json.Unmarshal([]byte(line), &entry) == nil && (entry.Level == "WARN" || entry.Level == "ERROR") {
			t.Errorf("logged at %s: %s", entry.Level, line)
		}
	}
	resp, body = do(t, s, "GET", "/admin/v1/events?type=admin.tenant.deleted", testserver.AdminToken, "", "")
	items, _ := body["items"].([]any)
	if resp.StatusCode != http.StatusOK || len(items) != 1 {
		t.Fatalf("events: %d %v", resp.StatusCode, body)
	}
	data, _ := items[0].(map[string]any)["data"].(map[string]any)
	if data["slug"] != "doomed" || data["tenant_id"] != created["id"] || items[0].(map[string]any)["actor_id"] != "bootstrap-token" {
		t.Errorf("event %v, want slug doomed and tenant_id %v by the bootstrap token", items[0], created["id"])
	}
}

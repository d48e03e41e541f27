package restapi_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The tenant's trust_upstream_mfa (issue 12) is in the Admin API: false by
// default, set by a patch, stored in the MFA policy the sign-in service
// reads (authn.FederatedAMR; honoured only when true, TestFederatedAMRAndMFA).
func TestTenantTrustUpstreamMFA(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "GET", "/admin/v1/tenants/default", tok, "", "")
	if m, _ := body["mfa"].(map[string]any); resp.StatusCode != 200 || m["trust_upstream_mfa"] != false {
		t.Fatalf("default: %d %v", resp.StatusCode, body["mfa"])
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/default", tok, "application/merge-patch+json", `{"mfa":{"trust_upstream_mfa":true}}`)
	if m, _ := body["mfa"].(map[string]any); resp.StatusCode != 200 || m["trust_upstream_mfa"] != true || m["mode"] != "optional" {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	if !mustScope(t, s, "").Tenant.MFA.TrustUpstreamMFA {
		t.Fatal("not stored in the tenant's MFA policy")
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/default", tok, "application/merge-patch+json", `{"mfa":{"trust_upstream_mfa":"yes"}}`)
	if resp.StatusCode != 400 {
		t.Fatalf("a string: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/default", tok, "application/merge-patch+json", `{"mfa":{"allow_email_otp":true}}`)
	if m, _ := body["mfa"].(map[string]any); resp.StatusCode != 200 || m["trust_upstream_mfa"] != true {
		t.Fatalf("another member's patch changed it: %d %v", resp.StatusCode, body["mfa"])
	}
}

package restapi_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// TestTenantOnboarding: the onboarding settings round-trip through the
// contract-checked admin API with defaults, merge semantics and validation.
func TestTenantOnboarding(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken

	// Defaults: registration open, unverified sign-in allowed, no terms.
	resp, body := do(t, s, "POST", "/admin/v1/tenants", tok, "application/json", `{"slug":"plain"}`)
	if resp.StatusCode != 201 || mustJSON(body["onboarding"]) != `{"allow_unverified_sign_in":true,"registration_enabled":true}` {
		t.Fatalf("default onboarding: %d %v", resp.StatusCode, body)
	}

	resp, body = do(t, s, "POST", "/admin/v1/tenants", tok, "application/json",
		`{"slug":"onb","onboarding":{"registration_enabled":false,"terms_version":"2026-05","terms_uri":"https://onb.example/terms"}}`)
	want := `{"allow_unverified_sign_in":true,"registration_enabled":false,"terms_uri":"https://onb.example/terms","terms_version":"2026-05"}`
	if resp.StatusCode != 201 || mustJSON(body["onboarding"]) != want {
		t.Fatalf("create: %d %v", resp.StatusCode, body)
	}
	// Members present replace; absent ones stay.
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/onb", tok, "application/merge-patch+json",
		`{"onboarding":{"allow_unverified_sign_in":false,"terms_version":"2026-06"}}`)
	want = `{"allow_unverified_sign_in":false,"registration_enabled":false,"terms_uri":"https://onb.example/terms","terms_version":"2026-06"}`
	if resp.StatusCode != 200 || mustJSON(body["onboarding"]) != want {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/onb", tok, "", "")
	if resp.StatusCode != 200 || mustJSON(body["onboarding"]) != want {
		t.Fatalf("get: %d %v", resp.StatusCode, body)
	}
	// An empty string clears; clearing the URI with the version is fine.
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/onb", tok, "application/merge-patch+json",
		`{"onboarding":{"terms_version":"","terms_uri":"","registration_enabled":true}}`)
	want = `{"allow_unverified_sign_in":false,"registration_enabled":true}`
	if resp.StatusCode != 200 || mustJSON(body["onboarding"]) != want {
		t.Fatalf("clear: %d %v", resp.StatusCode, body)
	}

	for _, bad := range []string{
		`{"onboarding":{"terms_uri":"http://evil.example/terms","terms_version":"1"}}`,
		`{"onboarding":{"terms_uri":"javascript:alert(1)","terms_version":"1"}}`,
		`{"onboarding":{"terms_uri":"https://onb.example/terms"}}`, // a URI needs a version
		`{"onboarding":{"terms_version":"has space"}}`,
		`{"onboarding":{"bogus":true}}`,
	} {
		resp, body = do(t, s, "PATCH", "/admin/v1/tenants/onb", tok, "application/json", bad)
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	}
}

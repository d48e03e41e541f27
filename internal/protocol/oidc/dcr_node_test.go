package oidc_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// dcrNodeScenario runs testdata/rp/<script> with node and returns the JSON
// line it prints. Without node or the npm packages (npm ci in
// testdata/rp) the test is skipped, except in CI, which must run it.
func dcrNodeScenario(t *testing.T, script string, arg any) map[string]any {
	t.Helper()
	dir := rpDir(t) // rp_dir_test.go
	b, err := json.Marshal(arg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script, string(b))
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	var out map[string]any
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("node %s printed %q: %v", script, stdout, err)
	}
	return out
}

// An independent client (oauth4webapi) registers with an initial access
// token, gets a token, reads, updates and deletes its registration.
func TestDCRWithOAuth4WebAPI(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.setDCR(t, "", "initial_access_token", nil)
	iat := o.iat(t, "", map[string]any{"max_uses": 1, "expires_in": 600})
	out := dcrNodeScenario(t, "dcr.mjs", map[string]string{"issuer": o.URL, "iat": iat})
	want := map[string]any{
		"registration_endpoint": o.URL + "/oauth/register", "access_token": true,
		"read_status": float64(200), "read_name": "oauth4webapi DCR client",
		"update_status": float64(200), "updated_name": "renamed by oauth4webapi", "token_rotated": true,
		"old_token_status": float64(401), "access_token_after_update": true,
		"delete_status": float64(204), "after_delete_status": float64(401), "after_delete": "invalid_client",
	}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, out[k], v, out)
		}
	}
	if id, _ := out["client_id"].(string); id == "" || out["registration_client_uri"] != o.URL+"/oauth/register/"+id {
		t.Errorf("client %v", out)
	}
}

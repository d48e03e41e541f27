package oidc_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// nodeRP starts scenario (a .mjs file in testdata/rp) with cfg. Without
// node or the npm packages (npm ci in testdata/rp) the test is skipped,
// except in CI, which must run it.
func nodeRP(t *testing.T, scenario string, cfg any) (lines *bufio.Reader, stdin io.WriteCloser, stderr *strings.Builder) {
	t.Helper()
	dir := rpDir(t) // rp_dir_test.go
	arg, _ := json.Marshal(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := exec.CommandContext(ctx, "node", scenario, string(arg))
	cmd.Dir = dir
	stdin, _ = cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
		cancel()
		if t.Failed() {
			t.Logf("%s's stderr:\n%s", scenario, stderr.String())
		}
	})
	return bufio.NewReader(stdout), stdin, stderr
}

// readLine reads one JSON line of the scenario.
func readLine(t *testing.T, r *bufio.Reader) map[string]any {
	t.Helper()
	l, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("scenario ended early: %v (%q)", err, l)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(l), &m); err != nil {
		t.Fatalf("scenario printed %q", l)
	}
	if e, _ := m["error"].(string); e != "" {
		t.Fatalf("scenario failed: %s", e)
	}
	return m
}

// TestDPoPOAuth4WebAPI runs testdata/rp/dpop.mjs: oauth4webapi 3.8 does
// DPoP client credentials with the nonce retry, the code flow with
// dpop_jkt, userinfo with a proof and a bound refresh; a replayed proof,
// the token as Bearer and a refresh with another key are refused.
func TestDPoPOAuth4WebAPI(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	svc := o.serviceClient(t, "", "client_secret_basic", "", nil)
	pub := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantCode, grantRefresh}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "none", "scope": "openid offline_access",
		"metadata": map[string]any{"first_party": true},
	})
	lines, stdin, _ := nodeRP(t, "dpop.mjs", map[string]string{"issuer": o.issuer(""), "service_id": svc.ID,
		"service_secret": svc.Secret, "public_id": pub.ID, "redirect_uri": redirectURI})
	authURL, _ := readLine(t, lines)["authorize"].(string)
	if authURL == "" {
		t.Fatal("no authorization URL")
	}
	q := callback(t, o.newBrowser(t).authorize(t, authURL, u, ""))
	if _, err := io.WriteString(stdin, redirectURI+"?"+q.Encode()+"\n"); err != nil {
		t.Fatal(err)
	}
	res := readLine(t, lines)
	if res["ok"] != true || res["sub"] == "" {
		t.Fatalf("scenario: %v", res)
	}
	// What the independent client holds is bound to its key, as Gatehouse says.
	for tok, jkt := range map[string]string{res["client_credentials_token"].(string): res["client_credentials_jkt"].(string),
		res["access_token"].(string): res["jkt"].(string)} {
		wantJKT(t, o.verifyWithJWKS(t, "", tok), jkt)
	}
}

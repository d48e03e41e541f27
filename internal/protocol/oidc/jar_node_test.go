package oidc_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// TestNodeJAR runs testdata/rp/jar.mjs: panva's oauth4webapi, an
// independent client, signs a request object, pushes it with
// private_key_jwt and PKCE, redeems the code, and sees a tampered, an
// expired and a replayed request object and a fapi2 client's plain
// /authorize refused. Without node or the packages (npm ci in
// testdata/rp) the test is skipped, except in CI, which must run it.
func TestNodeJAR(t *testing.T) {
	t.Parallel()
	dir := rpDir(t) // rp_dir_test.go
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.keyCodeClient(t, map[string]any{"require_signed_request_object": true})
	fapi := o.keyCodeClient(t, map[string]any{"profile": "fapi2"})
	priv, _ := json.Marshal(jose.JSONWebKey{Key: c.Key, KeyID: c.KeyID, Algorithm: "ES256"})
	cfg, _ := json.Marshal(map[string]any{"issuer": o.issuer(""), "client_id": c.ID, "kid": c.KeyID,
		"jwk": json.RawMessage(priv), "redirect_uri": redirectURI, "fapi_client_id": fapi.ID})

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "jar.mjs", string(cfg))
	cmd.Dir = dir
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = stdin.Close()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("jar.mjs stderr:\n%s", stderr.String())
		}
	}()
	lines := bufio.NewReader(stdout)
	read := func(v any) {
		t.Helper()
		l, err := lines.ReadString('\n')
		if err != nil || json.Unmarshal([]byte(l), v) != nil {
			_ = stdin.Close()
			_ = cmd.Wait()
			t.Fatalf("jar.mjs: %q %v\n%s", l, err, stderr.String())
		}
	}
	var start struct{ Authorize string }
	read(&start)
	p := o.newBrowser(t).authorize(t, start.Authorize, u, "")
	callback(t, p)
	if _, err := stdin.Write([]byte(p.Left.String() + "\n")); err != nil {
		t.Fatal(err)
	}
	var res struct {
		TokenType      string `json:"token_type"`
		HasAccessToken bool   `json:"has_access_token"`
		Sub            string
		Tampered       string
		Expired        string
		Replayed       string
		FAPIWithoutPAR struct {
			Status int
			Error  string
		} `json:"fapi_without_par"`
	}
	read(&res)
	if !res.HasAccessToken || res.Sub != u.ID || !strings.EqualFold(res.TokenType, "bearer") {
		t.Fatalf("code flow through oauth4webapi: %+v", res)
	}
	if res.Tampered != "invalid_request_object" || res.Expired != "invalid_request_object" || res.Replayed != "invalid_request_object" {
		t.Fatalf("refusals: tampered %q expired %q replayed %q", res.Tampered, res.Expired, res.Replayed)
	}
	if res.FAPIWithoutPAR.Status != 400 || res.FAPIWithoutPAR.Error != "invalid_request" {
		t.Fatalf("fapi2 client without PAR: %+v", res.FAPIWithoutPAR)
	}
}

package oidc_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// rarNode runs a scenario of testdata/rp (npm ci there) with node and
// decodes the one JSON line it prints. Without node or the packages the
// test is skipped, except in CI, which must run it.
func rarNode(t *testing.T, script string, args ...string) map[string]any {
	t.Helper()
	dir := rpDir(t) // rp_dir_test.go
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node %s %s: %v\n%s\n%s", script, args[0], err, out, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("node %s: %v: %s", script, err, out)
	}
	return m
}

func rarNodeArg(t *testing.T, v map[string]any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// oauth4webapi sends authorization_details with client credentials and
// with a pushed code-flow request, and reads them back from the token
// responses (and a refresh), as RFC 9396 section 7 has them.
func TestRARNodeClient(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	apiID := o.paymentsAPI(t, "")
	var details []any
	if err := json.Unmarshal([]byte(payTen), &details); err != nil {
		t.Fatal(err)
	}

	svc := o.serviceClient(t, "", "client_secret_basic", "", nil)
	o.grantPayments(t, "", svc.ID, apiID)
	cc := rarNode(t, "rar.mjs", "cc", rarNodeArg(t, map[string]any{"issuer": o.issuer(""), "client_id": svc.ID,
		"client_secret": svc.Secret, "details": details, "resource": paymentsID}))
	if detailsOf(t, cc["authorization_details"]) != canon(t, payTen) || cc["bad_error"] != "invalid_authorization_details" ||
		detailsOf(t, cc["types"]) != `["payment_initiation"]` {
		t.Fatalf("client credentials: %v", cc)
	}
	if claims := o.verifyWithJWKS(t, "", cc["access_token"].(string)); detailsOf(t, claims["authorization_details"]) != canon(t, payTen) {
		t.Fatalf("access token: %v", claims)
	}

	web := o.webClient(t, "", nil)
	o.grantPayments(t, "", web.ID, apiID)
	u := o.createUser(t, "")
	par := rarNode(t, "rar.mjs", "par", rarNodeArg(t, map[string]any{"issuer": o.issuer(""), "client_id": web.ID,
		"client_secret": web.Secret, "details": details}))
	br := o.newBrowser(t)
	p := br.visit(t, http.MethodGet, par["url"].(string), nil)
	p = br.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	if !strings.Contains(p.Body, "Initiate a payment from your account") {
		t.Fatalf("consent page:\n%s", p.Body)
	}
	p = br.submit(t, p.form(t, "decision"), "decision", "allow")
	if p.Left == nil {
		t.Fatalf("no redirect: %d %s", p.Status, p.Body)
	}
	code := rarNode(t, "rar.mjs", "code", rarNodeArg(t, map[string]any{"issuer": o.issuer(""), "client_id": web.ID,
		"client_secret": web.Secret, "callback": p.Left.String(), "verifier": par["verifier"], "state": par["state"]}))
	if detailsOf(t, code["authorization_details"]) != canon(t, payTen) || detailsOf(t, code["refreshed_details"]) != canon(t, payTen) {
		t.Fatalf("code flow: %v", code)
	}
}

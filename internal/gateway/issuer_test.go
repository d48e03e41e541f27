package gateway_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/gateway"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const opaqueAud = "https://api.example.com/ledger"

// realIssuer is a complete Gatehouse on loopback with two APIs (billing:
// JWT tokens with permissions; ledger: opaque tokens) and a service client
// granted invoices:read on both.
type realIssuer struct {
	*testserver.Server
	clientID, secret string
}

func newRealIssuer(t *testing.T) *realIssuer {
	t.Helper()
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ri := &realIssuer{Server: s}
	billing := ri.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingAud, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}, {"value": "invoices:write"}}, "permissions_in_token": true})
	ledger := ri.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": opaqueAud, "name": "Ledger",
		"scopes": []map[string]string{{"value": "invoices:read"}}, "token_format": "opaque"})
	c := ri.admin(t, "POST", "/admin/v1/clients", map[string]any{"client_name": "svc", "grant_types": []string{"client_credentials"},
		"token_endpoint_auth_method": "client_secret_basic"})
	ri.clientID, ri.secret = c["client_id"].(string), c["client_secret"].(string)
	for _, api := range []map[string]any{billing, ledger} {
		ri.admin(t, "PUT", "/admin/v1/clients/"+ri.clientID+"/apis/"+api["id"].(string), map[string]any{"scopes": []string{"invoices:read"}})
	}
	return ri
}

func (ri *realIssuer) admin(t *testing.T, method, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, ri.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := ri.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	return m
}

// token gets a client_credentials token for a resource.
func (ri *realIssuer) token(t testing.TB, resource string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", ri.URL+"/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "resource": {resource}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(ri.clientID, ri.secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		AccessToken string `json:"access_token"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &r); err != nil || r.AccessToken == "" {
		t.Fatalf("token: %d %s", resp.StatusCode, b)
	}
	return r.AccessToken
}

func (ri *realIssuer) gatewayConfig(up string) string {
	return `
issuer: ` + ri.URL + `
introspection: { client_id: ` + ri.clientID + `, client_secret: ` + ri.secret + ` }
routes:
  - name: billing
    match: { path_prefix: /billing/ }
    upstream: ` + up + `
    strip_prefix: true
    auth: { mode: jwt, audience: ` + billingAud + `, scopes: [invoices:read] }
  - name: billing-write
    match: { path_prefix: /billing-write/ }
    upstream: ` + up + `
    auth: { mode: jwt, audience: ` + billingAud + `, scopes: [invoices:write] }
  - name: billing-checked
    match: { path_prefix: /checked/ }
    upstream: ` + up + `
    revocation_check: true
    auth: { mode: jwt, audience: ` + billingAud + `, scopes: [invoices:read] }
  - name: ledger
    match: { path_prefix: /ledger/ }
    upstream: ` + up + `
    auth: { mode: introspect, audience: ` + opaqueAud + `, scopes: [invoices:read] }
`
}

// TestWithGatehouseAsIssuer runs the gateway against a real Gatehouse:
// JWT access tokens checked locally, opaque ones by introspection, and a
// signing-key rotation picked up without a restart.
func TestWithGatehouseAsIssuer(t *testing.T) {
	ri := newRealIssuer(t)
	up := newUpstream(t, "main")
	g, u, _ := startGateway(t, ri.gatewayConfig(up.URL), gateway.Options{})
	if err := g.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	jwt := ri.token(t, billingAud)
	r := call(t, "GET", u+"/billing/invoices", jwt, nil)
	if r.Status != 200 || r.Seen.Path != "/invoices" || r.Seen.Header.Get("X-Gatehouse-Subject") != ri.clientID ||
		r.Seen.Header.Get("X-Gatehouse-Client-Id") != ri.clientID || r.Seen.Header.Get("X-Gatehouse-Scopes") != "invoices:read" {
		t.Fatalf("jwt: %d %s %v", r.Status, r.Body, r.Seen.Header)
	}
	r = call(t, "GET", u+"/billing-write/x", jwt, nil)
	wantProblem(t, r, 403, gateway.TypeInsufficientScope)
	// The opaque token is for the ledger: JWT routes refuse it, the
	// introspect route takes it.
	opaque := ri.token(t, opaqueAud)
	wantProblem(t, call(t, "GET", u+"/billing/x", opaque, nil), 401, httpx.TypeUnauthorized)
	r = call(t, "GET", u+"/ledger/x", opaque, nil)
	if r.Status != 200 || r.Seen.Header.Get("X-Gatehouse-Subject") != ri.clientID {
		t.Fatalf("introspect: %d %s", r.Status, r.Body)
	}
	// A JWT for billing is not for the ledger, even when introspected.
	wantProblem(t, call(t, "GET", u+"/ledger/x", jwt, nil), 401, httpx.TypeUnauthorized)
	wantProblem(t, call(t, "GET", u+"/ledger/x", opaque+"x", nil), 401, httpx.TypeUnauthorized)

	// Revocation: local validation cannot see it (the documented
	// trade-off), revocation_check does.
	revoked := ri.token(t, billingAud)
	ri.revoke(t, revoked)
	if r := call(t, "GET", u+"/billing/x", revoked, nil); r.Status != 200 {
		t.Fatalf("jwt route, revoked token: %d (local validation cannot know)", r.Status)
	}
	wantProblem(t, call(t, "GET", u+"/checked/x", revoked, nil), 401, httpx.TypeUnauthorized)
	if r := call(t, "GET", u+"/checked/x", jwt, nil); r.Status != 200 {
		t.Fatalf("revocation_check, good token: %d %s", r.Status, r.Body)
	}

	// Key rotation at the issuer.
	tenant, err := ri.App.Directory.Resolve(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := ri.App.SigningKeys.Rotate(t.Context(), tenant.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	fresh := ri.token(t, billingAud)
	if strings.Split(fresh, ".")[0] == strings.Split(jwt, ".")[0] {
		t.Fatal("the rotation did not change the key")
	}
	if r := call(t, "GET", u+"/billing/x", fresh, nil); r.Status != 200 {
		t.Fatalf("after rotation: %d %s", r.Status, r.Body)
	}
	if r := call(t, "GET", u+"/billing/x", jwt, nil); r.Status != 200 {
		t.Fatalf("old key after rotation: %d %s", r.Status, r.Body)
	}
}

func (ri *realIssuer) revoke(t *testing.T, token string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ri.URL+"/revoke", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(ri.clientID, ri.secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
}

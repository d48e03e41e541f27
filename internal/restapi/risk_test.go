package restapi_test

import (
	"net/netip"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

func TestRiskPolicy(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "GET", "/admin/v1/risk-policy", tok, "", "")
	if resp.StatusCode != 200 || body["shadow"] != false || body["challenge_score"] != 50.0 || body["new_device"] != "score" ||
		body["max_travel_kmh"] != 1000.0 || mustJSON(body["deny_cidrs"]) != `[]` {
		t.Fatalf("defaults: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PUT", "/admin/v1/risk-policy", tok, "application/json",
		`{"shadow":true,"new_device":"notify","max_travel_kmh":900,"deny_cidrs":["198.51.100.0/24"],"allow_cidrs":["10.0.0.1"]}`)
	if resp.StatusCode != 200 || body["shadow"] != true || body["new_device"] != "notify" || body["max_travel_kmh"] != 900.0 ||
		body["challenge_score"] != 50.0 || mustJSON(body["allow_cidrs"]) != `["10.0.0.1"]` {
		t.Fatalf("replace: %d %v", resp.StatusCode, body)
	}
	// The engine applies it at once.
	tn, err := s.App.Directory.Stores.Control().Tenants().GetBySlug(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.App.Risk.Assess(ctx, risk.Attempt{TenantID: tn.ID, Login: "x", IP: netip.MustParseAddr("198.51.100.9")})
	if err != nil || !a.Shadow || a.Enforced != riskpolicy.Deny || a.Decision != riskpolicy.Allow {
		t.Fatalf("engine after PUT: %+v %v", a, err)
	}

	for body, field := range map[string]string{
		`{"challenge_score":300}`:             "/deny_score",
		`{"pair_backoff_after":50}`:           "/pair_lock_after",
		`{"deny_cidrs":["10.0.0.0/40"]}`:      "/deny_cidrs",
		`{"allow_cidrs":["not an address"]}`:  "/allow_cidrs",
		`{"max_travel_kmh":5}`:                "",
		`{"new_country":"maybe"}`:             "",
		`{"breached_password":"deny"}`:        "",
		`{"shadow":false,"unknown_member":1}`: "",
	} {
		resp, got := do(t, s, "PUT", "/admin/v1/risk-policy", tok, "application/json", body)
		wantProblem(t, resp, got, 400, "urn:gatehouse:problem:validation")
		if field == "" {
			continue
		}
		if errs, _ := got["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != field {
			t.Errorf("%s: errors %v, want one on %s", body, got["errors"], field)
		}
	}
	resp, body = do(t, s, "GET", "/admin/v1/risk-policy", tok, "", "")
	if resp.StatusCode != 200 || body["shadow"] != true || body["max_travel_kmh"] != 900.0 {
		t.Fatalf("a rejected PUT changed the policy: %v", body)
	}

	// Per tenant: another tenant keeps its defaults; an empty object
	// restores them.
	resp, _ = do(t, s, "POST", "/admin/v1/tenants", tok, "application/json", `{"slug":"riskco","display_name":"Risk Co"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create tenant: %d", resp.StatusCode)
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/riskco/risk-policy", tok, "", "")
	if resp.StatusCode != 200 || body["shadow"] != false {
		t.Fatalf("other tenant: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PUT", "/admin/v1/tenants/riskco/risk-policy", tok, "application/json", `{"new_country":"deny"}`)
	if resp.StatusCode != 200 || body["new_country"] != "deny" {
		t.Fatalf("tenant PUT: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PUT", "/admin/v1/risk-policy", tok, "application/json", `{}`)
	if resp.StatusCode != 200 || body["shadow"] != false || body["max_travel_kmh"] != 1000.0 {
		t.Fatalf("reset: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/no-such/risk-policy", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
}

func TestRiskSummary(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "POST", "/admin/v1/users", tok, "application/json", `{"email":"summary@example.com"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create user: %d %v", resp.StatusCode, body)
	}
	id := body["id"].(string)
	resp, body = do(t, s, "GET", "/admin/v1/users/"+id+"/risk-summary", tok, "", "")
	if resp.StatusCode != 200 || body["last_sign_in"] != nil || body["successful_sign_ins"] != 0.0 || mustJSON(body["known_devices"]) != `[]` {
		t.Fatalf("fresh user: %d %v", resp.StatusCode, body)
	}

	tn, err := s.App.Directory.Stores.Control().Tenants().GetBySlug(ctx, "default")
	if err != nil {
		t.Fatal(err)
	}
	e := s.App.Risk
	home := risk.Attempt{TenantID: tn.ID, UserID: id, IP: netip.MustParseAddr("192.0.2.5"), DeviceID: "phone"}
	if err := e.Observe(ctx, home, risk.Outcome{Success: true, Factor: "password"}); err != nil {
		t.Fatal(err)
	}
	attacker := risk.Attempt{TenantID: tn.ID, UserID: id, IP: netip.MustParseAddr("203.0.113.9")}
	for range 10 {
		if err := e.Observe(ctx, attacker, risk.Outcome{}); err != nil {
			t.Fatal(err)
		}
	}
	resp, body = do(t, s, "GET", "/admin/v1/users/"+id+"/risk-summary", tok, "", "")
	if resp.StatusCode != 200 || body["successful_sign_ins"] != 1.0 || body["account_failures"] != 10.0 || body["failure_window_seconds"] != 900.0 {
		t.Fatalf("summary: %d %v", resp.StatusCode, body)
	}
	devices := body["known_devices"].([]any)
	locks := body["locked_sources"].([]any)
	last := body["last_sign_in"].(map[string]any)
	if len(devices) != 1 || devices[0].(map[string]any)["value"] != "phone" || len(locks) != 1 ||
		locks[0].(map[string]any)["source"] != "ip:203.0.113.9" || last["ip"] != "192.0.2.5" || last["factor"] != "password" ||
		body["known_networks"].([]any)[0].(map[string]any)["value"] != "192.0.2.0/24" {
		t.Fatalf("summary details: %v", body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/default/users/"+id+"/risk-summary", tok, "", "")
	if resp.StatusCode != 200 || body["account_failures"] != 10.0 {
		t.Fatalf("tenant path: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/users/no-such-user/risk-summary", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	// Another tenant does not see the user.
	if resp, _ := do(t, s, "POST", "/admin/v1/tenants", tok, "application/json", `{"slug":"other","display_name":"Other"}`); resp.StatusCode != 201 {
		t.Fatalf("create tenant: %d", resp.StatusCode)
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/other/users/"+id+"/risk-summary", tok, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
}

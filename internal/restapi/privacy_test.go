package restapi_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The consent ledger (issue 15) through the Admin API and the account API
// of a running server, both tenant forms: purposes with version bumps,
// decisions with receipts verified against the JWKS, admin decisions
// with evidence, and the attacker's requests.

func purposesPath(tenant, rest string) string {
	if tenant == "" {
		return "/admin/v1/privacy/purposes" + rest
	}
	return "/admin/v1/tenants/" + tenant + "/privacy/purposes" + rest
}

func adminUserPath(tenant, userID, rest string) string {
	if tenant == "" {
		return "/admin/v1/users/" + userID + rest
	}
	return "/admin/v1/tenants/" + tenant + "/users/" + userID + rest
}

// verifyReceipt checks the JWS against the tenant's JWKS with go-jose and
// returns its claims.
func verifyReceipt(t *testing.T, s *testserver.Server, tenant, jws string) map[string]any {
	t.Helper()
	return apitest.VerifyWithJWKS(t, issuerOf(s, tenant), jws)
}

func purposeState(t *testing.T, body map[string]any, id string) map[string]any {
	t.Helper()
	ps, _ := body["purposes"].([]any)
	for _, p := range ps {
		if m := p.(map[string]any); m["purpose_id"] == id {
			return m
		}
	}
	t.Fatalf("no purpose %s in %v", id, body)
	return nil
}

func TestPrivacyLedger(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := newTenantServer(t, tenant)
			adm := testserver.AdminToken
			// Signed in before the purposes exist: a sign-in afterwards
			// would first ask for the required one (TestRequiredPurposesAtSignIn).
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			bob := mkAccountUser(t, s, tenant, "bob@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
			bobTok := newUserAgent(t, s).signIn(web, "bob@example.com", "openid account").AccessToken
			// Purposes: bad input, then two good ones.
			for _, bad := range []string{
				`{"id":"Bad Slug","name":"x","legal_basis":"consent"}`,
				`{"id":"ok","name":"x","legal_basis":"because"}`,
				`{"id":"ok","name":"","legal_basis":"consent"}`,
				`{"id":"ok","name":"   ","legal_basis":"consent"}`,
				`{"id":"ok","name":"x","legal_basis":"consent","version":7}`,
				`{"id":"-lead","name":"x","legal_basis":"consent"}`,
			} {
				resp, body := do(t, s, "POST", purposesPath(tenant, ""), adm, "application/json", bad)
				wantProblem(t, resp, body, 400, validation)
			}
			resp, body := do(t, s, "POST", purposesPath(tenant, ""), adm, "application/json",
				`{"id":"terms","name":"Terms of service","description":"Your account data, to provide the service.","legal_basis":"contract","required":true}`)
			if resp.StatusCode != 201 || body["version"] != 1.0 || resp.Header.Get("Location") != purposesPath(tenant, "/terms") || resp.Header.Get("ETag") == "" {
				t.Fatalf("create terms: %d %v %v", resp.StatusCode, body, resp.Header)
			}
			resp, body = do(t, s, "POST", purposesPath(tenant, ""), adm, "application/json",
				`{"id":"newsletter","name":"Newsletter","description":"A monthly newsletter.","legal_basis":"consent"}`)
			if resp.StatusCode != 201 || body["required"] != false {
				t.Fatalf("create newsletter: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "POST", purposesPath(tenant, ""), adm, "application/json", `{"id":"terms","name":"again","legal_basis":"consent"}`)
			wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")

			var hookID string
			if tenant == "" { // webhooks are the default tenant's
				resp, body = do(t, s, "POST", "/admin/v1/webhooks", adm, "application/json",
					`{"url":"https://hooks.example.com/privacy","event_types":["privacy.*"]}`)
				if resp.StatusCode != 201 {
					t.Fatalf("webhook: %d %v", resp.StatusCode, body)
				}
				hookID = body["id"].(string)
			}

			// Nothing decided yet: the required purpose asks.
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy"), tok, "", "")
			if resp.StatusCode != 200 || len(body["purposes"].([]any)) != 2 {
				t.Fatalf("my privacy: %d %v", resp.StatusCode, body)
			}
			if ts := purposeState(t, body, "terms"); ts["granted"] != false || ts["agreed_version"] != nil || ts["reconsent_required"] != true {
				t.Fatalf("terms before any decision: %v", ts)
			}

			// Grant both through the account API.
			resp, body = do(t, s, "PUT", mePath(tenant, "/privacy/purposes/newsletter"), tok, "application/json", `{"granted":true}`,
				"User-Agent", "privacy-test/1.0")
			if resp.StatusCode != 200 || body["channel"] != "api" || body["granted"] != true || body["version"] != 1.0 ||
				body["receipt_id"] != body["id"] || body["user_agent"] != "privacy-test/1.0" || body["ip"] == nil {
				t.Fatalf("grant newsletter: %d %v", resp.StatusCode, body)
			}
			receiptID := body["receipt_id"].(string)
			if resp, body = do(t, s, "PUT", mePath(tenant, "/privacy/purposes/terms"), tok, "application/json", `{"granted":true}`); resp.StatusCode != 200 {
				t.Fatalf("grant terms: %d %v", resp.StatusCode, body)
			}

			// The receipt verifies against the tenant's JWKS and holds the
			// Kantara fields.
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy/receipts/"+receiptID), tok, "", "")
			if resp.StatusCode != 200 || body["receipt_id"] != receiptID {
				t.Fatalf("receipt: %d %v", resp.StatusCode, body)
			}
			c := verifyReceipt(t, s, tenant, body["jws"].(string))
			if c["iss"] != issuerOf(s, tenant) || c["sub"] != ada || c["jti"] != receiptID || c["consentReceiptID"] != receiptID ||
				c["version"] != "KI-CR-v1.1.0" || c["collectionMethod"] != "api" || c["jurisdiction"] == "" || c["piiPrincipalId"] != ada {
				t.Fatalf("receipt claims: %v", c)
			}
			pp := c["services"].([]any)[0].(map[string]any)["purposes"].([]any)[0].(map[string]any)
			if pp["purposeId"] != "newsletter" || pp["purposeVersion"] != 1.0 || pp["legalBasis"] != "consent" || pp["granted"] != true {
				t.Fatalf("receipt purpose: %v", pp)
			}
			if ctl := c["piiControllers"].([]any)[0].(map[string]any); ctl["piiControllerUrl"] != issuerOf(s, tenant) {
				t.Fatalf("receipt controller: %v", ctl)
			}
			// The admin reads the same receipt.
			resp, body = do(t, s, "GET", adminUserPath(tenant, ada, "/privacy/receipts/"+receiptID), adm, "", "")
			if resp.StatusCode != 200 || body["receipt_id"] != receiptID {
				t.Fatalf("admin receipt: %d %v", resp.StatusCode, body)
			}

			// A required purpose is withdrawn only by deleting the account.
			resp, body = do(t, s, "PUT", mePath(tenant, "/privacy/purposes/terms"), tok, "application/json", `{"granted":false}`)
			wantProblem(t, resp, body, 409, "urn:gatehouse:problem:required-purpose")
			if !strings.Contains(body["detail"].(string), "Deleting the account") {
				t.Fatalf("detail does not say how: %v", body)
			}
			// Unknown purpose, bad bodies: nothing written.
			resp, body = do(t, s, "PUT", mePath(tenant, "/privacy/purposes/nope"), tok, "application/json", `{"granted":true}`)
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			for _, bad := range []string{`{}`, `{"granted":"yes"}`, `{"granted":true,"channel":"admin"}`} {
				resp, body = do(t, s, "PUT", mePath(tenant, "/privacy/purposes/newsletter"), tok, "application/json", bad)
				wantProblem(t, resp, body, 400, validation)
			}
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy/history"), tok, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 2 {
				t.Fatalf("history after refused changes: %d %v", resp.StatusCode, body)
			}

			// A trivial edit keeps the version; a material one bumps it and
			// asks again.
			resp, body = do(t, s, "PUT", purposesPath(tenant, "/newsletter"), adm, "application/json",
				`{"name":"newsletter","description":"A  monthly   newsletter. ","legal_basis":"consent"}`)
			if resp.StatusCode != 200 || body["version"] != 1.0 || body["name"] != "newsletter" {
				t.Fatalf("trivial edit: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "PUT", purposesPath(tenant, "/newsletter"), adm, "application/json",
				`{"name":"Newsletter","description":"A weekly newsletter, with partner offers.","legal_basis":"consent"}`)
			if resp.StatusCode != 200 || body["version"] != 2.0 {
				t.Fatalf("material edit: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "PUT", purposesPath(tenant, "/nope"), adm, "application/json", `{"name":"x","legal_basis":"consent"}`)
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			_, body = do(t, s, "GET", mePath(tenant, "/privacy"), tok, "", "")
			if ns := purposeState(t, body, "newsletter"); ns["granted"] != true || ns["agreed_version"] != 1.0 || ns["version"] != 2.0 || ns["reconsent_required"] != true {
				t.Fatalf("newsletter after the bump: %v", ns)
			}
			if ts := purposeState(t, body, "terms"); ts["granted"] != true || ts["reconsent_required"] != false {
				t.Fatalf("terms after the bump: %v", ts)
			}
			do(t, s, "PUT", mePath(tenant, "/privacy/purposes/newsletter"), tok, "application/json", `{"granted":true}`)
			_, body = do(t, s, "GET", mePath(tenant, "/privacy"), tok, "", "")
			if ns := purposeState(t, body, "newsletter"); ns["agreed_version"] != 2.0 || ns["reconsent_required"] != false {
				t.Fatalf("newsletter after consenting again: %v", ns)
			}

			// An administrator records a decision with evidence, as the key.
			resp, body = do(t, s, "PUT", adminUserPath(tenant, ada, "/privacy/purposes/newsletter"), adm, "application/json", `{"granted":false}`)
			wantProblem(t, resp, body, 400, validation)
			resp, body = do(t, s, "PUT", adminUserPath(tenant, ada, "/privacy/purposes/newsletter"), adm, "application/json", `{"granted":false,"evidence":"   "}`)
			wantProblem(t, resp, body, 400, validation)
			resp, body = do(t, s, "PUT", adminUserPath(tenant, ada, "/privacy/purposes/terms"), adm, "application/json", `{"granted":false,"evidence":"ticket 1"}`)
			wantProblem(t, resp, body, 409, "urn:gatehouse:problem:required-purpose")
			resp, body = do(t, s, "PUT", adminUserPath(tenant, ada, "/privacy/purposes/newsletter"), adm, "application/json",
				`{"granted":false,"evidence":"Support ticket 4711"}`)
			if resp.StatusCode != 200 || body["channel"] != "admin" || body["evidence"] != "Support ticket 4711" || body["actor_id"] == nil || body["ip"] != nil {
				t.Fatalf("admin decision: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "PUT", adminUserPath(tenant, "no-such-user", "/privacy/purposes/newsletter"), adm, "application/json",
				`{"granted":true,"evidence":"x"}`)
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, body = do(t, s, "GET", adminUserPath(tenant, ada, "/privacy/history?limit=2"), adm, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 2 || body["next_cursor"] == nil {
				t.Fatalf("admin history page: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "GET", adminUserPath(tenant, ada, "/privacy"), adm, "", "")
			if ns := purposeState(t, body, "newsletter"); resp.StatusCode != 200 || ns["granted"] != false {
				t.Fatalf("admin view: %d %v", resp.StatusCode, body)
			}

			// The attacker: another user's receipt, another tenant's user,
			// another tenant's token.
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy/receipts/"+receiptID), bobTok, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, body = do(t, s, "GET", adminUserPath(tenant, bob, "/privacy/receipts/"+receiptID), adm, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy/history"), bobTok, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 0 {
				t.Fatalf("bob sees a history: %d %v", resp.StatusCode, body)
			}
			other := "other"
			if tenant == "" {
				mkTenant(t, s, other)
			} else {
				other = ""
			}
			resp, body = do(t, s, "GET", adminUserPath(other, ada, "/privacy"), adm, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, body = do(t, s, "GET", adminUserPath(other, ada, "/privacy/receipts/"+receiptID), adm, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, _ = do(t, s, "GET", mePath(other, "/privacy"), tok, "", "")
			if resp.StatusCode != 401 {
				t.Fatalf("a token of another tenant: %d", resp.StatusCode)
			}
			resp, body = do(t, s, "GET", purposesPath(other, "/terms"), adm, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

			// Decisions are audited (and so go to webhooks).
			if tenant == "" {
				var types []string
				for _, e := range adminEvents(t, s, ada) {
					types = append(types, e.Type)
				}
				got := strings.Join(types, " ")
				if strings.Count(got, "privacy.granted") != 3 || strings.Count(got, "privacy.withdrawn") != 1 {
					t.Fatalf("ada's events: %s", got)
				}
				resp, body = do(t, s, "GET", "/admin/v1/webhooks/"+hookID+"/deliveries", adm, "", "")
				var kinds []string
				for _, d := range body["items"].([]any) {
					kinds = append(kinds, d.(map[string]any)["event_type"].(string))
				}
				if resp.StatusCode != 200 || strings.Count(strings.Join(kinds, " "), "privacy.") != 4 {
					t.Fatalf("webhook deliveries of the decisions: %d %v", resp.StatusCode, kinds)
				}
			}

			// Deleting a purpose: gone from the state, kept in the ledger.
			if resp, _ = do(t, s, "DELETE", purposesPath(tenant, "/newsletter"), adm, "", ""); resp.StatusCode != 204 {
				t.Fatalf("delete purpose: %d", resp.StatusCode)
			}
			resp, body = do(t, s, "DELETE", purposesPath(tenant, "/newsletter"), adm, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy"), tok, "", "")
			if resp.StatusCode != 200 || len(body["purposes"].([]any)) != 1 {
				t.Fatalf("state after deleting a purpose: %v", body)
			}
			resp, body = do(t, s, "GET", mePath(tenant, "/privacy/history"), tok, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 4 {
				t.Fatalf("ledger after deleting a purpose: %v", body)
			}
			resp, body = do(t, s, "GET", purposesPath(tenant, ""), adm, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 1 {
				t.Fatalf("purposes: %v", body)
			}
		})
	}
}

// adminEvents lists the audit events about a user of the default tenant.
func adminEvents(t *testing.T, s *testserver.Server, userID string) []gen.Event {
	t.Helper()
	r, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{UserID: &userID})
	if err != nil || r.JSON200 == nil {
		t.Fatalf("events: %v %s", err, r.Body)
	}
	return r.JSON200.Items
}

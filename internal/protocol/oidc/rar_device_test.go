package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRARDeviceFlow: authorization_details at device authorization (RFC
// 9396 with RFC 8628) are checked there, shown on the approval page in the
// API's words, and granted in the tokens.
func TestRARDeviceFlow(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, _ *testClock) { // jar_test.go
		apiID := o.paymentsAPI(t, "")
		c := o.deviceClient(t, "", "openid offline_access")
		o.grantPayments(t, "", c.ID, apiID)
		u := o.createUser(t, "")
		start := func(details string) reply {
			return o.post(t, o.issuer("")+"/device_authorization", url.Values{"client_id": {c.ID}, "scope": {"openid"},
				"authorization_details": {details}})
		}

		// The attacker's: an undeclared type, a detail against the schema,
		// a client without a grant to the API; nothing is stored.
		wantOAuthError(t, start(`[{"type":"wire_everything"}]`), http.StatusBadRequest, "invalid_authorization_details")
		wantOAuthError(t, start(`[{"type":"payment_initiation"}]`), http.StatusBadRequest, "invalid_authorization_details")
		wantOAuthError(t, start(`{`), http.StatusBadRequest, "invalid_authorization_details")
		other := o.deviceClient(t, "", "openid")
		wantOAuthError(t, o.post(t, o.issuer("")+"/device_authorization", url.Values{"client_id": {other.ID}, "scope": {"openid"},
			"authorization_details": {payTen}}), http.StatusBadRequest, "invalid_authorization_details")

		two := "[" + strings.TrimSuffix(strings.TrimPrefix(payTen, "["), "]") + "," + payTwenty + "]"
		r := start(two)
		checkDeviceResponse(t, r, o.issuer(""))
		b := o.newBrowser(t)
		p := b.visit(t, http.MethodGet, r.str("verification_uri_complete"), nil)
		p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
		for _, want := range []string{"Payments: Initiate a payment from your account", "<dt>creditorName</dt><dd>Merchant &lt;A&gt;</dd>",
			"<dt>instructedAmount.amount</dt><dd>10.00</dd>", "<dd>20.00</dd>"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("approval page lacks %q:\n%s", want, p.Body)
			}
		}
		if strings.Contains(p.Body, "Merchant <A>") {
			t.Error("a detail's field is not escaped")
		}
		if p = b.submit(t, p.form(t, "user_code"), "action", "approve"); p.Status != http.StatusOK {
			t.Fatalf("approve: %d", p.Status)
		}
		poll := url.Values{"grant_type": {grantDevice}, "device_code": {r.str("device_code")}, "client_id": {c.ID}}
		// Asking for a detail that was not approved spends nothing.
		more := `[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"99.00"},"creditorName":"Merchant B"}]`
		wider := cloneForm(poll)
		wider.Set("authorization_details", more)
		wantOAuthError(t, o.token(t, "", wider, ""), http.StatusBadRequest, "invalid_authorization_details")
		res := o.token(t, "", poll)
		if res.Status != http.StatusOK || detailsOf(t, res.Body["authorization_details"]) != canon(t, two) {
			t.Fatalf("poll after approval: %d %s", res.Status, res.Raw)
		}
		if claims := o.verifyWithJWKS(t, "", res.str("access_token")); detailsOf(t, claims["authorization_details"]) != canon(t, two) {
			t.Fatalf("access token: %v", claims)
		}
	})
}

package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRARTokenExchange: a token exchange (RFC 8693) may carry on only
// authorization_details of the subject token (RFC 9396), never others.
func TestRARTokenExchange(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, _ *testClock) { // jar_test.go
		apiID := o.paymentsAPI(t, "")
		c := o.webClient(t, "", map[string]any{
			"grant_types": []string{grantCode, grantRefresh, grantExchange},
			"metadata":    map[string]any{"first_party": true, "token_exchange_audiences": []string{"https://orders.example"}},
		})
		o.grantPayments(t, "", c.ID, apiID)
		u := o.createUser(t, "")
		two := "[" + strings.TrimSuffix(strings.TrimPrefix(payTen, "["), "]") + "," + payTwenty + "]"
		uri, verifier := parLogin(t, o, c, two)
		tok := o.exchangeCode(t, c, o.parCode(t, c, u, uri), verifier)
		if tok.Status != 200 || detailsOf(t, tok.Body["authorization_details"]) != canon(t, two) {
			t.Fatalf("code exchange: %d %s", tok.Status, tok.Raw)
		}
		form := func(kv ...string) url.Values {
			f := url.Values{"grant_type": {grantExchange}, "subject_token": {tok.str("access_token")},
				"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}}
			for i := 0; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return f
		}

		// A subset of the subject token's details, for the API.
		r := o.token(t, "", form("resource", paymentsID, "authorization_details", "["+payTwenty+"]"), c.ID, c.Secret)
		if r.Status != 200 || detailsOf(t, r.Body["authorization_details"]) != canon(t, "["+payTwenty+"]") {
			t.Fatalf("exchange with details: %d %s", r.Status, r.Raw)
		}
		if claims := o.verifyWithJWKS(t, "", r.str("access_token")); detailsOf(t, claims["authorization_details"]) != canon(t, "["+payTwenty+"]") {
			t.Fatalf("exchanged token: %v", claims)
		}
		// All of them, for the listed audience.
		r = o.token(t, "", form("audience", "https://orders.example", "authorization_details", two), c.ID, c.Secret)
		if r.Status != 200 || detailsOf(t, r.Body["authorization_details"]) != canon(t, two) {
			t.Fatalf("exchange with all details: %d %s", r.Status, r.Raw)
		}
		// None asked: none carried on.
		r = o.token(t, "", form("resource", paymentsID), c.ID, c.Secret)
		if r.Status != 200 || r.Body["authorization_details"] != nil {
			t.Fatalf("exchange without details: %d %s", r.Status, r.Raw)
		}
		if claims := o.verifyWithJWKS(t, "", r.str("access_token")); claims["authorization_details"] != nil {
			t.Fatalf("details appeared: %v", claims)
		}

		// The attacker's: a detail the subject token lacks (another amount),
		// malformed details, details of a subject token that has none.
		more := `[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"99.00"},"creditorName":"Merchant B"}]`
		wantOAuthError(t, o.token(t, "", form("resource", paymentsID, "authorization_details", more), c.ID, c.Secret),
			http.StatusBadRequest, "invalid_authorization_details")
		wantOAuthError(t, o.token(t, "", form("resource", paymentsID, "authorization_details", "{"), c.ID, c.Secret),
			http.StatusBadRequest, "invalid_authorization_details")
		plainURI, plainVerifier := parLogin(t, o, c, "")
		plain := o.exchangeCode(t, c, o.parCode(t, c, u, plainURI), plainVerifier)
		f := form("resource", paymentsID, "authorization_details", "["+payTwenty+"]")
		f.Set("subject_token", plain.str("access_token"))
		wantOAuthError(t, o.token(t, "", f, c.ID, c.Secret), http.StatusBadRequest, "invalid_authorization_details")
	})
}

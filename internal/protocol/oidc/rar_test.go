package oidc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Rich authorization requests (RFC 9396, issue 20), on both stores.

const paymentsID = "https://api.example.com/payments"

// paymentSchema is the payment_initiation type's JSON Schema.
var paymentSchema = map[string]any{
	"type":     "object",
	"required": []string{"type", "instructedAmount", "creditorName"},
	"properties": map[string]any{
		"type": map[string]any{"const": "payment_initiation"},
		"instructedAmount": map[string]any{"type": "object", "required": []string{"currency", "amount"},
			"properties": map[string]any{
				"currency": map[string]any{"type": "string", "pattern": "^[A-Z]{3}$"},
				"amount":   map[string]any{"type": "string", "pattern": "^[0-9]+(\\.[0-9]{2})?$"},
			}, "additionalProperties": false},
		"creditorName": map[string]any{"type": "string", "maxLength": 70},
	},
	"additionalProperties": false,
}

const (
	payTen    = `[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"10.00"},"creditorName":"Merchant <A>"}]`
	payTwenty = `{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"20.00"},"creditorName":"Merchant B"}`
)

// adminRaw calls the Admin API and returns the status and body, whatever
// they are.
func (o *op) adminRaw(t *testing.T, method, path string, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, o.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := o.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// paymentsAPI declares the payments API with the payment_initiation type
// in a tenant and returns its ID.
func (o *op) paymentsAPI(t *testing.T, slug string) string {
	t.Helper()
	a := o.admin(t, "POST", tenantPath(slug, "/apis"), map[string]any{"identifier": paymentsID, "name": "Payments",
		"scopes": []map[string]string{{"value": "payments:initiate"}},
		"authorization_details_types": []map[string]any{{"type": "payment_initiation",
			"description": "Initiate a payment from your account", "schema": paymentSchema}}})
	return a["id"].(string)
}

// grantPayments lets the client use the payments API.
func (o *op) grantPayments(t *testing.T, slug, clientID, apiID string) {
	t.Helper()
	o.admin(t, "PUT", tenantPath(slug, "/clients/"+clientID+"/apis/"+apiID), map[string]any{"scopes": []string{"payments:initiate"}})
}

func ccForm(kv ...string) url.Values {
	f := url.Values{"grant_type": {grantClientCred}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return f
}

// detailsOf decodes an authorization_details value (claim, response
// member) to compare it with a canonical JSON array.
func detailsOf(t *testing.T, v any) string {
	t.Helper()
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func canon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return detailsOf(t, v)
}

func TestRARClientCredentials(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, _ *testClock) { // jar_test.go
		apiID := o.paymentsAPI(t, "")
		svc := o.serviceClient(t, "", "client_secret_basic", "", nil)
		o.grantPayments(t, "", svc.ID, apiID)

		// Discovery lists the tenant's types.
		d := o.get(t, o.issuer("")+"/.well-known/openid-configuration")
		if !slices.Equal(toStrings(d.Body["authorization_details_types_supported"]), []string{"payment_initiation"}) {
			t.Fatalf("discovery: %s", d.Raw)
		}

		r := o.token(t, "", ccForm("authorization_details", payTen, "resource", paymentsID), svc.ID, svc.Secret)
		if r.Status != 200 || detailsOf(t, r.Body["authorization_details"]) != canon(t, payTen) {
			t.Fatalf("client credentials with details: %d %s", r.Status, r.Raw)
		}
		claims := o.verifyWithJWKS(t, "", r.str("access_token"))
		if detailsOf(t, claims["authorization_details"]) != canon(t, payTen) || !slices.Equal(toStrings(claims["aud"]), []string{paymentsID}) {
			t.Fatalf("claims %v", claims)
		}
		if in := o.wantActive(t, svc, r.str("access_token")); detailsOf(t, in.Body["authorization_details"]) != canon(t, payTen) {
			t.Fatalf("introspection: %s", in.Raw)
		}

		// Opaque tokens: the details are in introspection.
		o.admin(t, "PATCH", "/admin/v1/apis/"+apiID, map[string]any{"token_format": "opaque"})
		r = o.token(t, "", ccForm("authorization_details", payTen, "resource", paymentsID), svc.ID, svc.Secret)
		if r.Status != 200 || !strings.HasPrefix(r.str("access_token"), "gho_") {
			t.Fatalf("opaque: %d %s", r.Status, r.Raw)
		}
		if in := o.wantActive(t, svc, r.str("access_token")); detailsOf(t, in.Body["authorization_details"]) != canon(t, payTen) {
			t.Fatalf("opaque introspection: %s", in.Raw)
		}

		// Refusals: nothing is issued.
		other := o.serviceClient(t, "", "client_secret_basic", "", nil) // no grant to the payments API
		o.createTenant(t, "globex")
		o.admin(t, "POST", tenantPath("globex", "/apis"), map[string]any{"identifier": "https://api.globex.example/transfers",
			"name": "Transfers", "authorization_details_types": []map[string]any{{"type": "globex_transfer", "schema": map[string]any{"type": "object"}}}})
		bad := []struct {
			name, details string
			c             *rp
			extra         []string
		}{
			{"against the schema", `[{"type":"payment_initiation","instructedAmount":{"currency":"euro","amount":"10"},"creditorName":"M"}]`, svc, nil},
			{"unknown field", `[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"1.00"},"creditorName":"M","iban":"X"}]`, svc, nil},
			{"undeclared type", `[{"type":"account_information"}]`, svc, nil},
			{"another tenant's type", `[{"type":"globex_transfer"}]`, svc, nil},
			{"malformed JSON", `[{"type":"payment_initiation"`, svc, nil},
			{"not an array", `{"type":"payment_initiation"}`, svc, nil},
			{"no type", `[{"creditorName":"M"}]`, svc, nil},
			{"empty", `[]`, svc, nil},
			{"too many", "[" + strings.Repeat(payTwenty+",", 10) + payTwenty + "]", svc, nil},
			{"too large", `[{"type":"payment_initiation","creditorName":"` + strings.Repeat("x", 9000) + `"}]`, svc, nil},
			{"client without access", payTen, other, nil},
			{"twice", payTen, svc, []string{"authorization_details", payTen}},
		}
		for _, b := range bad {
			form := ccForm(append([]string{"authorization_details", b.details}, b.extra...)...)
			r := o.token(t, "", form, b.c.ID, b.c.Secret)
			if r.Status != 400 || r.str("error") != "invalid_authorization_details" {
				t.Errorf("%s: %d %s", b.name, r.Status, r.Raw)
			}
		}

		// An API update with an invalid schema is refused and changes nothing.
		for _, schema := range []any{map[string]any{"type": 12}, map[string]any{"$ref": "https://example.com/s.json"},
			map[string]any{"type": "object", "description": strings.Repeat("x", 17<<10)}} {
			st, body := o.adminRaw(t, "PATCH", "/admin/v1/apis/"+apiID, map[string]any{"authorization_details_types": []map[string]any{
				{"type": "payment_initiation", "schema": schema}}})
			if st != 400 || !strings.Contains(body, "/authorization_details_types/0/schema") {
				t.Errorf("invalid schema: %d %s", st, body)
			}
		}
		// A type another API declares is refused.
		if st, body := o.adminRaw(t, "POST", "/admin/v1/apis", map[string]any{"identifier": "https://api.example.com/other", "name": "Other",
			"authorization_details_types": []map[string]any{{"type": "payment_initiation", "schema": map[string]any{}}}}); st != 400 {
			t.Errorf("duplicate type across APIs: %d %s", st, body)
		}
		got := o.admin(t, "GET", "/admin/v1/apis/"+apiID, nil)
		types, _ := got["authorization_details_types"].([]any)
		if len(types) != 1 || types[0].(map[string]any)["description"] != "Initiate a payment from your account" {
			t.Fatalf("API after refused updates: %v", got)
		}
		if r := o.token(t, "", ccForm("authorization_details", payTen), svc.ID, svc.Secret); r.Status != 200 {
			t.Fatalf("after refused updates: %d %s", r.Status, r.Raw)
		}
	})
}

// parLogin pushes an authorization request with details and returns the
// request_uri and the PKCE verifier.
func parLogin(t *testing.T, o *op, c *rp, details string) (string, string) {
	t.Helper()
	verifier, challenge := pkce()
	r := o.push(t, c, url.Values{"response_type": {"code"}, "redirect_uri": {redirectURI}, "scope": {"openid offline_access"},
		"state": {"s-rar"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}, "authorization_details": {details}})
	if r.Status != http.StatusCreated {
		t.Fatalf("push: %d %s", r.Status, r.Raw)
	}
	return r.str("request_uri"), verifier
}

func (o *op) exchangeCode(t *testing.T, c *rp, code, verifier string, kv ...string) reply {
	t.Helper()
	form := url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return o.token(t, c.Tenant, form, c.ID, c.Secret)
}

func TestRARCodeFlowWithPAR(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, _ *testClock) { // jar_test.go
		apiID := o.paymentsAPI(t, "")
		c := o.webClient(t, "", nil) // third party: consent
		o.grantPayments(t, "", c.ID, apiID)
		u := o.createUser(t, "")
		two := "[" + strings.TrimSuffix(strings.TrimPrefix(payTen, "["), "]") + "," + payTwenty + "]"

		// A detail against the schema is refused at the push.
		bad := o.push(t, c, url.Values{"response_type": {"code"}, "redirect_uri": {redirectURI}, "scope": {"openid"},
			"code_challenge": {"x" + strings.Repeat("a", 42)}, "code_challenge_method": {"S256"},
			"authorization_details": {`[{"type":"payment_initiation"}]`}})
		wantOAuthError(t, bad, http.StatusBadRequest, "invalid_authorization_details")

		uri, verifier := parLogin(t, o, c, two)
		br := o.newBrowser(t)
		p := br.visit(t, http.MethodGet, o.authorizeURI(c, uri), nil)
		p = br.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
		if p.Status != 200 || !strings.Contains(p.Body, `name="decision"`) {
			t.Fatalf("no consent page: %d %v\n%s", p.Status, p.Left, p.Body)
		}
		for _, want := range []string{"Payments: Initiate a payment from your account", "<dt>creditorName</dt><dd>Merchant &lt;A&gt;</dd>",
			"<dt>instructedAmount.amount</dt><dd>10.00</dd>", "<dt>instructedAmount.currency</dt><dd>EUR</dd>", "<dd>20.00</dd>"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("consent page lacks %q:\n%s", want, p.Body)
			}
		}
		if strings.Contains(p.Body, "Merchant <A>") {
			t.Error("a detail's field is not escaped")
		}
		p = br.submit(t, p.form(t, "decision"), "decision", "allow")
		q := callback(t, p)
		r := o.exchangeCode(t, c, q.Get("code"), verifier)
		if r.Status != 200 || detailsOf(t, r.Body["authorization_details"]) != canon(t, two) {
			t.Fatalf("code exchange: %d %s", r.Status, r.Raw)
		}
		if claims := o.verifyWithJWKS(t, "", r.str("access_token")); detailsOf(t, claims["authorization_details"]) != canon(t, two) {
			t.Fatalf("access token: %v", claims)
		}

		// Refresh keeps them; may narrow; never widens.
		rt := r.str("refresh_token")
		r = o.refresh(t, c, rt)
		if r.Status != 200 || detailsOf(t, r.Body["authorization_details"]) != canon(t, two) {
			t.Fatalf("refresh: %d %s", r.Status, r.Raw)
		}
		more := `[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"99.00"},"creditorName":"Merchant B"}]`
		if w := o.refresh(t, c, r.str("refresh_token"), "authorization_details", more); w.Status != 400 || w.str("error") != "invalid_authorization_details" {
			t.Fatalf("widening refresh: %d %s", w.Status, w.Raw)
		}
		n := o.refresh(t, c, r.str("refresh_token"), "authorization_details", "["+payTwenty+"]")
		if n.Status != 200 || detailsOf(t, n.Body["authorization_details"]) != canon(t, "["+payTwenty+"]") {
			t.Fatalf("narrowing refresh: %d %s", n.Status, n.Raw)
		}
		if claims := o.verifyWithJWKS(t, "", n.str("access_token")); detailsOf(t, claims["authorization_details"]) != canon(t, "["+payTwenty+"]") {
			t.Fatalf("narrowed access token: %v", claims)
		}
		// The narrowed refresh token keeps only what it was narrowed to.
		if w := o.refresh(t, c, n.str("refresh_token"), "authorization_details", payTen); w.Status != 400 || w.str("error") != "invalid_authorization_details" {
			t.Fatalf("widening back: %d %s", w.Status, w.Raw)
		}
		if in := o.introspect(t, c, n.str("refresh_token")); detailsOf(t, in.Body["authorization_details"]) != canon(t, "["+payTwenty+"]") {
			t.Fatalf("refresh token introspection: %s", in.Raw)
		}

		// The same details again: consent is remembered. The code exchange
		// may narrow, not widen.
		uri, verifier = parLogin(t, o, c, two)
		q = callback(t, br.authorize(t, o.authorizeURI(c, uri), nil, ""))
		if w := o.exchangeCode(t, c, q.Get("code"), verifier, "authorization_details", more); w.Status != 400 || w.str("error") != "invalid_authorization_details" {
			t.Fatalf("widening code exchange: %d %s", w.Status, w.Raw)
		}
		uri, verifier = parLogin(t, o, c, payTen)
		q = callback(t, br.authorize(t, o.authorizeURI(c, uri), nil, ""))
		if r := o.exchangeCode(t, c, q.Get("code"), verifier, "authorization_details", payTen); r.Status != 200 ||
			detailsOf(t, r.Body["authorization_details"]) != canon(t, payTen) {
			t.Fatalf("same-details code exchange: %d %s", r.Status, r.Raw)
		}
		// New details need consent again.
		uri, _ = parLogin(t, o, c, more)
		if p := br.visit(t, http.MethodGet, o.authorizeURI(c, uri), nil); p.Status != 200 || !strings.Contains(p.Body, `name="decision"`) {
			t.Fatalf("new details skipped consent: %d %v", p.Status, p.Left)
		}

		// At /authorize (no PAR), bad details go back to the client.
		rp := o.relyingParty(t, c, "", "openid")
		l := newLogin()
		u2 := rp.authURL(l) + "&authorization_details=" + url.QueryEscape(`[{"type":"nope"}]`)
		if q := callback(t, br.authorize(t, u2, nil, "")); q.Get("error") != "invalid_authorization_details" || q.Get("state") != l.State {
			t.Fatalf("bad details at /authorize: %v", q)
		}
		// A client without access to the API is refused at the push.
		c2 := o.webClient(t, "", nil)
		r2 := o.push(t, c2, url.Values{"response_type": {"code"}, "redirect_uri": {redirectURI}, "scope": {"openid"},
			"code_challenge": {"x" + strings.Repeat("a", 42)}, "code_challenge_method": {"S256"}, "authorization_details": {payTen}})
		wantOAuthError(t, r2, http.StatusBadRequest, "invalid_authorization_details")

		// The client's grant to the API revoked: its refresh tokens no
		// longer carry the details.
		o.admin(t, "DELETE", "/admin/v1/clients/"+c.ID+"/apis/"+apiID, nil)
		if w := o.refresh(t, c, n.str("refresh_token")); w.Status != 400 || w.str("error") != "invalid_grant" {
			t.Fatalf("refresh after the grant was revoked: %d %s", w.Status, w.Raw)
		}
	})
}

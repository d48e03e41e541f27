package login_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// apiBrowser is a browser whose JSON API calls (default tenant) are
// checked against api/openapi.yaml.
func apiBrowser(t *testing.T) *browser {
	b := newBrowser(t)
	b.checked = &http.Client{Jar: b.jar, Transport: apitest.Transport(t, nil), CheckRedirect: b.c.CheckRedirect}
	return b
}

// authRequestID starts an authorization and returns the ID the login URL carries.
func (b *browser) authRequestID(issuer string, a *authz) string {
	b.t.Helper()
	return b.get(a.url(issuer)).location(b.t).Query().Get("authRequestID")
}

func decodeResult(t *testing.T, r *resp) gen.LoginResult {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out gen.LoginResult
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAPIAuthenticate(t *testing.T) {
	e := newEnv(t)
	uid := e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := apiBrowser(t)

	a := newAuthz(c, "openid email")
	res := decodeResult(t, b.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
		AuthRequestID: b.authRequestID(e.issuer(""), a), Identifier: "jane@example.com", Password: testPassword,
	}))
	if res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		t.Fatalf("result %+v", res)
	}
	code := a.callback(t, &resp{status: http.StatusFound, header: http.Header{"Location": {*res.RedirectTo}}, url: b.lastURL})
	if _, id := e.exchange(a, code); id.Subject != uid {
		t.Errorf("sub = %q", id.Subject)
	}
	// The API set the session cookie: the next authorization is SSO.
	a = newAuthz(c, "openid")
	a.callback(t, b.follow(b.get(a.url(e.issuer("")))))
}

func TestAPIInvalidCredentials(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := apiBrowser(t)
	id := b.authRequestID(e.issuer(""), newAuthz(c, "openid"))
	var bodies []string
	for _, cred := range [][2]string{{"jane@example.com", "wrong password"}, {"ghost@example.com", "wrong password"}} {
		r := b.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: cred[0], Password: cred[1]})
		if r.status != http.StatusUnauthorized || r.header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: %d %s", cred[0], r.status, r.header.Get("Content-Type"))
		}
		var p map[string]any
		_ = json.Unmarshal([]byte(r.body), &p)
		if p["type"] != "urn:gatehouse:problem:invalid-credentials" {
			t.Errorf("problem %v", p)
		}
		delete(p, "request_id")
		norm, _ := json.Marshal(p)
		bodies = append(bodies, string(norm))
		if sc := r.header.Values("Set-Cookie"); len(sc) > 0 {
			t.Errorf("failed sign-in sets %v", sc)
		}
	}
	if bodies[0] != bodies[1] {
		t.Errorf("wrong password and unknown user differ:\n%s\n%s", bodies[0], bodies[1])
	}
}

func TestAPIOnlyFirstParty(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{})
	b := apiBrowser(t)
	r := b.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
		AuthRequestID: b.authRequestID(e.issuer(""), newAuthz(c, "openid")), Identifier: "jane@example.com", Password: testPassword,
	})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "first-party") {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// A first-party client asking for prompt=consent gets the consent step.
func TestAPIConsent(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true, name: "Our App"})
	for _, approve := range []bool{true, false} {
		b := apiBrowser(t)
		a := newAuthz(c, "openid profile").with("prompt", "consent")
		id := b.authRequestID(e.issuer(""), a)
		res := decodeResult(t, b.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
			AuthRequestID: id, Identifier: "jane@example.com", Password: testPassword,
		}))
		if res.Status != gen.LoginResultStatusConsentRequired || res.Consent == nil || res.Consent.ClientName != "Our App" ||
			strings.Join(res.Consent.Scopes, " ") != "openid profile" {
			t.Fatalf("result %+v", res)
		}
		res = decodeResult(t, b.postJSON(e.issuer("")+"/login/api/consent", gen.LoginConsentRequest{AuthRequestID: id, Approve: approve}))
		cb := &resp{status: http.StatusFound, header: http.Header{"Location": {*res.RedirectTo}}, url: b.lastURL}
		if approve {
			a.callback(t, cb)
		} else {
			a.callbackError(t, cb, "access_denied")
		}
	}
}

// The API's request checks, each answered with its documented problem.
func TestAPIRequestChecks(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := apiBrowser(t)
	id := b.authRequestID(e.issuer(""), newAuthz(c, "openid"))
	url := e.issuer("") + "/login/api/authenticate"
	valid := `{"auth_request_id":"` + id + `","identifier":"jane@example.com","password":"x"}`

	cases := []struct {
		name, path, ctype, origin, body string
		status                          int
	}{
		{"form post", url, "application/x-www-form-urlencoded", "", valid, 415},
		{"text/plain", url, "text/plain", "", valid, 415},
		{"foreign origin", url, "application/json", "https://evil.example", valid, 403},
		{"not JSON", url, "application/json", "", `{"auth_request_id":`, 400},
		{"unknown member", url, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a","password":"b","extra":1}`, 400},
		{"missing member", url, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a"}`, 400},
		{"too long", url, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a","password":"` + strings.Repeat("x", 1025) + `"}`, 400},
		{"unknown request", url, "application/json", "", `{"auth_request_id":"nope","identifier":"a","password":"b"}`, 404},
		{"consent without session", e.issuer("") + "/login/api/consent", "application/json", "", `{"auth_request_id":"` + id + `","approve":true}`, 401},
		{"consent missing approve", e.issuer("") + "/login/api/consent", "application/json", "", `{"auth_request_id":"` + id + `"}`, 400},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.ctype)
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		r := b.do(req)
		if r.status != tc.status || r.header.Get("Content-Type") != "application/problem+json" || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %s, want %d problem: %s", tc.name, r.status, r.header.Get("Content-Type"), tc.status, r.body)
		}
	}
}

// The JSON API is checked against the contract before its handler runs,
// under a named tenant's issuer too: a body the contract rejects gets the
// contract's validation problem naming the member, even for an unknown
// request.
func TestAPIContractValidation(t *testing.T) {
	e := newEnv(t)
	e.createTenant("acme", "Acme")
	b := apiBrowser(t)
	for _, tenant := range []string{"", "acme"} {
		for _, tc := range []struct{ path, body, field string }{
			{"/login/api/consent", `{"auth_request_id":"nope","approve":"yes"}`, `"/approve"`},
			{"/login/api/authenticate", `{"auth_request_id":"nope","identifier":"a","password":"b","extra":1}`, `'extra'`},
		} {
			req, _ := http.NewRequest(http.MethodPost, e.issuer(tenant)+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			// The contract names the default tenant's paths only.
			r := b.do(apitest.Unchecked(req))
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "urn:gatehouse:problem:validation") ||
				!strings.Contains(r.body, tc.field) || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%q %s: %d %s", tenant, tc.path, r.status, r.body)
			}
		}
	}
}

package loginapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The API's request checks, each a 4xx problem, never a 5xx, with
// no-store: the media type, the origin, the body the contract refuses,
// and requests the operation cannot serve.
func TestRequestChecks(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	e.user("jane@example.com")
	a := e.app(e.client("Our App", true))
	id := a.authorize()
	const auth, consent = "/login/api/authenticate", "/login/api/consent"
	valid := `{"auth_request_id":"` + id + `","identifier":"jane@example.com","password":"x"}`
	for _, tc := range []struct {
		name, path, ctype, origin, body string
		status                          int
	}{
		{"form post", auth, "application/x-www-form-urlencoded", "", valid, 415},
		{"text/plain", auth, "text/plain", "", valid, 415},
		{"foreign origin", auth, "application/json", "https://evil.example", valid, 403},
		{"not JSON", auth, "application/json", "", `{"auth_request_id":`, 400},
		{"not an object", auth, "application/json", "", `[1,2]`, 400},
		{"empty body", auth, "application/json", "", ``, 400},
		{"unknown member", auth, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a","password":"b","extra":1}`, 400},
		{"missing member", auth, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a"}`, 400},
		{"empty password", auth, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a","password":""}`, 400},
		{"wrong type", auth, "application/json", "", `{"auth_request_id":"` + id + `","identifier":1,"password":"b"}`, 400},
		{"password too long", auth, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a","password":"` + strings.Repeat("x", 1025) + `"}`, 400},
		{"NUL in identifier", auth, "application/json", "", `{"auth_request_id":"` + id + `","identifier":"a\u0000b","password":"b"}`, 400},
		{"unknown request", auth, "application/json", "", `{"auth_request_id":"nope","identifier":"a","password":"b"}`, 404},
		{"consent without session", consent, "application/json", "", `{"auth_request_id":"` + id + `","approve":true}`, 401},
		{"consent missing approve", consent, "application/json", "", `{"auth_request_id":"` + id + `"}`, 400},
	} {
		status, h, body := a.post(tc.path, tc.ctype, tc.origin, tc.body)
		if status != tc.status || h.Get("Content-Type") != "application/problem+json" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %s %q, want %d problem: %s", tc.name, status, h.Get("Content-Type"), h.Get("Cache-Control"), tc.status, body)
		}
	}
	// None of it used the request up.
	r := a.authenticate(id, "jane@example.com", password)
	a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusComplete)
}

// The contract gate checks the body before the handler runs, under a
// named tenant's issuer too: a body the contract refuses gets its
// validation problem naming the member, even for an unknown request.
func TestContractValidation(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	name := "Acme"
	if r, err := e.srv.Admin.CreateTenantWithResponse(t.Context(), nil, gen.TenantCreate{Slug: "acme", DisplayName: &name}); err != nil || r.JSON201 == nil {
		t.Fatalf("create tenant: %v", err)
	}
	a := e.app("none")
	for _, base := range []string{"", "/t/acme"} {
		for _, tc := range []struct{ path, body, field string }{
			{"/login/api/consent", `{"auth_request_id":"nope","approve":"yes"}`, `"/approve"`},
			{"/login/api/authenticate", `{"auth_request_id":"nope","identifier":"a","password":"b","extra":1}`, `'extra'`},
			{"/login/api/authenticate", `{"auth_request_id":"nope","identifier":"a"}`, `password`},
		} {
			status, h, body := a.post(base+tc.path, "application/json", "", tc.body)
			if status != http.StatusBadRequest || !strings.Contains(body, "urn:gatehouse:problem:validation") ||
				!strings.Contains(body, tc.field) || h.Get("Cache-Control") != "no-store" {
				t.Errorf("%q %s: %d %s", base, tc.path, status, body)
			}
		}
	}
}

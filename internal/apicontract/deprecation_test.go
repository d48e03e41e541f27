package apicontract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// fixture is a small contract with deprecated operations: api/openapi.yaml
// has none yet.
const fixture = `openapi: 3.1.0
info: {title: fixture, version: 1.0.0}
paths:
  /things:
    get:
      operationId: listThings
      deprecated: true
      x-deprecation-date: '2027-01-31'
      x-sunset: '2027-07-31'
      responses: {'200': {description: ok}}
    post:
      operationId: createThing
      responses: {'201': {description: ok}}
  /things/{id}:
    parameters:
    - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getThing
      deprecated: true
      x-deprecation-date: '2027-01-31T12:00:00Z'
      responses: {'200': {description: ok}}
  /things/special:
    get:
      operationId: getSpecialThing
      responses: {'200': {description: ok}}
`

func load(t *testing.T, yaml string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestDeprecationHeaders(t *testing.T) {
	d, err := apicontract.NewDeprecations(load(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	h := d.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	link := `</api/CHANGELOG.md>; rel="deprecation"; type="text/markdown"`
	for _, tc := range []struct {
		method, path                string
		deprecation, sunset, linked string
	}{
		// RFC 9745: @ and the Unix time of 2027-01-31T00:00:00Z; RFC 8594: an IMF-fixdate.
		{"GET", "/things", "@1801353600", "Sat, 31 Jul 2027 00:00:00 GMT", link},
		{"GET", "/things/abc", "@1801396800", "", link},
		{"HEAD", "/things", "@1801353600", "Sat, 31 Jul 2027 00:00:00 GMT", link},
		{"POST", "/things", "", "", ""},
		// A literal path is its own operation, not the deprecated template's.
		{"GET", "/things/special", "", "", ""},
		{"GET", "/elsewhere", "", "", ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, "http://gatehouse.example"+tc.path, nil))
		got := rec.Header()
		if got.Get("Deprecation") != tc.deprecation || got.Get("Sunset") != tc.sunset || got.Get("Link") != tc.linked {
			t.Errorf("%s %s: Deprecation %q, Sunset %q, Link %q; want %q, %q, %q", tc.method, tc.path,
				got.Get("Deprecation"), got.Get("Sunset"), got.Get("Link"), tc.deprecation, tc.sunset, tc.linked)
		}
		if n := len(got.Values("Deprecation")); n > 1 {
			t.Errorf("%s %s: %d Deprecation fields, RFC 9745 allows one", tc.method, tc.path, n)
		}
	}
}

// A contract whose deprecation cannot be said in RFC 9745 terms is refused
// when it is loaded, not answered with a wrong header.
func TestDeprecationContractErrors(t *testing.T) {
	op := func(ext string) string {
		return "openapi: 3.1.0\ninfo: {title: f, version: 1.0.0}\npaths:\n  /x:\n    get:\n" + ext +
			"      responses: {'200': {description: ok}}\n"
	}
	for name, ext := range map[string]string{
		"no date":                  "      deprecated: true\n",
		"not a date":               "      deprecated: true\n      x-deprecation-date: next spring\n",
		"a number":                 "      deprecated: true\n      x-deprecation-date: 20270131\n",
		"sunset before":            "      deprecated: true\n      x-deprecation-date: '2027-01-31'\n      x-sunset: '2026-12-31'\n",
		"sunset not a date":        "      deprecated: true\n      x-deprecation-date: '2027-01-31'\n      x-sunset: soon\n",
		"sunset, not deprecated":   "      x-sunset: '2027-07-31'\n",
		"sunset, deprecated=false": "      deprecated: false\n      x-sunset: '2027-07-31'\n",
	} {
		if _, err := apicontract.NewDeprecations(load(t, op(ext))); err == nil {
			t.Errorf("%s: loaded without an error", name)
		}
	}
}

// The contract's own deprecations load, keep the policy of its description
// (a sunset at least six months after the deprecation), and the server
// answers operations that are not deprecated without the headers.
func TestContractDeprecations(t *testing.T) {
	if _, err := apicontract.ContractDeprecations(); err != nil {
		t.Fatal(err)
	}
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			dep, _ := op.Extensions[apicontract.ExtDeprecationDate].(string)
			sun, _ := op.Extensions[apicontract.ExtSunset].(string)
			if dep == "" || sun == "" {
				continue
			}
			a, _ := time.Parse(time.DateOnly, dep[:10])
			b, _ := time.Parse(time.DateOnly, sun[:10])
			if b.Before(a.AddDate(0, 6, 0)) {
				t.Errorf("%s %s: sunset %s is less than six months after the deprecation %s", method, path, sun, dep)
			}
		}
	}

	s := testserver.New(t, testserver.Options{})
	for _, path := range []string{"/healthz", "/admin/v1/users", "/api/CHANGELOG.md"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
		resp, err := s.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Deprecation") != "" || strings.Contains(resp.Header.Get("Link"), "deprecation") {
			t.Errorf("GET %s: %d, Deprecation %q, Link %q; want 200 without them", path, resp.StatusCode,
				resp.Header.Get("Deprecation"), resp.Header.Get("Link"))
		}
	}
}

package mock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/mock"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

func newMock(t testing.TB, spec []byte) *httptest.Server {
	t.Helper()
	m, err := mock.New(mock.Options{Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv
}

type call struct {
	method, path, contentType, body string
	header                          http.Header
}

// do sends c with c's headers (a bearer token unless they set
// Authorization, even to "") through client and returns the response and
// its body.
func do(t *testing.T, client *http.Client, base string, c call) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	for k, v := range c.header {
		req.Header[k] = v
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Del("Authorization")
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// validCall is a request the operation takes: path parameters from their
// schema (an example or the first enum value), the first example of the
// request body.
func validCall(t *testing.T, path, method string, op *openapi3.Operation, item *openapi3.PathItem) call {
	t.Helper()
	c := call{method: method, path: path}
	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		if p.Value.In != "path" {
			continue
		}
		s := p.Value.Schema.Value
		v := "01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e"
		switch {
		case len(s.Enum) > 0:
			v = s.Enum[0].(string)
		case len(s.Examples) > 0:
			v = s.Examples[0].(string)
		}
		c.path = strings.ReplaceAll(c.path, "{"+p.Value.Name+"}", v)
	}
	if rb := op.RequestBody; rb != nil {
		cts := slices.Sorted(func(yield func(string) bool) {
			for ct := range rb.Value.Content {
				if !yield(ct) {
					return
				}
			}
		})
		c.contentType = cts[0]
		mt := rb.Value.Content[c.contentType]
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range mt.Examples {
				if !yield(n) {
					return
				}
			}
		})
		b, err := json.Marshal(mt.Examples[names[0]].Value.Value)
		if err != nil {
			t.Fatal(err)
		}
		c.body = string(b)
	}
	return c
}

func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// servedFromFiles are the operations the mock answers with files, as the
// server does: the contract, the reference page and the changelog.
var servedFromFiles = []string{"getOpenAPIJSON", "getOpenAPIYAML", "getDocs", "getDocsScript", "getChangelog"}

// Every operation of the contract answers a valid request with its first
// success response, every named example can be asked for with Prefer, and
// so can every documented status. apitest checks each answer against the
// contract: status, headers, content type and body.
func TestEveryOperationAnswersFromTheContract(t *testing.T) {
	srv := newMock(t, nil)
	client := apitest.Client(t)
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	ops := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			ops++
			c := validCall(t, path, method, op, item)
			resp, body := do(t, client, srv.URL, c)
			var codes []int
			for code := range op.Responses.Map() {
				n, _ := strconv.Atoi(code)
				codes = append(codes, n)
			}
			sort.Ints(codes)
			if resp.StatusCode != codes[0] {
				t.Errorf("%s: status %d, want the first success %d: %.300s", op.OperationID, resp.StatusCode, codes[0], body)
			}
			if slices.Contains(servedFromFiles, op.OperationID) {
				continue // the file, whatever Prefer says
			}
			for _, code := range codes {
				c.header = http.Header{"Prefer": {"code=" + strconv.Itoa(code)}}
				if resp, body := do(t, client, srv.URL, c); resp.StatusCode != code {
					t.Errorf("%s with Prefer code=%d: status %d: %.300s", op.OperationID, code, resp.StatusCode, body)
				}
				for ct, mt := range op.Responses.Status(code).Value.Content {
					for name, ex := range mt.Examples {
						c.header = http.Header{"Prefer": {"example=" + name}}
						resp, body := do(t, client, srv.URL, c)
						want, _ := json.Marshal(ex.Value.Value)
						if !strings.Contains(ct, "json") {
							want = []byte(ex.Value.Value.(string))
						}
						if resp.StatusCode != code || (!sameJSON(body, want) && !bytes.Equal(body, want)) {
							t.Errorf("%s with Prefer example=%s: %d %s, want %d %s", op.OperationID, name, resp.StatusCode, body, code, want)
						}
						if got := resp.Header.Get("Preference-Applied"); got != "example="+name {
							t.Errorf("%s: Preference-Applied %q", op.OperationID, got)
						}
					}
				}
			}
		}
	}
	if ops != 281 {
		t.Errorf("%d operations, want 281", ops)
	}
}

// Created resources come with the Location and ETag the server would send.
func TestCreatedResourceHeaders(t *testing.T) {
	srv := newMock(t, nil)
	resp, _ := do(t, apitest.Client(t), srv.URL, call{method: "POST", path: "/admin/v1/tenants/acme/users",
		contentType: "application/json", body: `{"email":"jane@example.com"}`})
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/admin/v1/tenants/acme/users/01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e" ||
		resp.Header.Get("ETag") != `"1"` {
		t.Errorf("%d, Location %q, ETag %q", resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("ETag"))
	}
	resp, _ = do(t, apitest.Client(t), srv.URL, call{method: "POST", path: "/admin/v1/tenants",
		contentType: "application/json", body: `{"slug":"acme"}`})
	if got := resp.Header.Get("Location"); got != "/admin/v1/tenants/acme" {
		t.Errorf("tenant Location %q", got)
	}
}

type problem struct {
	Type, Title string
	Status      int
	Errors      []struct{ Field string }
}

// Invalid requests get from the mock what the server answers them: the
// same status, problem type and field pointers. Both run the same checks
// (internal/apicontract); this keeps it so.
func TestInvalidRequestsAsTheServerAnswersThem(t *testing.T) {
	mockSrv := newMock(t, nil)
	real := testserver.New(t, testserver.Options{})
	unchecked := &http.Client{}
	big := `{"email":"jane@example.com","name":"` + strings.Repeat("x", 1<<20) + `"}`
	for _, c := range []call{
		{method: "GET", path: "/admin/v1/users?limit=0"},
		{method: "GET", path: "/admin/v1/users?limit=ten&cursor="},
		{method: "GET", path: "/admin/v1/users?email=not-an-address"},
		{method: "POST", path: "/admin/v1/users", contentType: "application/json", body: `{"email":"not-an-address"}`},
		{method: "POST", path: "/admin/v1/users", contentType: "application/json", body: `{"email":"jane@example.com","bogus":1}`},
		{method: "POST", path: "/admin/v1/users", contentType: "application/json", body: `{"email":`},
		{method: "POST", path: "/admin/v1/users", contentType: "text/plain", body: `email=jane@example.com`},
		{method: "POST", path: "/admin/v1/users", contentType: "application/json", body: big},
		{method: "PATCH", path: "/admin/v1/clients/x", contentType: "application/merge-patch+json", body: `{"grant_types":["password"]}`},
		{method: "PUT", path: "/admin/v1/tenants/Not_A_Slug/risk-policy", contentType: "application/json", body: `{}`},
		{method: "GET", path: "/admin/v1/users", header: http.Header{"Authorization": {""}}},
		{method: "GET", path: "/admin/v1/users", header: http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}},
		{method: "GET", path: "/v1/me", header: http.Header{"Authorization": {""}}},
		{method: "PUT", path: "/healthz"},
		{method: "GET", path: "/admin/v2/users"},
	} {
		name := c.method + " " + c.path
		if len(name) > 60 {
			name = name[:60]
		}
		mresp, mbody := do(t, unchecked, mockSrv.URL, c)
		rresp, rbody := do(t, unchecked, real.URL, c)
		var mp, rp problem
		if err := json.Unmarshal(mbody, &mp); err != nil {
			t.Errorf("%s: mock answered %d %.200s", name, mresp.StatusCode, mbody)
			continue
		}
		_ = json.Unmarshal(rbody, &rp)
		if mresp.StatusCode != rresp.StatusCode || !reflect.DeepEqual(mp, rp) {
			t.Errorf("%s:\n mock   %d %+v\n server %d %+v", name, mresp.StatusCode, mp, rresp.StatusCode, rp)
		}
		if mresp.StatusCode < 400 {
			t.Errorf("%s: %d, want a 4xx", name, mresp.StatusCode)
		}
		if mresp.StatusCode == 401 && mresp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", name)
		}
	}
}

// The account API takes the session cookie instead of a bearer token, as
// its security alternatives say.
func TestSessionCookieAlternative(t *testing.T) {
	srv := newMock(t, nil)
	resp, body := do(t, apitest.Client(t), srv.URL, call{method: "GET", path: "/v1/me",
		header: http.Header{"Authorization": {""}, "Cookie": {"gh_session=abc"}}})
	if resp.StatusCode != 200 || !strings.Contains(string(body), "jane@example.com") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

// A Prefer header the operation cannot honour is a 400 naming what it can.
func TestPreferErrors(t *testing.T) {
	srv := newMock(t, nil)
	for pref, want := range map[string]string{
		"code=418":                          `documents no response \"418\"; it has 200, 400, 401, 403, 404, 413, 415, 429, 500`,
		"code=4o4":                          `documents no response \"4o4\"`,
		"example=nope":                      `has no example \"nope\"; it has complete, consent_required, mfa_required`,
		"code=200, example=nope":            `has no example \"nope\" for 200`,
		`code="200"; x=y, example=complete`: "",
		"return=minimal, respond-async":     "",
	} {
		resp, body := do(t, apitest.Client(t), srv.URL, call{method: "POST", path: "/login/api/authenticate", contentType: "application/json",
			body: `{"auth_request_id":"a","identifier":"jane@example.com","password":"p"}`, header: http.Header{"Prefer": {pref}}})
		switch {
		case want == "" && resp.StatusCode != 200:
			t.Errorf("Prefer: %s: %d %s, want 200", pref, resp.StatusCode, body)
		case want != "" && (resp.StatusCode != 400 || !strings.Contains(string(body), want) || !strings.Contains(string(body), `"header:Prefer"`)):
			t.Errorf("Prefer: %s: %d %s, want 400 saying %s", pref, resp.StatusCode, body, want)
		}
	}
}

// Browser apps on other origins may call the mock.
func TestCORS(t *testing.T) {
	srv := newMock(t, nil)
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/admin/v1/users", nil)
	req.Header.Set("Origin", "http://localhost:5173")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "authorization, prefer")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Prefer") ||
		resp.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = do(t, apitest.Client(t), srv.URL, call{method: "GET", path: "/admin/v1/users", header: http.Header{"Origin": {"http://localhost:5173"}}})
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("CORS headers %v", resp.Header)
	}
}

// fixture is a contract with a deprecated operation, to see the mock
// answer as the server would.
const fixture = `openapi: 3.1.0
info: {title: Fixture, version: 0.1.0}
paths:
  /widgets:
    get:
      operationId: listWidgets
      deprecated: true
      x-deprecation-date: '2027-01-31'
      x-sunset: '2027-07-31'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
              examples:
                two: {value: [a, b]}
                none: {value: []}
  /gadgets:
    get:
      operationId: listGadgets
      responses:
        '204': {description: nothing}
`

func TestDeprecatedOperationHeaders(t *testing.T) {
	srv := newMock(t, []byte(fixture))
	resp, body := do(t, &http.Client{}, srv.URL, call{method: "GET", path: "/widgets"})
	if resp.StatusCode != 200 || string(body) != "[\"a\",\"b\"]\n" {
		t.Errorf("the first example: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Deprecation") != "@1801353600" || resp.Header.Get("Sunset") != "Sat, 31 Jul 2027 00:00:00 GMT" ||
		resp.Header.Get("Link") != `</api/CHANGELOG.md>; rel="deprecation"; type="text/markdown"` {
		t.Errorf("headers %v", resp.Header)
	}
	resp, _ = do(t, &http.Client{}, srv.URL, call{method: "GET", path: "/gadgets"})
	if resp.StatusCode != 204 || resp.Header.Get("Deprecation") != "" {
		t.Errorf("gadgets: %d %v", resp.StatusCode, resp.Header)
	}
}

// A contract the mock cannot serve is refused at start, with the reason.
func TestUnservableContract(t *testing.T) {
	noExample := strings.Replace(fixture, "              examples:\n                two: {value: [a, b]}\n                none: {value: []}\n", "", 1)
	for name, spec := range map[string]string{
		"not a contract":  "hello",
		"no example":      noExample,
		"bad deprecation": strings.Replace(fixture, "      x-deprecation-date: '2027-01-31'\n", "", 1),
	} {
		if _, err := mock.New(mock.Options{Spec: []byte(spec)}); err == nil {
			t.Errorf("%s: the mock started", name)
		}
	}
}

// BenchmarkListUsers is the mock's hot path in process (docs/benchmarks.md
// has the figure over HTTP, with wrk).
func BenchmarkListUsers(b *testing.B) {
	m, err := mock.New(mock.Options{})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/admin/v1/users?limit=10", nil)
	req.Header.Set("Authorization", "Bearer x")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

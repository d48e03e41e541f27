package apitest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// recorder is a testing.TB that collects Errorf calls instead of failing.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) reported() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

const user = `{"id":"u1","tenant_id":"t1","email":"jane@example.com","email_verified":true,
"given_name":"Jane","disabled":false,"has_password":true,"attributes":{"plan":"pro"},
"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","version":1}`

const client = `{"client_id":"c1","client_name":"App","redirect_uris":["https://app.example.com/cb"],
"grant_types":["authorization_code"],"response_types":["code"],"token_endpoint_auth_method":"client_secret_basic",
"application_type":"web","metadata":{},"client_id_issued_at":1767323045,"client_secret_expires_at":0,
"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","version":1%s}`

const notFound = `{"type":"urn:gatehouse:problem:not-found","title":"Not found","status":404,"detail":"No user with that ID."}`

// reply answers every request with status, headers (name, value pairs) and body.
func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fixed answers without a server, for responses net/http refuses to send
// (such as a 204 with a body).
func fixed(status int, body string) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: r,
		}, nil
	})
}

func TestTransport(t *testing.T) {
	const json, problem = "application/json", "application/problem+json"
	tests := []struct {
		name    string
		method  string
		path    string
		handler http.HandlerFunc
		base    http.RoundTripper // instead of a server running handler
		opts    []apitest.Option
		skip    bool   // send the request with apitest.Unchecked
		want    string // substring of the reported error; "" means no report
	}{
		{name: "valid user", path: "/admin/v1/users/u1",
			handler: reply(200, user, "Content-Type", json, "ETag", `"1"`)},
		{name: "valid user in a tenant", path: "/admin/v1/tenants/acme/users/u1",
			handler: reply(200, user, "Content-Type", json+"; charset=utf-8", "ETag", `"1"`)},
		{name: "valid problem", path: "/admin/v1/users/u1",
			handler: reply(404, notFound, "Content-Type", problem)},
		{name: "valid 204", method: "DELETE", path: "/admin/v1/users/u1", handler: reply(204, "")},
		{name: "valid list, last page", path: "/admin/v1/users",
			handler: reply(200, `{"items":[`+user+`],"next_cursor":null}`, "Content-Type", json)},
		{name: "valid client with secret on create", method: "POST", path: "/admin/v1/clients",
			handler: reply(201, fmt.Sprintf(client, `,"client_secret":"s3cret"`), "Content-Type", json, "ETag", `"1"`,
				"Cache-Control", "no-store", "Pragma", "no-cache")},
		{name: "valid health", path: "/healthz", handler: reply(200, `{"status":"ok"}`, "Content-Type", json)},
		{name: "HEAD uses the GET operation", method: "HEAD", path: "/healthz",
			handler: reply(200, "", "Content-Type", json)},
		{name: "valid metrics", path: "/metrics",
			handler: reply(200, "up 1\n", "Content-Type", "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")},

		{name: "missing required member", path: "/admin/v1/users/u1",
			handler: reply(200, strings.Replace(user, `"has_password":true,`, "", 1), "Content-Type", json, "ETag", `"1"`),
			want:    "has_password"},
		{name: "undocumented member", path: "/admin/v1/users/u1",
			handler: reply(200, strings.Replace(user, `"version":1`, `"version":1,"password_hash":"x"`, 1), "Content-Type", json, "ETag", `"1"`),
			want:    "password_hash"},
		{name: "secret leaks from get", path: "/admin/v1/clients/c1",
			handler: reply(200, fmt.Sprintf(client, `,"client_secret":"s3cret"`), "Content-Type", json, "ETag", `"1"`),
			want:    "client_secret"},
		{name: "cacheable secret", method: "POST", path: "/admin/v1/clients",
			handler: reply(201, fmt.Sprintf(client, `,"client_secret":"s3cret"`), "Content-Type", json, "ETag", `"1"`),
			want:    "x-gatehouse-no-store"},
		{name: "secret without Pragma", method: "POST", path: "/admin/v1/clients",
			handler: reply(201, fmt.Sprintf(client, `,"client_secret":"s3cret"`), "Content-Type", json, "ETag", `"1"`,
				"Cache-Control", "no-store"),
			want: "Pragma"},
		{name: "wrong type", path: "/admin/v1/users/u1",
			handler: reply(200, strings.Replace(user, `"version":1`, `"version":"1"`, 1), "Content-Type", json, "ETag", `"1"`),
			want:    "version"},
		{name: "bad date-time", path: "/admin/v1/users/u1",
			handler: reply(200, strings.Replace(user, `"created_at":"2026-01-02T03:04:05Z"`, `"created_at":"yesterday"`, 1), "Content-Type", json, "ETag", `"1"`),
			want:    "created_at"},
		{name: "empty next_cursor", path: "/admin/v1/users",
			handler: reply(200, `{"items":[],"next_cursor":""}`, "Content-Type", json), want: "next_cursor"},
		{name: "missing ETag", path: "/admin/v1/users/u1",
			handler: reply(200, user, "Content-Type", json), want: "ETag"},
		{name: "missing WWW-Authenticate", path: "/admin/v1/users/u1",
			handler: reply(401, `{"type":"urn:gatehouse:problem:unauthorized","title":"Unauthorized","status":401}`, "Content-Type", problem),
			want:    "WWW-Authenticate"},
		{name: "undocumented status", path: "/admin/v1/users/u1",
			handler: reply(418, `{}`, "Content-Type", json), want: "status 418 is not documented"},
		{name: "undocumented redirect", path: "/admin/v1/users/u1",
			handler: reply(301, "", "Location", "/elsewhere"), want: "status 301 is not documented"},
		{name: "wrong content type", path: "/admin/v1/users/u1",
			handler: reply(404, notFound, "Content-Type", json), want: "Content-Type"},
		{name: "body on 204", method: "DELETE", path: "/admin/v1/users/u1",
			base: fixed(204, "{}"), want: "documents no body"},
		{name: "undocumented path", path: "/oauth2/authorize",
			handler: reply(302, ""), want: "no operation for this path"},
		{name: "undocumented method", method: "PUT", path: "/admin/v1/users",
			handler: reply(200, ""), want: "no PUT operation"},
		{name: "opt out per request", path: "/oauth2/authorize", handler: reply(302, ""), skip: true},
		{name: "opt out per prefix", path: "/oauth2/authorize", handler: reply(302, ""),
			opts: []apitest.Option{apitest.UncheckedPrefix("/oauth2/")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			base := tc.base
			if base == nil {
				base = srv.Client().Transport
			}
			rec := &recorder{TB: t}
			c := &http.Client{
				Transport:     apitest.Transport(rec, base, tc.opts...),
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.skip {
				req = apitest.Unchecked(req)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()

			got := rec.reported()
			if got != "" {
				t.Logf("reported: %s", got)
			}
			switch {
			case tc.want == "" && got != "":
				t.Errorf("reported a valid response:\n%s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("report = %q, want it to mention %q", got, tc.want)
			}
			if tc.want != "" && !strings.Contains(got, method+" "+tc.path) {
				t.Errorf("report %q does not name the request %s %s", got, method, tc.path)
			}
		})
	}
}

// The caller gets the whole body back after the transport read it.
func TestTransportRestoresBody(t *testing.T) {
	srv := httptest.NewServer(reply(200, user, "Content-Type", "application/json", "ETag", `"1"`))
	defer srv.Close()
	c := &http.Client{Transport: apitest.Transport(t, srv.Client().Transport)}
	resp, err := c.Get(srv.URL + "/admin/v1/users/u1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != user {
		t.Errorf("body = %q, want %q", b, user)
	}
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(reply(302, "", "Location", "/healthz"))
	defer srv.Close()
	c := apitest.Client(t, apitest.UncheckedPrefix("/login"))
	resp, err := c.Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status = %d, want 302", resp.StatusCode)
	}
}

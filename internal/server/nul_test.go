package server_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// engines runs fn against a server on SQLite and one on PostgreSQL (the
// latter only with GATEHOUSE_TEST_POSTGRES_DSN, as in CI).
func engines(t *testing.T, fn func(t *testing.T, s *testserver.Server)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, testserver.New(t, testserver.Options{LoopbackIssuer: true}))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.SchemaURL(t, "gh_nul")
		fn(t, testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{"GATEHOUSE_DATABASE": dsn}}))
	})
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The requests of issue 10, item 4, each of which answered 500
// (urn:gatehouse:problem:internal, SQLSTATE 22021) on PostgreSQL, several
// of them without any credential: each is now a 400 validation problem,
// on both engines, and nothing is written.
func TestNULBytesAre400(t *testing.T) {
	engines(t, func(t *testing.T, s *testserver.Server) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: apitest.Transport(t, nil),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		send := func(method, path, ctype, body string, admin, checked bool) (int, string) {
			t.Helper()
			req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			if admin {
				req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
			}
			if !checked {
				req = apitest.Unchecked(req)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}

		// A real sign-in page, for its CSRF cookie and token.
		status, raw := send("POST", "/admin/v1/clients", "application/json",
			`{"client_name":"Web","redirect_uris":["http://127.0.0.1:9/cb"],"token_endpoint_auth_method":"none","metadata":{"first_party":true}}`, true, true)
		var client struct {
			ClientID string `json:"client_id"`
		}
		if status != 201 || json.Unmarshal([]byte(raw), &client) != nil {
			t.Fatalf("client: %d %s", status, raw)
		}
		q := url.Values{"response_type": {"code"}, "client_id": {client.ClientID}, "redirect_uri": {"http://127.0.0.1:9/cb"},
			"scope": {"openid"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
		req, _ := http.NewRequest("GET", s.URL+"/authorize?"+q.Encode(), nil)
		resp, err := c.Do(apitest.Unchecked(req))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		_, page := send("GET", loc.RequestURI(), "", "", false, false)
		m := csrfRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the sign-in page:\n%.500s", page)
		}
		const form = "application/x-www-form-urlencoded"

		for _, tc := range []struct {
			method, path, ctype, body string
			admin, checked            bool
		}{
			{"POST", "/login/api/authenticate", "application/json", `{"auth_request_id":"a\u0000b","identifier":"a@example.com","password":"x"}`, false, true},
			{"GET", "/login?authRequestID=a%00b", "", "", false, false},
			{"POST", "/login", form, "authRequestID=a%00b&csrf=" + url.QueryEscape(m[1]) + "&identifier=a%40example.com&password=x", false, false},
			{"GET", "/login/mfa?authRequestID=a%00b", "", "", false, false},
			{"POST", "/login/api/consent", "application/json", `{"auth_request_id":"a\u0000b","approve":true}`, false, true},
			{"POST", "/login/api/mfa/challenge", "application/json", `{"auth_request_id":"a\u0000b","method":"totp"}`, false, true},
			{"POST", "/login/api/mfa", "application/json", `{"auth_request_id":"a\u0000b","challenge_id":"c","code":"123456"}`, false, true},
			{"POST", "/register/api", "application/json", `{"auth_request_id":"a\u0000b","email":"n@example.com","password":"correct horse battery staple","accept_terms":true}`, false, true},
			{"POST", "/admin/v1/webhooks", "application/json", `{"url":"https://hooks.example.com/gh","description":"a\u0000b"}`, true, true},
			{"PUT", "/admin/v1/tenants/default/mail-templates/invitation/en", "application/json", `{"subject":"a\u0000b"}`, true, true},
			{"GET", "/admin/v1/users?q=a%00b", "", "", true, true},
			{"GET", "/admin/v1/users/a%00b", "", "", true, true},
			{"GET", "/admin/v1/clients/a%00b", "", "", true, true},
			{"GET", "/admin/v1/events?type=a%00b", "", "", true, true},
			{"GET", "/admin/v1/events?user_id=a%00b", "", "", true, true},
			{"GET", "/admin/v1/events?ip=a%00b", "", "", true, true},
			// Invalid UTF-8, which PostgreSQL refuses the same way.
			{"GET", "/admin/v1/users?q=%ff", "", "", true, true},
			{"POST", "/admin/v1/webhooks", "application/json", "{\"url\":\"https://hooks.example.com/gh\",\"description\":\"a\xffb\"}", true, true},
		} {
			status, body := send(tc.method, tc.path, tc.ctype, tc.body, tc.admin, tc.checked)
			var p struct{ Type string }
			if status != http.StatusBadRequest || json.Unmarshal([]byte(body), &p) != nil || p.Type != "urn:gatehouse:problem:validation" {
				t.Errorf("%s %s %.80q: %d %.300s", tc.method, tc.path, tc.body, status, body)
			}
		}
		status, raw = send("GET", "/admin/v1/webhooks", "", "", true, true)
		if status != 200 || strings.Contains(raw, `"id"`) {
			t.Errorf("refused requests wrote webhooks: %d %s", status, raw)
		}
		// Behind the edge: no tenant is named with a NUL, on either engine.
		if _, err := s.App.Directory.Resolve(t.Context(), "a\x00b"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("resolving a tenant named with a NUL: %v, want store.ErrNotFound", err)
		}
		if strings.Contains(s.Logs.String(), `"status":500`) {
			t.Errorf("a request failed with 500:\n%s", s.Logs)
		}
	})
}

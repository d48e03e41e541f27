package restapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// newTenantServer starts a server with the tenant (none for "").
func newTenantServer(t *testing.T, tenant string) *testserver.Server {
	t.Helper()
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	if tenant != "" {
		mkTenant(t, s, tenant)
	}
	return s
}

// mkTenant creates a tenant.
func mkTenant(t *testing.T, s *testserver.Server, slug string) {
	t.Helper()
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: slug}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("create tenant: %v %s", err, r.Body)
	}
}

// cookieRequest sends an account API request with the browser's cookies
// and no Authorization header.
func (b *userAgent) cookieRequest(method, path, body string, hdr ...string) (*http.Response, map[string]any) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.s.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, raw := b.send(req, true)
	var m map[string]any
	_ = json.Unmarshal([]byte(raw), &m)
	return resp, m
}

// After a hosted sign-in the session cookie works on the account API in
// place of a token; a state-changing request needs the issuer's Origin.
func TestMeWithSessionCookie(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := newTenantServer(t, tenant)
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			b := newUserAgent(t, s)
			b.signIn(web, "ada@example.com", "openid")

			resp, u := b.cookieRequest("GET", mePath(tenant, ""), "")
			if resp.StatusCode != 200 || u["id"] != ada {
				t.Fatalf("GET me with the cookie: %d %v", resp.StatusCode, u)
			}
			// The current session is marked as such.
			resp, list := b.cookieRequest("GET", mePath(tenant, "/sessions"), "")
			if resp.StatusCode != 200 || !strings.Contains(mustJSON(list["items"]), `"current":true`) {
				t.Fatalf("sessions with the cookie: %d %v", resp.StatusCode, list)
			}

			// Another origin, or none, cannot change anything with the cookie.
			for _, origin := range []string{"https://evil.example", ""} {
				var hdr []string
				if origin != "" {
					hdr = []string{"Origin", origin}
				}
				resp, p := b.cookieRequest("PATCH", mePath(tenant, ""), `{"given_name":"Mallory"}`, hdr...)
				wantProblem(t, resp, p, 403, "urn:gatehouse:problem:forbidden")
				resp, p = b.cookieRequest("POST", mePath(tenant, "/password"),
					`{"current_password":"`+accountPassword+`","new_password":"violet-kettle-harbour-7"}`, hdr...)
				wantProblem(t, resp, p, 403, "urn:gatehouse:problem:forbidden")
			}
			resp, u = b.cookieRequest("GET", mePath(tenant, ""), "")
			if resp.StatusCode != 200 || u["given_name"] != nil {
				t.Fatalf("a refused request changed the profile: %v", u)
			}

			// From the issuer's own pages it works.
			resp, u = b.cookieRequest("PATCH", mePath(tenant, ""), `{"given_name":"Ada"}`, "Origin", s.URL)
			if resp.StatusCode != 200 || u["given_name"] != "Ada" {
				t.Fatalf("same-origin PATCH: %d %v", resp.StatusCode, u)
			}

			// Without a session there is nothing to go on.
			resp, p := newUserAgent(t, s).cookieRequest("GET", mePath(tenant, ""), "")
			wantProblem(t, resp, p, 401, "urn:gatehouse:problem:unauthorized")
		})
	}
}

package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
)

var keyIDRe = regexp.MustCompile(`id="key-id">([^<]+)<`)

// API keys: create shows the token once (never on the list), the token
// works against the Admin API until it is revoked; no name is the API's
// 400; a viewer gets no form and the server refuses their POST; a POST
// without the CSRF token is refused.
func TestAPIKeyPages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		e.user("", "viewer@example.com", directory.RoleConsoleViewer)
		b := e.browser()
		b.signIn("", "admin@example.com", "")
		list := b.get("/console/api-keys")
		if list.status != 200 || !strings.Contains(list.body, `id="create-key"`) {
			t.Fatalf("list: %d %.2000s", list.status, list.body)
		}
		token := csrfRe.FindStringSubmatch(list.body)[1]
		if r := b.post("/console/api-keys", url.Values{"csrf": {token}, "name": {""}, "scopes": {"users:read"}}); r.status != http.StatusBadRequest ||
			!strings.Contains(r.body, `role="alert"`) {
			t.Errorf("no name: %d", r.status)
		}
		if r := b.post("/console/api-keys", url.Values{"name": {"ci"}, "scopes": {"users:read"}}); r.status != http.StatusForbidden {
			t.Errorf("no CSRF token: %d", r.status)
		}
		before := strings.Count(b.get("/console/api-keys").body, `data-key=`)
		r := b.post("/console/api-keys", url.Values{"csrf": {token}, "name": {"ci"}, "scopes": {"users:read", "not:a-scope"}})
		m, id := secretRe.FindStringSubmatch(r.body), keyIDRe.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil || id == nil {
			t.Fatalf("create: %d %.2000s", r.status, r.body)
		}
		bearer := m[1]
		list = b.get("/console/api-keys")
		if strings.Count(list.body, `data-key=`) != before+1 || strings.Contains(list.body, bearer) || !strings.Contains(list.body, "users:read") ||
			strings.Contains(list.body, "not:a-scope") {
			t.Fatalf("list after create: %.3000s", list.body)
		}
		call := func() int {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, e.srv.URL+"/admin/v1/users?limit=1", nil)
			req.Header.Set("Authorization", "Bearer "+bearer)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if c := call(); c != http.StatusOK {
			t.Fatalf("the new key: %d", c)
		}

		// The viewer: no form, no revoke button; the server refuses.
		v := e.browser()
		v.signIn("", "viewer@example.com", "")
		vl := v.get("/console/api-keys")
		if vl.status != 200 || strings.Contains(vl.body, `id="create-key"`) || strings.Contains(vl.body, "/revoke") {
			t.Fatalf("viewer list: %d", vl.status)
		}
		vt := csrfRe.FindStringSubmatch(vl.body)[1]
		if r := v.post("/console/api-keys/"+id[1]+"/revoke", url.Values{"csrf": {vt}}); r.status != http.StatusForbidden {
			t.Errorf("viewer revoke: %d", r.status)
		}
		if c := call(); c != http.StatusOK {
			t.Fatalf("the key after the viewer's attempt: %d", c)
		}

		if r := b.post("/console/api-keys/"+id[1]+"/revoke", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d %.500s", r.status, r.body)
		}
		if c := call(); c != http.StatusUnauthorized {
			t.Errorf("the revoked key: %d, want 401", c)
		}
		if r := b.post("/console/api-keys/no-such-key/revoke", url.Values{"csrf": {token}}); r.status != http.StatusNotFound {
			t.Errorf("unknown key: %d", r.status)
		}
	})
}

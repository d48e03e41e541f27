package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
)

// Organizations: create (the API's validation on a bad slug), add and
// remove a member (an unknown user is the API's 4xx); a viewer sees no
// form and the server refuses their POSTs; no CSRF token → 403.
func TestOrganizationPages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		e.user("", "viewer@example.com", directory.RoleConsoleViewer)
		jane := e.user("", "jane@example.com")
		b := e.browser()
		b.signIn("", "admin@example.com", "")
		list := b.get("/console/organizations")
		if list.status != 200 || !strings.Contains(list.body, `id="no-orgs"`) || !strings.Contains(list.body, `id="create-org"`) {
			t.Fatalf("list: %d %.2000s", list.status, list.body)
		}
		token := csrfRe.FindStringSubmatch(list.body)[1]
		if r := b.post("/console/organizations", url.Values{"csrf": {token}, "name": {"Not A Slug!"}}); r.status != http.StatusBadRequest ||
			!strings.Contains(r.body, `role="alert"`) {
			t.Errorf("bad slug: %d", r.status)
		}
		if r := b.post("/console/organizations", url.Values{"name": {"acme"}}); r.status != http.StatusForbidden {
			t.Errorf("no CSRF token: %d", r.status)
		}
		if r := b.get("/console/organizations"); !strings.Contains(r.body, `id="no-orgs"`) {
			t.Fatal("a refused form made an organization")
		}
		r := b.post("/console/organizations", url.Values{"csrf": {token}, "name": {"acme"}, "display_name": {"Acme Corp"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %.1000s", r.status, r.body)
		}
		orgPath := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
		if !strings.HasPrefix(orgPath, "/console/organizations/") {
			t.Fatalf("location %q", orgPath)
		}
		if p := b.get(orgPath); p.status != 200 || !strings.Contains(p.body, "Acme Corp") || !strings.Contains(p.body, `id="no-members"`) {
			t.Fatalf("org page: %d %.2000s", p.status, p.body)
		}
		if r := b.post(orgPath+"/members", url.Values{"csrf": {token}, "user_id": {"no-such-user"}}); r.status < 400 || r.status >= 500 {
			t.Errorf("unknown member: %d", r.status)
		}
		if r := b.post(orgPath+"/members", url.Values{"csrf": {token}, "user_id": {jane}}); r.status != http.StatusSeeOther {
			t.Fatalf("add member: %d %.1000s", r.status, r.body)
		}
		if p := b.get(orgPath); !strings.Contains(p.body, `id="members"`) || !strings.Contains(p.body, `href="/console/users/`+jane+`"`) {
			t.Fatalf("member missing: %.2000s", p.body)
		}

		v := e.browser()
		v.signIn("", "viewer@example.com", "")
		vp := v.get(orgPath)
		if vp.status != 200 || strings.Contains(vp.body, `id="add-member"`) || strings.Contains(vp.body, "/remove") || !strings.Contains(vp.body, jane) {
			t.Fatalf("viewer's org page: %d", vp.status)
		}
		vt := csrfRe.FindStringSubmatch(vp.body)[1]
		for _, path := range []string{orgPath + "/members/" + jane + "/remove", "/console/organizations"} {
			if r := v.post(path, url.Values{"csrf": {vt}, "name": {"evil"}}); r.status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d", path, r.status)
			}
		}
		if r := b.post(orgPath+"/members/"+jane+"/remove", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.status)
		}
		if p := b.get(orgPath); !strings.Contains(p.body, `id="no-members"`) {
			t.Error("member not removed")
		}
	})
}

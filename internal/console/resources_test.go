package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
)

// Checks the resource pages' tests share (APIs, roles, SAML apps,
// connections).

// refused POSTs form (with the CSRF token of csrfPage) to every path and
// expects status: a viewer's 403, another tenant's 404.
func (b *browser) refused(csrfPage string, status int, form url.Values, paths ...string) {
	b.t.Helper()
	f := url.Values{"csrf": {b.csrf(csrfPage)}, "confirm": {"1"}}
	for k, v := range form {
		f[k] = v
	}
	for _, p := range paths {
		if r := b.post(p, f); r.status != status {
			b.t.Errorf("POST %s: %d, want %d", p, r.status, status)
		}
	}
}

// hidden: page is another tenant's, so not found, and the list does not
// show text either.
func (b *browser) hidden(page, list, text string) {
	b.t.Helper()
	if r := b.get(page); r.status != http.StatusNotFound || strings.Contains(r.body, text) {
		b.t.Errorf("another tenant's %s: %d", page, r.status)
	}
	if r := b.get(list); strings.Contains(r.body, text) {
		b.t.Errorf("%s lists another tenant's %q", list, text)
	}
}

// deleteAll deletes each page's resource (confirmed) and checks it is
// gone.
func (b *browser) deleteAll(token string, pages ...string) {
	b.t.Helper()
	for _, p := range pages {
		if r := b.post(p+"/delete", url.Values{"csrf": {token}, "confirm": {"1"}}); r.status != http.StatusSeeOther {
			b.t.Fatalf("delete %s: %d %.1000s", p, r.status, r.body)
		}
		if r := b.get(p); r.status != http.StatusNotFound {
			b.t.Errorf("%s after delete: %d", p, r.status)
		}
	}
}

// resourceEnv is a server with an admin (admin@example.com) and a
// viewer (viewer@example.com) of the default tenant and an admin of the
// tenant bee (boss@bee.example). It returns the admin's browser, signed
// in, and the CSRF token of the list page, which must hold each of want.
func resourceEnv(t *testing.T, database []string, list string, want ...string) (*env, *browser, string) {
	t.Helper()
	e := newEnv(t, nil, database...)
	e.tenant("bee")
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	e.user("", "viewer@example.com", directory.RoleConsoleViewer)
	e.user("bee", "boss@bee.example", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	r := b.get(list)
	for _, w := range want {
		if r.status != http.StatusOK || !strings.Contains(r.body, w) {
			t.Fatalf("%s: %d, no %s: %.2000s", list, r.status, w, r.body)
		}
	}
	return e, b, csrfRe.FindStringSubmatch(r.body)[1]
}

// signedIn is a new browser signed in as email of tenant.
func (e *env) signedIn(tenant, email string) *browser {
	b := e.browser()
	b.signIn(tenant, email, "")
	return b
}

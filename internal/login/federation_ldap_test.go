package login_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap/ldaptest"
)

// LDAP sign-in through the hosted form and the JSON login API against a
// real slapd: the identifier's domain (example.org) routes it to the
// directory (home-realm discovery).

func newLDAPEnv(t *testing.T) (*env, *ldaptest.Server, client) {
	t.Helper()
	dir := ldaptest.Start(t)
	e := newEnv(t)
	e.createConnection(map[string]any{"id": "corp-ldap", "type": "ldap", "display_name": "Corporate directory",
		"domains": []string{"example.org"}, "url": dir.URL, "bind_dn": ldaptest.BindDN, "bind_password": ldaptest.BindPassword,
		"user_search_base": ldaptest.UserSearchBase, "user_search_filter": ldaptest.UserSearchFilter,
		"group_search_base": ldaptest.GroupSearchBase, "group_search_filter": ldaptest.GroupSearchFilter, "preset": "openldap"})
	return e, dir, e.createClient(clientSpec{name: "First App", firstParty: true})
}

func TestLDAPHostedForm(t *testing.T) {
	e, dir, c := newLDAPEnv(t)
	b := newBrowser(t)
	a := newAuthz(c, "openid email")
	page := b.startLogin(e.issuer(""), a)
	if strings.Contains(page.body, `data-connection="corp-ldap"`) {
		t.Error("an ldap connection has no button (show_on_login defaults to false)")
	}
	_, id := e.exchange(a, a.callback(t, b.signIn(page, "alice@example.org", "alicepw")))
	if id.Email != "alice@example.org" || id.EmailVerified {
		t.Fatalf("ID token: %+v", id)
	}
	if amr, _ := id.All["amr"].([]any); len(amr) != 1 || amr[0] != "fed" {
		t.Errorf("amr = %v", id.All["amr"])
	}
	// Wrong and empty passwords, and filter injection, fail like a wrong password.
	for _, in := range [][2]string{{"alice@example.org", "wrong"}, {"alice@example.org", ""}, {"*)(uid=*@example.org", "alicepw"}, {"*@example.org", "alicepw"}} {
		b := newBrowser(t)
		page := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
		r := b.signIn(page, in[0], in[1])
		if r.status != http.StatusOK || !strings.Contains(r.body, `role="alert"`) {
			t.Fatalf("%q/%q: %d %.600s", in[0], in[1], r.status, r.body)
		}
	}
	// Directory down: a clear page, never a 500; other users are unaffected.
	dir.Stop()
	b = newBrowser(t)
	page = b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	r := b.signIn(page, "bob@example.org", "bobpw")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "Sign-in with this directory is unavailable") {
		t.Fatalf("directory down: %d %.600s", r.status, r.body)
	}
	e.createUser(userSpec{email: "local@example.com"})
	b = newBrowser(t)
	a = newAuthz(c, "openid")
	a.callback(t, b.signIn(b.startLogin(e.issuer(""), a), "local@example.com", testPassword))
}

func TestLDAPHeadlessAPI(t *testing.T) {
	e, dir, c := newLDAPEnv(t)
	b := apiBrowser(t)
	a := newAuthz(c, "openid email")
	post := func(a *authz, identifier, pw string) *resp {
		return b.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
			AuthRequestID: b.authRequestID(e.issuer(""), a), Identifier: identifier, Password: pw})
	}
	res := decodeResult(t, post(a, "bob@example.org", "bobpw"))
	if res.Status != gen.LoginResultStatusComplete || res.RedirectTo == nil {
		t.Fatalf("result %+v", res)
	}
	code := a.callback(t, &resp{status: http.StatusFound, header: http.Header{"Location": {*res.RedirectTo}}, url: b.lastURL})
	if _, id := e.exchange(a, code); id.Email != "bob@example.org" {
		t.Fatalf("ID token email %q", id.Email)
	}
	b = apiBrowser(t)
	if r := post(newAuthz(c, "openid"), "bob@example.org", "nope"); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d %s", r.status, r.body)
	}
	dir.Stop()
	r := post(newAuthz(c, "openid"), "bob@example.org", "bobpw")
	var p struct{ Type string }
	_ = json.Unmarshal([]byte(r.body), &p)
	if r.status != http.StatusServiceUnavailable || p.Type != "urn:gatehouse:problem:directory-unavailable" {
		t.Fatalf("directory down: %d %s", r.status, r.body)
	}
}

// POST /admin/v1/connections/{id}/sync against the real slapd: the
// directory's users are provisioned and linked, a local account's email
// is never taken over, a second sync changes nothing, a mapping change
// updates the linked users, the first sign-in reaches the synced user, a
// directory that is down is a 503 problem, another type a 400.
func TestLDAPSync(t *testing.T) {
	e, dir, c := newLDAPEnv(t)
	local := e.createUser(userSpec{email: "mallory@example.org"})
	sync := func(id string) (int, *gen.ConnectionSyncResult, string) {
		t.Helper()
		r, err := e.srv.Admin.SyncConnectionWithResponse(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return r.StatusCode(), r.JSON200, string(r.Body)
	}
	want := func(got *gen.ConnectionSyncResult, w gen.ConnectionSyncResult) {
		t.Helper()
		if got == nil || *got != w {
			t.Fatalf("sync: %+v, want %+v", got, w)
		}
	}
	_, got, _ := sync("corp-ldap")
	want(got, gen.ConnectionSyncResult{Seen: 3, Created: 2, Skipped: 1})
	_, got, _ = sync("corp-ldap")
	want(got, gen.ConnectionSyncResult{Seen: 3, Unchanged: 2, Skipped: 1})

	users, err := e.srv.Admin.ListUsersWithResponse(context.Background(), &gen.ListUsersParams{})
	if err != nil || users.JSON200 == nil || len(users.JSON200.Items) != 3 {
		t.Fatalf("users after sync: %v %s", err, users.Body)
	}
	alice := ""
	for _, u := range users.JSON200.Items {
		if string(u.Email) == "alice@example.org" {
			alice = u.ID
			if u.EmailVerified || u.Name == nil || *u.Name != "Alice Liddell" {
				t.Errorf("synced alice: %+v", u)
			}
		}
	}
	if m, _ := e.srv.Admin.GetUserWithResponse(context.Background(), local); m.JSON200 == nil || m.JSON200.Identities != nil {
		t.Fatalf("the local mallory was linked: %s", m.Body)
	}

	r, err := e.srv.Admin.UpdateConnectionWithBodyWithResponse(context.Background(), "corp-ldap", &gen.UpdateConnectionParams{},
		"application/merge-patch+json", strings.NewReader(`{"attribute_mapping":{"uid":"attributes.login"}}`))
	if err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("patch: %v %s", err, r.Body)
	}
	_, got, _ = sync("corp-ldap")
	want(got, gen.ConnectionSyncResult{Seen: 3, Updated: 2, Skipped: 1})

	// Alice's first sign-in reaches the synced user.
	b := newBrowser(t)
	a := newAuthz(c, "openid email")
	if _, id := e.exchange(a, a.callback(t, b.signIn(b.startLogin(e.issuer(""), a), "alice@example.org", "alicepw"))); id.Subject != alice {
		t.Fatalf("alice signed in as %s, want the synced %s", id.Subject, alice)
	}

	e.createConnection(map[string]any{"id": "social", "type": "github", "display_name": "GitHub",
		"client_id": "c", "client_secret": "s"})
	if status, _, body := sync("social"); status != http.StatusBadRequest {
		t.Errorf("another type: %d %s", status, body)
	}
	if status, _, body := sync("nope"); status != http.StatusNotFound {
		t.Errorf("unknown: %d %s", status, body)
	}
	dir.Stop()
	if status, _, body := sync("corp-ldap"); status != http.StatusServiceUnavailable || !strings.Contains(body, "directory-unavailable") {
		t.Fatalf("directory down: %d %s", status, body)
	}
}

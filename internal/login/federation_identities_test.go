package login_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// The account API's /v1/me/identities through the hosted session cookie:
// list, link (the hosted link page, the upstream, back) and unlink, never
// the last way to sign in; and the attacker's cases: a link URL opened in
// another user's browser or in a half-finished sign-in, an identity that
// belongs to another account.

// me calls the account API with the browser's session cookie, from the
// issuer's origin (required for changes).
func (f *fedEnv) me(b *browser, method, path, body string) *resp {
	f.t.Helper()
	req, err := http.NewRequest(method, f.issuer("")+"/v1/me/identities"+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", f.issuer(""))
	return b.do(req)
}

// passwordSignIn signs the browser in to email's account on the hosted login.
func (f *fedEnv) passwordSignIn(b *browser, email string) {
	f.t.Helper()
	a := newAuthz(f.client, "openid")
	a.callback(f.t, b.signIn(b.startLogin(f.issuer(""), a), email, testPassword))
}

// linkURL starts linking the upstream for the browser's user.
func (f *fedEnv) linkURL(b *browser) string {
	f.t.Helper()
	r := f.me(b, http.MethodPost, "", `{"connection_id":"upstream"}`)
	var out struct {
		ConnectionID string `json:"connection_id"`
		URL          string `json:"url"`
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &out) != nil || out.ConnectionID != "upstream" ||
		!strings.HasPrefix(out.URL, f.issuer("")+"/login/connections/upstream/link?ticket=") {
		f.t.Fatalf("linkMyIdentity: %d %s", r.status, r.body)
	}
	return out.URL
}

func identityConnections(t *testing.T, r *resp) []string {
	t.Helper()
	var out struct {
		Items []struct {
			Connection string `json:"connection"`
			Subject    string `json:"subject"`
		} `json:"items"`
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &out) != nil {
		t.Fatalf("listMyIdentities: %d %s", r.status, r.body)
	}
	var ids []string
	for _, it := range out.Items {
		ids = append(ids, it.Connection+"/"+it.Subject)
	}
	return ids
}

func TestMyIdentities(t *testing.T) {
	f := newFedEnv(t, nil)
	jane := f.createUser(userSpec{email: "jane@example.com", verified: true})
	f.createUser(userSpec{email: "mallory@example.com", verified: true})
	b := newBrowser(t)
	f.passwordSignIn(b, "jane@example.com")
	if ids := identityConnections(t, f.me(b, http.MethodGet, "", "")); len(ids) != 0 {
		t.Fatalf("before linking: %v", ids)
	}
	link := f.linkURL(b)

	t.Run("the link URL in another user's browser", func(t *testing.T) {
		m := newBrowser(t)
		f.passwordSignIn(m, "mallory@example.com")
		if r := m.get(link); r.status != http.StatusForbidden || !strings.Contains(r.body, "Sign in to your account in this browser first") {
			t.Fatalf("%d %.500s", r.status, r.body)
		}
		if r := newBrowser(t).get(link); r.status != http.StatusForbidden {
			t.Fatalf("signed out: %d", r.status)
		}
	})
	t.Run("a forged or another connection's ticket", func(t *testing.T) {
		other := strings.Replace(link, "/connections/upstream/", "/connections/other/", 1)
		for _, u := range []string{link + "x", other, f.issuer("") + "/login/connections/upstream/link"} {
			if r := b.get(u); r.status != http.StatusBadRequest {
				t.Fatalf("%s: %d", u, r.status)
			}
		}
	})

	// Jane links her upstream identity.
	toUpstream := b.get(link).location(t)
	if !strings.HasPrefix(toUpstream.String(), f.upstream) {
		t.Fatalf("link sent the browser to %s", toUpstream)
	}
	done := b.get(f.atUpstream(b, toUpstream).String())
	if done.status != http.StatusOK || !strings.Contains(done.body, "Your identity was linked.") {
		t.Fatalf("after linking: %d %.800s", done.status, done.body)
	}
	if ids := identityConnections(t, f.me(b, http.MethodGet, "", "")); len(ids) != 1 || ids[0] != "upstream/id1" {
		t.Fatalf("after linking: %v", ids)
	}
	if r := f.me(b, http.MethodPost, "", `{"connection_id":"upstream"}`); r.status != http.StatusConflict {
		t.Fatalf("linking twice: %d %s", r.status, r.body)
	}
	// Signing in through the upstream now reaches Jane.
	b2 := newBrowser(t)
	a := newAuthz(f.client, "openid")
	if _, id := f.exchange(a, a.callback(t, f.federatedLogin(b2, a))); id.Subject != jane {
		t.Fatalf("upstream sign-in reached %s, want %s", id.Subject, jane)
	}

	t.Run("bad requests", func(t *testing.T) {
		for body, want := range map[string]int{`{"connection_id":"nope"}`: 404, `{}`: 400, `{"connection_id":"upstream","x":1}`: 400} {
			if r := f.me(b, http.MethodPost, "", body); r.status != want {
				t.Errorf("%s: %d, want %d", body, r.status, want)
			}
		}
		if r := f.me(b, http.MethodDelete, "/nope", ""); r.status != http.StatusNotFound {
			t.Errorf("unlink unknown: %d", r.status)
		}
	})

	// Jane has a password: she may unlink.
	if r := f.me(b, http.MethodDelete, "/upstream", ""); r.status != http.StatusNoContent {
		t.Fatalf("unlink: %d %s", r.status, r.body)
	}
	if ids := identityConnections(t, f.me(b, http.MethodGet, "", "")); len(ids) != 0 {
		t.Fatalf("after unlinking: %v", ids)
	}

	// A user provisioned by the upstream has no password: the identity is
	// the last way to sign in.
	b3 := newBrowser(t)
	a3 := newAuthz(f.client, "openid")
	_, id3 := f.exchange(a3, a3.callback(t, f.federatedLogin(b3, a3)))
	if id3.Subject == jane {
		t.Fatal("after unlinking, the upstream still reaches Jane")
	}
	r := f.me(b3, http.MethodDelete, "/upstream", "")
	if r.status != http.StatusConflict || !strings.Contains(r.body, "urn:gatehouse:problem:last-sign-in-method") {
		t.Fatalf("unlinking the last way: %d %s", r.status, r.body)
	}
	t.Run("an identity that belongs to another account", func(t *testing.T) {
		done := b.get(f.atUpstream(b, b.get(f.linkURL(b)).location(t)).String())
		if done.status != http.StatusConflict || !strings.Contains(done.body, "already linked to another account") {
			t.Fatalf("%d %.500s", done.status, done.body)
		}
		if ids := identityConnections(t, f.me(b, http.MethodGet, "", "")); len(ids) != 0 {
			t.Fatalf("Jane's identities: %v", ids)
		}
	})

	// A security key registered as a second factor only (not
	// discoverable) does not sign in on its own: still the last way.
	f.addWebAuthnFactor(id3.Subject, false)
	if r := f.me(b3, http.MethodDelete, "/upstream", ""); r.status != http.StatusConflict {
		t.Fatalf("unlinking with a second-factor key only: %d %s", r.status, r.body)
	}
	// While the tenant serves no passkeys (MFA off), a passkey does not
	// count either.
	f.setMFAPolicy("default", identity.MFAPolicy{Mode: identity.MFAModeOff})
	f.srv.App.Provider.InvalidateTenant("") // the account API's cached tenant
	f.addWebAuthnFactor(id3.Subject, true)
	if r := f.me(b3, http.MethodDelete, "/upstream", ""); r.status != http.StatusConflict {
		t.Fatalf("unlinking with a passkey the tenant does not serve: %d %s", r.status, r.body)
	}
	// A passkey signs in on its own: the identity is no longer the last
	// way, and may go.
	f.setMFAPolicy("default", identity.MFAPolicy{Mode: identity.MFAModeOptional})
	f.srv.App.Provider.InvalidateTenant("")
	if r := f.me(b3, http.MethodDelete, "/upstream", ""); r.status != http.StatusNoContent {
		t.Fatalf("unlinking with a passkey: %d %s", r.status, r.body)
	}
	if ids := identityConnections(t, f.me(b3, http.MethodGet, "", "")); len(ids) != 0 {
		t.Fatalf("after unlinking beside a passkey: %v", ids)
	}
}

// A sign-in that still owes its second factor is not signed in: it can
// neither start linking nor use a link URL.
func TestMyIdentitiesHalfFinishedSignIn(t *testing.T) {
	f := newFedEnv(t, nil)
	strict := f.createClient(clientSpec{name: "Strict App", firstParty: true})
	f.setMFAPolicy("default", identity.MFAPolicy{Mode: identity.MFAModeConditional, RequiredClients: []string{strict.id}})
	f.createUser(userSpec{email: "jane@example.com", verified: true})
	full := newBrowser(t)
	f.passwordSignIn(full, "jane@example.com")
	link := f.linkURL(full)

	half := newBrowser(t)
	a := newAuthz(strict, "openid")
	r := half.signIn(half.startLogin(f.issuer(""), a), "jane@example.com", testPassword)
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "/login/mfa") {
		t.Fatalf("want the second-factor step: %d %s", r.status, r.header.Get("Location"))
	}
	if r := f.me(half, http.MethodPost, "", `{"connection_id":"upstream"}`); r.status != http.StatusForbidden && r.status != http.StatusUnauthorized {
		t.Fatalf("linkMyIdentity from a half-finished sign-in: %d %s", r.status, r.body)
	}
	if r := half.get(link); r.status != http.StatusForbidden {
		t.Fatalf("link URL in a half-finished sign-in: %d %.400s", r.status, r.body)
	}
}

// addWebAuthnFactor gives the user a WebAuthn factor directly in the
// store: a passkey (discoverable) or a second-factor security key.
func (f *fedEnv) addWebAuthnFactor(userID string, passkey bool) {
	f.t.Helper()
	sc, err := f.srv.App.Directory.Resolve(context.Background(), "")
	if err != nil {
		f.t.Fatal(err)
	}
	data, _ := json.Marshal(map[string]any{"credential": map[string]any{"id": rand.Text()}, "discoverable": passkey})
	if err := sc.Store.MFA().CreateFactor(context.Background(), &factor.Factor{TenantID: sc.Tenant.ID, UserID: userID,
		Type: factor.WebAuthn, Name: "key", Data: data}); err != nil {
		f.t.Fatal(err)
	}
}

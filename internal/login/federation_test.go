package login_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Federated sign-in through the hosted pages against zitadel/oidc's
// example OpenID provider (an independent implementation) on loopback.
// Its one user is test-user@zitadel.ch (verified), subject "id1".

const upstreamEmail = testserver.ExampleOPEmail

// startUpstream starts the example OP with Gatehouse registered under
// redirectURI, and returns its issuer.
func startUpstream(t testing.TB, redirectURI string) string {
	t.Helper()
	issuer, _ := testserver.ExampleOP(t, redirectURI)
	return issuer
}

// createConnection creates a connection through the Admin API.
func (e *env) createConnection(body map[string]any) map[string]any {
	e.t.Helper()
	raw, _ := json.Marshal(body)
	r, err := e.srv.Admin.CreateConnectionWithBodyWithResponse(context.Background(), &gen.CreateConnectionParams{}, "application/json", strings.NewReader(string(raw)))
	if err != nil {
		e.t.Fatal(err)
	}
	if r.StatusCode() != http.StatusCreated {
		e.t.Fatalf("create connection: %d %s", r.StatusCode(), r.Body)
	}
	var out map[string]any
	_ = json.Unmarshal(r.Body, &out)
	return out
}

type fedEnv struct {
	*env
	upstream string
	client   client
}

// newFedEnv is a server with the connection "upstream" to the example OP.
func newFedEnv(t *testing.T, extra map[string]any) *fedEnv {
	t.Helper()
	e := newEnv(t)
	redirect := e.issuer("") + "/login/connections/upstream/callback"
	up := startUpstream(t, redirect)
	body := map[string]any{"id": "upstream", "type": "oidc", "display_name": "Upstream IdP", "issuer": up,
		"client_id": "gatehouse-" + strings.TrimSuffix(strings.TrimPrefix(up, "http://"), "/"), "client_secret": "s3cret"}
	for k, v := range extra {
		body[k] = v
	}
	out := e.createConnection(body)
	if out["redirect_uri"] != redirect {
		t.Fatalf("redirect_uri = %v, want %s", out["redirect_uri"], redirect)
	}
	return &fedEnv{env: e, upstream: up, client: e.createClient(clientSpec{name: "First App", firstParty: true})}
}

var buttonRE = regexp.MustCompile(`<a [^>]*href="([^"]+)" data-connection="([^"]+)">([^<]*)</a>`)

// button returns the href of the connection's button on the sign-in page.
func button(t *testing.T, page *resp, id string) (href, name string) {
	t.Helper()
	for _, m := range buttonRE.FindAllStringSubmatch(page.body, -1) {
		if m[2] == id {
			return html.UnescapeString(m[1]), html.UnescapeString(m[3])
		}
	}
	t.Fatalf("no button for %s on %.1500s", id, page.body)
	return "", ""
}

// atUpstream signs in at the example OP from its authorization URL and
// returns the callback URL it sends the browser back to.
func (f *fedEnv) atUpstream(b *browser, authURL *url.URL) *url.URL {
	f.t.Helper()
	form := b.get(authURL.String()).location(f.t)
	id := form.Query().Get("authRequestID")
	host := strings.Split(strings.TrimPrefix(f.upstream, "http://"), ":")[0]
	next := b.post(strings.TrimSuffix(f.upstream, "/")+"/login/username",
		url.Values{"id": {id}, "username": {"test-user@" + host}, "password": {"verysecure"}}).location(f.t)
	return b.get(next.String()).location(f.t)
}

// federatedLogin runs a whole sign-in: authorize, the button, the
// upstream, the callback; it returns the callback's answer.
func (f *fedEnv) federatedLogin(b *browser, a *authz) *resp {
	f.t.Helper()
	page := b.startLogin(f.issuer(""), a)
	href, name := button(f.t, page, "upstream")
	if !strings.Contains(name, "Upstream IdP") {
		f.t.Fatalf("button name %q", name)
	}
	toUpstream := b.get(f.srv.URL + href).location(f.t)
	if !strings.HasPrefix(toUpstream.String(), f.upstream) {
		f.t.Fatalf("start sent the browser to %s", toUpstream)
	}
	back := f.atUpstream(b, toUpstream)
	return b.get(back.String())
}

func TestFederatedSignInThroughUpstreamOP(t *testing.T) {
	f := newFedEnv(t, nil)
	b := newBrowser(t)
	a := newAuthz(f.client, "openid email profile")
	done := f.federatedLogin(b, a)
	_, id := f.exchange(a, a.callback(t, done))
	if id.Email != upstreamEmail || !id.EmailVerified {
		t.Fatalf("ID token: %+v", id)
	}
	if amr, _ := id.All["amr"].([]any); len(amr) != 1 || amr[0] != "fed" {
		t.Errorf("amr = %v", id.All["amr"])
	}
	// A second sign-in (new browser) reuses the identity: the same user.
	b2 := newBrowser(t)
	a2 := newAuthz(f.client, "openid email")
	_, id2 := f.exchange(a2, a2.callback(t, f.federatedLogin(b2, a2)))
	if id2.Subject != id.Subject {
		t.Fatalf("second sign-in is user %s, first %s", id2.Subject, id.Subject)
	}
	u, err := f.srv.Admin.GetUserWithResponse(context.Background(), id.Subject)
	if err != nil || u.JSON200 == nil || string(u.JSON200.Email) != upstreamEmail || !u.JSON200.EmailVerified {
		t.Fatalf("provisioned user: %v %s", err, u.Body)
	}
}

func TestFederatedLinkingPrompt(t *testing.T) {
	f := newFedEnv(t, map[string]any{"link_by_email": "verified"})
	uid := f.createUser(userSpec{email: upstreamEmail})
	b := newBrowser(t)
	a := newAuthz(f.client, "openid email")
	prompt := f.federatedLogin(b, a)
	page := b.get(prompt.location(t).String())
	if page.status != http.StatusOK || !strings.Contains(page.body, "already exists") || !strings.Contains(page.body, "Upstream IdP") {
		t.Fatalf("linking prompt: %d %.1500s", page.status, page.body)
	}
	// Proving ownership: the password of the local account.
	done := b.signIn(page, upstreamEmail, testPassword)
	if _, id := f.exchange(a, a.callback(t, done)); id.Subject != uid {
		t.Fatalf("signed in as %s, want %s", id.Subject, uid)
	}
	// Now the upstream signs in to that account directly.
	b2 := newBrowser(t)
	a2 := newAuthz(f.client, "openid email")
	if _, id := f.exchange(a2, a2.callback(t, f.federatedLogin(b2, a2))); id.Subject != uid {
		t.Fatalf("after linking: %s, want %s", id.Subject, uid)
	}
}

func TestFederatedLinkOnlyRefusal(t *testing.T) {
	f := newFedEnv(t, map[string]any{"provisioning": "link_only"})
	b := newBrowser(t)
	done := f.federatedLogin(b, newAuthz(f.client, "openid"))
	if done.status != http.StatusForbidden || !strings.Contains(done.body, "no account for this identity") {
		t.Fatalf("link_only: %d %.800s", done.status, done.body)
	}
	if r, _ := f.srv.Admin.ListUsersWithResponse(context.Background(), &gen.ListUsersParams{}); r.JSON200 != nil && len(r.JSON200.Items) != 0 {
		t.Fatalf("users created: %s", r.Body)
	}
}

func TestFederatedCallbackAttacks(t *testing.T) {
	f := newFedEnv(t, nil)
	cb := f.issuer("") + "/login/connections/upstream/callback"

	t.Run("no cookie, forged state", func(t *testing.T) {
		r := newBrowser(t).get(cb + "?code=x&state=forged")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "expired or was already used") {
			t.Fatalf("%d %.500s", r.status, r.body)
		}
	})
	t.Run("wrong state with the cookie", func(t *testing.T) {
		b := newBrowser(t)
		page := b.startLogin(f.issuer(""), newAuthz(f.client, "openid"))
		href, _ := button(t, page, "upstream")
		to := b.get(f.srv.URL + href).location(t)
		back := f.atUpstream(b, to)
		q := back.Query()
		q.Set("state", "forged")
		back.RawQuery = q.Encode()
		if r := b.get(back.String()); r.status != http.StatusBadRequest {
			t.Fatalf("%d %.500s", r.status, r.body)
		}
	})
	t.Run("replayed callback", func(t *testing.T) {
		b := newBrowser(t)
		a := newAuthz(f.client, "openid")
		page := b.startLogin(f.issuer(""), a)
		href, _ := button(t, page, "upstream")
		back := f.atUpstream(b, b.get(f.srv.URL+href).location(t))
		a.callback(t, b.get(back.String()))
		if r := b.get(back.String()); r.status != http.StatusBadRequest {
			t.Fatalf("replay: %d %.500s", r.status, r.body)
		}
	})
	t.Run("access_denied upstream", func(t *testing.T) {
		b := newBrowser(t)
		page := b.startLogin(f.issuer(""), newAuthz(f.client, "openid"))
		href, _ := button(t, page, "upstream")
		to := b.get(f.srv.URL + href).location(t)
		r := b.get(cb + "?error=access_denied&state=" + url.QueryEscape(to.Query().Get("state")))
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "cancelled") {
			t.Fatalf("%d %.500s", r.status, r.body)
		}
	})
	t.Run("another tenant's connection", func(t *testing.T) {
		f.createTenant("other", "Other")
		c := f.createClient(clientSpec{name: "Other App", tenant: "other", firstParty: true})
		b := newBrowser(t)
		page := b.startLogin(f.issuer("other"), newAuthz(c, "openid"))
		if strings.Contains(page.body, `data-connection="upstream"`) {
			t.Fatal("another tenant's button shown")
		}
		id := page.form(t, "authRequestID").values.Get("authRequestID")
		r := b.get(f.issuer("other") + "/login/connections/upstream/start?authRequestID=" + url.QueryEscape(id))
		if r.status != http.StatusNotFound {
			t.Fatalf("%d %.500s", r.status, r.body)
		}
	})
	t.Run("unknown connection", func(t *testing.T) {
		if r := newBrowser(t).get(f.issuer("") + "/login/connections/nope/callback?state=x"); r.status != http.StatusBadRequest {
			t.Fatalf("%d", r.status)
		}
	})
}

// completeAt follows the login URL the authorize endpoint sent the
// browser to, which must go straight to the upstream, and finishes there.
func (f *fedEnv) completeAt(b *browser, a *authz) {
	f.t.Helper()
	login := b.get(a.url(f.issuer(""))).location(f.t)
	to := b.get(login.String()).location(f.t)
	if !strings.HasPrefix(to.String(), f.upstream) {
		f.t.Fatalf("login page sent the browser to %s, want the upstream", to)
	}
	_, id := f.exchange(a, a.callback(f.t, b.get(f.atUpstream(b, to).String())))
	if id.Email != upstreamEmail {
		f.t.Fatalf("email %q", id.Email)
	}
}

func TestFederatedConnectionParamAndLoginHint(t *testing.T) {
	f := newFedEnv(t, map[string]any{"domains": []string{"zitadel.ch"}, "show_on_login": false})
	f.completeAt(newBrowser(t), newAuthz(f.client, "openid email").with("connection", "upstream"))
	f.completeAt(newBrowser(t), newAuthz(f.client, "openid email").with("login_hint", "someone@Zitadel.ch"))
	// The form's identifier is routed too.
	b := newBrowser(t)
	page := b.startLogin(f.issuer(""), newAuthz(f.client, "openid"))
	if strings.Contains(page.body, "data-connection") {
		t.Error("show_on_login false still shows the button")
	}
	if to := b.signIn(page, "x@zitadel.ch", "").location(t); !strings.HasPrefix(to.String(), f.upstream) {
		t.Fatalf("identifier routed to %s", to)
	}
	// An unknown connection is a clear page.
	b = newBrowser(t)
	login := b.get(newAuthz(f.client, "openid").with("connection", "nope").url(f.issuer(""))).location(t)
	if r := b.get(login.String()); r.status != http.StatusNotFound {
		t.Fatalf("unknown connection: %d", r.status)
	}
}

// A form_post callback (response_mode=form_post, as Sign in with Apple
// answers) is a cross-site POST without the SameSite=Lax state cookie:
// the callback posts it again from its own origin, which carries the
// cookie, and the sign-in completes. The upstream's answer is posted as
// such an upstream would post it.
func TestFederatedFormPostCallback(t *testing.T) {
	f := newFedEnv(t, nil)
	b := newBrowser(t)
	a := newAuthz(f.client, "openid email")
	page := b.startLogin(f.issuer(""), a)
	href, _ := button(t, page, "upstream")
	back := f.atUpstream(b, b.get(f.srv.URL+href).location(t))
	cb := *back
	cb.RawQuery = ""
	hop := newBrowser(t).post(cb.String(), back.Query())
	if hop.status != http.StatusOK || hop.header.Get("Set-Cookie") != "" {
		t.Fatalf("cross-site form_post: %d %.600s", hop.status, hop.body)
	}
	form := hop.form(t, "code", "state", "gh_hop")
	if form.values.Get("code") != back.Query().Get("code") {
		t.Fatal("the hop page changed the code")
	}
	if _, id := f.exchange(a, a.callback(t, b.submit(hop, form))); id.Email != upstreamEmail {
		t.Fatalf("ID token: %+v", id)
	}
	// The same form posted again: the cookie is spent.
	if r := b.submit(hop, form); r.status != http.StatusBadRequest {
		t.Fatalf("second post: %d", r.status)
	}
}

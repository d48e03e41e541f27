package oidc_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"
)

// RFC 9207: every authorization response names its issuer in "iss" (the
// tenant's, as tenants share one host), success and error alike, whether
// the hosted login, the headless login API or /authorize itself answers;
// discovery and the RFC 8414 metadata say so.
func TestAuthorizationResponseCarriesIss(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	for _, slug := range []string{"", "acme"} {
		t.Run("tenant="+slug, func(t *testing.T) {
			iss := o.issuer(slug)
			for _, meta := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
				if r := o.get(t, iss+meta); r.Body["authorization_response_iss_parameter_supported"] != true {
					t.Errorf("%s: %s", meta, r.Raw)
				}
			}
			u := o.createUser(t, slug)
			c := o.userClient(t, slug, nil)
			r := o.relyingParty(t, c, "", "openid")
			b := o.newBrowser(t)
			wantIss := func(what string, q url.Values) {
				t.Helper()
				if got := q["iss"]; len(got) != 1 || got[0] != iss {
					t.Errorf("%s: iss %v, want %s", what, got, iss)
				}
			}

			// Success through the hosted login, then by single sign-on.
			l := newLogin()
			q := callback(t, b.authorize(t, r.authURL(l), u, ""))
			wantIss("code", q)
			if _, err := r.cfg.Exchange(o.rpContext(t), q.Get("code"), oauth2.VerifierOption(l.Verifier)); err != nil {
				t.Fatal(err)
			}
			wantIss("SSO code", callback(t, b.authorize(t, r.authURL(newLogin()), nil, "")))

			// response_mode=form_post: the page posts iss with the code.
			fp := b.authorize(t, r.authURL(newLogin(), oauth2.SetAuthURLParam("response_mode", "form_post")), nil, "")
			if f := fp.form(t, "code"); f.Action != redirectURI || f.Fields.Get("code") == "" {
				t.Fatalf("form_post: %+v", f)
			} else {
				wantIss("form_post", f.Fields)
			}

			// Errors redirected by /authorize itself.
			wantIss("invalid_scope", wantRedirectError(t, o.get(t, r.authURL(l, oauth2.SetAuthURLParam("scope", "openid nope"))),
				redirectURI, "invalid_scope", l.State))
			wantIss("prompt=none", callback(t, o.newBrowser(t).authorize(t, r.authURL(l, oauth2.SetAuthURLParam("prompt", "none")), nil, "")))

			// An error the hosted login answers (consent denied).
			third := o.relyingParty(t, o.webClient(t, slug, nil), "", "openid")
			q = callback(t, b.authorize(t, third.authURL(l), nil, "deny"))
			if q.Get("error") != "access_denied" {
				t.Fatalf("deny: %v", q)
			}
			wantIss("access_denied", q)

			// The headless login API's redirect_to (a user's first sign-in:
			// a second one from another device would meet a risk challenge).
			u = o.createUser(t, slug)
			start := o.get(t, r.authURL(newLogin()))
			loc, err := url.Parse(start.Header.Get("Location"))
			if err != nil || loc.Query().Get("authRequestID") == "" {
				t.Fatalf("authorize: %d %v", start.Status, start.Header)
			}
			body, _ := json.Marshal(map[string]string{"auth_request_id": loc.Query().Get("authRequestID"),
				"identifier": u.Email, "password": u.Password})
			req, _ := http.NewRequest(http.MethodPost, iss+"/login/api/authenticate", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			res := o.do(t, req)
			to, err := url.Parse(res.str("redirect_to"))
			if res.Status != http.StatusOK || err != nil || to.Query().Get("code") == "" {
				t.Fatalf("headless: %d %s", res.Status, res.Raw)
			}
			wantIss("headless", to.Query())
		})
	}
}

// A registered redirect URI with its own query keeps it; iss is added to
// the response parameters.
func TestIssWithARedirectURIQuery(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	const withQuery = "https://app.example.com/cb?app=a%2Bb"
	c := o.userClient(t, "", map[string]any{"redirect_uris": []string{withQuery}})
	r := o.get(t, o.issuer("")+"/authorize?"+url.Values{"client_id": {c.ID}, "redirect_uri": {withQuery},
		"response_type": {"code"}, "scope": {"openid nope"}, "state": {"s1"}}.Encode())
	u, err := url.Parse(r.Header.Get("Location"))
	if r.Status != http.StatusFound || err != nil {
		t.Fatalf("%d %v", r.Status, r.Header)
	}
	q := u.Query()
	if u.Host != "app.example.com" || u.Path != "/cb" || q.Get("app") != "a+b" || q.Get("error") != "invalid_scope" ||
		q.Get("state") != "s1" || len(q["iss"]) != 1 || q.Get("iss") != o.issuer("") {
		t.Fatalf("%s", u)
	}
}

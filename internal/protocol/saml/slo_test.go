package saml_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	crewjam "github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// signInAt signs the browser in at sp: through the hosted login when the
// browser has no Gatehouse session, straight to the ACS when it has.
func (e *ssoEnv) signInAt(b *browser, sp *testSP) {
	e.t.Helper()
	resp, body, at := b.follow(sp.url + "/hello")
	if strings.Contains(at, "/login?authRequestID=") {
		res := b.signIn(e.srv.URL, at, testPassword)
		if res.RedirectTo == nil {
			e.t.Fatalf("login: %+v", res)
		}
		resp, body = b.get(*res.RedirectTo)
	}
	if resp, body = b.autoPost(resp, body); resp.StatusCode != http.StatusFound {
		e.t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
	if resp, body, _ = b.follow(sp.url + "/hello"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "hello jane@") {
		e.t.Fatalf("%s/hello: %d %s", sp.url, resp.StatusCode, body)
	}
}

// sessionIndex is the SessionIndex sp keeps in its session cookie.
func (sp *testSP) sessionIndex(t *testing.T, b *browser) string {
	t.Helper()
	for _, c := range b.c.Jar.Cookies(mustURL(sp.url)) {
		if c.Name != "token" {
			continue
		}
		s, err := sp.mw.Session.(samlsp.CookieSessionProvider).Codec.Decode(c.Value)
		if err != nil {
			t.Fatal(err)
		}
		if idx := s.(samlsp.JWTSessionClaims).Attributes["SessionIndex"]; len(idx) == 1 {
			return idx[0]
		}
	}
	t.Fatalf("%s has no session with a SessionIndex", sp.url)
	return ""
}

func (e *ssoEnv) participants(userID string) []store.SAMLSession {
	e.t.Helper()
	ctx := context.Background()
	st := e.srv.App.Stores.Control()
	tn, err := st.Tenants().GetBySlug(ctx, "default")
	if err != nil {
		e.t.Fatal(err)
	}
	sessions, _, err := st.Sessions().ListByUser(ctx, tn.ID, userID, store.Page{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []store.SAMLSession
	for _, s := range sessions {
		p, err := st.SAMLSessions().ListBySession(ctx, s.TenantID, s.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, p...)
	}
	return out
}

// Single logout across two crewjam SPs: SP A's LogoutRequest (NameID and
// SessionIndex) ends the Gatehouse session, the browser takes a signed
// LogoutRequest to SP B, whose LogoutResponse brings it back, and SP A
// gets a Success LogoutResponse; B's and Gatehouse's sessions are gone.
func TestSingleLogoutPropagates(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	bsp := newTestSP(t, e.srv, "localhost", nil)
	b := newBrowser(t)
	e.signInAt(b, a)
	e.signInAt(b, bsp) // no login: the session signs into B too
	if got := e.participants(e.userID); len(got) != 2 {
		t.Fatalf("participants after two sign-ins: %+v", got)
	}

	idx := a.sessionIndex(t, b)
	u, err := a.mw.ServiceProvider.MakeRedirectLogoutRequest("jane@example.org", "bye", crewjam.WithSessionIndex(idx))
	if err != nil {
		t.Fatal(err)
	}
	reqID := redirectMessageID(t, u.String(), "SAMLRequest")
	resp, body := b.get(u.String())
	toB := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(toB, bsp.url+"/saml/slo?SAMLRequest=") {
		t.Fatalf("LogoutRequest from A: want a redirect to B's SLO, got %d %s %s", resp.StatusCode, toB, body)
	}
	resp, body = b.get(toB) // B ends its session and answers
	back := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(back, e.srv.URL+"/saml/slo?SAMLResponse=") {
		t.Fatalf("B's answer: %d %s %s", resp.StatusCode, back, body)
	}
	resp, body = b.get(back)
	toA := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(toA, a.url+"/saml/slo?SAMLResponse=") {
		t.Fatalf("LogoutResponse to A: %d %s %s", resp.StatusCode, toA, body)
	}
	lr, err := a.mw.ServiceProvider.ParseLogoutResponse(httptest.NewRequest(http.MethodGet, toA, nil), []string{reqID})
	if err != nil {
		t.Fatalf("A refuses the LogoutResponse: %v", err)
	}
	if lr.Status.StatusCode.Value != crewjam.StatusSuccess || lr.Status.StatusCode.StatusCode != nil {
		t.Errorf("status %+v, want plain Success", lr.Status.StatusCode)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		t.Errorf("participants after logout: %+v", got)
	}
	// B's own session is gone, and so is Gatehouse's: B needs a login.
	_, _, at := b.follow(bsp.url + "/hello")
	if !strings.Contains(at, "/login?authRequestID=") {
		t.Fatalf("after logout B's next sign-in ended at %s", at)
	}
	// A LogoutResponse with no logout under way is refused with the page.
	resp, body = b.get(back)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "sign-out request is not valid") {
		t.Fatalf("stray LogoutResponse: %d %s", resp.StatusCode, body)
	}
}

// A LogoutRequest names its principal: one with another SessionIndex, or
// from an SP the user never signed into, ends nothing (and is answered
// Success, as the principal has no such session), so no SP can sign a
// user out of sessions it was not part of.
func TestSingleLogoutMatchesTheSession(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	stranger := newTestSP(t, e.srv, "localhost", nil) // registered, never used by jane
	b := newBrowser(t)
	e.signInAt(b, a)

	for name, u := range map[string]func() (string, error){
		"another SessionIndex": func() (string, error) {
			u, err := a.mw.ServiceProvider.MakeRedirectLogoutRequest("jane@example.org", "", crewjam.WithSessionIndex("_not-hers"))
			return u.String(), err
		},
		"another NameID": func() (string, error) {
			u, err := a.mw.ServiceProvider.MakeRedirectLogoutRequest("john@example.org", "", crewjam.WithSessionIndex(a.sessionIndex(t, b)))
			return u.String(), err
		},
		"an SP she never used": func() (string, error) {
			u, err := stranger.mw.ServiceProvider.MakeRedirectLogoutRequest("jane@example.org", "")
			return u.String(), err
		},
	} {
		raw, err := u()
		if err != nil {
			t.Fatal(err)
		}
		resp, body := b.get(raw)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.Contains(loc, "/saml/slo?SAMLResponse=") {
			t.Fatalf("%s: %d %s %s", name, resp.StatusCode, loc, body)
		}
		if got := e.participants(e.userID); len(got) != 1 {
			t.Fatalf("%s ended the session (participants %+v)", name, got)
		}
	}
	// The session still signs jane into A without a login.
	b.c.Jar.SetCookies(mustURL(a.url), []*http.Cookie{{Name: "token", Value: "", Path: "/", MaxAge: -1}})
	if _, _, at := b.follow(a.url + "/hello"); !strings.Contains(at, "/saml/sso/complete") {
		t.Fatalf("after refused logouts the next sign-in ended at %s", at)
	}
}

// A Response to an SP without a SingleLogoutService still records the
// participant; the logout then leaves it out (it cannot be reached).
func TestSingleLogoutSkipsSPsWithoutSLO(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	quiet := newTestSP(t, e.srv, "localhost", nil)
	if r, err := e.srv.Admin.UpdateSamlServiceProviderWithApplicationMergePatchPlusJSONBodyWithResponse(context.Background(), quiet.id, nil,
		gen.SamlServiceProviderPatch{SloURL: nullable.NewNullNullable[string]()}); err != nil || r.JSON200 == nil {
		t.Fatalf("patch: %v %s", err, r.Body)
	}
	b := newBrowser(t)
	e.signInAt(b, a)
	e.signInAt(b, quiet)
	u, err := a.mw.ServiceProvider.MakeRedirectLogoutRequest("jane@example.org", "", crewjam.WithSessionIndex(a.sessionIndex(t, b)))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := b.get(u.String())
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, a.url+"/saml/slo?SAMLResponse=") {
		t.Fatalf("want the LogoutResponse to A at once: %d %s %s", resp.StatusCode, loc, body)
	}
}

// The SAML error pages are the hosted login's error page, in the user's
// language, never a 500 for what a client sent.
func TestErrorPagesAreTranslated(t *testing.T) {
	e := newSSOEnv(t, nil)
	b := newBrowser(t)
	for _, tc := range []struct{ path, lang, want string }{
		{"/saml/sso/init?sp=nope", "de-DE,de;q=0.9", "ist bei diesem Identitätsanbieter nicht registriert"},
		{"/saml/sso/init?sp=nope", "en", "is not registered with this identity provider"},
		{"/saml/sso?SAMLRequest=%%%", "de", "Die Anmeldeanfrage ist ungültig."},
		{"/saml/slo?SAMLRequest=AAAA", "de", "Die Abmeldeanfrage ist ungültig."},
		{"/saml/slo", "en", "The sign-out request is not valid."},
		{"/saml/slo?SAMLResponse=AAAA", "en", "The sign-out request is not valid."},
		{"/saml/sso/complete?state=x", "de", "Diese Anmeldung ist unbekannt"},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+tc.path, nil)
		req.Header.Set("Accept-Language", tc.lang)
		resp, body := b.do(req)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) || strings.Contains(body, "<form") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s (%s): %d %s", tc.path, tc.lang, resp.StatusCode, body)
		}
	}
}

// An encrypted assertion end to end: the SP's metadata gives its
// encryption certificate, Gatehouse encrypts the signed assertion to it,
// and crewjam's SP decrypts it with its key and reads NameID and
// attributes.
func TestEncryptedAssertionEndToEnd(t *testing.T) {
	e := newSSOEnv(t, func(in *gen.SamlServiceProviderCreate) { in.EncryptAssertion = ptr(true) })
	sp, err := e.srv.Admin.GetSamlServiceProviderWithResponse(context.Background(), e.spID)
	if err != nil || sp.JSON200 == nil || !sp.JSON200.EncryptAssertion {
		t.Fatalf("registered SP: %v %s", err, sp.Body)
	}
	b := newBrowser(t)
	_, _, at := b.follow(e.sp.URL + "/hello")
	res := b.signIn(e.srv.URL, at, testPassword)
	resp, body := b.get(*res.RedirectTo)
	if m := inputRe.FindStringSubmatch(body); m == nil {
		t.Fatalf("no Response: %d %s", resp.StatusCode, body)
	} else if raw, _ := base64.StdEncoding.DecodeString(htmlUnescape(m[2])); !strings.Contains(string(raw), "EncryptedAssertion") ||
		strings.Contains(string(raw), "jane@example.org") {
		t.Fatalf("the assertion is not encrypted: %s", raw)
	}
	if resp, body = b.autoPost(resp, body); resp.StatusCode != http.StatusFound {
		t.Fatalf("ACS: %d %s", resp.StatusCode, body)
	}
	resp, body, _ = b.follow(e.sp.URL + "/hello")
	if resp.StatusCode != http.StatusOK || body != "hello jane@example.org email=jane@example.org groups=staff,admins" {
		t.Fatalf("SP page: %d %q", resp.StatusCode, body)
	}
}

package saml_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	crewjam "github.com/crewjam/saml"
)

// Attacker: the same signed LogoutRequest posted twice. The first ends
// jane's session; she signs in again (another browser, a new session);
// the captured request, posted again while still fresh, is refused with
// the error page and ends nothing: its ID was recorded (in the database,
// for every node) when it was accepted. It names her by NameID only, so
// without the record it would match the new session too.
func TestLogoutRequestReplayRefused(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	first := newBrowser(t)
	e.signInAt(first, a)

	lr, err := a.mw.ServiceProvider.MakeLogoutRequest(e.srv.URL+"/saml/slo", "jane@example.org") // signed

	if err != nil {
		t.Fatal(err)
	}
	raw, err := lr.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString(raw)}, "RelayState": {"r"}}
	resp, body := first.postForm(e.srv.URL+"/saml/slo", form)
	if m := formActionRe.FindStringSubmatch(body); resp.StatusCode != http.StatusOK || m == nil || htmlUnescape(m[1]) != a.url+"/saml/slo" {
		t.Fatalf("first LogoutRequest: want the LogoutResponse posted to A, got %d %s", resp.StatusCode, body)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		t.Fatalf("participants after the logout: %+v", got)
	}

	second := newBrowser(t)
	e.signInAt(second, a)
	before := e.participants(e.userID)
	if len(before) != 1 {
		t.Fatalf("participants of the new session: %+v", before)
	}
	for _, b := range []*browser{first, second, newBrowser(t)} {
		resp, body = b.postForm(e.srv.URL+"/saml/slo", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "sign-out request is not valid") ||
			resp.Header.Get("Location") != "" || len(resp.Header.Values("Set-Cookie")) != 0 || strings.Contains(body, "<form") {
			t.Fatalf("replayed LogoutRequest: %d %v %s", resp.StatusCode, resp.Header, body)
		}
	}
	if got := e.participants(e.userID); len(got) != 1 || got[0].SessionID != before[0].SessionID {
		t.Fatalf("the replay changed the participants: %+v", got)
	}
	// The new session still signs her into A without a login.
	second.c.Jar.SetCookies(mustURL(a.url), []*http.Cookie{{Name: "token", Value: "", Path: "/", MaxAge: -1}})
	if _, _, at := second.follow(a.url + "/hello"); !strings.Contains(at, "/saml/sso/complete") {
		t.Fatalf("after the refused replay the next sign-in ended at %s", at)
	}
}

// Attacker: an SP's LogoutResponse during a propagated logout, replayed
// with the logout progress cookie of that moment. crewjam alone would
// accept it again (the old cookie still names that request); Gatehouse
// records its InResponseTo when it is accepted and refuses the second.
func TestLogoutResponseReplayRefused(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	bsp := newTestSP(t, e.srv, "localhost", nil)
	b := newBrowser(t)
	e.signInAt(b, a)
	e.signInAt(b, bsp)
	u, err := a.mw.ServiceProvider.MakeRedirectLogoutRequest("jane@example.org", "bye", crewjam.WithSessionIndex(a.sessionIndex(t, b)))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := b.get(u.String())
	toB := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(toB, bsp.url+"/saml/slo?SAMLRequest=") {
		t.Fatalf("LogoutRequest from A: %d %s %s", resp.StatusCode, toB, body)
	}
	var state *http.Cookie
	for _, c := range b.c.Jar.Cookies(mustURL(e.srv.URL + "/saml/slo")) {
		if c.Name == "saml_idp_logout" {
			state = &http.Cookie{Name: c.Name, Value: c.Value, Path: "/saml/slo"}
		}
	}
	if state == nil {
		t.Fatal("no logout progress cookie")
	}
	resp, body = b.get(toB)
	back := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(back, e.srv.URL+"/saml/slo?SAMLResponse=") {
		t.Fatalf("B's answer: %d %s %s", resp.StatusCode, back, body)
	}
	resp, body = b.get(back)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, a.url+"/saml/slo?SAMLResponse=") {
		t.Fatalf("LogoutResponse to A: %d %s %s", resp.StatusCode, loc, body)
	}

	attacker := newBrowser(t)
	attacker.c.Jar.SetCookies(mustURL(e.srv.URL+"/saml/slo"), []*http.Cookie{state})
	resp, body = attacker.get(back)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || len(resp.Header.Values("Set-Cookie")) != 0 ||
		!strings.Contains(body, "sign-out request is not valid") {
		t.Fatalf("replayed LogoutResponse: %d %v %s", resp.StatusCode, resp.Header, body)
	}
}

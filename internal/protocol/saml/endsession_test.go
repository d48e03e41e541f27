package saml_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// OIDC RP-initiated logout in the browser also ends the session's SAML
// sign-ins: end_session sends the browser through the logout of each SP
// the session signed into (a signed LogoutRequest to A, its answer, the
// same with B) and only then to the logged-out page. Both SPs' sessions
// and the participants are gone.
func TestEndSessionLogsOutSAMLServiceProviders(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	bsp := newTestSP(t, e.srv, "localhost", nil)
	b := newBrowser(t)
	e.signInAt(b, a)
	e.signInAt(b, bsp)

	resp, body := b.get(e.srv.URL + "/end_session")
	next := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || !strings.HasPrefix(next, e.srv.URL+"/saml/slo/end?ticket=") {
		t.Fatalf("end_session: want the SAML logout first, got %d %s %s", resp.StatusCode, next, body)
	}
	ticket := next
	seen := map[string]bool{}
	for range 8 {
		resp, body = b.get(next)
		next = resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("logout chain stopped: %d %s", resp.StatusCode, body)
		}
		switch {
		case strings.HasPrefix(next, a.url+"/saml/slo?SAMLRequest="):
			seen["A"] = true
		case strings.HasPrefix(next, bsp.url+"/saml/slo?SAMLRequest="):
			seen["B"] = true
		}
		if strings.HasSuffix(next, "/login/logged-out") {
			break
		}
	}
	if !strings.HasSuffix(next, "/login/logged-out") || !seen["A"] || !seen["B"] {
		t.Fatalf("logout chain: ended at %s, LogoutRequests to %v", next, seen)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		t.Errorf("participants after end_session: %+v", got)
	}
	for _, sp := range []*testSP{a, bsp} {
		if _, _, at := b.follow(sp.url + "/hello"); !strings.Contains(at, "/login?authRequestID=") {
			t.Errorf("after end_session %s's next sign-in ended at %s", sp.url, at)
		}
	}
	ev, err := e.srv.Admin.ListEventsWithResponse(context.Background(), &gen.ListEventsParams{Type: ptr("saml.slo")})
	if err != nil || ev.JSON200 == nil {
		t.Fatalf("events: %v", err)
	}
	found := false
	for _, it := range ev.JSON200.Items {
		if it.Data["initiator"] == "end_session" && it.Data["participants"] == float64(2) {
			found = true
		}
	}
	if !found {
		t.Errorf("no saml.slo event for the end_session logout: %+v", ev.JSON200.Items)
	}

	// The ticket again: nothing left to log out, straight to the target.
	resp, body = b.get(ticket)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasSuffix(loc, "/login/logged-out") {
		t.Fatalf("second use of the ticket: %d %s %s", resp.StatusCode, loc, body)
	}
	// A forged or foreign ticket gets the error page.
	for _, bad := range []string{"x", strings.Repeat("A", 200), url.QueryEscape(ticket)} {
		resp, body = b.get(e.srv.URL + "/saml/slo/end?ticket=" + bad)
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || strings.Contains(body, "<form") {
			t.Fatalf("bad ticket %q: %d %s", bad, resp.StatusCode, body)
		}
	}
}

// A revocation without the browser (the Admin API's "sign out
// everywhere") cannot reach SAML SPs, whose logout is front-channel
// only: it is recorded as a saml.slo event with outcome not_propagated
// naming the SPs, and the participants are kept, so that a later
// LogoutRequest from one of them still reaches the others.
func TestRevocationWithoutBrowserIsRecorded(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	b := newBrowser(t)
	e.signInAt(b, a)
	ctx := context.Background()
	r, err := e.srv.Admin.RevokeUserSessionsWithResponse(ctx, e.userID)
	if err != nil || r.StatusCode() != http.StatusNoContent {
		t.Fatalf("revoke: %v %d", err, r.StatusCode())
	}
	ev, err := e.srv.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{Type: ptr("saml.slo")})
	if err != nil || ev.JSON200 == nil {
		t.Fatalf("events: %v", err)
	}
	found := false
	for _, it := range ev.JSON200.Items {
		ids, _ := it.Data["sp_ids"].([]any)
		if it.Data["outcome"] == "not_propagated" && len(ids) == 1 && ids[0] == a.id {
			found = true
		}
	}
	if !found {
		t.Errorf("no not_propagated saml.slo event: %+v", ev.JSON200.Items)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		// participants() lists live sessions only; the revoked one's rows are checked below.
		t.Errorf("live participants after revocation: %+v", got)
	}
	tn := mustDefaultTenant(t, e)
	rows, err := e.srv.App.Stores.Control().SAMLSessions().FindBySP(ctx, tn, a.id, "jane@example.org", nil)
	if err != nil || len(rows) != 1 {
		t.Errorf("kept participants: %+v %v", rows, err)
	}

	// Revoking the user's tokens with sessions ("sign out everywhere")
	// is recorded the same way, for the session signed in since.
	b = newBrowser(t)
	e.signInAt(b, a)
	rt, err := e.srv.Admin.RevokeUserTokensWithResponse(ctx, e.userID, gen.UserTokenRevocation{Sessions: ptr(true)})
	if err != nil || rt.JSON200 == nil || rt.JSON200.SessionsRevoked != 1 {
		t.Fatalf("revoke tokens: %v %s", err, rt.Body)
	}
	ev, err = e.srv.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{Type: ptr("saml.slo")})
	if err != nil || ev.JSON200 == nil {
		t.Fatalf("events: %v", err)
	}
	n := 0
	for _, it := range ev.JSON200.Items {
		if it.Data["outcome"] == "not_propagated" && it.Data["sessions"] == float64(1) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want two not_propagated events, got %d: %+v", n, ev.JSON200.Items)
	}
}

package oidc_test

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/backchannel"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// logoutRP is a relying party's back-channel logout endpoint on loopback:
// it records every logout token POSTed to it and answers 503 to the first
// failFirst requests, as a relying party that is down does.
type logoutRP struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	posts     []logoutPost
	arrived   chan struct{}
}

type logoutPost struct {
	Path, ContentType, Token string
	Status                   int
}

func newLogoutRP(t *testing.T, failFirst int) *logoutRP {
	rp := &logoutRP{failFirst: failFirst, arrived: make(chan struct{}, 100)}
	rp.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		rp.mu.Lock()
		p := logoutPost{Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Token: r.PostForm.Get("logout_token"),
			Status: http.StatusOK}
		if rp.failFirst > 0 {
			rp.failFirst--
			p.Status = http.StatusServiceUnavailable
		}
		rp.posts = append(rp.posts, p)
		rp.mu.Unlock()
		w.WriteHeader(p.Status)
		rp.arrived <- struct{}{}
	}))
	t.Cleanup(rp.Close)
	return rp
}

// delivered waits for a logout token the RP accepted whose sid is sid,
// and returns it with every attempt made for that sid.
func (rp *logoutRP) delivered(t *testing.T, sid string) (string, []logoutPost) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		rp.mu.Lock()
		var all []logoutPost
		ok := ""
		for _, p := range rp.posts {
			if claimsOf(t, p.Token)["sid"] == sid {
				all = append(all, p)
				if p.Status == http.StatusOK {
					ok = p.Token
				}
			}
		}
		rp.mu.Unlock()
		if ok != "" {
			return ok, all
		}
		select {
		case <-rp.arrived:
		case <-deadline:
			t.Fatalf("no logout token for session %s reached the RP", sid)
		}
	}
}

func (rp *logoutRP) all() []logoutPost {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return append([]logoutPost(nil), rp.posts...)
}

// claimsOf reads a JWT's claims without verifying it.
func claimsOf(t *testing.T, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", raw)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// wantLogoutToken checks a logout token as a relying party must (OIDC
// Back-Channel Logout 1.0 §2.6): signed by the issuer's JWKS, typ
// logout+jwt, for the client, the logout event, the session and its
// user, short-lived, and no nonce.
func wantLogoutToken(t *testing.T, issuer, raw, clientID, sid, sub string) map[string]any {
	t.Helper()
	claims := apitest.VerifyWithJWKS(t, issuer, raw)
	tok, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA})
	if err != nil {
		t.Fatal(err)
	}
	if typ := tok.Signatures[0].Protected.ExtraHeaders["typ"]; typ != "logout+jwt" {
		t.Errorf("typ %v, want logout+jwt", typ)
	}
	if claims["iss"] != issuer || claims["sid"] != sid || claims["sub"] != sub {
		t.Errorf("iss/sid/sub %v/%v/%v, want %s/%s/%s", claims["iss"], claims["sid"], claims["sub"], issuer, sid, sub)
	}
	if aud := toStrings(claims["aud"]); len(aud) != 1 || aud[0] != clientID {
		t.Errorf("aud %v, want [%s]", claims["aud"], clientID)
	}
	ev, _ := claims["events"].(map[string]any)
	if _, ok := ev["http://schemas.openid.net/event/backchannel-logout"].(map[string]any); !ok || len(ev) != 1 {
		t.Errorf("events %v", claims["events"])
	}
	if _, ok := claims["nonce"]; ok {
		t.Error("a logout token must not carry a nonce")
	}
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if jti, _ := claims["jti"].(string); jti == "" || iat == 0 || exp <= iat || exp-iat > 120 {
		t.Errorf("jti %v iat %v exp %v", claims["jti"], claims["iat"], claims["exp"])
	}
	return claims
}

// logoutEngines runs fn against a server on SQLite and one on PostgreSQL
// (the latter with GATEHOUSE_TEST_POSTGRES_DSN, as in CI).
func logoutEngines(t *testing.T, fn func(t *testing.T, o *op)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newOP(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.SchemaURL(t, "gh_bcl")
		fn(t, newOPWith(t, testserver.Options{Env: map[string]string{"GATEHOUSE_DATABASE": dsn}}))
	})
}

// A relying party with back- and front-channel logout endpoints signs a
// user in with the code flow; RP-initiated logout at end_session ends the
// session. The browser loads the front-channel URI (iss, sid) on its way
// to post_logout_redirect_uri, and the back-channel endpoint, down at
// first (503), gets the logout token on a retry, with the same jti. A
// client of the same session without a backchannel_logout_uri and a
// client of another tenant get nothing. Sessions ended by an admin and by
// the user in the account API notify the RP too.
func TestBackchannelLogout(t *testing.T) {
	t.Parallel()
	logoutEngines(t, func(t *testing.T, o *op) {
		rp := newLogoutRP(t, 1)
		const after = "https://app.example.com/signed-out"
		const front = "https://app.example.com/frontchannel-logout?from=gatehouse"
		c := o.userClient(t, "", map[string]any{
			"post_logout_redirect_uris":            []string{after},
			"backchannel_logout_uri":               rp.URL + "/bcl",
			"backchannel_logout_session_required":  true,
			"frontchannel_logout_uri":              front,
			"frontchannel_logout_session_required": true,
			"scope":                                "openid profile email offline_access account",
		})
		plain := o.userClient(t, "", nil) // no logout URIs
		iss := o.issuer("")

		// Another tenant's client, pointed at the same RP, with a live session.
		o.createTenant(t, "other")
		oc := o.userClient(t, "other", map[string]any{"backchannel_logout_uri": rp.URL + "/other"})
		or := o.relyingParty(t, oc, "", "openid")
		ol := newLogin()
		or.exchange(t, or.code(t, o.newBrowser(t), o.createUser(t, "other"), "", ol), ol)

		signIn := func(u *user, b *browser, scopes ...string) (sid, idToken, access string) {
			t.Helper()
			r := o.relyingParty(t, c, "", scopes...)
			l := newLogin()
			tok := r.exchange(t, r.code(t, b, u, "", l), l)
			_, claims := r.idToken(t, tok, l.Nonce)
			sid, _ = claims["sid"].(string)
			if sid == "" || sid == u.ID {
				t.Fatalf("ID token sid %q (user %s)", sid, u.ID)
			}
			return sid, tok.Extra("id_token").(string), tok.AccessToken
		}

		// RP-initiated logout in the browser.
		u := o.createUser(t, "")
		b := o.newBrowser(t)
		sid, idToken, _ := signIn(u, b, "openid")
		pr := o.relyingParty(t, plain, "", "openid") // same browser: the same session
		pl := newLogin()
		pr.exchange(t, pr.code(t, b, u, "", pl), pl)

		p := b.visit(t, http.MethodGet, iss+"/end_session?"+url.Values{"id_token_hint": {idToken},
			"post_logout_redirect_uri": {after}, "state": {"s1"}}.Encode(), nil)
		if p.Status != http.StatusOK || !strings.Contains(p.URL.Path, "/end_session/frontchannel") {
			t.Fatalf("end_session led to %s (%d)", p.URL, p.Status)
		}
		frame := front + "&iss=" + url.QueryEscape(iss) + "&sid=" + sid
		if !strings.Contains(html.UnescapeString(p.Body), `<iframe src="`+frame+`"`) {
			t.Fatalf("front-channel page lacks the iframe %s:\n%s", frame, p.Body)
		}
		if !strings.Contains(html.UnescapeString(p.Body), `href="`+after+"?state=s1") {
			t.Fatalf("front-channel page does not continue to post_logout_redirect_uri:\n%s", p.Body)
		}
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src https://app.example.com") {
			t.Errorf("CSP %q", csp)
		}

		raw, attempts := rp.delivered(t, sid)
		wantLogoutToken(t, iss, raw, c.ID, sid, u.ID)
		if len(attempts) != 2 || attempts[0].Status != http.StatusServiceUnavailable || attempts[0].Path != "/bcl" ||
			attempts[1].ContentType != "application/x-www-form-urlencoded" {
			t.Fatalf("attempts %+v, want a 503 then a 200 at /bcl", attempts)
		}
		if claimsOf(t, attempts[0].Token)["jti"] != claimsOf(t, attempts[1].Token)["jti"] {
			t.Error("a retry carries a new jti")
		}
		tn := mustTenant(t, o, "")
		ds, err := tn.Store.Logouts().Deliveries(t.Context(), tn.ID, sid)
		if err != nil || len(ds) != 1 || ds[0].ClientID != c.ID || ds[0].Attempts != 2 {
			t.Fatalf("deliveries of the session: %+v %v (want one, to %s, in two attempts)", ds, err, c.ID)
		}
		waitStatus(t, tn.Store, tn.ID, sid, store.DeliveryDelivered)

		// An admin revokes a session.
		sid2, _, _ := signIn(u, o.newBrowser(t), "openid")
		o.admin(t, http.MethodDelete, "/admin/v1/users/"+u.ID+"/sessions/"+sid2, nil)
		raw2, _ := rp.delivered(t, sid2)
		wantLogoutToken(t, iss, raw2, c.ID, sid2, u.ID)

		// The user revokes a session in the account API.
		sid3, _, access := signIn(u, o.newBrowser(t), "openid", "account")
		req, _ := http.NewRequest(http.MethodDelete, iss+"/v1/me/sessions/"+sid3, nil)
		req.Header.Set("Authorization", "Bearer "+access)
		if r := o.do(t, req); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE /v1/me/sessions: %d %s", r.Status, r.Raw)
		}
		raw3, _ := rp.delivered(t, sid3)
		wantLogoutToken(t, iss, raw3, c.ID, sid3, u.ID)

		for _, p := range rp.all() {
			if p.Path != "/bcl" || claimsOf(t, p.Token)["aud"] == oc.ID {
				t.Errorf("the other tenant's client was notified: %+v", p)
			}
		}
	})
}

// waitStatus waits until the session's deliveries all have status.
func waitStatus(t *testing.T, st store.Store, tenantID, sid, status string) {
	t.Helper()
	for range 200 {
		ds, err := st.Logouts().Deliveries(t.Context(), tenantID, sid)
		if err != nil {
			t.Fatal(err)
		}
		done := len(ds) > 0
		for _, d := range ds {
			done = done && d.Status == status
		}
		if done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("deliveries of %s never reached %s", sid, status)
}

// Revoking all of a user's tokens with their sessions (the path "this
// wasn't me", a password reset and "sign out everywhere" take) notifies
// the RP of every session; discovery says both logout channels are
// supported.
func TestBackchannelLogoutAllSessions(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	rp := newLogoutRP(t, 0)
	c := o.userClient(t, "", map[string]any{"backchannel_logout_uri": rp.URL + "/bcl"})
	r := o.relyingParty(t, c, "", "openid")
	u := o.createUser(t, "")
	var sids []string
	for range 2 {
		l := newLogin()
		tok := r.exchange(t, r.code(t, o.newBrowser(t), u, "", l), l)
		_, claims := r.idToken(t, tok, l.Nonce)
		sids = append(sids, claims["sid"].(string))
	}
	o.admin(t, http.MethodPost, "/admin/v1/users/"+u.ID+"/tokens/revoke", map[string]any{"sessions": true})
	for _, sid := range sids {
		raw, _ := rp.delivered(t, sid)
		wantLogoutToken(t, o.issuer(""), raw, c.ID, sid, u.ID)
	}

	d := o.get(t, o.issuer("")+"/.well-known/openid-configuration")
	for _, k := range []string{"backchannel_logout_supported", "backchannel_logout_session_supported",
		"frontchannel_logout_supported", "frontchannel_logout_session_supported"} {
		if d.Body[k] != true {
			t.Errorf("discovery %s = %v", k, d.Body[k])
		}
	}
}

// Logout URIs are checked as a web client's redirect URIs; a bad one is a
// 400 naming the member, and nothing is stored.
func TestLogoutURIValidation(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	for _, tc := range []struct{ member, uri string }{
		{"backchannel_logout_uri", "http://rp.example.com/bcl"}, // http off loopback
		{"backchannel_logout_uri", "https://rp.example.com/bcl#x"},
		{"backchannel_logout_uri", "javascript:alert(1)"},
		{"frontchannel_logout_uri", "http://rp.example.com/fcl"},
		{"frontchannel_logout_uri", "/relative"},
	} {
		body, _ := json.Marshal(map[string]any{"client_name": "bad", "redirect_uris": []string{redirectURI}, tc.member: tc.uri})
		req, _ := http.NewRequest(http.MethodPost, o.URL+"/admin/v1/clients", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := o.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "/"+tc.member) {
			t.Errorf("%s %q: %d %s", tc.member, tc.uri, resp.StatusCode, b)
		}
	}
	// Loopback http is fine, as for redirect URIs; a patch with null clears it.
	c := o.userClient(t, "", map[string]any{"backchannel_logout_uri": "http://127.0.0.1:8080/bcl",
		"frontchannel_logout_uri": "http://localhost:8080/fcl?a=b"})
	m := o.admin(t, http.MethodGet, "/admin/v1/clients/"+c.ID, nil)
	if m["backchannel_logout_uri"] != "http://127.0.0.1:8080/bcl" || m["frontchannel_logout_uri"] != "http://localhost:8080/fcl?a=b" {
		t.Fatalf("client %v", m)
	}
	req, _ := http.NewRequest(http.MethodPatch, o.URL+"/admin/v1/clients/"+c.ID,
		strings.NewReader(`{"backchannel_logout_uri":null,"backchannel_logout_session_required":true}`))
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	req.Header.Set("Content-Type", "application/merge-patch+json")
	resp, err := o.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	m = o.admin(t, http.MethodGet, "/admin/v1/clients/"+c.ID, nil)
	if resp.StatusCode != http.StatusOK || m["backchannel_logout_uri"] != nil || m["backchannel_logout_session_required"] != true {
		t.Fatalf("after patch: %d %v", resp.StatusCode, m)
	}
}

// The front-channel page loads only what end_session sealed for this
// tenant: a tampered ticket, another tenant's and none at all are refused
// and load nothing.
func TestFrontchannelTicketTampered(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "other")
	const front = "https://app.example.com/fcl"
	c := o.userClient(t, "", map[string]any{"frontchannel_logout_uri": front})
	r := o.relyingParty(t, c, "", "openid")
	b := o.newBrowser(t)
	l := newLogin()
	r.exchange(t, r.code(t, b, o.createUser(t, ""), "", l), l)
	p := b.visit(t, http.MethodGet, o.issuer("")+"/end_session", nil)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `<iframe src="`+front+`"`) || strings.Contains(p.Body, "sid=") {
		t.Fatalf("front-channel page (%d) %s:\n%s", p.Status, p.URL, p.Body)
	}
	ticket := p.URL.Query().Get("ticket")
	flipped := []byte(ticket)
	flipped[len(flipped)/2] ^= 1
	for name, u := range map[string]string{
		"tampered":      o.issuer("") + "/end_session/frontchannel?ticket=" + string(flipped),
		"other tenant":  o.issuer("other") + "/end_session/frontchannel?ticket=" + ticket,
		"none":          o.issuer("") + "/end_session/frontchannel",
		"not base64url": o.issuer("") + "/end_session/frontchannel?ticket=%%%",
	} {
		res := o.get(t, u)
		if res.Status != http.StatusBadRequest || strings.Contains(string(res.Raw), "iframe") {
			t.Errorf("%s ticket: %d %s", name, res.Status, res.Raw)
		}
	}
}

// A relying party that never answers 2xx is retried until the delivery is
// older than the worker's bound; then the row is marked failed with the
// last error, and no further attempt is made. A second worker on the same
// database, whose clock is a day ahead, stands for the bound passing.
func TestBackchannelLogoutGivesUp(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	rp := newLogoutRP(t, 1_000_000)
	c := o.userClient(t, "", map[string]any{"backchannel_logout_uri": rp.URL + "/bcl"})
	r := o.relyingParty(t, c, "", "openid")
	u := o.createUser(t, "")
	l := newLogin()
	tok := r.exchange(t, r.code(t, o.newBrowser(t), u, "", l), l)
	_, claims := r.idToken(t, tok, l.Nonce)
	sid := claims["sid"].(string)
	o.admin(t, http.MethodDelete, "/admin/v1/users/"+u.ID+"/sessions/"+sid, nil)

	later := &backchannel.Worker{Store: o.App.DB, Tenants: o.App.Directory, Tokens: o.App.Tokens,
		Now: func() time.Time { return time.Now().Add(25 * time.Hour) }}
	tn := mustTenant(t, o, "")
	for i := 0; ; i++ {
		if _, err := later.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		ds, err := tn.Store.Logouts().Deliveries(t.Context(), tn.ID, sid)
		if err != nil || len(ds) != 1 {
			t.Fatalf("deliveries %+v %v", ds, err)
		}
		if ds[0].Status == store.DeliveryFailed {
			if ds[0].LastError != "HTTP 503" || ds[0].DeliveredAt != nil {
				t.Fatalf("failed row %+v", ds[0])
			}
			break
		}
		if i == 200 {
			t.Fatalf("never gave up: %+v", ds[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
	n := len(rp.all())
	if got, _ := later.RunOnce(t.Context()); got != 0 {
		t.Fatalf("a failed row was claimed again (%d)", got)
	}
	if len(rp.all()) != n {
		t.Fatal("the RP was called after the delivery failed")
	}
}

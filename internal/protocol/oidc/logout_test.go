package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Back-end logout: a relying party's server calls end_session without the
// browser's cookie, with the ID token it holds (oauth2-proxy's
// --backend-logout-url). The session the hint's sid names ends, with its
// refresh and access tokens, and the browser must sign in again; an
// expired hint works too (the RP's copy usually is), also in EdDSA. A hint
// that does not verify ends nothing.
func TestBackEndLogout(t *testing.T) {
	t.Parallel()
	// The provider's clock starts two hours back, so the first ID tokens
	// are expired (in real time) by the time they are used as hints.
	clock := &testClock{offset: -2 * time.Hour}
	o := newOPWith(t, testserver.Options{ProviderNow: clock.Now})
	const after = "https://app.example.com/signed-out"
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)

	type signedIn struct {
		b                        *browser
		rp                       *relyingParty
		idToken, access, refresh string
	}
	signIn := func(alg string) signedIn {
		t.Helper()
		c := o.userClient(t, "", map[string]any{"post_logout_redirect_uris": []string{after}, "id_token_signed_response_alg": alg})
		r := o.relyingParty(t, c, alg, "openid", "offline_access")
		b := o.newBrowser(t)
		l := newLogin()
		tok := r.exchange(t, r.code(t, b, o.createUser(t, ""), "", l), l)
		return signedIn{b, r, tok.Extra("id_token").(string), tok.AccessToken, tok.RefreshToken}
	}
	stillSignedIn := func(s signedIn) bool {
		t.Helper()
		p := s.b.visit(t, http.MethodGet, s.rp.authURL(newLogin()), nil)
		return p.Left != nil && p.Left.Query().Get("code") != ""
	}
	backEnd := func(hint string) reply { // no cookie: the RP's server
		t.Helper()
		return o.get(t, o.issuer("")+"/end_session?"+url.Values{"id_token_hint": {hint},
			"post_logout_redirect_uri": {after}, "state": {"s"}}.Encode())
	}
	wantEnded := func(s signedIn) {
		t.Helper()
		if stillSignedIn(s) {
			t.Error("the browser's session survived the back-end logout")
		}
		wantOAuthError(t, o.refresh(t, s.rp.c, s.refresh), http.StatusBadRequest, "invalid_grant")
		req, _ := http.NewRequest(http.MethodGet, o.issuer("")+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+s.access)
		if r := o.do(t, req); r.Status != http.StatusUnauthorized {
			t.Errorf("userinfo after logout: %d %s", r.Status, r.Raw)
		}
		o.wantInactive(t, rs, s.access)
	}

	expiredRS, expiredEd := signIn("RS256"), signIn("EdDSA")
	clock.Add(2 * time.Hour)
	fresh, bystander := signIn("RS256"), signIn("ES256")

	// A hint whose signature does not verify ends nothing and goes nowhere.
	forged := fresh.idToken[:strings.LastIndex(fresh.idToken, ".")+1] + "AAAA"
	if r := backEnd(forged); r.Status != http.StatusBadRequest || r.Header.Get("Location") != "" {
		t.Fatalf("forged hint: %d %s", r.Status, r.Header.Get("Location"))
	}
	if !stillSignedIn(fresh) {
		t.Fatal("a forged hint ended the session")
	}

	for name, s := range map[string]signedIn{"fresh": fresh, "expired": expiredRS, "expired EdDSA": expiredEd} {
		r := backEnd(s.idToken)
		loc, _ := url.Parse(r.Header.Get("Location"))
		if r.Status != http.StatusFound || loc == nil || loc.Scheme+"://"+loc.Host+loc.Path != after || loc.Query().Get("state") != "s" {
			t.Fatalf("%s: %d %s %s", name, r.Status, r.Header.Get("Location"), r.Raw)
		}
		wantEnded(s)
	}
	// Another user's session is untouched.
	if !stillSignedIn(bystander) {
		t.Fatal("back-end logout ended another session")
	}
	if res := o.refresh(t, bystander.rp.c, bystander.refresh); res.Status != http.StatusOK {
		t.Fatalf("bystander's refresh: %d %s", res.Status, res.Raw)
	}
}

// An ID token that another node signed with a key it made a moment ago is
// a valid id_token_hint on this node at once: the unknown kid makes this
// node re-read its keys instead of waiting up to 30 s for the periodic
// refresh (issue 17). A second key manager on the same database stands
// for the other node; SQLite has no change bus, so only the kid lookup can
// find the key.
func TestIDTokenHintSignedOnAnotherNode(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	const after = "https://app.example.com/signed-out"
	c := o.userClient(t, "", map[string]any{"post_logout_redirect_uris": []string{after}})
	if r := o.get(t, o.issuer("")+"/keys"); r.Status != http.StatusOK { // this node loads its keys
		t.Fatalf("jwks: %d", r.Status)
	}
	ctx := context.Background()
	ten, err := o.App.Tenants.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	other := keys.New(o.App.Directory.StoreForTenantID, o.App.Keyring, keys.DefaultConfig, time.Now, slog.Default())
	if err := other.Rotate(ctx, ten.ID, keys.RS256); err != nil {
		t.Fatal(err)
	}
	k, err := other.Active(ctx, ten.ID, keys.RS256)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	claims, _ := json.Marshal(map[string]any{"iss": o.issuer(""), "aud": c.ID, "sub": "someone", "iat": now, "exp": now + 300})
	hint, err := k.SignJWT(false, claims)
	if err != nil {
		t.Fatal(err)
	}
	r := o.get(t, o.issuer("")+"/end_session?"+url.Values{"id_token_hint": {hint},
		"post_logout_redirect_uri": {after}, "state": {"s"}}.Encode())
	loc, _ := url.Parse(r.Header.Get("Location"))
	if r.Status != http.StatusFound || loc == nil || loc.Scheme+"://"+loc.Host+loc.Path != after {
		t.Fatalf("hint signed with the other node's new key: %d %s %s", r.Status, r.Header.Get("Location"), r.Raw)
	}
	// The same token with its kid changed to one no node has is refused.
	forged := strings.Replace(hint, hint[:strings.Index(hint, ".")], base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"nobody","typ":"JWT"}`)), 1)
	if r := o.get(t, o.issuer("")+"/end_session?"+url.Values{"id_token_hint": {forged},
		"post_logout_redirect_uri": {after}}.Encode()); r.Status != http.StatusBadRequest || r.Header.Get("Location") != "" {
		t.Fatalf("hint with an unknown kid: %d %s", r.Status, r.Header.Get("Location"))
	}
}

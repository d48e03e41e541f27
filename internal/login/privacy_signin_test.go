package login_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// A client's required_purposes (issue 15): signing in to it without them
// sends the user to the preference centre first, which completes the
// request once they agreed; purposes whose version changed since the
// user agreed are asked again; prompt=none cannot skip the step; the
// page can cancel the request; the Admin API refuses unknown purposes.
func TestRequiredPurposesAtSignIn(t *testing.T) {
	e := newEnv(t)
	mkPurposes(t, e.srv) // terms (required by the tenant), newsletter (optional)
	e.createUser(userSpec{email: "rp@example.com"})
	ctx := context.Background()

	// The Admin API: an unknown purpose is a field error, nothing created.
	bad := []string{"newsletter", "no-such-purpose"}
	name := "Bad"
	r, err := e.srv.Admin.CreateClientWithResponse(ctx, &gen.CreateClientParams{}, gen.ClientCreate{ClientName: name,
		RedirectUris: &[]string{"http://127.0.0.1:9/callback"}, RequiredPurposes: &bad})
	if err != nil || r.StatusCode() != http.StatusBadRequest || !strings.Contains(string(r.Body), `/required_purposes/1`) {
		t.Fatalf("client with an unknown purpose: %v %d %s", err, r.StatusCode(), r.Body)
	}

	c := e.createClient(clientSpec{firstParty: true, name: "Shop", requiredPurposes: []string{"newsletter"}})
	got, err := e.srv.Admin.GetClientWithResponse(ctx, c.id)
	if err != nil || got.JSON200 == nil || got.JSON200.RequiredPurposes == nil || (*got.JSON200.RequiredPurposes)[0] != "newsletter" {
		t.Fatalf("client's required_purposes: %v %s", err, got.Body)
	}
	if _, ok := got.JSON200.Metadata["required_purposes"]; ok {
		t.Fatalf("required_purposes leaks into metadata: %s", got.Body)
	}

	// Signing in: the preference centre comes first, listing what is owed
	// (terms: required by the tenant, never accepted by this admin-made
	// user; newsletter: required by the client).
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	signed := b.signIn(b.startLogin(e.issuer(""), a), "rp@example.com", testPassword)
	loc := signed.location(t)
	if loc.Path != "/account/privacy" || loc.Query().Get("authRequestID") == "" {
		t.Fatalf("after the password: %s, want the preference centre", loc)
	}
	page := b.get(loc.String())
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="privacy-continue"`) || !strings.Contains(page.body, "Shop") ||
		!strings.Contains(page.body, `data-purpose="terms"`) || !strings.Contains(page.body, `data-purpose="newsletter"`) {
		t.Fatalf("privacy step: %d %.2000s", page.status, page.body)
	}

	// prompt=none meanwhile cannot skip it.
	none := newAuthz(c, "openid").with("prompt", "none")
	none.callbackError(t, b.follow(b.get(none.url(e.issuer("")))), "consent_required")

	// Accepting terms only: the client still needs the newsletter.
	f := page.form(t, "shown")
	f.values["purpose"] = []string{"terms"}
	again := b.submit(page, f, "action", "continue")
	if again.status != http.StatusConflict || !strings.Contains(again.body, "Shop needs your agreement to: Newsletter") ||
		strings.Contains(again.body, `data-purpose="terms"`) {
		t.Fatalf("without the client's purpose: %d %.2000s", again.status, again.body)
	}
	st, _ := ledgerOf(t, e.srv, "rp@example.com")
	for _, p := range st.Purposes {
		if p.Granted != (p.PurposeID == "terms") {
			t.Fatalf("state after terms only: %+v", st.Purposes)
		}
	}

	// Accepting the newsletter completes the request with a code.
	f = again.form(t, "shown")
	f.values["purpose"] = []string{"newsletter"}
	code := a.callback(t, b.submit(again, f, "action", "continue"))
	if tk, _ := e.exchange(a, code); tk.AccessToken == "" {
		t.Fatal("no tokens after the privacy step")
	}

	// Single sign-on now goes straight through.
	sso := newAuthz(c, "openid")
	sso.callback(t, b.get(b.get(sso.url(e.issuer(""))).location(t).String()))

	// A material change of the newsletter asks again; cancelling answers
	// the client access_denied and records nothing.
	desc := "Weekly news, now with partner offers."
	pr, err := e.srv.Admin.ReplacePrivacyPurposeWithResponse(ctx, "newsletter", gen.PrivacyPurposeUpdate{Name: "Newsletter",
		Description: &desc, LegalBasis: "consent"})
	if err != nil || pr.JSON200 == nil || pr.JSON200.Version != 2 {
		t.Fatalf("bump: %v %s", err, pr.Body)
	}
	bumped := newAuthz(c, "openid")
	step := b.get(b.get(bumped.url(e.issuer(""))).location(t).String())
	if l := step.location(t); l.Path != "/account/privacy" {
		t.Fatalf("after a version bump: %s", l)
	}
	page = b.follow(step)
	if !strings.Contains(page.body, `data-stale="newsletter"`) || strings.Contains(page.body, `data-purpose="terms"`) {
		t.Fatalf("bumped purpose not asked again: %.2000s", page.body)
	}
	_, before := ledgerOf(t, e.srv, "rp@example.com")
	f = page.form(t, "shown")
	f.values.Del("purpose")
	bumped.callbackError(t, b.submit(page, f, "action", "cancel"), "access_denied")
	if _, after := ledgerOf(t, e.srv, "rp@example.com"); len(after) != len(before) {
		t.Fatalf("cancel recorded decisions: %d → %d", len(before), len(after))
	}

	// Without a CSRF token nothing is recorded.
	forged := url.Values{"shown": {"newsletter"}, "purpose": {"newsletter"}, "authRequestID": {loc.Query().Get("authRequestID")}}
	if r := b.post(e.issuer("")+"/account/privacy", forged); r.status < 400 {
		t.Fatalf("form without CSRF: %d", r.status)
	}
	if _, after := ledgerOf(t, e.srv, "rp@example.com"); len(after) != len(before) {
		t.Fatal("a forged form recorded a decision")
	}
}

// The device page has no privacy step: approving for a client whose
// required purposes the user has not granted is refused (nothing
// granted to the device) until they decide in the preference centre.
func TestDeviceApprovalOwesPurposes(t *testing.T) {
	e := newEnv(t)
	mkPurposes(t, e.srv)
	uid := e.createUser(userSpec{email: "tv@example.com"})
	if r, err := e.srv.Admin.SetUserPrivacyPurposeWithResponse(context.Background(), uid, "terms",
		gen.PrivacyDecisionAdmin{Granted: true, Evidence: "signed form"}); err != nil || r.JSON200 == nil {
		t.Fatalf("grant terms: %v %s", err, r.Body)
	}
	c := e.createClient(clientSpec{name: "Smart TV", grants: []gen.GrantType{gen.GrantTypeDeviceCode},
		requiredPurposes: []string{"newsletter"}})
	d := e.startDevice(c, "openid")
	b := newBrowser(t)
	page := b.get(d.VerificationURIComplete)
	confirm := b.signIn(page, "tv@example.com", testPassword)
	refused := b.submit(confirm, confirm.form(t, "user_code"), "action", "approve")
	if refused.status != http.StatusForbidden || !strings.Contains(refused.body, "privacy") {
		t.Fatalf("approval owing a purpose: %d %.800s", refused.status, refused.body)
	}
	if status, tk := e.pollDevice(c, d); status != http.StatusBadRequest || tk.Error != "authorization_pending" {
		t.Fatalf("poll after the refusal: %d %+v", status, tk)
	}
	if r, err := e.srv.Admin.SetUserPrivacyPurposeWithResponse(context.Background(), uid, "newsletter",
		gen.PrivacyDecisionAdmin{Granted: true, Evidence: "phone call"}); err != nil || r.JSON200 == nil {
		t.Fatalf("grant newsletter: %v %s", err, r.Body)
	}
	done := b.submit(confirm, confirm.form(t, "user_code"), "action", "approve")
	if !strings.Contains(done.body, "Device connected") {
		t.Fatalf("approval after deciding: %d %.500s", done.status, done.body)
	}
}

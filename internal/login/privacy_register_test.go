package login_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// Registration captures consent to the tenant's privacy purposes (issue
// 15): the hosted form lists them, required ones must be ticked, optional
// ones are never pre-ticked, and every decision lands in the ledger with
// channel registration.

func mkPurposes(t *testing.T, srv *testserver.Server) {
	t.Helper()
	ctx := context.Background()
	req := true
	desc := "Your account data, to provide the service."
	for _, p := range []gen.PrivacyPurposeCreate{
		{ID: "terms", Name: "Terms of service", Description: &desc, LegalBasis: "contract", Required: &req},
		{ID: "newsletter", Name: "Newsletter", LegalBasis: "consent"},
	} {
		if r, err := srv.Admin.CreatePrivacyPurposeWithResponse(ctx, nil, p); err != nil || r.JSON201 == nil {
			t.Fatalf("create purpose: %v %s", err, r.Body)
		}
	}
}

// ledgerOf returns the user's privacy state and ledger.
func ledgerOf(t *testing.T, srv *testserver.Server, email string) (*gen.PrivacyState, []gen.PrivacyLedgerEntry) {
	t.Helper()
	ctx := context.Background()
	e := openapi_types.Email(email)
	ur, err := srv.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Email: &e})
	if err != nil || ur.JSON200 == nil || len(ur.JSON200.Items) != 1 {
		t.Fatalf("user %s: %v %s", email, err, ur.Body)
	}
	id := ur.JSON200.Items[0].ID
	st, err := srv.Admin.GetUserPrivacyWithResponse(ctx, id)
	if err != nil || st.JSON200 == nil {
		t.Fatalf("privacy: %v %s", err, st.Body)
	}
	h, err := srv.Admin.ListUserPrivacyHistoryWithResponse(ctx, id, nil)
	if err != nil || h.JSON200 == nil {
		t.Fatalf("history: %v %s", err, h.Body)
	}
	return st.JSON200, h.JSON200.Items
}

func TestRegisterPageCapturesPurposes(t *testing.T) {
	e, ms := newMailEnv(t)
	mkPurposes(t, e.srv)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	b.header.Set("User-Agent", "consent-browser/1.0")
	a := newAuthz(c, "openid")

	page := b.registerPage(b.startLogin(e.issuer(""), a))
	if page.status != http.StatusOK || !strings.Contains(page.body, `data-purpose="terms"`) || !strings.Contains(page.body, `data-purpose="newsletter"`) ||
		!strings.Contains(page.body, "Terms of service (required)") {
		t.Fatalf("register page without the purposes: %d %.2000s", page.status, page.body)
	}
	for _, line := range strings.Split(page.body, "\n") {
		if strings.Contains(line, `name="purpose"`) && strings.Contains(line, " checked") {
			t.Fatalf("a purpose is pre-ticked: %s", line)
		}
	}

	// Without the required purpose: the form again, nothing registered.
	f := page.form(t, "email", "password")
	f.values.Del("purpose")
	again := b.submit(page, f, "email", "consent@example.com", "password", newPassword, "terms", "accepted")
	if again.status != http.StatusUnprocessableEntity || !strings.Contains(again.body, `id="purposes-error"`) {
		t.Fatalf("registration without the required purpose: %d %.2000s", again.status, again.body)
	}
	if r, _ := e.srv.Admin.ListUsersWithResponse(context.Background(), &gen.ListUsersParams{}); r.JSON200 != nil && len(r.JSON200.Items) != 0 {
		t.Fatalf("a user was registered: %s", r.Body)
	}

	// Ticking terms only: registered, newsletter recorded as declined.
	f = again.form(t, "email", "password")
	f.values["purpose"] = []string{"terms"}
	sent := b.submit(again, f, "email", "consent@example.com", "password", newPassword, "terms", "accepted")
	if sent.status != http.StatusOK || !strings.Contains(sent.body, "Check your inbox") {
		t.Fatalf("registration: %d %.800s", sent.status, sent.body)
	}
	ms.WaitFor(t, "consent@example.com", 10*time.Second)
	st, ledger := ledgerOf(t, e.srv, "consent@example.com")
	if len(ledger) != 2 {
		t.Fatalf("ledger: %+v", ledger)
	}
	for _, en := range ledger {
		if en.Channel != "registration" || val(en.UserAgent) != "consent-browser/1.0" || val(en.IP) == "" || en.ReceiptID == "" ||
			en.Granted != (en.PurposeID == "terms") {
			t.Fatalf("ledger entry: %+v", en)
		}
	}
	for _, p := range st.Purposes {
		if p.Granted != (p.PurposeID == "terms") || p.ReconsentRequired {
			t.Fatalf("state: %+v", p)
		}
	}
}

func TestRegisterAPICapturesPurposes(t *testing.T) {
	e, ms := newMailEnv(t)
	mkPurposes(t, e.srv)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	b.header.Set("Origin", e.issuer(""))
	id := b.startLogin(e.issuer(""), newAuthz(c, "openid")).url.Query().Get("authRequestID")
	reg := func(purposes ...string) *resp {
		return b.postJSON(e.issuer("")+"/register/api", gen.RegistrationRequest{
			AuthRequestID: id, Email: "api.consent@example.com", Password: newPassword, AcceptTerms: true, Purposes: &purposes,
		})
	}
	if r := reg("newsletter"); r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"/purposes"`) {
		t.Fatalf("without the required purpose: %d %s", r.status, r.body)
	}
	if r := reg("terms", "no-such-purpose"); r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"/purposes/1"`) {
		t.Fatalf("an unknown purpose: %d %s", r.status, r.body)
	}
	if r, _ := e.srv.Admin.ListUsersWithResponse(context.Background(), &gen.ListUsersParams{}); r.JSON200 != nil && len(r.JSON200.Items) != 0 {
		t.Fatalf("a refused registration left a user: %s", r.Body)
	}
	if r := reg("terms", "newsletter"); r.status != http.StatusAccepted {
		t.Fatalf("registration: %d %s", r.status, r.body)
	}
	ms.WaitFor(t, "api.consent@example.com", 10*time.Second)
	st, ledger := ledgerOf(t, e.srv, "api.consent@example.com")
	if len(ledger) != 2 || !ledger[0].Granted || !ledger[1].Granted || ledger[0].Channel != "registration" {
		t.Fatalf("ledger: %+v", ledger)
	}
	for _, p := range st.Purposes {
		if !p.Granted || p.AgreedVersion.MustGet() != 1 {
			t.Fatalf("state: %+v", p)
		}
	}
}

func val(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// The preference centre at {tenant base}/account/privacy: a signed-in
// user changes their decisions (channel preference_centre), answers a
// version bump, and cannot withdraw a required purpose; without a session
// or a CSRF token nothing changes.
func TestPreferenceCentre(t *testing.T) {
	e := newEnv(t)
	mkPurposes(t, e.srv)
	e.createUser(userSpec{email: "pref@example.com"})
	ctx := context.Background()

	// No session: a sign-in notice, no form.
	anon := newBrowser(t)
	if r := anon.get(e.issuer("") + "/account/privacy"); r.status != http.StatusUnauthorized || strings.Contains(r.body, `name="purpose"`) {
		t.Fatalf("without a session: %d %.600s", r.status, r.body)
	}

	b := newBrowser(t)
	b.header.Set("User-Agent", "pref-browser/2.0")
	// The admin-made user never accepted the required terms: the sign-in
	// stops at the preference centre (TestRequiredPurposesAtSignIn), with
	// the session set.
	pa := newAuthz(e.createClient(clientSpec{firstParty: true}), "openid")
	if l := b.signIn(b.startLogin(e.issuer(""), pa), "pref@example.com", testPassword).location(t); l.Path != "/account/privacy" {
		t.Fatalf("sign-in went to %s, want the preference centre", l)
	}
	page := b.get(e.issuer("") + "/account/privacy")
	if page.status != http.StatusOK || !strings.Contains(page.body, `data-purpose="terms"`) || strings.Contains(page.body, " checked") {
		t.Fatalf("preference centre: %d %.2000s", page.status, page.body)
	}

	// Grant both.
	f := page.form(t, "shown")
	f.values["shown"] = []string{"terms", "newsletter"}
	f.values["purpose"] = []string{"terms", "newsletter"}
	saved := b.submit(page, f)
	if saved.status != http.StatusOK || !strings.Contains(saved.body, `id="privacy-saved"`) {
		t.Fatalf("save: %d %.2000s", saved.status, saved.body)
	}
	st, ledger := ledgerOf(t, e.srv, "pref@example.com")
	if len(ledger) != 2 || ledger[0].Channel != "preference_centre" || val(ledger[0].UserAgent) != "pref-browser/2.0" {
		t.Fatalf("ledger after saving: %+v", ledger)
	}
	for _, p := range st.Purposes {
		if !p.Granted {
			t.Fatalf("state: %+v", p)
		}
	}

	// Unticking the required purpose is refused and says how; the
	// newsletter is withdrawn in the same post.
	f = saved.form(t, "shown")
	f.values["shown"] = []string{"terms", "newsletter"}
	f.values["purpose"] = nil
	refused := b.submit(saved, f)
	if refused.status != http.StatusConflict || !strings.Contains(refused.body, "delete your account") {
		t.Fatalf("withdrawing the required purpose: %d %.2000s", refused.status, refused.body)
	}
	_, ledger = ledgerOf(t, e.srv, "pref@example.com")
	if len(ledger) != 3 || ledger[2].PurposeID != "newsletter" || ledger[2].Granted {
		t.Fatalf("ledger after the refusal: %+v", ledger)
	}

	// A version bump asks again; ticking answers it.
	desc := "Your account data, to provide the service and to improve it."
	req := true
	if r, err := e.srv.Admin.ReplacePrivacyPurposeWithResponse(ctx, "terms", gen.PrivacyPurposeUpdate{Name: "Terms of service",
		Description: &desc, LegalBasis: "contract", Required: &req}); err != nil || r.JSON200 == nil || r.JSON200.Version != 2 {
		t.Fatalf("bump: %v %s", err, r.Body)
	}
	page = b.get(e.issuer("") + "/account/privacy")
	if !strings.Contains(page.body, `data-stale="terms"`) {
		t.Fatalf("the bumped purpose is not marked: %.2000s", page.body)
	}
	f = page.form(t, "shown")
	f.values["shown"] = []string{"terms", "newsletter"}
	f.values["purpose"] = []string{"terms"}
	if r := b.submit(page, f); r.status != http.StatusOK {
		t.Fatalf("re-consent: %d %.1000s", r.status, r.body)
	}
	st, _ = ledgerOf(t, e.srv, "pref@example.com")
	for _, p := range st.Purposes {
		if p.PurposeID == "terms" && (p.AgreedVersion.MustGet() != 2 || p.ReconsentRequired) {
			t.Fatalf("terms after re-consent: %+v", p)
		}
	}

	// Without the CSRF token (a cross-site post): refused, nothing written.
	_, before := ledgerOf(t, e.srv, "pref@example.com")
	f.values.Del("csrf")
	f.values["purpose"] = []string{"terms", "newsletter"}
	if r := b.submit(page, f); r.status != http.StatusForbidden && r.status != http.StatusBadRequest {
		t.Fatalf("post without CSRF: %d", r.status)
	}
	if _, after := ledgerOf(t, e.srv, "pref@example.com"); len(after) != len(before) {
		t.Fatalf("a post without CSRF wrote %d entries", len(after)-len(before))
	}
}

// The scope privacy puts privacy_consents (purpose -> version, only the
// current versions granted) into the ID token and userinfo.
func TestPrivacyScopeClaims(t *testing.T) {
	e := newEnv(t)
	mkPurposes(t, e.srv)
	uid := e.createUser(userSpec{email: "claims@example.com"})
	ctx := context.Background()
	for _, id := range []string{"terms", "newsletter"} {
		if r, err := e.srv.Admin.SetUserPrivacyPurposeWithResponse(ctx, uid, id,
			gen.PrivacyDecisionAdmin{Granted: true, Evidence: "signed form 7"}); err != nil || r.JSON200 == nil {
			t.Fatalf("grant %s: %v %s", id, err, r.Body)
		}
	}
	// The newsletter changes: its old grant no longer counts.
	if r, err := e.srv.Admin.ReplacePrivacyPurposeWithResponse(ctx, "newsletter", gen.PrivacyPurposeUpdate{Name: "Newsletter",
		LegalBasis: "legitimate_interest"}); err != nil || r.JSON200 == nil || r.JSON200.Version != 2 {
		t.Fatalf("bump: %v %s", err, r.Body)
	}
	c := e.createClient(clientSpec{firstParty: true})
	signIn := func(scope string) (tokens, idClaims) {
		b := newBrowser(t)
		a := newAuthz(c, scope)
		r := b.signIn(b.startLogin(e.issuer(""), a), "claims@example.com", testPassword)
		if l := r.location(t); l.Path == "/account/privacy" {
			// The newsletter changed since it was granted: asked again at
			// sign-in, the user lets it lapse.
			page := b.follow(r)
			f := page.form(t, "shown")
			f.values.Del("purpose")
			r = b.submit(page, f, "action", "continue")
		}
		return e.exchange(a, a.callback(t, r))
	}
	tk, id := signIn("openid privacy")
	if got := mustJSONString(t, id.All["privacy_consents"]); got != `{"terms":1}` {
		t.Fatalf("ID token privacy_consents = %s (%v)", got, id.All)
	}
	req, _ := http.NewRequest(http.MethodGet, e.issuer("")+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+tk.AccessToken)
	r := newBrowser(t).do(req)
	if r.status != http.StatusOK || !strings.Contains(r.body, `"privacy_consents":{"terms":1}`) {
		t.Fatalf("userinfo: %d %s", r.status, r.body)
	}
	// Without the scope: no claim.
	if _, id := signIn("openid"); id.All["privacy_consents"] != nil {
		t.Fatalf("privacy_consents without the scope: %v", id.All)
	}
}

func mustJSONString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

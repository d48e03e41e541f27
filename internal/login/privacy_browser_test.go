package login_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// The consent journey in a real browser (issue 15): registration lists
// the purposes (the optional one never pre-ticked), the client's required
// purpose is asked before the code, the preference centre withdraws it,
// every ledger entry's receipt verifies against the JWKS with go-jose, and
// a material change of a purpose asks again at the next sign-in.
func TestBrowserConsentJourney(t *testing.T) {
	ctx := newChromiumFor(t, 90*time.Second)
	e, ms := newMailEnv(t)
	mkPurposes(t, e.srv) // terms (required), newsletter (optional)
	app := newClientApp(t)
	c := e.createClient(clientSpec{firstParty: true, name: "Shop", redirectURI: app.URL + "/callback",
		requiredPurposes: []string{"newsletter"}})
	const email = "consent.browser@example.com"

	// Registration with the purposes: terms ticked, the newsletter left.
	a := newAuthz(c, "openid email")
	run(t, ctx, "registration page",
		chromedp.Navigate(a.url(e.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.Click(chromedp.CSS(`a[href^="register?"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[data-purpose="terms"]`)),
	)
	if pre, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[data-purpose="newsletter"]').checked`)); pre {
		t.Fatal("the optional purpose is pre-ticked")
	}
	run(t, ctx, "registration",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.SendKeys(chromedp.CSS("#given_name"), "Jane"),
		chromedp.SendKeys(chromedp.CSS("#family_name"), "Doe"),
		chromedp.Click(chromedp.CSS("#terms")),
		chromedp.Click(chromedp.CSS(`input[data-purpose="terms"]`)),
		chromedp.Click(chromedp.CSS(`form:has(#terms) button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#code")),
	)
	run(t, ctx, "verification code",
		chromedp.SendKeys(chromedp.CSS("#code"), mailCode(t, ms.WaitFor(t, email, 10*time.Second))),
		chromedp.Click(chromedp.CSS(`form:has(#code) button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#privacy-continue")),
	)
	// The client needs the newsletter: asked before the code.
	if s := bodyText(t, ctx); !strings.Contains(s, "Before you continue to Shop") || !strings.Contains(s, "Newsletter") || strings.Contains(s, "Terms of service") {
		t.Fatalf("privacy step: %.800s", s)
	}
	run(t, ctx, "accept the newsletter",
		chromedp.Click(chromedp.CSS(`input[data-purpose="newsletter"]`)),
		chromedp.Click(chromedp.CSS(`button[value="continue"]`)),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	if hit := app.wait(t); hit.code == "" || hit.state != a.state {
		t.Fatalf("callback %+v", hit)
	}

	// The preference centre withdraws it.
	run(t, ctx, "preference centre",
		chromedp.Navigate(e.issuer("")+"/account/privacy"),
		chromedp.WaitVisible(chromedp.CSS(`input[data-purpose="newsletter"]:checked`)),
		chromedp.Click(chromedp.CSS(`input[data-purpose="newsletter"]`)),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#privacy-saved")),
	)

	// The ledger: registration (terms granted, newsletter declined), the
	// sign-in step (granted), the preference centre (withdrawn); each
	// receipt verifies against the JWKS and says what was decided.
	st, ledger := ledgerOf(t, e.srv, email)
	type entry struct {
		purpose, channel string
		granted          bool
	}
	want := []entry{{"newsletter", "registration", false}, {"terms", "registration", true},
		{"newsletter", "preference_centre", true}, {"newsletter", "preference_centre", false}}
	if len(ledger) != len(want) {
		t.Fatalf("ledger: %+v", ledger)
	}
	uid := userIDOf(t, e, email)
	for i, en := range ledger {
		if (entry{en.PurposeID, string(en.Channel), en.Granted}) != want[i] {
			t.Errorf("ledger[%d] = %s/%s/%v, want %+v", i, en.PurposeID, en.Channel, en.Granted, want[i])
		}
		rr, err := e.srv.Admin.GetUserPrivacyReceiptWithResponse(context.Background(), uid, en.ReceiptID)
		if err != nil || rr.JSON200 == nil {
			t.Fatalf("receipt %s: %v %s", en.ReceiptID, err, rr.Body)
		}
		claims := apitest.VerifyWithJWKS(t, e.issuer(""), rr.JSON200.Jws)
		if claims["consentReceiptID"] != en.ReceiptID || claims["sub"] != uid {
			t.Errorf("receipt claims %v", claims)
		}
	}
	for _, p := range st.Purposes {
		if p.Granted != (p.PurposeID == "terms") {
			t.Fatalf("state: %+v", st.Purposes)
		}
	}

	// The terms change materially: the next sign-in (single sign-on)
	// asks again, with the change marked, before the code.
	desc := "Your account data, to provide the service and to improve it."
	req := true
	if r, err := e.srv.Admin.ReplacePrivacyPurposeWithResponse(context.Background(), "terms", gen.PrivacyPurposeUpdate{
		Name: "Terms of service", Description: &desc, LegalBasis: "contract", Required: &req}); err != nil || r.JSON200 == nil {
		t.Fatalf("bump: %v %s", err, r.Body)
	}
	b2 := newAuthz(c, "openid email")
	run(t, ctx, "sign-in after the change",
		chromedp.Navigate(b2.url(e.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS(`[data-stale="terms"]`)),
		chromedp.Click(chromedp.CSS(`input[data-purpose="terms"]`)),
		chromedp.Click(chromedp.CSS(`input[data-purpose="newsletter"]`)),
		chromedp.Click(chromedp.CSS(`button[value="continue"]`)),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	if hit := app.wait(t); hit.code == "" || hit.state != b2.state {
		t.Fatalf("callback after re-consent %+v", hit)
	}
	st, _ = ledgerOf(t, e.srv, email)
	for _, p := range st.Purposes {
		if !p.Granted || p.ReconsentRequired || (p.PurposeID == "terms" && p.AgreedVersion.MustGet() != 2) {
			t.Fatalf("state after re-consent: %+v", st.Purposes)
		}
	}
}

func userIDOf(t *testing.T, e *env, email string) string {
	t.Helper()
	q := openapi_types.Email(email)
	r, err := e.srv.Admin.ListUsersWithResponse(context.Background(), &gen.ListUsersParams{Email: &q})
	if err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 1 {
		t.Fatalf("user %s: %v", email, err)
	}
	return r.JSON200.Items[0].ID
}

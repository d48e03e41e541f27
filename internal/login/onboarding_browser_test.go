package login_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Self-service onboarding in a real browser (headless Chromium): the
// registration and recovery pages are reached by their links from the
// sign-in page, the mail is read from a real SMTP server, and the flows end
// at a loopback client.

// run runs browser steps, failing the test with what the browser shows.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		t.Fatalf("%s: %v (at %s: %.800s)", what, err, loc, body)
	}
}

// bodyText is the text the browser's page shows.
func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// allowIfAsked clicks Allow when the page is the consent page; it waits
// for either the consent page or the client's page first.
func allowIfAsked(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "waiting for consent or the client", chromedp.WaitVisible(chromedp.CSS(`#done, button[value="allow"]`)))
	consent, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('button[value="allow"]') !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if consent {
		t.Log("consent page shown: allowing")
		run(t, ctx, "consent", chromedp.Click(chromedp.CSS(`button[value="allow"]`)), chromedp.WaitVisible(chromedp.CSS("#done")))
	}
}

// registerInBrowser opens the authorization request authorizeURL, follows
// the sign-in page's registration link and registers email (as Jane Doe),
// up to the "check your inbox" page.
func registerInBrowser(t *testing.T, ctx context.Context, authorizeURL, email string) {
	t.Helper()
	run(t, ctx, "sign-in page",
		chromedp.Navigate(authorizeURL),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.Click(chromedp.CSS(`a[href^="register?"]`)),
		chromedp.WaitVisible(chromedp.CSS("#terms")),
	)
	if s := bodyText(t, ctx); !strings.Contains(s, "Create your account") {
		t.Fatalf("registration page: %.600s", s)
	}
	run(t, ctx, "registration",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.SendKeys(chromedp.CSS("#given_name"), "Jane"),
		chromedp.SendKeys(chromedp.CSS("#family_name"), "Doe"),
		chromedp.Click(chromedp.CSS("#terms")),
		chromedp.Click(chromedp.CSS(`form:has(#terms) button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#code")),
	)
	if s := bodyText(t, ctx); !strings.Contains(s, "Check your inbox") {
		t.Fatalf("after registration: %.600s", s)
	}
}

func TestBrowserRegisterVerifySignIn(t *testing.T) {
	ctx := newChromium(t)
	e, ms := newMailEnv(t)
	app := newClientApp(t)
	// A third-party client, so the consent page is part of the flow.
	c := e.createClient(clientSpec{name: "Example Web App", redirectURI: app.URL + "/callback"})
	a := newAuthz(c, "openid email profile")
	const email = "new.browser.user@example.com"

	registerInBrowser(t, ctx, a.url(e.issuer("")), email)
	m := ms.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(m.Subject, "Verify your email") {
		t.Fatalf("subject %q", m.Subject)
	}
	run(t, ctx, "verification code",
		chromedp.SendKeys(chromedp.CSS("#code"), mailCode(t, m)),
		chromedp.Click(chromedp.CSS(`form:has(#code) button[type=submit]`)),
	)
	allowIfAsked(t, ctx)

	hit := app.wait(t)
	if hit.err != "" || hit.state != a.state || hit.code == "" {
		t.Fatalf("callback %+v", hit)
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasPrefix(loc, app.URL+"/callback?") {
		t.Fatalf("the browser is at %q (%v), want the client's callback", loc, err)
	}
	_, cl := e.exchange(a, hit.code)
	if cl.Email != email || !cl.EmailVerified || cl.Subject == "" {
		t.Errorf("ID token claims %+v, want email %s verified", cl, email)
	}
}

// Verification by link, the way a person does it: register from an
// authorization request, open the link from the mail in the same browser,
// press Verify, and land at the client with a code. The Verify form's
// answer redirects to the client, which the page's CSP form-action must
// Allow (Chromium applies it to the redirect); the link names no request,
// so the page finds it from the link's stored row.
func TestBrowserVerifyByLinkReachesTheClient(t *testing.T) {
	ctx := newChromium(t)
	e, ms := newMailEnv(t)
	app := newClientApp(t)
	// First party: no consent page between the verification and the client.
	c := e.createClient(clientSpec{firstParty: true, redirectURI: app.URL + "/callback"})
	a := newAuthz(c, "openid email")
	const email = "link.browser@example.com"

	registerInBrowser(t, ctx, a.url(e.issuer("")), email)
	link := mailLink(t, ms.WaitFor(t, email, 10*time.Second))
	run(t, ctx, "the link from the mail",
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`form:has(input[name="token"]) button[type=submit]`)),
	)
	if s := bodyText(t, ctx); !strings.Contains(s, "Verify") {
		t.Fatalf("link page: %.600s", s)
	}
	run(t, ctx, "Verify", chromedp.Click(chromedp.CSS(`form:has(input[name="token"]) button[type=submit]`)))

	hit := app.wait(t)
	if hit.err != "" || hit.state != a.state || hit.code == "" {
		t.Fatalf("callback %+v", hit)
	}
	if _, cl := e.exchange(a, hit.code); cl.Email != email || !cl.EmailVerified {
		t.Errorf("ID token claims %+v, want %s verified", cl, email)
	}
}

func TestBrowserForgotPasswordRevokesSessions(t *testing.T) {
	ctx := newChromium(t)
	e, ms := newMailEnv(t)
	const email = "forgetful@example.com"
	uid := e.createUser(userSpec{email: email, verified: true})
	app := newClientApp(t)
	c := e.createClient(clientSpec{firstParty: true, redirectURI: app.URL + "/callback"})

	// Browser A signs in; the client gets a refresh token.
	a := newAuthz(c, "openid offline_access")
	run(t, ctx, "sign-in",
		chromedp.Navigate(a.url(e.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	)
	allowIfAsked(t, ctx)
	hit := app.wait(t)
	if hit.err != "" || hit.state != a.state || hit.code == "" {
		t.Fatalf("callback %+v", hit)
	}
	tk, cl := e.exchange(a, hit.code)
	if tk.RefreshToken == "" || cl.Subject != uid {
		t.Fatalf("tokens %+v, claims %+v", tk, cl)
	}

	// The session gives single sign-on: prompt=none completes.
	sso := newAuthz(c, "openid").with("prompt", "none")
	run(t, ctx, "prompt=none while signed in", chromedp.Navigate(sso.url(e.issuer(""))), chromedp.WaitVisible(chromedp.CSS("#done")))
	if hit := app.wait(t); hit.code == "" || hit.err != "" || hit.state != sso.state {
		t.Fatalf("SSO callback %+v", hit)
	}

	// In the same browser, a fresh sign-in (prompt=login) shows the sign-in
	// page, from which the user follows "Forgot password?".
	relog := newAuthz(c, "openid").with("prompt", "login")
	run(t, ctx, "forgot password",
		chromedp.Navigate(relog.url(e.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.Click(chromedp.CSS(`a[href^="recover?"]`)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	if s := bodyText(t, ctx); !strings.Contains(s, "Reset your password") {
		t.Fatalf("recovery page: %.600s", s)
	}
	run(t, ctx, "ask for a reset",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.Click(chromedp.CSS(`form:has(#email) button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#code")),
	)
	m := ms.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(m.Subject, "Reset your") {
		t.Fatalf("subject %q", m.Subject)
	}
	resetLink(t, m)
	run(t, ctx, "reset code",
		chromedp.SendKeys(chromedp.CSS("#code"), mailCode(t, m)),
		chromedp.Click(chromedp.CSS(`form:has(#code) button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#password")),
	)
	run(t, ctx, "new password",
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.Click(chromedp.CSS(`form:has(#password) button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#password")),
	)
	if s := bodyText(t, ctx); !strings.Contains(s, "Password changed") {
		t.Fatalf("after the reset: %.800s", s)
	}
	if n := ms.WaitFor(t, email, 10*time.Second); !strings.Contains(n.Subject, "password was changed") {
		t.Errorf("notice subject %q", n.Subject)
	}

	// The old refresh token is dead.
	status, rt := e.tokenRequest(c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.RefreshToken}})
	if status != http.StatusBadRequest || rt.Error != "invalid_grant" {
		t.Errorf("refresh after reset: %d %+v, want 400 invalid_grant", status, rt)
	}
	// Browser A's session is dead: prompt=none reaches the client with login_required.
	none := newAuthz(c, "openid").with("prompt", "none")
	run(t, ctx, "prompt=none after the reset", chromedp.Navigate(none.url(e.issuer(""))), chromedp.WaitVisible(chromedp.CSS("#done")))
	if hit := app.wait(t); hit.err != "login_required" || hit.code != "" || hit.state != none.state {
		t.Errorf("prompt=none after the reset: callback %+v, want error=login_required", hit)
	}

	// The old password fails, the new one signs in (in the browser).
	if e.signInWorks(c, email, testPassword) {
		t.Error("the old password still works")
	}
	fresh := newAuthz(c, "openid email")
	run(t, ctx, "sign-in with the new password",
		chromedp.Navigate(fresh.url(e.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	)
	allowIfAsked(t, ctx)
	hit = app.wait(t)
	if hit.err != "" || hit.state != fresh.state || hit.code == "" {
		t.Fatalf("callback after the new sign-in %+v", hit)
	}
	if _, cl := e.exchange(fresh, hit.code); cl.Subject != uid || cl.Email != email {
		t.Errorf("claims after the new sign-in %+v", cl)
	}
}

package login_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserFederatedSignIn drives headless Chromium through Gatehouse's
// sign-in page, the connection's button, zitadel/oidc's example OP (its
// own login form) and back: the client gets a code whose ID token carries
// the upstream's email. The browser enforces the pages' CSP and the
// SameSite cookie that binds the state.
func TestBrowserFederatedSignIn(t *testing.T) {
	ctx := newChromiumFor(t, 60*time.Second)
	f := newFedEnv(t, nil)
	app := newClientApp(t)
	c := f.createClient(clientSpec{name: "Browser App", redirectURI: app.URL + "/callback", firstParty: true})
	a := newAuthz(c, "openid email")
	host := strings.Split(strings.TrimPrefix(f.upstream, "http://"), ":")[0]
	if err := chromedp.Do(ctx,
		chromedp.Navigate(a.url(f.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS(`a[data-connection="upstream"]`)),
	); err != nil {
		t.Fatal(err)
	}
	name, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`a[data-connection="upstream"]`)))
	if err != nil || !strings.Contains(name, "Upstream IdP") {
		t.Fatalf("button text %q, %v", name, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[data-connection="upstream"]`)),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "test-user@"+host),
		chromedp.SendKeys(chromedp.CSS("#password"), "verysecure"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	); err != nil {
		t.Fatal(err)
	}
	if email := f.appEmail(app, a); email != upstreamEmail {
		t.Fatalf("ID token email %q", email)
	}
}

// appEmail waits for the client app's callback of a, exchanges its code
// and returns the ID token's email.
func (e *env) appEmail(app *clientApp, a *authz) string {
	e.t.Helper()
	hit := app.wait(e.t)
	if hit.state != a.state || hit.code == "" {
		e.t.Fatalf("callback %+v", hit)
	}
	_, id := e.exchange(a, hit.code)
	return id.Email
}

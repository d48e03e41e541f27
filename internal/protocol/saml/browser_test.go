package saml_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gatehouse-iam/gatehouse/internal/testbrowser"
)

// Through headless Chromium: crewjam's samlsp sends the browser to
// Gatehouse, the user signs in on the hosted login page, the auto-posting
// page (its script allowed by hash under the CSP) carries the Response to
// the SP, which shows NameID and attributes. Then, with the SP's own
// session cookie gone, a new AuthnRequest is answered without the login
// page (the Gatehouse session is reused).
func TestBrowserSPInitiated(t *testing.T) {
	ctx := testbrowser.New(t, 60*time.Second)
	e := newSSOEnv(t, nil)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(e.sp.URL+"/hello"),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "body", "hello jane@example.org email=jane@example.org groups=staff,admins")

	if _, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "token", URL: e.sp.URL + "/"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.sp.URL+"/hello")); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "body", "hello jane@example.org")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasPrefix(loc, e.sp.URL) {
		t.Fatalf("ended at %s: %v", loc, err)
	}
}

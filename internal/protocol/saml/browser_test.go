package saml_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gatehouse-iam/gatehouse/api/gen"
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

// IdP-initiated sign-in through headless Chromium: the tenant's link
// /saml/sso/init?sp=… shows the login, and the auto-posted unsolicited
// Response signs the user into the SP.
func TestBrowserIdPInitiated(t *testing.T) {
	ctx := testbrowser.New(t, 60*time.Second)
	e := newSSOEnv(t, func(in *gen.SamlServiceProviderCreate) { in.AllowIdpInitiated = ptr(true) })
	if err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/saml/sso/init?sp="+e.spID),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "body", "hello jane@example.org email=jane@example.org groups=staff,admins")
}

// Single logout through headless Chromium across two SPs: signed into
// both, the user signs out at SP A (crewjam's HandleStartLogout sends its
// LogoutRequest with the SessionIndex); the browser is taken through SP
// B's SingleLogoutService and back, and A accepts the LogoutResponse.
// Then SP B asks for a login again.
func TestBrowserSingleLogout(t *testing.T) {
	ctx := testbrowser.New(t, 60*time.Second)
	e := newSSOEnv(t, nil)
	bsp := newTestSP(t, e.srv, "localhost", nil)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(e.sp.URL+"/hello"),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "body", "hello jane@example.org")
	if err := chromedp.Do(ctx, chromedp.Navigate(bsp.url+"/hello")); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "body", "hello jane@example.org") // no login: the session signs into B

	if err := chromedp.Do(ctx, chromedp.Navigate(e.sp.URL+"/logout")); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "body", "home") // A accepted the LogoutResponse
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || loc != e.sp.URL+"/" {
		t.Fatalf("the logout ended at %s: %v", loc, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(bsp.url+"/hello"),
		chromedp.WaitVisible(chromedp.CSS("#identifier")), // B's and Gatehouse's sessions are gone
	); err != nil {
		t.Fatal(err)
	}
}

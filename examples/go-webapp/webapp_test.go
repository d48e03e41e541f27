package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testbrowser"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Chromium signs in through the example app against a real Gatehouse:
// the app registers its client with the Go SDK, the user signs in on the
// hosted login, the app shows the verified ID token and userinfo,
// refreshes its tokens and signs out at Gatehouse, which ends the session
// there too.
func TestSignInRefreshSignOut(t *testing.T) {
	ctx := testbrowser.New(t, 90*time.Second)
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	pw := "correct horse battery staple"
	if r, err := s.Admin.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapi_types.Email("jane@example.com"),
		Password: &pw, GivenName: &[]string{"Jane"}[0]}); err != nil || r.JSON201 == nil {
		t.Fatalf("create jane: %v %s", err, r.Body)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Issuer: s.URL, AppURL: "http://" + ln.Addr().String()}
	withChecks := cfg
	withChecks.HTTPClient = s.HTTP // the Admin API call is checked against the contract
	if cfg.ClientID, cfg.ClientSecret, err = Register(t.Context(), withChecks, testserver.AdminToken); err != nil {
		t.Fatal(err)
	}
	app, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(app)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(cfg.AppURL),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#identifier")), // Gatehouse's hosted login
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	); err != nil {
		t.Fatal(err)
	}
	if got := testbrowser.Text(t, ctx, "#email"); got != "jane@example.com" {
		t.Errorf("signed in as %q", got)
	}
	if got := testbrowser.Text(t, ctx, "#userinfo"); !strings.Contains(got, "jane@example.com") || !strings.Contains(got, "Jane") {
		t.Errorf("userinfo %q", got)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#refresh"))); err != nil {
		t.Fatal(err)
	}
	// Each click navigates: wait for the new page's notice rather than
	// read whichever page is loaded (the old one, or none for a moment).
	testbrowser.WaitText(t, ctx, "#notice", "Tokens refreshed")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#logout"))); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "#notice", "signed out of the app and of Gatehouse")
	// The Gatehouse session ended too: signing in asks for the password again.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#login")), chromedp.WaitVisible(chromedp.CSS("#identifier"))); err != nil {
		t.Fatalf("after sign-out, sign-in did not show the login form: %v", err)
	}
}

// A callback that the app did not start is refused.
func TestCallbackWithoutSignIn(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	app, err := New(t.Context(), Config{Issuer: s.URL, ClientID: "x", ClientSecret: "y", AppURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/callback?code=stolen&state=guess", nil))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader("csrf=guess")))
	if rec.Code != http.StatusForbidden {
		t.Errorf("logout without the session's CSRF token: %d", rec.Code)
	}
}

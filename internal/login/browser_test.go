package login_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gatehouse-iam/gatehouse/internal/testbrowser"
)

// The hosted login in a real browser (headless Chromium): the CSP, the
// cookies and the form posts are checked by the browser itself, including
// Chromium applying form-action to the redirect that follows a form post.

const chromium = "/usr/bin/chromium"

// newChromium starts a headless Chromium with a fresh profile. Without one
// installed the test is skipped, except in CI, which must run it.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	return newChromiumFor(t, 30*time.Second)
}

// newChromiumFor is newChromium for a test that may take up to d.
func newChromiumFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium not installed: %v (CI must run the browser tests: apt-get install -y chromium)", err)
		}
		t.Skip("chromium not installed: " + err.Error())
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser now, so failures say so
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// clientApp is a loopback OAuth client: it records what its callback gets.
type clientApp struct {
	*httptest.Server
	got chan callbackHit
}

type callbackHit struct {
	method, code, state, err string
}

func newClientApp(t *testing.T) *clientApp {
	app := &clientApp{got: make(chan callbackHit, 4)}
	app.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		_ = r.ParseForm()
		app.got <- callbackHit{method: r.Method, code: r.Form.Get("code"), state: r.Form.Get("state"), err: r.Form.Get("error")}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>Client</title><h1 id="done">Signed in to the client</h1>`)
	}))
	t.Cleanup(app.Close)
	return app
}

func (app *clientApp) wait(t *testing.T) callbackHit {
	t.Helper()
	select {
	case hit := <-app.got:
		return hit
	case <-time.After(20 * time.Second):
		t.Fatal("the client's callback was never reached")
		return callbackHit{}
	}
}

// screenshotDir keeps screenshots where a person can look at them
// (GATEHOUSE_SCREENSHOT_DIR), else in the test's temp dir.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("GATEHOUSE_SCREENSHOT_DIR"); d != "" {
		return d
	}
	return t.TempDir()
}

func screenshot(t *testing.T, ctx context.Context, dir, name string, width int64) {
	t.Helper()
	testbrowser.Screenshot(t, ctx, dir, name, width, 844)
}

func TestBrowserPasswordAndConsent(t *testing.T) {
	ctx := newChromium(t)
	e := newEnv(t)
	uid := e.createUser(userSpec{email: "jane@example.com"})
	app := newClientApp(t)
	c := e.createClient(clientSpec{name: "Example Web App", redirectURI: app.URL + "/callback"})
	a := newAuthz(c, "openid profile email")
	shots := screenshotDir(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(a.url(e.issuer(""))), chromedp.WaitVisible(chromedp.CSS("#identifier"))); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int64{390, 1280} {
		screenshot(t, ctx, shots, "login", w)
	}
	// The stylesheet loaded under the CSP (no inline styles are needed).
	if bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("button[type=submit]")).backgroundColor`)); err != nil || bg != "rgb(29, 78, 216)" {
		t.Errorf("submit button colour = %q, %v: the stylesheet did not apply", bg, err)
	}
	// A wrong password first: the error is announced and tied to the fields.
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), "wrong password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#form-error")),
	); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, shots, "login-failed", 390)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`button[value="allow"]`)),
	); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int64{390, 1280} {
		screenshot(t, ctx, shots, "consent", w)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value="allow"]`)), chromedp.WaitVisible(chromedp.CSS("#done"))); err != nil {
		t.Fatal(err)
	}
	hit := app.wait(t)
	if hit.state != a.state || hit.code == "" {
		t.Fatalf("callback %+v", hit)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasPrefix(loc, app.URL+"/callback?") {
		t.Fatalf("the browser is at %q (%v), want the client's callback", loc, err)
	}
	if _, id := e.exchange(a, hit.code); id.Subject != uid {
		t.Errorf("sub = %q, want %q", id.Subject, uid)
	}
	t.Logf("screenshots in %s", shots)
}

// response_mode=form_post: the completion page posts the code to the
// client, which the page's CSP must allow (one hashed inline handler).
func TestBrowserFormPost(t *testing.T) {
	ctx := newChromium(t)
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	app := newClientApp(t)
	c := e.createClient(clientSpec{firstParty: true, redirectURI: app.URL + "/callback"})
	a := newAuthz(c, "openid").with("response_mode", "form_post")

	if err := chromedp.Do(ctx,
		chromedp.Navigate(a.url(e.issuer(""))),
		chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	); err != nil {
		t.Fatal(err)
	}
	hit := app.wait(t)
	if hit.method != http.MethodPost || hit.state != a.state || hit.code == "" {
		t.Fatalf("callback %+v, want a POST with the code", hit)
	}
	e.exchange(a, hit.code)
}

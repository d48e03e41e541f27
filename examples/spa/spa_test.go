package spa_test

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/nodetest"
	"github.com/gatehouse-iam/gatehouse/internal/testbrowser"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Chromium signs in through the single-page app, which redeems the code
// in the browser (oauth4webapi, PKCE, public client) and calls the example
// Express API with the access token; the API verifies it against the
// issuer's JWKS and its scopes. Everything is real: Gatehouse in process,
// both Node servers as processes. Needs npm ci in examples/spa and
// examples/node-api.
func TestSPACallsTheAPI(t *testing.T) {
	spaDir := nodetest.Require(t, ".")
	apiDir := nodetest.Require(t, "../node-api")
	ctx := testbrowser.New(t, 90*time.Second)
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	pw := "correct horse battery staple"
	if r, err := s.Admin.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapi_types.Email("jane@example.com"), Password: &pw}); err != nil || r.JSON201 == nil {
		t.Fatalf("create jane: %v %s", err, r.Body)
	}

	apiPort, spaPort := freePort(t), freePort(t)
	apiURL, spaURL := "http://127.0.0.1:"+apiPort, "http://127.0.0.1:"+spaPort
	api := nodetest.Start(t, apiDir, map[string]string{
		"GATEHOUSE_ISSUER": s.URL, "API_AUDIENCE": apiURL, "ALLOWED_ORIGINS": spaURL, "PORT": apiPort,
	}, "node", "server.js")
	spa := nodetest.Start(t, spaDir, map[string]string{
		"GATEHOUSE_ISSUER": s.URL, "GATEHOUSE_ADMIN_TOKEN": testserver.AdminToken, // it registers its client
		"API_URL": apiURL, "API_AUDIENCE": apiURL, "APP_URL": spaURL, "PORT": spaPort,
	}, "node", "server.mjs")
	api.WaitOutput(t, "example API on", 30*time.Second)
	spa.WaitOutput(t, "example SPA on", 30*time.Second)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(spaURL),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#identifier")), // Gatehouse's hosted login
		chromedp.SendKeys(chromedp.CSS("#identifier"), "jane@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
	); err != nil {
		t.Fatal(err)
	}
	if got := testbrowser.Text(t, ctx, "#user"); got != "jane@example.com" {
		t.Errorf("signed in as %q", got)
	}
	testbrowser.WaitText(t, ctx, "#api-result", "0 note(s) for ")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#add-note"))); err != nil {
		t.Fatal(err)
	}
	testbrowser.WaitText(t, ctx, "#api-result", "1 note(s) for ")
	if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`)); msg != "" {
		t.Errorf("the app shows an error: %s", msg)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login"))); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

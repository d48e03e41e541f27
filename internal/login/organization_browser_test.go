package login_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testbrowser"
)

// Organizations in a real browser (issue 14): a sign-in scoped to an
// organization shows its name and colour (theme.css?org= under the
// page's CSP) and refuses a non-member with a page; a client that
// requires an organization shows a member of several the picker, whose
// choice ends in the tokens.
func TestBrowserOrganizations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	org := func(name, display, colour string) string {
		t.Helper()
		in := gen.OrganizationCreate{Name: name, DisplayName: &display}
		if colour != "" {
			in.Branding = &gen.Branding{PrimaryColor: &colour}
		}
		r, err := e.srv.Admin.CreateOrganizationWithResponse(ctx, &gen.CreateOrganizationParams{}, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create organization: %v %s", err, r.Body)
		}
		return r.JSON201.ID
	}
	acme, globex := org("acme-corp", "Acme Corp", "#0f766e"), org("globex", "Globex", "")
	jane := e.createUser(userSpec{email: "jane@example.com"})
	e.createUser(userSpec{email: "bob@example.com"})
	for _, id := range []string{acme, globex} {
		r, err := e.srv.Admin.AddOrganizationMemberWithResponse(ctx, id, &gen.AddOrganizationMemberParams{}, gen.AddOrganizationMemberJSONRequestBody{UserID: jane})
		if err != nil || r.StatusCode() != 201 {
			t.Fatalf("add member: %v %s", err, r.Body)
		}
	}
	app := newClientApp(t)
	shots := screenshotDir(t)
	signIn := func(ctx context.Context, email, waitFor string) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS("#identifier"), email),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Click(chromedp.CSS("button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(waitFor)),
		); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("branding and a non-member", func(t *testing.T) {
		br := testbrowser.New(t, 30*time.Second)
		c := e.createClient(clientSpec{firstParty: true, redirectURI: app.URL + "/callback"})
		a := newAuthz(c, "openid").with("organization", "acme-corp")
		if err := chromedp.Do(br, chromedp.Navigate(a.url(e.issuer(""))), chromedp.WaitVisible(chromedp.CSS("#identifier"))); err != nil {
			t.Fatal(err)
		}
		if name := testbrowser.Text(t, br, ".brand-name"); name != "Acme Corp" {
			t.Errorf("brand name %q, want the organization's", name)
		}
		// The organization's colour, through theme.css?org= under the CSP.
		if bg, err := chromedp.Run(br, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("button[type=submit]")).backgroundColor`)); err != nil || bg != "rgb(15, 118, 110)" {
			t.Errorf("submit button colour = %q, %v: want the organization's #0f766e", bg, err)
		}
		screenshot(t, br, shots, "org-login", 390)
		signIn(br, "bob@example.com", "#page-title")
		testbrowser.WaitText(t, br, ".lead", "not a member of the organization")
		screenshot(t, br, shots, "org-not-member", 390)
		select {
		case hit := <-app.got:
			t.Fatalf("the client got %+v for a non-member", hit)
		default:
		}
	})

	t.Run("picker", func(t *testing.T) {
		br := testbrowser.New(t, 30*time.Second)
		c := e.createClient(clientSpec{firstParty: true, redirectURI: app.URL + "/callback",
			metadata: map[string]any{"organization_usage": "required"}})
		a := newAuthz(c, "openid")
		if err := chromedp.Do(br, chromedp.Navigate(a.url(e.issuer(""))), chromedp.WaitVisible(chromedp.CSS("#identifier"))); err != nil {
			t.Fatal(err)
		}
		signIn(br, "jane@example.com", `button[data-organization="`+globex+`"]`)
		if s := testbrowser.Text(t, br, `button[data-organization="`+acme+`"]`); s != "Acme Corp" {
			t.Errorf("picker button %q", s)
		}
		screenshot(t, br, shots, "org-picker", 390)
		if err := chromedp.Do(br, chromedp.Click(chromedp.CSS(`button[data-organization="`+globex+`"]`)), chromedp.WaitVisible(chromedp.CSS("#done"))); err != nil {
			t.Fatal(err)
		}
		hit := app.wait(t)
		if hit.state != a.state || hit.code == "" {
			t.Fatalf("callback %+v", hit)
		}
		if _, id := e.exchange(a, hit.code); id.Subject != jane || id.All["org_id"] != globex || id.All["org_name"] != "globex" {
			t.Fatalf("ID token %v, want org globex", id.All)
		}
		if loc, _ := chromedp.Run(br, chromedp.Location()); !strings.HasPrefix(loc, app.URL+"/callback?") {
			t.Fatalf("the browser is at %q", loc)
		}
	})
}

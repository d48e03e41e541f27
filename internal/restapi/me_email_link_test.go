package restapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

var (
	changeLinkRe = regexp.MustCompile(`(http://\S+/email/confirm\?token=\S+)`)
	csrfRe       = regexp.MustCompile(`<input type="hidden" name="csrf" value="([^"]*)"`)
	tokenFieldRe = regexp.MustCompile(`<input type="hidden" name="token" value="([^"]*)"`)
)

// confirmLink opens an email-change link in browser b and presses the
// button; it returns the answer to the POST.
func (b *userAgent) confirmLink(link string) (*http.Response, string) {
	b.t.Helper()
	resp, page := b.get(link)
	csrf, tok := csrfRe.FindStringSubmatch(page), tokenFieldRe.FindStringSubmatch(page)
	if resp.StatusCode != 200 || csrf == nil || tok == nil {
		b.t.Fatalf("link page: %d %.1500s", resp.StatusCode, page)
	}
	form := url.Values{"csrf": {csrf[1]}, "token": {tok[1]}}
	u, _ := url.Parse(link)
	u.RawQuery = ""
	req, _ := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req, false)
}

// The mail to the new address also carries a link; its hosted page
// confirms the change once (opening it changes nothing), and the old
// address gets the notice.
func TestChangeMyEmailByLink(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			ms := mailtest.Start(t, mailtest.Options{})
			s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
				"GATEHOUSE_SMTP_URL": ms.URL(),
			}})
			if tenant != "" {
				mkTenant(t, s, tenant)
			}
			id := mkAccountUser(t, s, tenant, "old@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "old@example.com", "openid account").AccessToken
			resp, body := do(t, s, "POST", mePath(tenant, "/email"), tok, "application/json",
				mustJSON(map[string]string{"new_email": "new@example.com", "current_password": accountPassword}))
			if resp.StatusCode != 202 {
				t.Fatalf("start: %d %v", resp.StatusCode, body)
			}
			m := ms.WaitFor(t, "new@example.com", 10*time.Second)
			link := changeLinkRe.FindStringSubmatch(m.Text)
			if link == nil || !strings.HasPrefix(link[1], issuerOf(s, tenant)+"/email/confirm?token=") {
				t.Fatalf("no link in the mail:\n%s", m.Text)
			}

			// Opening the link alone changes nothing (mail scanners).
			b := newUserAgent(t, s)
			b.get(link[1])
			sc := mustScope(t, s, tenant)
			if u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, id); err != nil || u.Email != "old@example.com" {
				t.Fatalf("opening the link changed the address: %v %v", u, err)
			}

			resp, page := b.confirmLink(link[1])
			if resp.StatusCode != 200 || !strings.Contains(page, "Email address changed") {
				t.Fatalf("confirm: %d %.1500s", resp.StatusCode, page)
			}
			u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, id)
			if err != nil || u.Email != "new@example.com" || !u.EmailVerified {
				t.Fatalf("after the link: %+v %v", u, err)
			}
			if n := ms.WaitFor(t, "old@example.com", 10*time.Second); !strings.Contains(strings.ToLower(n.Subject), "email") {
				t.Errorf("notice to the old address: %q", n.Subject)
			}

			// Single use: the link is dead now, and so is the code.
			resp, page = b.confirmLink(link[1])
			if resp.StatusCode != 400 || !strings.Contains(page, "not valid") {
				t.Fatalf("second use: %d %.800s", resp.StatusCode, page)
			}
			code := mailCodeRe.FindStringSubmatch(m.Text)[1]
			resp, body = do(t, s, "POST", mePath(tenant, "/email/verify"), tok, "application/json", `{"code":"`+code+`"}`)
			wantField(t, resp, body, "/code")
		})
	}
}

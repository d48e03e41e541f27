package restapi_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

var mailCodeRe = regexp.MustCompile(`code: ([0-9]{6,8})`)

func mailedCode(t *testing.T, ms *mailtest.Server, to string) string {
	t.Helper()
	m := ms.WaitFor(t, to, 10*time.Second)
	c := mailCodeRe.FindStringSubmatch(m.Text)
	if c == nil {
		t.Fatalf("no code in mail %q:\n%s", m.Subject, m.Text)
	}
	return c[1]
}

func TestChangeMyEmail(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			ms := mailtest.Start(t, mailtest.Options{})
			s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
				"GATEHOUSE_SMTP_URL":  ms.URL(),
				"GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
			}})
			if tenant != "" {
				if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: tenant}); err != nil || r.StatusCode() != 201 {
					t.Fatalf("create tenant: %v %s", err, r.Body)
				}
			}
			id := mkAccountUser(t, s, tenant, "old@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "old@example.com", "openid account").AccessToken

			// A wrong password sends nothing.
			resp, body := do(t, s, "POST", mePath(tenant, "/email"), tok, "application/json",
				`{"new_email":"new@example.com","current_password":"wrong password"}`)
			wantField(t, resp, body, "/current_password")

			resp, body = do(t, s, "POST", mePath(tenant, "/email"), tok, "application/json",
				mustJSON(map[string]string{"new_email": "new@example.com", "current_password": accountPassword}))
			if resp.StatusCode != 202 {
				t.Fatalf("start: %d %v", resp.StatusCode, body)
			}
			code := mailedCode(t, ms, "new@example.com")
			// Again at once: too soon.
			resp, body = do(t, s, "POST", mePath(tenant, "/email"), tok, "application/json",
				mustJSON(map[string]string{"new_email": "new@example.com", "current_password": accountPassword}))
			wantProblem(t, resp, body, 429, "urn:gatehouse:problem:rate-limited")

			// A wrong code changes nothing.
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			resp, body = do(t, s, "POST", mePath(tenant, "/email/verify"), tok, "application/json", `{"code":"`+wrong+`"}`)
			wantField(t, resp, body, "/code")

			resp, u := do(t, s, "POST", mePath(tenant, "/email/verify"), tok, "application/json", `{"code":"`+code+`"}`)
			if resp.StatusCode != 200 || u["id"] != id || u["email"] != "new@example.com" || u["email_verified"] != true {
				t.Fatalf("verify: %d %v", resp.StatusCode, u)
			}
			if resp.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			notice := ms.WaitFor(t, "old@example.com", 10*time.Second)
			if !strings.Contains(notice.Text, "was changed") {
				t.Errorf("notice to the old address:\n%s", notice.Text)
			}
			// The code is used up.
			resp, body = do(t, s, "POST", mePath(tenant, "/email/verify"), tok, "application/json", `{"code":"`+code+`"}`)
			wantField(t, resp, body, "/code")
		})
	}
}

func TestChangeMyEmailToTakenAddress(t *testing.T) {
	ms := mailtest.Start(t, mailtest.Options{})
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
		"GATEHOUSE_SMTP_URL":  ms.URL(),
		"GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
	}})
	mkAccountUser(t, s, "", "me@example.com")
	web := mkApp(t, s, "", "Account console", true)
	tok := newUserAgent(t, s).signIn(web, "me@example.com", "openid account").AccessToken

	resp, body := do(t, s, "POST", "/v1/me/email", tok, "application/json",
		mustJSON(map[string]string{"new_email": "late@example.com", "current_password": accountPassword}))
	if resp.StatusCode != 202 {
		t.Fatalf("start: %d %v", resp.StatusCode, body)
	}
	code := mailedCode(t, ms, "late@example.com")
	// Someone else takes the address meanwhile.
	mkAccountUser(t, s, "", "late@example.com")
	resp, body = do(t, s, "POST", "/v1/me/email/verify", tok, "application/json", `{"code":"`+code+`"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, u := do(t, s, "GET", "/v1/me", tok, "", "")
	if resp.StatusCode != 200 || u["email"] != "me@example.com" {
		t.Fatalf("after conflict: %d %v", resp.StatusCode, u)
	}
	// Same as the current address: a validation error.
	resp, body = do(t, s, "POST", "/v1/me/email", tok, "application/json",
		mustJSON(map[string]string{"new_email": "me@example.com", "current_password": accountPassword}))
	wantField(t, resp, body, "/new_email")
}

// A burst of email-change requests mails one code: the cool-down check
// and the new code are one atomic step in the store; the others get 429.
func TestChangeMyEmailBurstMailsOnce(t *testing.T) {
	ms := mailtest.Start(t, mailtest.Options{})
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
		"GATEHOUSE_SMTP_URL": ms.URL(), "GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
	}})
	mkAccountUser(t, s, "", "burst@example.com")
	tok := newUserAgent(t, s).signIn(mkApp(t, s, "", "Account console", true), "burst@example.com", "openid account").AccessToken
	body := mustJSON(map[string]string{"new_email": "burst.new@example.com", "current_password": accountPassword})
	const n = 8
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i], _ = http.NewRequest(http.MethodPost, s.URL+mePath("", "/email"), strings.NewReader(body))
		reqs[i].Header.Set("Authorization", "Bearer "+tok)
		reqs[i].Header.Set("Content-Type", "application/json")
	}
	statuses := apitest.Burst(t, s.HTTP, reqs)
	if statuses[http.StatusAccepted] != 1 || statuses[http.StatusTooManyRequests] != n-1 {
		t.Fatalf("statuses %v: want one 202 and %d 429", statuses, n-1)
	}
	sent := 0
	for _, m := range ms.Messages() {
		if slices.Contains(m.Recipients, "burst.new@example.com") {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("%d codes mailed after a burst of requests, want 1", sent)
	}
}

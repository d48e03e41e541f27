package login_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
)

// Password recovery against a real SMTP server.

var resetLinkRe = regexp.MustCompile(`https?://\S+/recover/reset\?token=\S+`)

// recoverPage follows the sign-in page's "Forgot password?" link.
func (b *browser) recoverPage(login *resp) *resp {
	b.t.Helper()
	return b.followPageLink(login, "recover")
}

func (b *browser) askReset(page *resp, email string) *resp {
	b.t.Helper()
	return b.submit(page, page.form(b.t, "email"), "email", email)
}

func resetLink(t *testing.T, m mailtest.Message) string {
	t.Helper()
	l := resetLinkRe.FindString(m.Text)
	if l == "" {
		t.Fatalf("no reset link in mail %q:\n%s", m.Subject, m.Text)
	}
	return l
}

// signInWorks reports whether email and password complete a sign-in.
func (e *env) signInWorks(c client, email, password string) bool {
	e.t.Helper()
	b := newBrowser(e.t)
	a := newAuthz(c, "openid")
	r := b.signIn(b.startLogin(e.issuer(""), a), email, password)
	return r.status == http.StatusFound || r.status == http.StatusSeeOther
}

func TestRecoverByCode(t *testing.T) {
	e, ms := newMailEnv(t)
	const email = "jane@example.com"
	e.createUser(userSpec{email: email, verified: true})
	c := e.createClient(clientSpec{firstParty: true})

	// A session and a refresh token from before the reset.
	b := newBrowser(t)
	a := newAuthz(c, "openid offline_access")
	login := b.startLogin(e.issuer(""), a)
	authCode := a.callback(t, b.signIn(login, email, testPassword))
	status, tk := e.tokenRequest(c, url.Values{"grant_type": {"authorization_code"}, "code": {authCode},
		"redirect_uri": {c.redirectURI}, "code_verifier": {a.verifier}})
	if status != http.StatusOK || tk.RefreshToken == "" {
		t.Fatalf("token: %d %+v", status, tk)
	}

	// Forgot password, from the sign-in page of a pending request.
	b, signedIn := newBrowser(t), b
	login2 := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	id := login2.url.Query().Get("authRequestID")
	start := b.recoverPage(login2)
	if start.status != http.StatusOK || !strings.Contains(start.body, "Reset your password") {
		t.Fatalf("recover page: %d %.600s", start.status, start.body)
	}
	sent := b.askReset(start, email)
	if sent.status != http.StatusOK || !strings.Contains(sent.body, "we have sent a code and a link") {
		t.Fatalf("after asking: %d %.800s", sent.status, sent.body)
	}
	m := ms.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(m.Subject, "Reset your") {
		t.Fatalf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "The code expires in 15 minutes, the link in 1 hour.") {
		t.Errorf("the reset mail misstates the lifetimes (docs/onboarding.md):\n%s", m.Text)
	}
	code := mailCode(t, m)
	resetLink(t, m)

	pwPage := b.submit(sent, sent.form(t, "code"), "code", code)
	if pwPage.status != http.StatusOK || !strings.Contains(pwPage.body, "Choose a new password") {
		t.Fatalf("code: %d %.800s", pwPage.status, pwPage.body)
	}
	// The policy's errors show on the field, and keep the code usable.
	weak := b.submit(pwPage, pwPage.form(t, "password"), "password", "short")
	if weak.status != http.StatusUnprocessableEntity || !strings.Contains(weak.body, `id="password-error"`) {
		t.Fatalf("weak password: %d %.1200s", weak.status, weak.body)
	}
	done := b.submit(weak, weak.form(t, "password"), "password", newPassword)
	if done.status != http.StatusOK || !strings.Contains(done.body, "Password changed") {
		t.Fatalf("reset: %d %.800s", done.status, done.body)
	}
	if want := `/login?authRequestID=` + url.QueryEscape(id); !strings.Contains(done.body, want) {
		t.Errorf("done page lacks the sign-in link %s: %.800s", want, done.body)
	}

	notice := ms.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(notice.Subject, "password was changed") {
		t.Errorf("notice subject %q", notice.Subject)
	}

	// Signed out everywhere: the refresh token and the session are dead.
	status, tk = e.tokenRequest(c, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tk.RefreshToken}})
	if status != http.StatusBadRequest || tk.Error != "invalid_grant" {
		t.Errorf("refresh after reset: %d %+v", status, tk)
	}
	none := newAuthz(c, "openid").with("prompt", "none")
	none.callbackError(t, signedIn.follow(signedIn.get(none.url(e.issuer("")))), "login_required")

	if e.signInWorks(c, email, testPassword) {
		t.Error("the old password still works")
	}
	if !e.signInWorks(c, email, newPassword) {
		t.Error("the new password does not work")
	}
	// The code was single-use.
	again := b.submit(pwPage, pwPage.form(t, "password"), "password", newPassword+"!")
	if again.status != http.StatusBadRequest {
		t.Errorf("reused code: %d", again.status)
	}
}

func TestRecoverByLinkAPI(t *testing.T) {
	e, ms := newMailEnv(t)
	const email = "link@example.com"
	e.createUser(userSpec{email: email, verified: true})
	c := e.createClient(clientSpec{firstParty: true})
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	r := api.postJSON(e.issuer("")+"/recover/api", gen.PasswordRecoveryRequest{Email: email})
	if r.status != http.StatusAccepted || r.body != "" {
		t.Fatalf("recover API: %d %q", r.status, r.body)
	}
	m := ms.WaitFor(t, email, 10*time.Second)
	link := resetLink(t, m)
	if u, _ := url.Parse(link); len(u.Query()) != 1 {
		t.Errorf("the link carries more than the token: %s", link)
	}

	// Opening the link uses nothing up (mail scanners prefetch links).
	b := newBrowser(t)
	page := b.get(link)
	page2 := b.get(link)
	if page.status != http.StatusOK || !strings.Contains(page.body, "Choose a new password") {
		t.Fatalf("link page: %d %.600s", page.status, page.body)
	}
	done := b.submit(page, page.form(t, "token", "password"), "password", newPassword)
	if done.status != http.StatusOK || !strings.Contains(done.body, "Password changed") {
		t.Fatalf("reset by link: %d %.800s", done.status, done.body)
	}
	if r := b.submit(page2, page2.form(t, "token", "password"), "password", newPassword); r.status != http.StatusBadRequest {
		t.Errorf("reused link: %d", r.status)
	}
	if r := b.get(link); r.status != http.StatusBadRequest || !strings.Contains(r.body, "not valid") {
		t.Errorf("used link page: %d", r.status)
	}
	if n := ms.WaitFor(t, email, 10*time.Second); !strings.Contains(n.Subject, "password was changed") {
		t.Errorf("notice subject %q", n.Subject)
	}
	if !e.signInWorks(c, email, newPassword) {
		t.Error("the new password does not work")
	}

	// Within a minute of the last mail, asking again sends nothing.
	if r := api.postJSON(e.issuer("")+"/recover/api", gen.PasswordRecoveryRequest{Email: email}); r.status != http.StatusAccepted {
		t.Fatalf("recover API: %d", r.status)
	}

	// The reset API: policy errors on /new_password, then 204.
	const email2 = "link2@example.com"
	e.createUser(userSpec{email: email2, verified: true})
	r = api.postJSON(e.issuer("")+"/recover/api", gen.PasswordRecoveryRequest{Email: email2})
	if r.status != http.StatusAccepted {
		t.Fatalf("recover API: %d", r.status)
	}
	u, _ := url.Parse(resetLink(t, ms.WaitFor(t, email2, 10*time.Second)))
	token := u.Query().Get("token")
	r = api.postJSON(e.issuer("")+"/recover/api/reset", gen.PasswordResetRequest{Token: &token, NewPassword: "short"})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "/new_password") {
		t.Fatalf("weak password: %d %s", r.status, r.body)
	}
	r = api.postJSON(e.issuer("")+"/recover/api/reset", gen.PasswordResetRequest{Token: &token, NewPassword: newPassword + " again"})
	if r.status != http.StatusNoContent {
		t.Fatalf("reset API: %d %s", r.status, r.body)
	}
	r = api.postJSON(e.issuer("")+"/recover/api/reset", gen.PasswordResetRequest{Token: &token, NewPassword: newPassword + " again"})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid-verification") {
		t.Fatalf("reused token: %d %s", r.status, r.body)
	}
	e.srv.App.Accounts.Wait() // the detached recoveries have ended
	if n := mailsTo(ms, email, "Reset"); n != 1 {
		t.Errorf("%d reset mails to %s, want 1 (cool-down)", n, email)
	}
}

// mailsTo counts the mails to addr whose subject contains subject.
func mailsTo(ms *mailtest.Server, addr, subject string) int {
	n := 0
	for _, m := range ms.Messages() {
		if slices.Contains(m.Recipients, addr) && strings.Contains(m.Subject, subject) {
			n++
		}
	}
	return n
}

// A burst of "forgot password" requests for one address mails one reset:
// the cool-down check and the new code are one step in the store, not a
// read in one background goroutine and a write in another. (Before, 13
// requests in one second once mailed twice.)
func TestRecoverBurstMailsOnce(t *testing.T) {
	e, ms := newMailEnv(t)
	const email = "burst@example.com"
	e.createUser(userSpec{email: email, verified: true})
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	body, _ := json.Marshal(gen.PasswordRecoveryRequest{Email: email})
	statuses := api.burst(13, func() *http.Request {
		req, _ := http.NewRequest(http.MethodPost, e.issuer("")+"/recover/api", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req
	})
	if accepted := statuses[http.StatusAccepted]; accepted < 2 || accepted+statuses[http.StatusTooManyRequests] != 13 {
		t.Fatalf("statuses %v: want at least two 202 (a race to lose), the rest 429", statuses)
	}
	e.srv.App.Accounts.Wait()
	if n := mailsTo(ms, email, "Reset"); n != 1 {
		t.Errorf("%d reset mails after a burst of requests, want 1", n)
	}
}

// Known, unknown and unverified addresses get the same answer; only a
// verified one gets mail.
func TestRecoverLooksTheSame(t *testing.T) {
	e, ms := newMailEnv(t)
	e.createUser(userSpec{email: "known@example.com", verified: true})
	e.createUser(userSpec{email: "unverified@example.com"})
	addrs := []string{"known@example.com", "nobody@example.com", "unverified@example.com"}

	norm := func(r *resp, email string) string {
		s := volatileRe.ReplaceAllString(r.body, "")
		return strings.ReplaceAll(s, email, "EMAIL")
	}
	var bodies []string
	var first *resp
	for _, addr := range addrs {
		b := newBrowser(t)
		r := b.askReset(b.get(e.issuer("")+"/recover"), addr)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", addr, r.status)
		}
		bodies = append(bodies, norm(r, addr))
		if first == nil {
			first = r
			continue
		}
		for _, h := range []string{"Content-Type", "Cache-Control", "Content-Security-Policy", "Set-Cookie"} {
			if (first.header.Get(h) == "") != (r.header.Get(h) == "") {
				t.Errorf("header %s present for one answer only", h)
			}
		}
	}
	for i := 1; i < len(bodies); i++ {
		if bodies[i] != bodies[0] {
			t.Errorf("bodies differ:\n%s: %s\n%s: %s", addrs[0], bodies[0], addrs[i], bodies[i])
		}
	}
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	for _, addr := range addrs {
		r := api.postJSON(e.issuer("")+"/recover/api", gen.PasswordRecoveryRequest{Email: addr})
		if r.status != http.StatusAccepted || r.body != "" {
			t.Errorf("API %s: %d %q", addr, r.status, r.body)
		}
	}
	ms.WaitFor(t, "known@example.com", 10*time.Second)
	e.srv.App.Accounts.Wait() // the other detached requests have ended
	for _, m := range ms.Messages() {
		for _, to := range m.Recipients {
			if to != "known@example.com" {
				t.Errorf("mail to %s: %q", to, m.Subject)
			}
		}
	}
}

func TestRecoverWrongCodeFiveTimesKillsIt(t *testing.T) {
	e, ms := newMailEnv(t)
	email := "typo@example.com"
	e.createUser(userSpec{email: email, verified: true})
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	api.postJSON(e.issuer("")+"/recover/api", gen.PasswordRecoveryRequest{Email: email})
	code := mailCode(t, ms.WaitFor(t, email, 10*time.Second))
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	reset := func(c string) *resp {
		return api.postJSON(e.issuer("")+"/recover/api/reset", gen.PasswordResetRequest{Email: &email, Code: &c, NewPassword: newPassword})
	}
	for i := range 5 {
		if r := reset(wrong); r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid-verification") {
			t.Fatalf("wrong code %d: %d %s", i+1, r.status, r.body)
		}
	}
	if r := reset(code); r.status != http.StatusBadRequest {
		t.Fatalf("the right code after 5 wrong ones: %d, want 400", r.status)
	}
}

func TestRecoverRateLimited(t *testing.T) {
	e, _ := newMailEnv(t)
	b := newBrowser(t)
	start := b.get(e.issuer("") + "/recover")
	var last *resp
	for i := range 11 {
		last = b.askReset(start, "x"+strconv.Itoa(i)+"@example.com")
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("11th request from one IP: %d, want 429", last.status)
	}
	if s, err := strconv.Atoi(last.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After = %q", last.header.Get("Retry-After"))
	}
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	r := api.postJSON(e.issuer("")+"/recover/api", gen.PasswordRecoveryRequest{Email: "y@example.com"})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "urn:gatehouse:problem:rate-limited") {
		t.Fatalf("API: %d %s %v", r.status, r.body, r.header)
	}
}

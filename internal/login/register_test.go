package login_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Registration and email verification against a real SMTP server: the
// mail is read as received over SMTP.

const newPassword = "a long and unguessable passphrase 42"

// registerPage follows the sign-in page's link to the registration page.
func (b *browser) registerPage(login *resp) *resp {
	b.t.Helper()
	return b.followPageLink(login, "register")
}

// followPageLink follows the link of page to path?authRequestID=… (the
// sign-in page's registration and recovery links).
func (b *browser) followPageLink(page *resp, path string) *resp {
	b.t.Helper()
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(path) + `\?authRequestID=[^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		b.t.Fatalf("%s has no link to %s: %.800s", page.url, path, page.body)
	}
	u, err := page.url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		b.t.Fatal(err)
	}
	return b.get(u.String())
}

func (b *browser) register(page *resp, email, password string) *resp {
	b.t.Helper()
	return b.submit(page, page.form(b.t, "email", "password"),
		"email", email, "password", password, "given_name", "Jane", "family_name", "Doe", "terms", "accepted")
}

var codeRe = regexp.MustCompile(`code: ([0-9]{6,8})`)
var linkRe = regexp.MustCompile(`https?://\S+/verify\?token=\S+`)

func mailCode(t *testing.T, m mailtest.Message) string {
	t.Helper()
	c := codeRe.FindStringSubmatch(m.Text)
	if c == nil {
		t.Fatalf("no code in mail %q:\n%s", m.Subject, m.Text)
	}
	return c[1]
}

func mailLink(t *testing.T, m mailtest.Message) string {
	t.Helper()
	l := linkRe.FindString(m.Text)
	if l == "" {
		t.Fatalf("no link in mail %q:\n%s", m.Subject, m.Text)
	}
	return l
}

func TestRegisterVerifyByCode(t *testing.T) {
	e, ms := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid email")

	reg := b.registerPage(b.startLogin(e.issuer(""), a))
	if reg.status != http.StatusOK || !strings.Contains(reg.body, "Create your account") {
		t.Fatalf("register page: %d %.600s", reg.status, reg.body)
	}
	sent := b.register(reg, "new.user@example.com", newPassword)
	if sent.status != http.StatusOK || !strings.Contains(sent.body, "Check your inbox") {
		t.Fatalf("after registration: %d %.800s", sent.status, sent.body)
	}
	assertPageHeaders(t, sent, c.redirectURI) // the code form redirects to the client
	m := ms.WaitFor(t, "new.user@example.com", 10*time.Second)
	if !strings.Contains(m.Subject, "Verify your email") {
		t.Fatalf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "The code expires in 15 minutes, the link in 1 day.") {
		t.Errorf("the verification mail misstates the lifetimes (docs/onboarding.md):\n%s", m.Text)
	}
	code := mailCode(t, m)
	mailLink(t, m)

	done := b.submit(sent, sent.form(t, "code"), "code", code)
	authCode := a.callback(t, done)
	_, id := e.exchange(a, authCode)
	sub := id.Subject
	u, err := e.srv.Admin.GetUserWithResponse(context.Background(), sub)
	if err != nil || u.JSON200 == nil {
		t.Fatalf("get user: %v %s", err, u.Body)
	}
	if !u.JSON200.EmailVerified || u.JSON200.Email != "new.user@example.com" {
		t.Errorf("user after verification: %+v", u.JSON200)
	}

	// The code was single-use.
	again := b.submit(sent, sent.form(t, "code"), "code", code)
	if again.status != http.StatusBadRequest || !strings.Contains(again.body, "not valid or has expired") {
		t.Errorf("reused code: %d %.400s", again.status, again.body)
	}
}

func TestRegisterVerifyByLink(t *testing.T) {
	e, ms := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	sent := b.register(b.registerPage(b.startLogin(e.issuer(""), a)), "link.user@example.com", newPassword)
	if sent.status != http.StatusOK {
		t.Fatalf("register: %d", sent.status)
	}
	link := mailLink(t, ms.WaitFor(t, "link.user@example.com", 10*time.Second))
	if u, _ := url.Parse(link); len(u.Query()) != 1 {
		t.Errorf("the link carries more than the token: %s", link)
	}
	// Opening the link redeems nothing (mail scanners prefetch links).
	confirm := b.get(link)
	if confirm.status != http.StatusOK {
		t.Fatalf("link page: %d %.400s", confirm.status, confirm.body)
	}
	assertPageHeaders(t, confirm, c.redirectURI) // Verify redirects to the client
	confirm2 := b.get(link)
	done := b.submit(confirm, confirm.form(t, "token"))
	a.callback(t, done)
	// Used: a second confirmation fails.
	if r := b.submit(confirm2, confirm2.form(t, "token")); r.status != http.StatusBadRequest {
		t.Errorf("reused link: %d", r.status)
	}
}

func TestWrongCodeFiveTimesKillsIt(t *testing.T) {
	e, ms := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	sent := b.register(b.registerPage(b.startLogin(e.issuer(""), a)), "typo@example.com", newPassword)
	code := mailCode(t, ms.WaitFor(t, "typo@example.com", 10*time.Second))
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := range 5 {
		r := b.submit(sent, sent.form(t, "code"), "code", wrong)
		if r.status != http.StatusBadRequest {
			t.Fatalf("wrong code %d: %d", i+1, r.status)
		}
	}
	r := b.submit(sent, sent.form(t, "code"), "code", code)
	if r.status != http.StatusBadRequest {
		t.Fatalf("the right code after 5 wrong ones: %d, want 400", r.status)
	}
}

// csrfRe and the request ID are what may differ between two answers.
var volatileRe = regexp.MustCompile(`name="csrf" value="[^"]*"`)

func TestRegisterKnownAndUnknownLookTheSame(t *testing.T) {
	e, ms := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})

	answer := func(email string) *resp {
		b := newBrowser(t)
		a := newAuthz(c, "openid")
		a.state = "fixed-state"
		reg := b.registerPage(b.startLogin(e.issuer(""), a))
		return b.register(reg, email, newPassword)
	}
	// The same address, first unknown, then known (the first answer
	// registered it).
	unknown := answer("same@example.com")
	known := answer("same@example.com")
	if known.status != unknown.status {
		t.Fatalf("status %d for a known address, %d for an unknown one", known.status, unknown.status)
	}
	norm := func(r *resp) string {
		s := volatileRe.ReplaceAllString(r.body, "")
		return regexp.MustCompile(`name="authRequestID" value="[^"]*"`).ReplaceAllString(s, "")
	}
	if norm(known) != norm(unknown) {
		t.Errorf("bodies differ:\nknown:   %s\nunknown: %s", norm(known), norm(unknown))
	}
	for _, h := range []string{"Content-Type", "Cache-Control", "Content-Security-Policy", "Set-Cookie"} {
		if (known.header.Get(h) == "") != (unknown.header.Get(h) == "") {
			t.Errorf("header %s present for one answer only", h)
		}
	}
	// Only the mailbox learns the difference: a code, then a notice.
	mailCode(t, ms.WaitFor(t, "same@example.com", 10*time.Second))
	notice := ms.WaitFor(t, "same@example.com", 10*time.Second)
	if !strings.Contains(notice.Subject, "already exists") || codeRe.MatchString(notice.Text) {
		t.Errorf("notice mail: %q\n%s", notice.Subject, notice.Text)
	}
}

func TestRegisterPasswordPolicyPerField(t *testing.T) {
	e, _ := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	reg := b.registerPage(b.startLogin(e.issuer(""), newAuthz(c, "openid")))
	f := reg.form(t, "email", "password")
	f.values.Del("terms") // an unchecked box is not sent
	r := b.submit(reg, f, "email", "short@example.com", "password", "short")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="password-error"`) ||
		!strings.Contains(r.body, `id="terms-error"`) || strings.Contains(r.body, `id="email-error"`) {
		t.Fatalf("policy errors: %d %.1500s", r.status, r.body)
	}
	if !strings.Contains(r.body, `value="short@example.com"`) || strings.Contains(r.body, `value="short"`) {
		t.Error("the form must keep the email and drop the password")
	}
}

func TestRegisterRateLimited(t *testing.T) {
	e, _ := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	reg := b.registerPage(b.startLogin(e.issuer(""), newAuthz(c, "openid")))
	var last *resp
	for i := range 11 {
		// Invalid (no terms) so each costs little; the limit counts them all.
		f := reg.form(t, "email", "password")
		f.values.Del("terms")
		last = b.submit(reg, f, "email", "x"+strconv.Itoa(i)+"@example.com", "password", newPassword)
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("11th registration from one IP: %d, want 429", last.status)
	}
	if s, err := strconv.Atoi(last.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After = %q", last.header.Get("Retry-After"))
	}

	// The API answers 429 as a problem, with Retry-After.
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	r := api.postJSON(e.issuer("")+"/register/api", gen.RegistrationRequest{
		AuthRequestID: "x", Email: "y@example.com", Password: newPassword, AcceptTerms: true,
	})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "urn:gatehouse:problem:rate-limited") {
		t.Fatalf("API: %d %s %v", r.status, r.body, r.header)
	}
}

func TestRegisterAPIAndVerifyAPI(t *testing.T) {
	e, ms := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	b.header.Set("Origin", e.issuer(""))
	a := newAuthz(c, "openid")
	id := b.startLogin(e.issuer(""), a).url.Query().Get("authRequestID")

	r := b.postJSON(e.issuer("")+"/register/api", gen.RegistrationRequest{
		AuthRequestID: id, Email: "api.user@example.com", Password: newPassword, AcceptTerms: true,
	})
	if r.status != http.StatusAccepted || !strings.Contains(r.body, `"verification_sent"`) {
		t.Fatalf("register API: %d %s", r.status, r.body)
	}
	code := mailCode(t, ms.WaitFor(t, "api.user@example.com", 10*time.Second))
	email := "api.user@example.com"
	bad := "99999999"
	r = b.postJSON(e.issuer("")+"/verify/api", gen.VerificationRequest{Email: &email, Code: &bad})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "invalid-verification") {
		t.Fatalf("wrong code: %d %s", r.status, r.body)
	}
	r = b.postJSON(e.issuer("")+"/verify/api", gen.VerificationRequest{Email: &email, Code: &code})
	if r.status != http.StatusOK || !strings.Contains(r.body, `"complete"`) {
		t.Fatalf("verify API: %d %s", r.status, r.body)
	}
}

func TestRegistrationOff(t *testing.T) {
	srv := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{"GATEHOUSE_REGISTRATION": "false"}})
	b := newBrowser(t)
	if r := b.get(srv.URL + "/register?authRequestID=x"); r.status != http.StatusNotFound {
		t.Errorf("register page with registration off: %d", r.status)
	}
}

// A burst of "send a new code" posts for one unverified address mails
// one code: the cool-down check and the new code are one atomic step.
func TestResendBurstMailsOnce(t *testing.T) {
	e, ms := newMailEnv(t)
	const email = "resend.burst@example.com"
	e.createUser(userSpec{email: email}) // an admin's user: no mail yet
	b := newBrowser(t)
	page := b.get(e.issuer("") + "/verify")
	form := url.Values{"csrf": {page.form(t, "code").values.Get("csrf")}, "email": {email}, "action": {"resend"}}
	statuses := b.burst(13, func() *http.Request {
		req, _ := http.NewRequest(http.MethodPost, e.issuer("")+"/verify", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	})
	if ok := statuses[http.StatusOK]; ok < 2 || ok+statuses[http.StatusTooManyRequests] != 13 {
		t.Fatalf("statuses %v: want at least two 200 (a race to lose), the rest 429", statuses)
	}
	if n := mailsTo(ms, email, "Verify your email"); n != 1 {
		t.Errorf("%d verification mails after a burst of resends, want 1", n)
	}
}

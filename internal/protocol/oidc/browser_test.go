package oidc_test

import (
	"crypto/rand"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browser is a user agent with cookies that submits the hosted login's
// real forms, as a person would, and stops where the provider hands the
// browser back to a client.
type browser struct {
	o      *op
	client *http.Client
}

func (o *op) newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{o: o, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is where the browser ended up: a page of the server, or a
// redirect leaving it (Left is then set).
type page struct {
	URL    *url.URL
	Status int
	Body   string
	Header http.Header
	Left   *url.URL // the redirect target outside the server
}

// visit follows redirects while they stay on the server and returns the
// page it arrives at, or the first redirect elsewhere.
func (b *browser) visit(t *testing.T, method, target string, form url.Values) *page {
	t.Helper()
	for range 10 {
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req, err := http.NewRequest(method, target, body)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			sb.Write(buf[:n])
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		p := &page{URL: req.URL, Status: resp.StatusCode, Body: sb.String(), Header: resp.Header}
		if resp.StatusCode < 300 || resp.StatusCode >= 400 {
			return p
		}
		loc, err := req.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatalf("bad Location %q", resp.Header.Get("Location"))
		}
		if loc.Scheme+"://"+loc.Host != b.o.URL {
			p.Left = loc
			return p
		}
		method, target, form = http.MethodGet, loc.String(), nil
	}
	t.Fatalf("redirect loop from %s", target)
	return nil
}

// htmlForm is a form of a page: where it posts and its hidden fields.
type htmlForm struct {
	Action string
	Fields url.Values
}

var (
	formRe  = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	inputRe = regexp.MustCompile(`<(?:input|button)\b[^>]*>`)
	attrRe  = regexp.MustCompile(`([a-zA-Z_-]+)="([^"]*)"`)
)

func attrs(tag string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
		m[a[1]] = html.UnescapeString(a[2])
	}
	return m
}

// form returns the page's form that has an input named field, with its
// hidden inputs filled in.
func (p *page) form(t *testing.T, field string) htmlForm {
	t.Helper()
	for _, f := range formRe.FindAllStringSubmatch(p.Body, -1) {
		fa := attrs(f[1])
		hf := htmlForm{Action: fa["action"], Fields: url.Values{}}
		found := false
		for _, in := range inputRe.FindAllString(f[2], -1) {
			a := attrs(in)
			if a["name"] == field {
				found = true
			}
			if a["type"] == "hidden" {
				hf.Fields.Set(a["name"], a["value"])
			}
		}
		if found {
			action, err := p.URL.Parse(hf.Action)
			if err != nil {
				t.Fatal(err)
			}
			hf.Action = action.String()
			return hf
		}
	}
	t.Fatalf("no form with %q on %s (%d):\n%s", field, p.URL, p.Status, p.Body)
	return htmlForm{}
}

// submit posts a form with the given fields added.
func (b *browser) submit(t *testing.T, f htmlForm, kv ...string) *page {
	t.Helper()
	v := url.Values{}
	for k, vs := range f.Fields {
		v[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return b.visit(t, http.MethodPost, f.Action, v)
}

// user is a person with an account. Code, when set, answers the
// second-factor page.
type user struct {
	ID, Email, Password string
	Code                func() string
}

func (o *op) createUser(t *testing.T, slug string) *user {
	t.Helper()
	u := &user{Email: rand8() + "@example.com", Password: "correct horse battery staple"}
	path := "/admin/v1/users"
	if slug != "" {
		path = "/admin/v1/tenants/" + slug + "/users"
	}
	m := o.admin(t, "POST", path, map[string]any{
		"email": u.Email, "password": u.Password, "email_verified": true, "given_name": "Ada", "family_name": "Lovelace",
	})
	u.ID = m["id"].(string)
	return u
}

// authorize runs an authorization request in the browser: it signs in
// when the login form appears and answers the consent page when it
// appears (allow or deny). It returns where the browser was sent.
func (b *browser) authorize(t *testing.T, authURL string, u *user, consent string) *page {
	t.Helper()
	p := b.visit(t, http.MethodGet, authURL, nil)
	for range 4 {
		if p.Left != nil {
			return p
		}
		switch {
		case p.Status == http.StatusOK && strings.Contains(p.Body, `name="password"`):
			if u == nil {
				t.Fatalf("sign-in form shown where the session should have answered: %s", p.URL)
			}
			p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
		case p.Status == http.StatusOK && strings.Contains(p.Body, `name="challenge"`) && u != nil && u.Code != nil:
			p = b.submit(t, p.form(t, "challenge"), "code", u.Code())
		case p.Status == http.StatusOK && strings.Contains(p.Body, `name="decision"`):
			if consent == "" {
				t.Fatalf("consent page shown unexpectedly: %s", p.URL)
			}
			p = b.submit(t, p.form(t, "decision"), "decision", consent)
		default:
			return p
		}
	}
	t.Fatalf("authorization did not finish: %s %d", p.URL, p.Status)
	return nil
}

func rand8() string { return strings.ToLower(rand.Text()[:8]) }

package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/devicecookie"
)

const redirectURI = "https://app.example.com/cb"

// flows runs one mode's flows for the people of a population.
type flows struct {
	base, mode       string
	clientID, secret string
	password         string
	transport        http.RoundTripper
	origin           *url.URL
	flows, requests  atomic.Int64
}

// newFlows registers the mode's client: third-party for consent (the
// consent page is shown), first-party otherwise.
func (d *driver) newFlows(pop *population, mode string) (*flows, error) {
	meta := map[string]any{
		"client_name":    "bench flow " + mode,
		"redirect_uris":  []string{redirectURI},
		"grant_types":    []string{"authorization_code", "refresh_token"},
		"response_types": []string{"code"},
		"scope":          "openid profile email",
	}
	if mode != "consent" {
		meta["metadata"] = map[string]any{"first_party": true}
	}
	var c struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := adminCall(d.http(), d.base, d.adminToken, "/admin/v1/clients", meta, &c); err != nil {
		return nil, fmt.Errorf("create client: %w", err)
	}
	origin, err := url.Parse(d.base)
	if err != nil {
		return nil, err
	}
	return &flows{base: d.base, mode: mode, clientID: c.ClientID, secret: c.ClientSecret,
		password: pop.Password, transport: d.transport, origin: origin}, nil
}

func (f *flows) requestsPerFlow() float64 {
	return float64(f.requests.Load()) / float64(max(f.flows.Load(), 1))
}

// run is one flow of person x, from a browser that is signed out but
// still holds the person's device cookie, if any. It keeps the device
// cookie the server (re)issues.
func (f *flows) run(x *person) error {
	jar, _ := cookiejar.New(nil)
	if x.Device != "" {
		jar.SetCookies(f.origin, []*http.Cookie{{Name: devicecookie.CookieName, Value: x.Device, Path: "/"}})
	}
	b := &browser{base: f.base, ip: x.IP, client: &http.Client{Transport: f.transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	err := f.flow(b, x)
	f.flows.Add(1)
	f.requests.Add(int64(b.requests))
	if err != nil {
		return err
	}
	for _, c := range jar.Cookies(f.origin) {
		if c.Name == devicecookie.CookieName {
			x.Device = c.Value
		}
	}
	if x.Device == "" {
		return fmt.Errorf("%s: no device cookie after signing in", x.Email)
	}
	return nil
}

// flow runs one authorization-code flow (or, in signin mode, its first
// half: authorize and the sign-in form).
func (f *flows) flow(b *browser, x *person) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	state := rand.Text()
	q := url.Values{
		"client_id": {f.clientID}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"scope": {"openid profile email"}, "state": {state}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	if f.mode == "consent" {
		q.Set("prompt", "consent") // a remembered consent would skip the page after the first flow
	}
	p, err := b.visit(ctx, http.MethodGet, f.base+"/authorize?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	if p.status != http.StatusOK || !strings.Contains(p.body, `name="password"`) {
		return fmt.Errorf("authorize: want the sign-in form, got %d %s", p.status, p.url)
	}
	p, err = b.submit(ctx, p, "password", "identifier", x.Email, "password", f.password)
	if err != nil {
		return err
	}
	if f.mode == "signin" {
		if p.left == nil && !strings.Contains(p.body, `name="decision"`) {
			return fmt.Errorf("sign-in failed: %d %s", p.status, p.url)
		}
		return nil
	}
	if p.left == nil && p.status == http.StatusOK && strings.Contains(p.body, `name="decision"`) {
		if p, err = b.submit(ctx, p, "decision", "decision", "allow"); err != nil {
			return err
		}
	}
	if p.left == nil {
		return fmt.Errorf("flow did not return to the client: %d %s", p.status, p.url)
	}
	cb := p.left.Query()
	if cb.Get("state") != state || cb.Get("code") == "" {
		return fmt.Errorf("bad callback %s", p.left.Redacted())
	}
	return f.token(ctx, b, cb.Get("code"), verifier)
}

// token redeems the code as the client's back end does: from its own
// address, not the person's.
func (f *flows) token(ctx context.Context, b *browser, code, verifier string) error {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.base+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(f.clientID), url.QueryEscape(f.secret))
	b.requests++
	resp, err := (&http.Client{Transport: f.transport}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		IDToken     string `json:"id_token"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &tok) != nil || tok.AccessToken == "" || tok.IDToken == "" {
		return fmt.Errorf("token: %d %s", resp.StatusCode, raw)
	}
	return nil
}

// browser is one person's user agent for one flow: a cookie jar on the
// shared connection pool, never following redirects on its own. Every
// request carries the person's address in X-Forwarded-For, as the proxy
// in front of the server would add it.
type browser struct {
	base     string
	ip       string
	client   *http.Client
	requests int
}

// page is where a request chain ended: a page of the server, or a
// redirect leaving it (left is then set).
type page struct {
	url    *url.URL
	status int
	body   string
	left   *url.URL
}

// visit follows redirects while they stay on the server.
func (b *browser) visit(ctx context.Context, method, target string, form url.Values) (*page, error) {
	for range 10 {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequestWithContext(ctx, method, target, body)
		if err != nil {
			return nil, err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("X-Forwarded-For", b.ip)
		b.requests++
		resp, err := b.client.Do(req)
		if err != nil {
			return nil, err
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		p := &page{url: req.URL, status: resp.StatusCode, body: string(raw)}
		if resp.StatusCode < 300 || resp.StatusCode >= 400 {
			return p, nil
		}
		loc, err := req.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			return nil, fmt.Errorf("bad Location %q", resp.Header.Get("Location"))
		}
		if loc.Scheme+"://"+loc.Host != b.base {
			p.left = loc
			return p, nil
		}
		method, target, form = http.MethodGet, loc.String(), nil
	}
	return nil, fmt.Errorf("redirect loop from %s", target)
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

// submit fills in the page's form that has an input named field (its
// hidden inputs plus kv) and posts it.
func (b *browser) submit(ctx context.Context, p *page, field string, kv ...string) (*page, error) {
	for _, f := range formRe.FindAllStringSubmatch(p.body, -1) {
		fields := url.Values{}
		found := false
		for _, in := range inputRe.FindAllString(f[2], -1) {
			a := attrs(in)
			if a["name"] == field {
				found = true
			}
			if a["type"] == "hidden" {
				fields.Set(a["name"], a["value"])
			}
		}
		if !found {
			continue
		}
		for i := 0; i+1 < len(kv); i += 2 {
			fields.Set(kv[i], kv[i+1])
		}
		action, err := p.url.Parse(attrs(f[1])["action"])
		if err != nil {
			return nil, err
		}
		return b.visit(ctx, http.MethodPost, action.String(), fields)
	}
	return nil, fmt.Errorf("no form with %q on %s (%d)", field, p.url, p.status)
}

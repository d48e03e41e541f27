// Command soak drives a mixed load against one `gatehouse serve` for a
// fixed time: client-credentials grants, introspection, password sign-ins
// through the headless login API with the code exchange, refresh-token
// rotations, and Admin API writes (create, patch, disable, enable and
// delete users). Each kind runs in its own goroutines without pauses, so
// the server sets the pace. bench/soak.sh builds and runs it while it
// samples the server's memory and goroutines; see bench/README.md.
//
// It prints one RESULT line with the count and errors per operation.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
)

type soak struct {
	base, admin string
	c           *http.Client
	seq         atomic.Int64

	svcID, svcSecret string
	spaID            string

	mu     sync.Mutex
	counts map[string]*[2]int64 // ok, failed
	errs   map[string]string    // the first error per operation
}

const redirect = "http://127.0.0.1:9/callback"

func main() {
	base := flag.String("base", "", "Gatehouse base URL (its issuer)")
	admin := flag.String("admin-token", os.Getenv("GATEHOUSE_ADMIN_TOKEN"), "admin bearer token (default $GATEHOUSE_ADMIN_TOKEN)")
	dur := flag.Duration("d", 10*time.Minute, "how long to run")
	cc := flag.Int("cc", 2, "client-credentials goroutines")
	intro := flag.Int("introspect", 2, "introspection goroutines")
	signin := flag.Int("signin", 2, "sign-in goroutines (each: create a user, sign in, exchange the code, rotate the refresh token -refreshes times)")
	refreshes := flag.Int("refreshes", 10, "refresh rotations after each sign-in")
	adminW := flag.Int("admin", 1, "Admin API writer goroutines")
	flag.Parse()
	if *base == "" || *admin == "" {
		fmt.Fprintln(os.Stderr, "soak: -base and -admin-token are required")
		os.Exit(2)
	}
	s := &soak{base: strings.TrimRight(*base, "/"), admin: *admin, counts: map[string]*[2]int64{}, errs: map[string]string{},
		c: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	if err := s.setup(); err != nil {
		fmt.Fprintln(os.Stderr, "soak: setup:", err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var wg sync.WaitGroup
	spawn := func(n int, fn func(ctx context.Context)) {
		for range n {
			wg.Go(func() {
				for ctx.Err() == nil {
					fn(ctx)
				}
			})
		}
	}
	start := time.Now()
	spawn(*cc, func(ctx context.Context) { s.clientCredentials(ctx) })
	spawn(*intro, s.introspectLoop)
	spawn(*signin, func(ctx context.Context) { s.signInAndRefresh(ctx, *refreshes) })
	spawn(*adminW, s.adminWrites)
	wg.Wait()
	wall := time.Since(start).Seconds()

	var b strings.Builder
	var total int64
	for _, op := range []string{"cc", "introspect", "signin", "refresh", "admin"} {
		c := s.counts[op]
		if c == nil {
			c = &[2]int64{}
		}
		total += c[0]
		fmt.Fprintf(&b, " %s=%d %s_failed=%d", op, c[0], op, c[1])
	}
	fmt.Printf("RESULT soak seconds=%.0f requests=%d rps=%.0f%s\n", wall, total, float64(total)/wall, b.String())
	for op, e := range s.errs {
		fmt.Printf("  first %s error: %s\n", op, e)
	}
}

func (s *soak) count(op string, err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts[op]
	if c == nil {
		c = &[2]int64{}
		s.counts[op] = c
	}
	if err != nil {
		c[1]++
		if _, ok := s.errs[op]; !ok {
			s.errs[op] = err.Error()
		}
		return false
	}
	c[0]++
	return true
}

// do sends req and decodes a JSON answer into out when the status is want.
func (s *soak) do(c *http.Client, req *http.Request, want int, out any) (http.Header, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != want {
		if len(body) > 200 {
			body = body[:200]
		}
		return resp.Header, fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return resp.Header, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
		}
	}
	return resp.Header, nil
}

func (s *soak) adminReq(ctx context.Context, method, path string, body any) *http.Request {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, s.base+path, r)
	req.Header.Set("Authorization", "Bearer "+s.admin)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func form(ctx context.Context, u string, v url.Values, user, pass string) *http.Request {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	return req
}

func (s *soak) setup() error {
	ctx := context.Background()
	var svc struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if _, err := s.do(s.c, s.adminReq(ctx, "POST", "/admin/v1/clients", map[string]any{
		"client_name": "soak-svc", "grant_types": []string{"client_credentials"}}), http.StatusCreated, &svc); err != nil {
		return err
	}
	s.svcID, s.svcSecret = svc.ClientID, svc.ClientSecret
	var spa struct {
		ClientID string `json:"client_id"`
	}
	if _, err := s.do(s.c, s.adminReq(ctx, "POST", "/admin/v1/clients", map[string]any{
		"client_name": "soak-spa", "redirect_uris": []string{redirect}, "grant_types": []string{"authorization_code", "refresh_token"},
		"token_endpoint_auth_method": "none", "scope": "openid offline_access", "metadata": map[string]any{"first_party": true}}),
		http.StatusCreated, &spa); err != nil {
		return err
	}
	s.spaID = spa.ClientID
	return nil
}

func (s *soak) clientCredentials(ctx context.Context) string {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_, err := s.do(s.c, form(ctx, s.base+"/oauth/token", url.Values{"grant_type": {"client_credentials"}}, s.svcID, s.svcSecret), http.StatusOK, &tok)
	if ctx.Err() != nil {
		return ""
	}
	s.count("cc", err)
	return tok.AccessToken
}

// introspectLoop introspects one access token 500 times, then takes a new one.
func (s *soak) introspectLoop(ctx context.Context) {
	tok := s.clientCredentials(ctx)
	if tok == "" {
		time.Sleep(100 * time.Millisecond)
		return
	}
	for range 500 {
		var out struct {
			Active bool `json:"active"`
		}
		_, err := s.do(s.c, form(ctx, s.base+"/oauth/introspect", url.Values{"token": {tok}}, s.svcID, s.svcSecret), http.StatusOK, &out)
		if ctx.Err() != nil {
			return
		}
		if err == nil && !out.Active {
			err = errors.New("introspection: a fresh token is inactive")
		}
		s.count("introspect", err)
	}
}

// password is random and not in the breached-password filter.
func password() string {
	for {
		if pw := rand.Text(); !passpolicy.Embedded().Contains(pw) {
			return pw
		}
	}
}

// headerTransport sets one request header.
type headerTransport struct {
	name, value string
	next        http.RoundTripper
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return h.next.RoundTrip(r)
}

// signInAndRefresh creates a user, signs them in from an address of their
// own (the server trusts the loopback proxy), exchanges the code and
// rotates the refresh token n times.
func (s *soak) signInAndRefresh(ctx context.Context, n int) {
	i := s.seq.Add(1)
	email := fmt.Sprintf("soak-%d-%s@example.com", i, strings.ToLower(rand.Text()[:6]))
	pw := password()
	if _, err := s.do(s.c, s.adminReq(ctx, "POST", "/admin/v1/users", map[string]any{"email": email, "password": pw}), http.StatusCreated, nil); err != nil {
		if ctx.Err() == nil {
			s.count("signin", err)
		}
		return
	}
	rt, err := s.signIn(ctx, i, email, pw)
	if ctx.Err() != nil {
		return
	}
	if !s.count("signin", err) {
		return
	}
	for range n {
		var tok struct {
			RefreshToken string `json:"refresh_token"`
		}
		_, err := s.do(s.c, form(ctx, s.base+"/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {s.spaID}}, "", ""), http.StatusOK, &tok)
		if ctx.Err() != nil {
			return
		}
		if err == nil && tok.RefreshToken == "" {
			err = errors.New("refresh: no refresh token")
		}
		if !s.count("refresh", err) {
			return
		}
		rt = tok.RefreshToken
	}
}

func (s *soak) signIn(ctx context.Context, i int64, email, pw string) (string, error) {
	jar, _ := cookiejar.New(nil)
	addr := fmt.Sprintf("100.%d.%d.%d", 64+i/62500%64, i/250%250, i%250+1) // an address of its own
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: headerTransport{"X-Forwarded-For", addr, s.c.Transport},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {s.spaID}, "redirect_uri": {redirect},
		"scope": {"openid offline_access"}, "state": {rand.Text()}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/authorize?"+q.Encode(), nil)
	h, err := s.do(browser, req, http.StatusFound, nil)
	if err != nil {
		return "", err
	}
	login, err := url.Parse(h.Get("Location"))
	if err != nil || login.Query().Get("authRequestID") == "" {
		return "", fmt.Errorf("/authorize: Location %q", h.Get("Location"))
	}
	b, _ := json.Marshal(map[string]string{"auth_request_id": login.Query().Get("authRequestID"), "identifier": email, "password": pw})
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/login/api/authenticate", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	var res struct {
		Status     string `json:"status"`
		RedirectTo string `json:"redirect_to"`
	}
	if _, err := s.do(browser, req, http.StatusOK, &res); err != nil {
		return "", err
	}
	back, err := url.Parse(res.RedirectTo)
	if res.Status != "complete" || err != nil || back.Query().Get("code") == "" {
		return "", fmt.Errorf("login API: status %q, redirect %q", res.Status, res.RedirectTo)
	}
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if _, err := s.do(browser, form(ctx, s.base+"/oauth/token", url.Values{"grant_type": {"authorization_code"},
		"code": {back.Query().Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}, "client_id": {s.spaID}}, "", ""),
		http.StatusOK, &tok); err != nil {
		return "", err
	}
	if tok.RefreshToken == "" {
		return "", errors.New("code exchange: no refresh token")
	}
	return tok.RefreshToken, nil
}

// adminWrites creates a user, patches, disables, enables and deletes it:
// five writes, each its own audit event.
func (s *soak) adminWrites(ctx context.Context) {
	i := s.seq.Add(1)
	var u struct {
		ID string `json:"id"`
	}
	steps := []func() error{
		func() error {
			_, err := s.do(s.c, s.adminReq(ctx, "POST", "/admin/v1/users", map[string]any{"email": fmt.Sprintf("admin-%d@example.com", i)}), http.StatusCreated, &u)
			return err
		},
		func() error {
			_, err := s.do(s.c, s.adminReq(ctx, "PATCH", "/admin/v1/users/"+u.ID, map[string]any{"email_verified": true}), http.StatusOK, nil)
			return err
		},
		func() error {
			_, err := s.do(s.c, s.adminReq(ctx, "POST", "/admin/v1/users/"+u.ID+"/disable", nil), http.StatusOK, nil)
			return err
		},
		func() error {
			_, err := s.do(s.c, s.adminReq(ctx, "POST", "/admin/v1/users/"+u.ID+"/enable", nil), http.StatusOK, nil)
			return err
		},
		func() error {
			_, err := s.do(s.c, s.adminReq(ctx, "DELETE", "/admin/v1/users/"+u.ID, nil), http.StatusNoContent, nil)
			return err
		},
	}
	for _, step := range steps {
		err := step()
		if ctx.Err() != nil {
			return
		}
		if !s.count("admin", err) {
			return
		}
	}
}

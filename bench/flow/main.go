// Command flow drives Gatehouse's browser flows under load: N virtual
// users each run complete authorization-code flows (authorize with PKCE,
// hosted sign-in form, consent, token exchange) as fast as the server
// answers, each with a fresh cookie jar, so every flow signs in with a
// password. It also measures the raw argon2id verification rate at the
// configured cost on this machine, which bounds any password sign-in.
// bench/run.sh builds and runs it; see bench/README.md.
//
// Modes (-mode):
//
//	consent     third-party client with prompt=consent: the consent page and
//	            its Allow answer are part of every flow
//	firstparty  first-party client: consent is skipped
//	signin      authorize and sign in only (no consent, no token): the
//	            password sign-in rate
//	argon2      no server: password.Hasher.Verify in -c goroutines
//
// The driver creates its own clients and users through the Admin API.
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
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/password"
)

const redirectURI = "https://app.example.com/cb"

func main() {
	base := flag.String("base", "", "Gatehouse base URL (its issuer), e.g. http://127.0.0.1:8080")
	adminToken := flag.String("admin-token", os.Getenv("GATEHOUSE_ADMIN_TOKEN"), "admin bearer token (default $GATEHOUSE_ADMIN_TOKEN)")
	mode := flag.String("mode", "consent", "consent, firstparty, signin or argon2")
	conc := flag.Int("c", 8, "concurrent virtual users (argon2: goroutines; 0 = GOMAXPROCS)")
	dur := flag.Duration("d", 20*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measured period")
	users := flag.Int("users", 16, "users to create (each flow signs in as the next one)")
	mem := flag.Uint("argon2-m", uint(password.DefaultParams.Memory), "argon2id memory in KiB (as GATEHOUSE_ARGON2_MEMORY_KIB)")
	iter := flag.Uint("argon2-t", uint(password.DefaultParams.Time), "argon2id iterations (as GATEHOUSE_ARGON2_TIME)")
	par := flag.Uint("argon2-p", uint(password.DefaultParams.Threads), "argon2id threads (as GATEHOUSE_ARGON2_THREADS)")
	pid := flag.Int("pid", 0, "server process ID: report its CPU time per flow over the measured period (Linux /proc)")
	flag.Parse()

	if *conc <= 0 {
		*conc = runtime.GOMAXPROCS(0)
	}
	params := password.DefaultParams
	params.Memory, params.Time, params.Threads = uint32(*mem), uint32(*iter), uint8(*par)

	var err error
	switch *mode {
	case "argon2":
		err = argon2Loop(params, *conc, *warmup, *dur)
	case "consent", "firstparty", "signin":
		if *base == "" || *adminToken == "" {
			err = errors.New("-base and -admin-token are required")
			break
		}
		err = runFlows(strings.TrimSuffix(*base, "/"), *adminToken, *mode, *conc, *users, *warmup, *dur, *pid)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flow:", err)
		os.Exit(1)
	}
}

// argon2Loop verifies a password against a hash made at params in n
// goroutines and prints the rate: the ceiling for password sign-ins.
func argon2Loop(params password.Params, n int, warmup, dur time.Duration) error {
	h := &password.Hasher{Params: params}
	const pw = "correct horse battery staple"
	phc, err := h.Hash(pw)
	if err != nil {
		return err
	}
	var lat latencies
	count := measure(n, warmup, dur, &lat, selfCPU, func() error {
		ok, _, err := h.Verify(pw, phc)
		if err == nil && !ok {
			err = errors.New("verify failed")
		}
		return err
	})
	fmt.Printf("RESULT mode=argon2 m=%d t=%d p=%d goroutines=%d gomaxprocs=%d verifies=%d duration_s=%.1f rate=%.1f/s %s errors=%d cpu_ms_per_op=%.2f\n",
		params.Memory, params.Time, params.Threads, n, runtime.GOMAXPROCS(0), count.ok, dur.Seconds(),
		float64(count.ok)/dur.Seconds(), lat.summary(), count.errs, count.cpuPerOp())
	return count.firstErr
}

type counts struct {
	ok, errs int64
	firstErr error
	cpu      time.Duration // CPU time of the measured process over the period
}

func (c counts) cpuPerOp() float64 {
	if c.ok == 0 {
		return 0
	}
	return float64(c.cpu.Microseconds()) / 1000 / float64(c.ok)
}

// selfCPU is this process's CPU time (user and system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU returns the CPU time of process pid (utime+stime from
// /proc/pid/stat, in clock ticks of 10 ms on Linux).
func procCPU(pid int) func() time.Duration {
	return func() time.Duration {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0
		}
		// The command name may hold spaces: fields count from after ")".
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			return 0
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		return time.Duration(utime+stime) * 10 * time.Millisecond
	}
}

// measure runs op in n goroutines for warmup+dur and counts what finished
// inside the measured period, and the CPU time cpu reports over it.
func measure(n int, warmup, dur time.Duration, lat *latencies, cpu func() time.Duration, op func() error) counts {
	var (
		ok, errs  atomic.Int64
		firstErr  error
		errOnce   sync.Once
		wg        sync.WaitGroup
		measuring atomic.Bool
		stop      atomic.Bool
	)
	for range n {
		wg.Go(func() {
			for !stop.Load() {
				start := time.Now()
				err := op()
				if !measuring.Load() || stop.Load() {
					continue
				}
				if err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				ok.Add(1)
				lat.add(time.Since(start))
			}
		})
	}
	time.Sleep(warmup)
	measuring.Store(true)
	cpu0 := cpu()
	time.Sleep(dur)
	stop.Store(true)
	got := counts{ok: ok.Load(), errs: errs.Load(), cpu: cpu() - cpu0}
	wg.Wait()
	got.firstErr = firstErr
	return got
}

type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return "p50_ms=- p99_ms=-"
	}
	slices.Sort(l.d)
	q := func(p float64) float64 {
		return float64(l.d[int(p*float64(len(l.d)-1))].Microseconds()) / 1000
	}
	return fmt.Sprintf("p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f", q(0.50), q(0.90), q(0.99), q(1))
}

// setup is what the flows need: a client and users with known passwords.
type setup struct {
	base     string
	clientID string
	secret   string
	users    []string // emails; all share one password
	password string
	next     atomic.Int64
}

func runFlows(base, adminToken, mode string, conc, nUsers int, warmup, dur time.Duration, pid int) error {
	transport := &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, IdleConnTimeout: time.Minute}
	admin := &http.Client{Transport: transport, Timeout: time.Minute}
	s := &setup{base: base, password: "correct horse battery staple " + rand.Text()[:6]}

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
	if err := adminCall(admin, base, adminToken, "/admin/v1/clients", meta, &c); err != nil {
		return fmt.Errorf("create client: %w", err)
	}
	s.clientID, s.secret = c.ClientID, c.ClientSecret

	// Users are created concurrently: each costs one password hash.
	tag := strings.ToLower(rand.Text()[:8])
	s.users = make([]string, nUsers)
	var wg sync.WaitGroup
	errc := make(chan error, nUsers)
	for i := range nUsers {
		wg.Go(func() {
			email := fmt.Sprintf("bench-%s-%d@example.com", tag, i)
			var u struct {
				ID string `json:"id"`
			}
			if err := adminCall(admin, base, adminToken, "/admin/v1/users", map[string]any{
				"email": email, "password": s.password, "email_verified": true, "given_name": "Bench", "family_name": "User",
			}, &u); err != nil {
				errc <- fmt.Errorf("create user: %w", err)
				return
			}
			s.users[i] = email
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}

	var lat latencies
	var requests atomic.Int64
	cpu := func() time.Duration { return 0 }
	if pid > 0 {
		cpu = procCPU(pid)
	}
	count := measure(conc, warmup, dur, &lat, cpu, func() error {
		n, err := s.flow(transport, mode)
		requests.Add(int64(n))
		return err
	})
	unit := "flows"
	if mode == "signin" {
		unit = "signins"
	}
	fmt.Printf("RESULT mode=%s concurrency=%d %s=%d duration_s=%.1f rate=%.1f/s %s errors=%d http_requests_per_flow=%.1f",
		mode, conc, unit, count.ok, dur.Seconds(), float64(count.ok)/dur.Seconds(), lat.summary(), count.errs,
		float64(requests.Load())/float64(max(count.ok+count.errs, 1)))
	if pid > 0 {
		fmt.Printf(" server_cpu_ms_per_op=%.2f", count.cpuPerOp())
	}
	fmt.Println()
	if count.firstErr != nil {
		fmt.Fprintln(os.Stderr, "flow: first error:", count.firstErr)
	}
	if count.ok == 0 {
		return errors.New("no flow completed")
	}
	return nil
}

func adminCall(c *http.Client, base, token, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}

// browser is one flow's user agent: a fresh cookie jar on the shared
// connection pool, never following redirects on its own.
type browser struct {
	base     string
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

// flow runs one authorization-code flow (or, in signin mode, its first
// half) and returns how many HTTP requests it made.
func (s *setup) flow(transport http.RoundTripper, mode string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	jar, _ := cookiejar.New(nil)
	b := &browser{base: s.base, client: &http.Client{Transport: transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	email := s.users[int(s.next.Add(1))%len(s.users)]

	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	state := rand.Text()
	q := url.Values{
		"client_id": {s.clientID}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"scope": {"openid profile email"}, "state": {state}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	if mode == "consent" {
		q.Set("prompt", "consent") // a remembered consent would skip the page after the first flow
	}
	p, err := b.visit(ctx, http.MethodGet, s.base+"/authorize?"+q.Encode(), nil)
	if err != nil {
		return b.requests, err
	}
	if p.status != http.StatusOK || !strings.Contains(p.body, `name="password"`) {
		return b.requests, fmt.Errorf("authorize: want the sign-in form, got %d %s", p.status, p.url)
	}
	p, err = b.submit(ctx, p, "password", "identifier", email, "password", s.password)
	if err != nil {
		return b.requests, err
	}
	if mode == "signin" {
		if p.left == nil && !strings.Contains(p.body, `name="decision"`) {
			return b.requests, fmt.Errorf("sign-in failed: %d %s", p.status, p.url)
		}
		return b.requests, nil
	}
	if p.left == nil && p.status == http.StatusOK && strings.Contains(p.body, `name="decision"`) {
		if p, err = b.submit(ctx, p, "decision", "decision", "allow"); err != nil {
			return b.requests, err
		}
	}
	if p.left == nil {
		return b.requests, fmt.Errorf("flow did not return to the client: %d %s", p.status, p.url)
	}
	cb := p.left.Query()
	if cb.Get("state") != state || cb.Get("code") == "" {
		return b.requests, fmt.Errorf("bad callback %s", p.left.Redacted())
	}

	form := url.Values{"grant_type": {"authorization_code"}, "code": {cb.Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return b.requests, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(s.clientID), url.QueryEscape(s.secret))
	b.requests++
	resp, err := b.client.Do(req)
	if err != nil {
		return b.requests, err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		IDToken     string `json:"id_token"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &tok) != nil || tok.AccessToken == "" || tok.IDToken == "" {
		return b.requests, fmt.Errorf("token: %d %s", resp.StatusCode, raw)
	}
	return b.requests, nil
}

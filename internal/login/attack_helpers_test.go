package login_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/geoip/geoiptest"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The attack simulations drive a real server on loopback through the
// headless login API. Each simulated client has its own address, sent
// as X-Forwarded-For from 127.0.0.1, the one trusted proxy, and its own
// cookie jar (the device cookie and the session).

// simEnv is a server with the risk engine wired: trusted proxy, GeoIP
// database (geoiptest.Sample), SMTP server, an event log and a clock.
type simEnv struct {
	*env
	mail   *mailtest.Server
	events *simEvents
	clk    *clock.Fake
	client client
}

// newSimEnv is the simulations' server; opts adjust its options (e.g. a
// localhost issuer, for passkeys).
func newSimEnv(t *testing.T, opts ...func(*testserver.Options)) *simEnv {
	t.Helper()
	m := mailtest.Start(t, mailtest.Options{})
	log := &simEvents{}
	clk := clock.NewFake(time.Now())
	o := testserver.Options{LoopbackIssuer: true, Events: log, Now: clk.Now, Env: map[string]string{
		"GATEHOUSE_TRUSTED_PROXIES": "127.0.0.1/32,::1/128",
		"GATEHOUSE_GEOIP_DB":        geoiptest.WriteCity(t, geoiptest.Sample),
		"GATEHOUSE_SMTP_URL":        m.URL(),
	}}
	for _, opt := range opts {
		opt(&o)
	}
	srv := testserver.New(t, o)
	e := &env{t: t, srv: srv}
	return &simEnv{env: e, mail: m, events: log, clk: clk, client: e.createClient(clientSpec{firstParty: true})}
}

// simEvents keeps the login's events.
type simEvents struct {
	mu   sync.Mutex
	list []events.Event
}

func (l *simEvents) Record(_ context.Context, e events.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, e)
	return nil
}

// of returns the events of type typ for userID ("" for any user).
func (l *simEvents) of(typ, userID string) []events.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []events.Event
	for _, e := range l.list {
		if e.Type == typ && (userID == "" || e.UserID == userID) {
			out = append(out, e)
		}
	}
	return out
}

// users creates n users prefix-i@example.com with verified addresses;
// pw gives user i's password. It returns their IDs.
func (s *simEnv) users(prefix string, n int, pw func(i int) string) []string {
	s.t.Helper()
	ids := make([]string, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p, yes := pw(i), true
			r, err := s.srv.Admin.CreateUserWithResponse(context.Background(), &gen.CreateUserParams{}, gen.UserCreate{
				Email: openapi_types.Email(fmt.Sprintf("%s-%d@example.com", prefix, i)), Password: &p, EmailVerified: &yes,
			})
			if err == nil && r.JSON201 == nil {
				err = fmt.Errorf("create user: %d %s", r.StatusCode(), r.Body)
			}
			if err != nil {
				errs <- err
				return
			}
			ids[i] = r.JSON201.ID
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		s.t.Fatal(err)
	}
	return ids
}

// signedInAgent is an agent at ip whose first sign-in as email succeeded,
// so its device (and address) are the user's known ones.
func (s *simEnv) signedInAgent(ip, email string) *agent {
	s.t.Helper()
	a := s.agent(ip)
	if out, err := a.signIn(s, email, testPassword); out != outComplete || err != nil {
		s.t.Fatalf("%s's first sign-in from %s: %s %v", email, ip, out, err)
	}
	return a
}

// Outcomes of a headless sign-in.
const (
	outComplete   = "complete"   // signed in, no challenge
	outFailed     = "failed"     // 401 invalid credentials (also a plain deny)
	outThrottled  = "throttled"  // 429 with Retry-After
	outChallenged = "challenged" // status mfa_required: a second factor first
	outPwChange   = "pw_change"  // 403 password-change-required
)

// agent is one simulated client: an address and a cookie jar. Its
// methods return errors instead of failing the test, so agents can run
// in goroutines.
type agent struct {
	ip  string
	jar *cookiejar.Jar
	raw *http.Client // pages and the provider
	api *http.Client // the login API, checked against the contract
}

func (s *simEnv) agent(ip string) *agent {
	jar, _ := cookiejar.New(nil)
	stop := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &agent{ip: ip, jar: jar,
		raw: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: stop},
		api: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: stop, Transport: apitest.Transport(s.t, nil)},
	}
}

func (a *agent) do(hc *http.Client, req *http.Request) (*http.Response, string, error) {
	req.Header.Set("X-Forwarded-For", a.ip)
	res, err := hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, string(body), err
}

// authorize starts an authorization of s's client and returns the login
// URL it redirects to.
func (a *agent) authorize(s *simEnv) (*url.URL, error) {
	req, _ := http.NewRequest(http.MethodGet, newAuthz(s.client, "openid offline_access").url(s.issuer("")), nil)
	res, _, err := a.do(a.raw, req)
	if err != nil {
		return nil, err
	}
	loc, err := res.Location()
	if err != nil {
		return nil, fmt.Errorf("authorize: %d without a redirect", res.StatusCode)
	}
	return loc, nil
}

// postJSON posts v to the issuer's path with hc, with extra headers.
func (a *agent) postJSON(s *simEnv, hc *http.Client, path string, v any, header ...string) (*http.Response, string, error) {
	raw, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, s.issuer("")+path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return a.do(hc, req)
}

// signIn starts an authorization and answers it with the login API.
func (a *agent) signIn(s *simEnv, identifier, password string) (string, error) {
	out, _, err := a.signInFor(s, identifier, password)
	return out, err
}

// signInFor is signIn that also returns the authorization request's ID.
func (a *agent) signInFor(s *simEnv, identifier, password string) (string, string, error) {
	loc, err := a.authorize(s)
	if err != nil {
		return "", "", err
	}
	id := loc.Query().Get("authRequestID")
	res, body, err := a.postJSON(s, a.api, "/login/api/authenticate",
		gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: identifier, Password: password})
	if err != nil {
		return "", id, err
	}
	out, err := outcome(res, body)
	return out, id, err
}

// outcome classifies the login API's answer to a sign-in.
func outcome(res *http.Response, body string) (string, error) {
	var p struct{ Type string }
	_ = json.Unmarshal([]byte(body), &p)
	switch {
	case res.StatusCode == http.StatusOK:
		var lr gen.LoginResult
		_ = json.Unmarshal([]byte(body), &lr)
		if lr.Status == gen.LoginResultStatusMfaRequired {
			return outChallenged, nil
		}
		return outComplete, nil
	case res.StatusCode == http.StatusUnauthorized:
		return outFailed, nil
	case res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "":
		return outThrottled, nil
	case res.StatusCode == http.StatusForbidden && strings.HasSuffix(p.Type, ":password-change-required"):
		return outPwChange, nil
	}
	return "", fmt.Errorf("sign-in answered %d: %.300s", res.StatusCode, body)
}

// tally counts outcomes.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func (t *tally) add(out string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == nil {
		t.n = map[string]int{}
	}
	t.n[out]++
}

func (t *tally) get(out string) int { t.mu.Lock(); defer t.mu.Unlock(); return t.n[out] }

func (t *tally) String() string { t.mu.Lock(); defer t.mu.Unlock(); return fmt.Sprint(t.n) }

// legit is a stream of legitimate users, each on its own known device
// and address, signing in again and again until stopped.
type legit struct {
	stop  chan struct{}
	wg    sync.WaitGroup
	out   tally
	errMu sync.Mutex
	errs  []error
}

// startLegit creates n users, signs each in once (so its device and
// address are known), then runs their stream.
func (s *simEnv) startLegit(n int) *legit {
	s.t.Helper()
	s.users("legit", n, func(int) string { return testPassword })
	l := &legit{stop: make(chan struct{})}
	agents := make([]*agent, n)
	for i := range n {
		agents[i] = s.agent(fmt.Sprintf("10.77.%d.%d", i/200, i%200+1))
		if out, err := agents[i].signIn(s, fmt.Sprintf("legit-%d@example.com", i), testPassword); out != outComplete || err != nil {
			s.t.Fatalf("legit user %d's first sign-in: %s %v", i, out, err)
		}
	}
	for i, a := range agents {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for first := true; ; first = false {
				if !first {
					// One sign-in per user every 2.1 s: within the login's
					// 30 a minute per IP, and the attack gets the CPU.
					select {
					case <-l.stop:
						return
					case <-time.After(2100 * time.Millisecond):
					}
				}
				out, err := a.signIn(s, fmt.Sprintf("legit-%d@example.com", i), testPassword)
				if err != nil {
					l.errMu.Lock()
					l.errs = append(l.errs, err)
					l.errMu.Unlock()
					return
				}
				l.out.add(out)
			}
		}()
	}
	return l
}

// finish stops the stream and asserts that every sign-in succeeded.
func (l *legit) finish(t *testing.T) {
	t.Helper()
	close(l.stop)
	l.wg.Wait()
	for _, err := range l.errs {
		t.Error(err)
	}
	t.Logf("legitimate users: %v", &l.out)
	if l.out.get(outComplete) == 0 {
		t.Error("no legitimate sign-in ran during the attack")
	}
	for _, bad := range []string{outFailed, outThrottled, outChallenged, outPwChange} {
		if n := l.out.get(bad); n > 0 {
			t.Errorf("%d legitimate sign-ins were %s", n, bad)
		}
	}
}

// quietRisk sets the default tenant's risk policy to notify, not
// challenge, on a new device or country: tests of other features sign
// the same user in from several fresh browsers.
func quietRisk(t *testing.T, srv *testserver.Server) {
	t.Helper()
	setRiskPolicy(t, srv, `{"new_device":"notify","new_country":"notify"}`)
}

// setRiskPolicy replaces the default tenant's risk policy.
func setRiskPolicy(t *testing.T, srv *testserver.Server, policy string) {
	t.Helper()
	r, err := srv.Admin.ReplaceRiskPolicyWithBodyWithResponse(context.Background(), "application/json", strings.NewReader(policy))
	if err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("risk policy: %v %s", err, r.Body)
	}
}

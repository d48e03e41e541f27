package clustertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
)

const adminToken = "multinode-admin-token-0123456789abcdef"

// binary is the gatehouse binary TestMain builds once.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(pgtest.DSNEnv) != "" {
		dir, err := os.MkdirTemp("", "gatehouse-multinode")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		binary = filepath.Join(dir, "gatehouse")
		out, err := exec.Command("go", "build", "-o", binary, "github.com/gatehouse-iam/gatehouse/cmd/gatehouse").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "build gatehouse: %v\n%s", err, out)
			os.Exit(1)
		}
		code := m.Run()
		_ = os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// node is one `gatehouse serve` process.
type node struct {
	url  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startNode(t *testing.T, env []string) *node {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(append(os.Environ(), env...), "GATEHOUSE_ADDR="+addr, "GATEHOUSE_DATA_DIR="+t.TempDir())
	n := &node{url: "http://" + addr, cmd: cmd, logs: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: n.logs}, &lockedWriter{w: n.logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(n.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-n.done
		}
		if t.Failed() {
			t.Logf("node %s output:\n%s", n.url, tail(n.logs.String(), 4000))
		}
	})
	return n
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func waitReady(t *testing.T, n *node) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-n.done:
			t.Fatalf("node %s exited:\n%s", n.url, tail(n.logs.String(), 4000))
		default:
		}
		if resp, err := http.Get(n.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("node %s not ready", n.url)
}

// proxy sends requests to the nodes in turn and names the node that
// answered (or failed) in X-Test-Node.
type proxy struct {
	nodes []*url.URL
	next  atomic.Uint64
}

type nodeKey struct{}

func (p *proxy) handler() http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := r.In.Context().Value(nodeKey{}).(int)
			r.SetURL(p.nodes[i])
			r.Out.Host = r.In.Host // one issuer for every node
			// The load's clients name their addresses (the nodes trust the
			// proxy), so per-address sign-in limits see many clients.
			r.Out.Header["X-Forwarded-For"] = r.In.Header["X-Forwarded-For"]
			r.SetXForwarded()
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set("X-Test-Node", strconv.Itoa(resp.Request.Context().Value(nodeKey{}).(int)))
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			w.Header().Set("X-Test-Node", strconv.Itoa(r.Context().Value(nodeKey{}).(int)))
			http.Error(w, err.Error(), http.StatusBadGateway)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(p.next.Add(1) % uint64(len(p.nodes)))
		rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nodeKey{}, i)))
	})
}

// outcome is what the load saw of one request.
type outcome struct {
	op     string
	path   string
	node   int // -1: unknown (the client never got an answer)
	status int
}

type recorder struct {
	mu       sync.Mutex
	outcomes []outcome
}

func (r *recorder) add(o outcome) {
	r.mu.Lock()
	r.outcomes = append(r.outcomes, o)
	r.mu.Unlock()
}

// call sends one request through the proxy and records its outcome.
func (r *recorder) call(t *testing.T, c *http.Client, op string, req *http.Request) (int, []byte, http.Header) {
	resp, err := c.Do(req)
	if err != nil {
		r.add(outcome{op: op, path: req.URL.Path, node: -1})
		return 0, nil, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	n := -1
	if v := resp.Header.Get("X-Test-Node"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	r.add(outcome{op: op, path: req.URL.Path, node: n, status: resp.StatusCode})
	if resp.StatusCode >= 400 && resp.StatusCode != http.StatusBadGateway && op != "converge" {
		t.Logf("%s %s: %d on node %d: %s", req.Method, req.URL.Path, resp.StatusCode, n, tail(string(body), 300))
	}
	return resp.StatusCode, body, resp.Header
}

func form(method, u string, v url.Values, user, pass string) *http.Request {
	req, _ := http.NewRequest(method, u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	return req
}

func adminJSON(method, u string, body any) *http.Request {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, u, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return req
}

// family is one refresh-token chain a worker rotates.
type family struct {
	token     string
	rotations int  // successful rotations the client saw
	uncertain bool // a rotation's answer was lost: it may or may not have committed
}

func TestThreeNodesSurviveSIGKILL(t *testing.T) {
	if os.Getenv(pgtest.DSNEnv) == "" && os.Getenv("CI") != "" {
		t.Fatal(pgtest.DSNEnv + " is not set: CI runs the multi-node test on PostgreSQL")
	}
	dbURL := pgtest.SchemaURL(t, "multinode")
	ctx := t.Context()

	// The proxy listens first: its address is every node's issuer.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	env := []string{
		"GATEHOUSE_DATABASE=" + dbURL, "GATEHOUSE_ISSUER=" + issuer, "GATEHOUSE_ADMIN_TOKEN=" + adminToken,
		"GATEHOUSE_SECRET_KEY=multinode-secret-key-0123456789abcdef0123456789", "GATEHOUSE_AUTO_MIGRATE=true",
		"GATEHOUSE_ARGON2_MEMORY_KIB=8192", "GATEHOUSE_ARGON2_TIME=1", "GATEHOUSE_LOG_LEVEL=warn",
		"GATEHOUSE_TRUSTED_PROXIES=127.0.0.1/32", "GATEHOUSE_SHUTDOWN_TIMEOUT=5s",
	}
	if r := os.Getenv("GATEHOUSE_TEST_REDIS_URL"); r != "" {
		env = append(env, "GATEHOUSE_REDIS_URL="+r)
	}
	// All three start together on an empty schema: one migrates while the
	// others wait for its lock, and they make one key per algorithm.
	nodes := []*node{startNode(t, env), startNode(t, env), startNode(t, env)}
	for _, n := range nodes {
		waitReady(t, n)
	}
	px := &proxy{}
	for _, n := range nodes {
		u, _ := url.Parse(n.url)
		px.nodes = append(px.nodes, u)
	}
	srv := &http.Server{Handler: px.handler()}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	rec := &recorder{}
	c := &http.Client{Timeout: 15 * time.Second}

	// A confidential client for client credentials, a first-party public
	// client for code flows with refresh tokens.
	code, body, _ := rec.call(t, c, "setup", adminJSON("POST", issuer+"/admin/v1/clients", map[string]any{
		"client_name": "svc", "grant_types": []string{"client_credentials"}}))
	if code != http.StatusCreated {
		t.Fatalf("create client: %d %s", code, body)
	}
	var svc struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	_ = json.Unmarshal(body, &svc)
	const redirect = "http://127.0.0.1:9/callback"
	code, body, _ = rec.call(t, c, "setup", adminJSON("POST", issuer+"/admin/v1/clients", map[string]any{
		"client_name": "spa", "redirect_uris": []string{redirect}, "grant_types": []string{"authorization_code", "refresh_token"},
		"token_endpoint_auth_method": "none", "scope": "openid offline_access", "metadata": map[string]any{"first_party": true}}))
	if code != http.StatusCreated {
		t.Fatalf("create client: %d %s", code, body)
	}
	var spa struct {
		ClientID string `json:"client_id"`
	}
	_ = json.Unmarshal(body, &spa)

	// A webhook for every event, to a receiver that answers slowly, so a
	// node is often killed between sending and recording a delivery.
	hooks := newReceiver(t, 100*time.Millisecond)
	code, body, _ = rec.call(t, c, "setup", adminJSON("POST", issuer+"/admin/v1/webhooks", map[string]any{"url": hooks.url}))
	var hook struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	if code != http.StatusCreated || json.Unmarshal(body, &hook) != nil || hook.Secret == "" {
		t.Fatalf("create webhook: %d %s", code, body)
	}
	hooks.secret.Store(&hook.Secret)

	// Code flows through the proxy: each worker signs a user in and keeps
	// rotating that user's refresh token.
	const workers = 6
	families := make([]*family, workers)
	for w := range workers {
		email := fmt.Sprintf("worker%d@example.com", w)
		pw := password()
		if code, body, _ := rec.call(t, c, "setup", adminJSON("POST", issuer+"/admin/v1/users", map[string]any{"email": email, "password": pw})); code != http.StatusCreated {
			t.Fatalf("create user: %d %s", code, body)
		}
		families[w] = &family{token: codeFlow(t, rec, issuer, spa.ClientID, redirect, email, pw)}
	}

	// The mixed load, for a bounded time; one node is killed midway.
	const (
		loadFor = 12 * time.Second
		killAt  = 5 * time.Second
		victim  = 1
	)
	var (
		createdMu sync.Mutex
		created   []string
		flows     atomic.Int64 // code flows completed under load
	)
	loadCtx, stop := context.WithTimeout(ctx, loadFor)
	defer stop()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			f := families[w]
			for i := 0; loadCtx.Err() == nil; i++ {
				switch i % 3 {
				case 0:
					code, body, _ := rec.call(t, c, "create-user", adminJSON("POST", issuer+"/admin/v1/users",
						map[string]any{"email": fmt.Sprintf("load-%d-%d@example.com", w, i)}))
					if code == http.StatusCreated {
						var u struct {
							ID string `json:"id"`
						}
						if json.Unmarshal(body, &u) != nil || u.ID == "" {
							t.Errorf("201 without a user: %s", body)
							continue
						}
						createdMu.Lock()
						created = append(created, u.ID)
						createdMu.Unlock()
					}
				case 1:
					if i%12 == 1 { // now and then a new user signs in
						email := fmt.Sprintf("flow-%d-%d@example.com", w, i)
						pw := password()
						code, _, _ := rec.call(t, c, "code-flow", adminJSON("POST", issuer+"/admin/v1/users", map[string]any{"email": email, "password": pw}))
						if code != http.StatusCreated {
							continue
						}
						if _, err := signIn(t, rec, "code-flow", issuer, spa.ClientID, redirect, email, pw); err != nil && !errors.Is(err, errNodeDown) {
							t.Errorf("code flow: %v", err)
						} else if err == nil {
							flows.Add(1)
						}
						continue
					}
					rec.call(t, c, "client-credentials", form("POST", issuer+"/oauth/token",
						url.Values{"grant_type": {"client_credentials"}}, svc.ClientID, svc.ClientSecret))
				case 2:
					if f.uncertain {
						continue
					}
					code, body, _ := rec.call(t, c, "refresh", form("POST", issuer+"/oauth/token",
						url.Values{"grant_type": {"refresh_token"}, "refresh_token": {f.token}, "client_id": {spa.ClientID}}, "", ""))
					switch {
					case code == http.StatusOK:
						var tok struct {
							RefreshToken string `json:"refresh_token"`
						}
						if json.Unmarshal(body, &tok) != nil || tok.RefreshToken == "" {
							t.Errorf("refresh answered 200 without a refresh token: %s", body)
							continue
						}
						f.token = tok.RefreshToken
						f.rotations++
					case code == 0 || code == http.StatusBadGateway:
						f.uncertain = true // the node died with the request
					}
				}
			}
		})
	}
	// The webhook receiver stops answering for the last 2 s before the
	// kill (within the workers' 10 s request timeout), so the victim most
	// likely dies with deliveries sent and not recorded.
	time.Sleep(killAt - 2*time.Second)
	hooks.hold()
	time.Sleep(2 * time.Second)
	if err := nodes[victim].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-nodes[victim].done
	killed := time.Now() // the victim sends nothing after this
	hooks.release()
	wg.Wait()

	// Only requests the killed node served failed.
	byOp := map[string][2]int{}
	for _, o := range rec.outcomes {
		ok := o.status >= 200 && o.status < 400 // /authorize answers 302
		counts := byOp[o.op]
		if ok {
			counts[0]++
		} else {
			counts[1]++
		}
		byOp[o.op] = counts
		if !ok && o.node != victim {
			t.Errorf("%s (%s) failed with %d on node %d, which was not killed", o.op, o.path, o.status, o.node)
		}
	}
	t.Logf("requests (ok, failed) by operation: %v", byOp)
	t.Logf("%d code flows completed under load", flows.Load())
	if byOp["create-user"][0] == 0 || byOp["client-credentials"][0] == 0 || byOp["refresh"][0] == 0 || flows.Load() == 0 {
		t.Fatalf("the load did not exercise every operation: %v", byOp)
	}

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var keys int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM signing_keys`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 2 {
		t.Errorf("%d signing keys after three nodes started together, want 2 (RS256, ES256)", keys)
	}

	// Every 2xx create is in the database.
	var found int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = ANY($1)`, created).Scan(&found); err != nil {
		t.Fatal(err)
	}
	if found != len(created) {
		t.Fatalf("%d of %d users created with 201 are in the database", found, len(created))
	}
	t.Logf("%d users created with 201, all stored", len(created))

	// A change on one surviving node shows on the other within a second.
	a, b := nodes[0].url, nodes[2].url
	tokenOn := func(base, secret string) string {
		code, body, _ := rec.call(t, c, "converge", form("POST", base+"/oauth/token", url.Values{"grant_type": {"client_credentials"}}, svc.ClientID, secret))
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if code != http.StatusOK || json.Unmarshal(body, &tok) != nil {
			return ""
		}
		return tok.AccessToken
	}
	if tokenOn(b, svc.ClientSecret) == "" {
		t.Fatal("node 2 refuses the client")
	}
	code, body, _ = rec.call(t, c, "converge", adminJSON("POST", a+"/admin/v1/clients/"+svc.ClientID+"/secret", nil))
	var rotated struct {
		ClientSecret string `json:"client_secret"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &rotated) != nil {
		t.Fatalf("rotate secret: %d %s", code, body)
	}
	converged(t, "node 2 refuses the old client secret and accepts the new one", func() bool {
		return tokenOn(b, svc.ClientSecret) == "" && tokenOn(b, rotated.ClientSecret) != ""
	})
	tok := tokenOn(a, rotated.ClientSecret)
	introspect := func(base string) bool {
		code, body, _ := rec.call(t, c, "converge", form("POST", base+"/oauth/introspect", url.Values{"token": {tok}}, svc.ClientID, rotated.ClientSecret))
		var out struct {
			Active bool `json:"active"`
		}
		if code != http.StatusOK || json.Unmarshal(body, &out) != nil {
			t.Fatalf("introspect: %d %s", code, body)
		}
		return out.Active
	}
	if !introspect(b) {
		t.Fatal("node 2 does not verify node 0's token")
	}
	if code, body, _ := rec.call(t, c, "converge", form("POST", a+"/revoke", url.Values{"token": {tok}}, svc.ClientID, rotated.ClientSecret)); code != http.StatusOK {
		t.Fatalf("revoke: %d %s", code, body)
	}
	converged(t, "node 2 introspects a token revoked on node 0 as inactive", func() bool { return !introspect(b) })

	// Refresh families: no rotation lost or doubled. A family whose last
	// answer was lost has one more token if that rotation committed.
	for w, f := range families {
		h := sha256.Sum256([]byte(f.token))
		var total, usable int
		var familyID string
		err := conn.QueryRow(ctx, `SELECT family_id FROM refresh_tokens WHERE token_hash = $1`, h[:]).Scan(&familyID)
		if err != nil {
			t.Fatalf("worker %d: the last refresh token it got is not stored: %v", w, err)
		}
		if err := conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE rotated_at IS NULL AND revoked_at IS NULL)
			FROM refresh_tokens WHERE family_id = $1`, familyID).Scan(&total, &usable); err != nil {
			t.Fatal(err)
		}
		want := f.rotations + 1
		if total != want && !(f.uncertain && total == want+1) || usable != 1 {
			t.Errorf("worker %d: family has %d tokens (%d usable) after %d rotations (answer lost: %v)", w, total, usable, f.rotations, f.uncertain)
		}
		if !f.uncertain { // the last token still works, on any node
			code, body, _ := rec.call(t, c, "final-refresh", form("POST", issuer+"/oauth/token",
				url.Values{"grant_type": {"refresh_token"}, "refresh_token": {f.token}, "client_id": {spa.ClientID}}, "", ""))
			if code != http.StatusOK && code != http.StatusBadGateway {
				t.Errorf("worker %d: its last refresh token is refused: %d %s", w, code, body)
			}
		}
	}

	checkWebhooks(t, conn, hooks, hook.ID, killed)

}

// codeFlow signs a user in through the proxy with the headless login API
// and returns the refresh token; it fails the test if any step fails.
func codeFlow(t *testing.T, rec *recorder, issuer, clientID, redirect, email, pw string) string {
	t.Helper()
	rt, err := signIn(t, rec, "setup", issuer, clientID, redirect, email, pw)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

var flowSeq atomic.Int64

// headerTransport sets one request header.
type headerTransport struct{ name, value string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// errNodeDown: a step got no answer or a 502 (the node died); the outcome
// is recorded, the flow abandoned.
var errNodeDown = errors.New("a step's node is down")

// signIn runs a code flow as a browser and a single-page app do: /authorize,
// the headless login API, the code exchange, each step through the proxy
// and so, in general, on another node. Each step's outcome is recorded
// under op.
func signIn(t *testing.T, rec *recorder, op, issuer, clientID, redirect, email, pw string) (string, error) {
	jar, _ := cookiejar.New(nil)
	n := flowSeq.Add(1)
	addr := fmt.Sprintf("10.0.%d.%d", n/250%250, n%250+1) // a client address of its own
	browser := &http.Client{Jar: jar, Timeout: 15 * time.Second, Transport: headerTransport{"X-Forwarded-For", addr},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	down := func(code int) bool { return code == 0 || code == http.StatusBadGateway }
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect},
		"scope": {"openid offline_access"}, "state": {rand.Text()}, "nonce": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	req, _ := http.NewRequest(http.MethodGet, issuer+"/authorize?"+q.Encode(), nil)
	code, _, h := rec.call(t, browser, op, req)
	if down(code) {
		return "", errNodeDown
	}
	login, err := url.Parse(h.Get("Location"))
	if err != nil || login.Query().Get("authRequestID") == "" {
		return "", fmt.Errorf("/authorize answered %d, Location %q", code, h.Get("Location"))
	}
	b, _ := json.Marshal(map[string]string{"auth_request_id": login.Query().Get("authRequestID"), "identifier": email, "password": pw})
	req, _ = http.NewRequest(http.MethodPost, issuer+"/login/api/authenticate", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	code, body, _ := rec.call(t, browser, op, req)
	if down(code) {
		return "", errNodeDown
	}
	var res struct {
		Status     string `json:"status"`
		RedirectTo string `json:"redirect_to"`
	}
	if json.Unmarshal(body, &res) != nil || res.Status != "complete" {
		return "", fmt.Errorf("login API: %d %s", code, body)
	}
	back, err := url.Parse(res.RedirectTo)
	if err != nil || back.Query().Get("code") == "" {
		return "", fmt.Errorf("login redirect %q has no code", res.RedirectTo)
	}
	code, body, _ = rec.call(t, browser, op, form("POST", issuer+"/oauth/token", url.Values{"grant_type": {"authorization_code"},
		"code": {back.Query().Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}, "client_id": {clientID}}, "", ""))
	if down(code) {
		return "", errNodeDown
	}
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.RefreshToken == "" {
		return "", fmt.Errorf("code exchange: %d %s", code, body)
	}
	return tok.RefreshToken, nil
}

// converged polls cond until it holds, for at most a second (the bus
// delivers in milliseconds; the caches' TTLs are 2-30 s), and logs how
// long it took.
func converged(t *testing.T, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > time.Second {
			t.Fatalf("%s: not within a second", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("%s after %v", what, time.Since(start).Round(time.Millisecond))
}

// password is a random password the breached-password check accepts: its
// Bloom filter answers "breached" for about one random string in a
// thousand, and a refused create would count as a failure on a live node.
func password() string {
	for {
		if pw := rand.Text(); !passpolicy.Embedded().Contains(pw) {
			return pw
		}
	}
}

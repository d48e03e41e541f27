package cli_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// privateRedis is a redis-server of the test's own on a free loopback port,
// which the test may kill and restart (the shared one on 6379 is never
// touched).
type privateRedis struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed")
		}
		t.Skip("redis-server is not installed: skipping the Redis failure test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &privateRedis{t: t, port: ln.Addr().(*net.TCPAddr).Port}
	_ = ln.Close()
	r.start()
	t.Cleanup(r.kill)
	return r
}

func (r *privateRedis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *privateRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", fmt.Sprint(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	for deadline := time.Now().Add(hangGuard); ; time.Sleep(10 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.port)); err == nil {
			_ = c.Close()
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatal("redis-server did not listen")
		}
	}
}

// kill ends the server as a crash would (SIGKILL), with its data.
func (r *privateRedis) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// authenticate starts a code flow and posts the password to the login API;
// it returns the status and body of that sign-in step.
func authenticate(t *testing.T, b *http.Client, p *proc, clientID, email, password string) (int, string) {
	t.Helper()
	sum := sha256.Sum256([]byte(strings.Repeat("v", 50)))
	q := url.Values{"client_id": {clientID}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s1"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	resp := opsDo(t, b, http.MethodGet, p.url+"/authorize?"+q.Encode(), "", nil, nil)
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize: %d without a redirect", resp.StatusCode)
	}
	body, _ := json.Marshal(map[string]string{"auth_request_id": loc.Query().Get("authRequestID"), "identifier": email, "password": password})
	req, _ := http.NewRequest(http.MethodPost, p.url+"/login/api/authenticate", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	// A plain client: during the outage the answer is a 503 problem.
	c := &http.Client{Jar: b.Jar, Timeout: 30 * time.Second, CheckRedirect: b.CheckRedirect}
	resp, err = c.Do(req)
	if err != nil {
		t.Fatalf("authenticate: %v (hung?)", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// Redis dies under a node and comes back. With GATEHOUSE_REDIS_FAILURE=open
// sign-ins go on under limits in the node's memory; with closed they are
// refused with the 503 unavailable problem. Either way the transition is
// logged once, the gatehouse_ratelimit_shared_up gauge drops to 0, and the
// node goes back to Redis by itself when it returns.
func TestServeRedisFailure(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"open", "closed"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			rd := startPrivateRedis(t)
			env := baseEnv(t, sqliteURL(t))
			env["GATEHOUSE_REDIS_URL"], env["GATEHOUSE_REDIS_FAILURE"] = rd.url(), mode
			srv := opsServe(t, env)
			b := opsBrowser(t)
			const email, password = "grace@example.org", "correct horse battery staple"
			opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/users", opsAdminToken,
				map[string]any{"email": email, "password": password, "email_verified": true}, &map[string]any{})
			var web map[string]any
			opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/clients", opsAdminToken, map[string]any{
				"client_name": "Web", "redirect_uris": []string{"http://127.0.0.1:9/cb"}, "grant_types": []string{"authorization_code"},
				"response_types": []string{"code"}, "scope": "openid", "metadata": map[string]any{"first_party": true}}, &web)
			webID, _ := web["client_id"].(string)
			webSecret, _ := web["client_secret"].(string)
			if code := signIn(t, b, srv, webID, webSecret, email, password); code != http.StatusOK {
				t.Fatalf("sign-in with Redis up: %d", code)
			}

			rd.kill()
			for range 2 { // the second attempt meets a Failover that already knows
				code, body := authenticate(t, b, srv, webID, email, password)
				switch mode {
				case "open":
					if code != http.StatusOK || !strings.Contains(body, `"complete"`) {
						t.Fatalf("sign-in with Redis down, open: %d %s", code, body)
					}
				case "closed":
					if code != http.StatusServiceUnavailable || !strings.Contains(body, "urn:gatehouse:problem:unavailable") ||
						strings.Contains(body, "127.0.0.1") || strings.Contains(body, "refused") {
						t.Fatalf("sign-in with Redis down, closed: %d %s", code, body)
					}
				}
			}
			// The hosted pages' own limits (here the device page's user-code
			// guesses) follow the same mode.
			resp, err := http.Get(srv.url + "/device?user_code=BCDF-GHJK") // a page: not in the contract
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			switch {
			case mode == "open" && resp.StatusCode >= 500, mode == "closed" && resp.StatusCode != http.StatusServiceUnavailable:
				t.Fatalf("device page with Redis down, %s: %d", mode, resp.StatusCode)
			}
			if m := string(fetch(t, srv.url+"/metrics")); !strings.Contains(m, "gatehouse_ratelimit_shared_up 0") {
				t.Errorf("metrics while Redis is down lack gatehouse_ratelimit_shared_up 0")
			}
			if n := strings.Count(srv.stderr.String(), "Redis unreachable"); n != 1 {
				t.Errorf("the outage is logged %d times, want once\n%s", n, srv.stderr)
			}

			rd.start()
			// The node probes Redis again at most a second after its last try.
			for deadline := time.Now().Add(hangGuard); ; time.Sleep(200 * time.Millisecond) {
				code, _ := authenticate(t, b, srv, webID, email, password)
				if code == http.StatusOK && strings.Contains(srv.stderr.String(), "Redis is back") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no recovery after Redis returned: %d\n%s", code, srv.stderr)
				}
			}
			if code := signIn(t, b, srv, webID, webSecret, email, password); code != http.StatusOK {
				t.Fatalf("sign-in after Redis returned: %d", code)
			}
			if m := string(fetch(t, srv.url+"/metrics")); !strings.Contains(m, "gatehouse_ratelimit_shared_up 1") {
				t.Errorf("metrics after recovery lack gatehouse_ratelimit_shared_up 1")
			}
			if code := srv.stop(); code != 0 {
				t.Fatalf("exit %d\n%s", code, srv.stderr)
			}
		})
	}
}

package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
)

// PostgreSQL goes away under a running node and comes back: /readyz turns
// 503 while it is away, requests that need it fail with the 503
// unavailable problem (Retry-After, no driver text) instead of hanging or
// answering 500, and the node recovers by itself. The test runs a private
// cluster: the shared server is never stopped.
func TestServePostgresOutage(t *testing.T) {
	t.Parallel()
	pg := pgtest.StartCluster(t)
	const adminToken = "outage-test-admin-token-0123456789ab"
	env := serveEnv(baseEnv(t, pg.DSN()))
	env["GATEHOUSE_ADMIN_TOKEN"] = adminToken
	p := startServe(t, env)
	p.waitReady()
	// A client bounded well above the store's connect and acquire bounds: a
	// hang fails the test, the durations are only logged.
	client := &http.Client{Timeout: 30 * time.Second}
	do := func(method, path, body string, hdr map[string]string) (int, http.Header, string, time.Duration) {
		t.Helper()
		req, err := http.NewRequest(method, p.url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		began := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v (the request hung or the node died)\n%s", method, path, err, p.stderr)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b), time.Since(began)
	}
	admin := map[string]string{"Authorization": "Bearer " + adminToken, "Content-Type": "application/json"}
	if code, _, body, _ := do("POST", "/admin/v1/users", `{"email":"before@example.com"}`, admin); code != http.StatusCreated {
		t.Fatalf("create user before the outage: %d %s", code, body)
	}

	pg.Stop()
	waitReadyz(t, p, http.StatusServiceUnavailable)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"no-such-client"}, "client_secret": {"x"}}.Encode()
	for _, r := range []struct {
		method, path, body string
		hdr                map[string]string
	}{
		{"GET", "/admin/v1/users", "", admin},
		{"POST", "/admin/v1/users", `{"email":"during@example.com"}`, admin},
		{"POST", "/oauth/token", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
	} {
		code, hdr, body, took := do(r.method, r.path, r.body, r.hdr)
		t.Logf("%s %s during the outage: %d in %v", r.method, r.path, code, took.Round(time.Millisecond))
		var prob struct{ Type string }
		_ = json.Unmarshal([]byte(body), &prob)
		if code != http.StatusServiceUnavailable || prob.Type != "urn:gatehouse:problem:unavailable" ||
			!strings.HasPrefix(hdr.Get("Content-Type"), "application/problem+json") || hdr.Get("Retry-After") == "" {
			t.Errorf("%s %s during the outage: %d %v\n%s", r.method, r.path, code, hdr, body)
		}
		for _, leak := range []string{"dial", "connect", "SQLSTATE", "127.0.0.1", "pgx", "postgres"} {
			if strings.Contains(strings.ToLower(body), strings.ToLower(leak)) {
				t.Errorf("%s %s: the problem quotes the driver (%q): %s", r.method, r.path, leak, body)
			}
		}
	}
	if code, _, _, _ := do("GET", "/healthz", "", nil); code != http.StatusOK {
		t.Errorf("/healthz during the outage: %d (liveness must not depend on the database)", code)
	}

	pg.Start()
	waitReadyz(t, p, http.StatusOK)
	if code, _, body, _ := do("POST", "/admin/v1/users", `{"email":"after@example.com"}`, admin); code != http.StatusCreated {
		t.Fatalf("create user after the outage: %d %s", code, body)
	}
	code, _, body, _ := do("GET", "/admin/v1/users", "", admin)
	if code != http.StatusOK || !strings.Contains(body, "before@example.com") || !strings.Contains(body, "after@example.com") {
		t.Fatalf("list users after the outage: %d %s", code, body)
	}
	if code := p.stop(); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, p.stderr)
	}
}

// waitReadyz polls /readyz until it answers want.
func waitReadyz(t *testing.T, p *proc, want int) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(hangGuard)
	for {
		resp, err := client.Get(p.url + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never answered %d (last: %v)\n%s", want, err, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

package cli_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testnet"
)

// With GATEHOUSE_OPS_ADDR, serve opens a second listener for /metrics,
// /healthz and /readyz; /metrics leaves the main listener (404 there), the
// probes stay on both. The metrics token works there too and is never
// logged.
func TestServeOpsListener(t *testing.T) {
	t.Parallel()
	const token = "ops-metrics-token-0123456789"
	env := serveEnv(baseEnv(t, sqliteURL(t)))
	ops := "127.0.0.1:" + strconv.Itoa(testnet.FreePort(t))
	env["GATEHOUSE_OPS_ADDR"] = ops
	env["GATEHOUSE_METRICS_TOKEN"] = token
	env["GATEHOUSE_METRICS_ALLOW"] = "none"
	p := startServe(t, env)
	p.waitReady()

	get := func(url, auth string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		url, auth, want string
		status          int
	}{
		{"http://" + ops + "/metrics", token, "go_goroutines", 200},
		{"http://" + ops + "/metrics", "", "urn:gatehouse:problem:forbidden", 403},
		{"http://" + ops + "/metrics", "wrong-" + token, "urn:gatehouse:problem:unauthorized", 401},
		{"http://" + ops + "/healthz", "", `"ok"`, 200},
		{"http://" + ops + "/readyz", "", `"ok"`, 200},
		{"http://" + ops + "/admin/v1/users", testSecretKey, "urn:gatehouse:problem:not-found", 404},
		{"http://" + ops + "/.well-known/openid-configuration", "", "urn:gatehouse:problem:not-found", 404},
		{p.url + "/metrics", token, "urn:gatehouse:problem:not-found", 404},
		{p.url + "/healthz", "", `"ok"`, 200},
	} {
		if status, body := get(tc.url, tc.auth); status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d %.200s; want %d with %s", tc.url, status, body, tc.status, tc.want)
		}
	}
	if code := p.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(p.stderr.String(), token) || !strings.Contains(p.stderr.String(), `"ops_addr":"`+ops+`"`) {
		t.Errorf("want ops_addr in the startup line and never the token:\n%s", p.stderr)
	}
}

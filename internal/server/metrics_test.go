package server_test

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const metricsToken = "metrics-token-0123456789abcdef"

// scrape returns the HTTP request series of /metrics (one line each).
func scrape(t *testing.T, s *testserver.Server) []string {
	t.Helper()
	resp, err := s.HTTP.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %v", resp.StatusCode, err)
	}
	var series []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "gatehouse_http_") {
			series = append(series, l[:strings.LastIndexByte(l, ' ')])
		}
	}
	return series
}

// send sends one request outside the contract and returns its status.
func send(t *testing.T, s *testserver.Server, method, path string) int {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.HTTP.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// An attacker who sends unique methods and unique paths adds no series:
// an unknown method is refused (405) and labelled OTHER, and routes are
// labelled by pattern. Only the first request of each kind may add one.
func TestUniqueMethodsAndPathsAddNoSeries(t *testing.T) {
	s := testserver.New(t, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	method := func() string { return "X" + strings.Repeat(strings.ToUpper(rand.Text()), 80)[:2047] } // 2 KB
	paths := []string{"/", "/oauth/token", "/authorize", "/t/%s/oauth/token", "/t/%s/authorize", "/%s", "/t/%s/login",
		"/admin/v1/users/%s", "/t/default/v1/me/sessions/%s", "/login/assets/%s", "/t/default/keys", "/t/%s/userinfo"}
	var segments []string // the random path segments sent
	round := func() {
		for _, p := range paths {
			seg := strings.ToLower(rand.Text())
			segments = append(segments, seg)
			path := strings.ReplaceAll(p, "%s", seg)
			if got := send(t, s, method(), path); got != http.StatusMethodNotAllowed {
				t.Fatalf("a 2 KB method on %s: %d, want 405", path, got)
			}
			for _, m := range []string{"GET", "POST", "DELETE"} {
				if got := send(t, s, m, path); got >= 500 {
					t.Fatalf("%s %s: %d", m, path, got)
				}
			}
		}
	}
	round()
	scrape(t, s) // the scrape's own series
	before := scrape(t, s)
	for range 20 {
		round()
	}
	after := scrape(t, s)
	if len(after) != len(before) {
		t.Errorf("%d series before, %d after 20 rounds of unique methods and paths; new ones:", len(before), len(after))
		for _, l := range after {
			if !strings.Contains(strings.Join(before, "\n"), l) {
				t.Log(l)
			}
		}
	}
	all := strings.Join(after, "\n")
	if strings.Contains(all, `method="X`) {
		t.Error("a raw method is a label")
	}
	for _, seg := range segments {
		if strings.Contains(all, seg) {
			t.Fatalf("a raw path segment is in a label: %s", seg)
		}
	}
	if !strings.Contains(all, `gatehouse_http_requests_total{method="OTHER",route="unmatched",status="405"}`) {
		t.Errorf("no OTHER series for the refused methods:\n%s", all)
	}
}

// /metrics answers loopback and private clients, and others only with the
// metrics token. The client is the one GATEHOUSE_TRUSTED_PROXIES resolves:
// a trusted proxy's X-Forwarded-For counts, anybody else's does not.
func TestMetricsAccess(t *testing.T) {
	behindProxy := testserver.New(t, testserver.Options{Env: map[string]string{
		"GATEHOUSE_TRUSTED_PROXIES": "127.0.0.1/32", "GATEHOUSE_METRICS_TOKEN": metricsToken}})
	direct := testserver.New(t, testserver.Options{})
	tokenOnly := testserver.New(t, testserver.Options{Env: map[string]string{
		"GATEHOUSE_METRICS_ALLOW": "none", "GATEHOUSE_METRICS_TOKEN": metricsToken}})
	for _, tc := range []struct {
		name          string
		s             *testserver.Server
		xff, auth     string
		status        int
		problem, hint string
	}{
		{"loopback", behindProxy, "", "", 200, "", ""},
		{"private client behind the proxy", behindProxy, "10.1.2.3", "", 200, "", ""},
		{"IPv6 private client", behindProxy, "fd00::7", "", 200, "", ""},
		{"public client", behindProxy, "203.0.113.9", "", 403, "urn:gatehouse:problem:forbidden", "GATEHOUSE_METRICS_ALLOW"},
		{"public client behind two proxies", behindProxy, "10.0.0.1, 203.0.113.9", "", 403, "urn:gatehouse:problem:forbidden", ""},
		{"public client with the token", behindProxy, "203.0.113.9", "Bearer " + metricsToken, 200, "", ""},
		{"public client, token scheme in lower case", behindProxy, "203.0.113.9", "bearer " + metricsToken, 200, "", ""},
		{"public client with a wrong token", behindProxy, "203.0.113.9", "Bearer " + metricsToken + "x", 401, "urn:gatehouse:problem:unauthorized", ""},
		{"public client with a token prefix", behindProxy, "203.0.113.9", "Bearer " + metricsToken[:16], 401, "urn:gatehouse:problem:unauthorized", ""},
		{"public client with the admin token", behindProxy, "203.0.113.9", "Bearer " + testserver.AdminToken, 401, "urn:gatehouse:problem:unauthorized", ""},
		{"public client with Basic", behindProxy, "203.0.113.9", "Basic " + metricsToken, 401, "urn:gatehouse:problem:unauthorized", ""},
		{"forged X-Forwarded-For without a trusted proxy", direct, "203.0.113.9", "", 200, "", ""},
		{"no token configured", direct, "", "Bearer ", 200, "", ""},
		{"no address allowed", tokenOnly, "", "", 403, "urn:gatehouse:problem:forbidden", ""},
		{"no address allowed, with the token", tokenOnly, "", "Bearer " + metricsToken, 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, tc.s.URL+"/metrics", nil)
			if tc.xff != "" {
				req.Header.Set("X-Forwarded-For", tc.xff)
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			resp, err := tc.s.HTTP.Do(req) // contract-checked, 401 and 403 included
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			if tc.status == 200 {
				if !strings.Contains(string(b), "go_goroutines") {
					t.Fatalf("no metrics in %.300s", b)
				}
				return
			}
			var p struct{ Type, Detail string }
			if err := json.Unmarshal(b, &p); err != nil || p.Type != tc.problem || !strings.Contains(p.Detail, tc.hint) {
				t.Fatalf("problem %+v (%v), want %s", p, err, tc.problem)
			}
			if strings.Contains(string(b), "gatehouse_") {
				t.Fatalf("a refusal shows metrics: %.300s", b)
			}
		})
	}
	if logs := behindProxy.Logs.String(); strings.Contains(logs, metricsToken[:16]) {
		t.Error("the metrics token was logged")
	}
}

package cli_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testnet"
)

// In dev mode, with GATEHOUSE_ISSUER unset, serve advertises the address
// it listens on (localhost for an unspecified host), not the default
// http://localhost:8080 where nothing may listen, and its startup line says
// where the issuer came from. A configured issuer is kept as it is.
func TestServeDerivesIssuerFromAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, host, issuer, want string
	}{
		{"loopback", "127.0.0.1", "", "http://127.0.0.1:%d"},
		{"unspecified", "0.0.0.0", "", "http://localhost:%d"},
		{"configured", "127.0.0.1", "http://gatehouse.test:1234", "http://gatehouse.test:1234"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			port := testnet.FreePort(t)
			env := serveEnv(baseEnv(t, sqliteURL(t)))
			env["GATEHOUSE_ADDR"] = net.JoinHostPort(tc.host, strconv.Itoa(port))
			if tc.issuer != "" {
				env["GATEHOUSE_ISSUER"] = tc.issuer
			}
			want := strings.Replace(tc.want, "%d", strconv.Itoa(port), 1)
			p := startServe(t, env)
			p.waitReady()
			var disc struct {
				Issuer                string `json:"issuer"`
				AuthorizationEndpoint string `json:"authorization_endpoint"`
			}
			resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/.well-known/openid-configuration")
			if err != nil {
				t.Fatal(err)
			}
			err = json.NewDecoder(resp.Body).Decode(&disc)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if disc.Issuer != want || !strings.HasPrefix(disc.AuthorizationEndpoint, want+"/") {
				t.Fatalf("discovery: issuer %q, authorization_endpoint %q; want %s", disc.Issuer, disc.AuthorizationEndpoint, want)
			}
			var ready struct {
				Issuer     string `json:"issuer"`
				IssuerFrom string `json:"issuer_from"`
			}
			for _, l := range strings.Split(p.stderr.String(), "\n") {
				if strings.Contains(l, `"msg":"gatehouse ready"`) {
					if err := json.Unmarshal([]byte(l), &ready); err != nil {
						t.Fatal(err)
					}
				}
			}
			wantFrom := "GATEHOUSE_ADDR"
			if tc.issuer != "" {
				wantFrom = "GATEHOUSE_ISSUER"
			}
			if ready.Issuer != want || !strings.Contains(ready.IssuerFrom, wantFrom) {
				t.Fatalf("startup line: issuer %q from %q; want %s from %s", ready.Issuer, ready.IssuerFrom, want, wantFrom)
			}
			if code := p.stop(); code != 0 {
				t.Fatalf("exit %d", code)
			}
		})
	}
}

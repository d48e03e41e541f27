package gateway_test

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/gateway"
)

// The forward-auth snippets of docs/gateway.md, run for real: Debian's
// nginx (auth_request) and Caddy (forward_auth) on loopback, in front of
// the test upstream, asking the gateway's /forward-auth.

func needBinary(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil { // /usr/sbin is not on every PATH
		if _, serr := os.Stat("/usr/sbin/" + name); serr == nil {
			return "/usr/sbin/" + name
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed; CI requires the forward-auth tests (apt-get install %s)", name, name)
		}
		t.Skipf("%s not installed: skipping the %s forward-auth test", name, name)
	}
	return p
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runProxy starts cmd and waits until addr accepts connections.
func runProxy(t *testing.T, cmd *exec.Cmd, addr string) *bytes.Buffer {
	t.Helper()
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			_ = c.Close()
			return out
		}
		select {
		case <-done:
			t.Fatalf("%s exited:\n%s", cmd.Path, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not listen on %s:\n%s", cmd.Path, addr, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// proxyFixture is the gateway the proxies ask, and the upstream they protect.
func proxyFixture(t *testing.T) (*issuer, *upstream, string) {
	t.Helper()
	is := newIssuer(t)
	up := newUpstream(t, "main")
	cfg := `
issuer: ` + is.URL + `
routes:
  - name: api
    match: { path_prefix: /api/ }
    auth: { mode: jwt, audience: ` + billingAud + `, scopes: [invoices:read] }
    rate_limit: { per: subject, requests: 3, window_seconds: 60 }
  - name: open
    match: { path_prefix: /open/ }
    auth: { mode: none }
`
	_, gw, _ := startGateway(t, cfg, gateway.Options{TrustedProxies: loopback()})
	return is, up, strings.TrimPrefix(gw, "http://")
}

var spoofed = map[string]string{"X-Gatehouse-Subject": "admin", "X_Gatehouse_Subject": "admin", "X-Gatehouse-Org": "org-admin",
	"x-gatehouse-scopes": "admin:all"}

// checkThroughProxy runs the same story through a proxy at base.
func checkThroughProxy(t *testing.T, is *issuer, base string) {
	t.Helper()
	tok := is.token(t, map[string]any{"sub": "grace", "org_id": "org-1"})
	r := call(t, "GET", base+"/api/invoices?x=1", tok, spoofed)
	if r.Status != 200 || r.Seen.Path != "/api/invoices" {
		t.Fatalf("allowed: %d %s", r.Status, r.Body)
	}
	if got := r.Seen.Header.Values("X-Gatehouse-Subject"); len(got) != 1 || got[0] != "grace" {
		t.Fatalf("subject %v", got)
	}
	if r.Seen.Header.Get("X-Gatehouse-Org") != "org-1" || r.Seen.Header.Get("X-Gatehouse-Scopes") != "invoices:read" {
		t.Fatalf("identity headers %v", r.Seen.Header)
	}
	for k := range r.Seen.Header {
		if strings.Contains(strings.ToLower(k), "gatehouse_") {
			t.Fatalf("underscore header %s reached the upstream", k)
		}
	}
	// Anonymous on the open route: the spoofed identity never arrives.
	r = call(t, "GET", base+"/open/x", "", spoofed)
	if r.Status != 200 {
		t.Fatalf("open: %d %s", r.Status, r.Body)
	}
	// (Caddy 2.6 sends the six names with empty values: harmless.)
	for k, v := range r.Seen.Header {
		if strings.Contains(strings.ToLower(strings.ReplaceAll(k, "_", "-")), "x-gatehouse-") && strings.Join(v, "") != "" {
			t.Fatalf("spoofed %s: %v reached the upstream", k, v)
		}
	}
	// Refused: no token, wrong scope, path tricks.
	if r := call(t, "GET", base+"/api/x", "", spoofed); r.Status != 401 || !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("no token: %d %v %s", r.Status, r.Header, r.Body)
	}
	if r := call(t, "GET", base+"/api/x", is.token(t, map[string]any{"scope": "other"}), nil); r.Status != 403 {
		t.Fatalf("scope: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{"/open/../api/x", "/open/%2e%2e/api/x", "//api/x"} {
		if r := call(t, "GET", base+p, "", nil); r.Status == 200 {
			t.Fatalf("%s passed: %s", p, r.Body)
		}
	}
	// Rate limited: 3 per subject, the first one above spent one.
	for range 2 {
		if r := call(t, "GET", base+"/api/x", tok, nil); r.Status != 200 {
			t.Fatalf("within budget: %d", r.Status)
		}
	}
	r = call(t, "GET", base+"/api/x", tok, nil)
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("over budget: %d %v %s", r.Status, r.Header, r.Body)
	}
}

func TestNginxAuthRequest(t *testing.T) {
	bin := needBinary(t, "nginx")
	is, up, gw := proxyFixture(t)
	dir := t.TempDir()
	addr := freePort(t)
	for _, d := range []string{"body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		_ = os.MkdirAll(filepath.Join(dir, d), 0o777)
	}
	_ = os.Chmod(dir, 0o777) // workers run as nobody when the test runs as root
	conf := strings.NewReplacer("DIR", dir, "LISTEN", addr, "GATEWAY", gw, "UPSTREAM", strings.TrimPrefix(up.URL, "http://")).Replace(nginxConf)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	runProxy(t, exec.Command(bin, "-p", dir, "-c", path, "-e", filepath.Join(dir, "error.log"), "-g", "daemon off; pid "+filepath.Join(dir, "nginx.pid")+";"), addr)
	checkThroughProxy(t, is, "http://"+addr)
}

// nginxConf is the docs/gateway.md snippet with test addresses.
const nginxConf = `
worker_processes 1;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path DIR/body;
  proxy_temp_path DIR/proxy;
  fastcgi_temp_path DIR/fastcgi;
  uwsgi_temp_path DIR/uwsgi;
  scgi_temp_path DIR/scgi;
  upstream gatehouse_gateway { server GATEWAY; keepalive 16; }
  upstream api { server UPSTREAM; keepalive 16; }
  server {
    listen LISTEN;
    location = /_gatehouse_auth {
      internal;
      proxy_pass http://gatehouse_gateway/forward-auth;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
    }
    # auth_request passes 401 and 403 on, and turns anything else into 500:
    # bring the gateway's 429 back.
    location @gatehouse_error {
      internal;
      if ($gatehouse_status = 429) {
        add_header Retry-After $gatehouse_retry_after always;
        add_header RateLimit $gatehouse_ratelimit always;
        return 429;
      }
      return 503;
    }
    location / {
      auth_request /_gatehouse_auth;
      auth_request_set $gatehouse_status $upstream_status;
      auth_request_set $gatehouse_retry_after $upstream_http_retry_after;
      auth_request_set $gatehouse_ratelimit $upstream_http_ratelimit;
      auth_request_set $gh_subject $upstream_http_x_gatehouse_subject;
      auth_request_set $gh_client $upstream_http_x_gatehouse_client_id;
      auth_request_set $gh_scopes $upstream_http_x_gatehouse_scopes;
      auth_request_set $gh_tenant $upstream_http_x_gatehouse_tenant;
      auth_request_set $gh_region $upstream_http_x_gatehouse_region;
      auth_request_set $gh_org $upstream_http_x_gatehouse_org;
      error_page 500 = @gatehouse_error;
      # proxy_set_header replaces the client's header of the same name;
      # an empty value sends none. nginx drops headers with underscores.
      proxy_set_header X-Gatehouse-Subject $gh_subject;
      proxy_set_header X-Gatehouse-Client-Id $gh_client;
      proxy_set_header X-Gatehouse-Scopes $gh_scopes;
      proxy_set_header X-Gatehouse-Tenant $gh_tenant;
      proxy_set_header X-Gatehouse-Region $gh_region;
      proxy_set_header X-Gatehouse-Org $gh_org;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://api;
    }
  }
}
`

func TestCaddyForwardAuth(t *testing.T) {
	bin := needBinary(t, "caddy")
	is, up, gw := proxyFixture(t)
	dir := t.TempDir()
	addr := freePort(t)
	conf := strings.NewReplacer("DIR", dir, "LISTEN", addr, "GATEWAY", gw, "UPSTREAM", strings.TrimPrefix(up.URL, "http://")).Replace(caddyConf)
	path := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--config", path, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	runProxy(t, cmd, addr)
	checkThroughProxy(t, is, "http://"+addr)
}

// caddyConf is the docs/gateway.md snippet with test addresses.
const caddyConf = `
{
	admin off
	auto_https off
	storage file_system DIR
}
http://LISTEN {
	route {
		# Caddy before 2.10 leaves a client's header in place when the
		# gateway's answer lacks it: drop every spelling first.
		request_header -X-Gatehouse-*
		request_header -X_Gatehouse_*
		request_header -x_gatehouse_*
		forward_auth GATEWAY {
			uri /forward-auth
			copy_headers X-Gatehouse-Subject X-Gatehouse-Client-Id X-Gatehouse-Scopes X-Gatehouse-Tenant X-Gatehouse-Region X-Gatehouse-Org
		}
		reverse_proxy UPSTREAM
	}
}
`

package cli_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

var mockAddrRe = regexp.MustCompile(`on (http://127\.0\.0\.1:[0-9]+) `)

// `gatehouse mock` needs no configuration and no database: it says where
// it listens, answers from the contract's examples and stops on SIGTERM.
func TestMockCommand(t *testing.T) {
	t.Parallel()
	p := start(t, map[string]string{}, "mock", "--addr", "127.0.0.1:0", "--quiet")
	deadline := time.Now().Add(hangGuard)
	for p.url == "" {
		if m := mockAddrRe.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			break
		}
		select {
		case <-p.exited:
			t.Fatalf("mock exited with %d\nstdout:\n%s\nstderr:\n%s", p.code, p.stdout, p.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("mock did not say where it listens\nstdout:\n%s", p.stdout)
		}
	}
	if !strings.Contains(p.stdout.String(), "281 operations of Gatehouse Admin API") {
		t.Errorf("startup line %q", p.stdout)
	}
	if got := p.get("/admin/v1/users", "any-token"); got != http.StatusOK {
		t.Errorf("GET /admin/v1/users: %d", got)
	}
	if got := p.get("/admin/v1/users", ""); got != http.StatusUnauthorized {
		t.Errorf("GET /admin/v1/users without a token: %d", got)
	}
	resp, err := apitest.Client(t).Get(p.url + "/docs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/docs: %d", resp.StatusCode)
	}
	if code := p.stop(); code != 0 {
		t.Errorf("exit %d after SIGTERM\nstderr:\n%s", code, p.stderr)
	}
	if strings.Contains(p.stderr.String(), "http request") {
		t.Errorf("--quiet logged requests:\n%s", p.stderr)
	}
}

func TestMockCommandBadSpec(t *testing.T) {
	t.Parallel()
	r := run(t, map[string]string{}, "mock", "--spec", t.TempDir()+"/missing.yaml")
	if r.code != 1 || !strings.Contains(r.stderr, "--spec") {
		t.Errorf("want exit 1 naming --spec: %v", r)
	}
}

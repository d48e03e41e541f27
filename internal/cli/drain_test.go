package cli_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// holdRequest opens a user creation whose body is withheld: the server
// answers 100 Continue once the handler reads the body, so when it returns
// the request is provably in flight.
func holdRequest(t *testing.T, p *proc, adminToken string) (net.Conn, *bufio.Reader) {
	t.Helper()
	host := strings.TrimPrefix(p.url, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	br := bufio.NewReader(conn)
	if _, err := fmt.Fprintf(conn, "POST /admin/v1/users HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n", host, adminToken); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue for the held request: %v %v", resp, err)
	}
	return conn, br
}

// A request still in flight when GATEHOUSE_SHUTDOWN_TIMEOUT runs out is cut
// (its connection closed) and serve exits 1 naming the setting, rather than
// waiting for the orchestrator's SIGKILL.
func TestServeDrainTimeoutCutsTheRest(t *testing.T) {
	t.Parallel()
	const adminToken = "drain-test-admin-token-0123456789abc"
	env := serveEnv(baseEnv(t, sqliteURL(t)))
	env["GATEHOUSE_ADMIN_TOKEN"], env["GATEHOUSE_SHUTDOWN_TIMEOUT"] = adminToken, "1s"
	p := startServe(t, env)
	p.waitReady()
	_, br := holdRequest(t, p, adminToken)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(); code != 1 || !strings.Contains(p.stderr.String(), "GATEHOUSE_SHUTDOWN_TIMEOUT") {
		t.Fatalf("exit %d after the drain ran out, want 1 naming GATEHOUSE_SHUTDOWN_TIMEOUT\n%s", code, p.stderr)
	}
	if _, err := br.ReadByte(); err != io.EOF && !isConnError(err) {
		t.Errorf("the cut connection: %v, want EOF or reset", err)
	}
}

// A second signal during the drain ends the process at once, for an
// operator who will not wait out a long GATEHOUSE_SHUTDOWN_TIMEOUT.
func TestServeSecondSignalStopsTheDrain(t *testing.T) {
	t.Parallel()
	const adminToken = "drain-test-admin-token-0123456789abc"
	env := serveEnv(baseEnv(t, sqliteURL(t)))
	env["GATEHOUSE_ADMIN_TOKEN"], env["GATEHOUSE_SHUTDOWN_TIMEOUT"] = adminToken, "1h"
	p := startServe(t, env)
	p.waitReady()
	holdRequest(t, p, adminToken)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Wait until the drain has begun (the first signal was handled).
	for !strings.Contains(p.stderr.String(), `"msg":"shutting down"`) {
		select {
		case <-p.exited:
			t.Fatalf("serve exited (%d) with a request in flight\n%s", p.code, p.stderr)
		default:
		}
		p.sleepBriefly()
	}
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(); code == 0 {
		t.Fatalf("exit 0 after the second signal; want killed by it\n%s", p.stderr)
	}
}

func (p *proc) sleepBriefly() {
	select {
	case <-p.exited:
	case <-time.After(10 * time.Millisecond):
	}
}

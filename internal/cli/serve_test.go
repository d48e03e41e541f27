package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// These tests run the gatehouse binary as a real process: signals, exit
// codes, what lands on stdout versus the log on stderr.

// hangGuard bounds every wait on the process. It only stops a hung test
// from running to the go test timeout; no test asserts a duration.
const hangGuard = 60 * time.Second

// proc is a running `gatehouse serve`.
type proc struct {
	t              *testing.T
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
	exited         chan struct{}
	code           int // valid once exited is closed
	url            string
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveEnv is env for a server on a free loopback port with JSON logs.
func serveEnv(env map[string]string) map[string]string {
	env["GATEHOUSE_ADDR"] = "127.0.0.1:0"
	env["GATEHOUSE_LOG_FORMAT"] = "json"
	env["GATEHOUSE_SHUTDOWN_TIMEOUT"] = "10s"
	return env
}

// startServe starts the binary with env as its whole environment. The
// process is killed when the test ends if it is still running.
func startServe(t *testing.T, env map[string]string) *proc {
	t.Helper()
	return start(t, env, "serve")
}

// start runs the binary with args, as startServe does.
func start(t *testing.T, env map[string]string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{t: t, cmd: cmd, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			p.code = ee.ExitCode()
		default:
			p.code = -1
		}
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// waitReady waits for the "gatehouse ready" log line, takes the listen
// address from it, then waits for /readyz to answer 200.
func (p *proc) waitReady() {
	p.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for p.url == "" {
		for _, l := range strings.Split(p.stderr.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "gatehouse ready" {
				p.url = "http://" + rec.Addr
			}
		}
		if p.url != "" {
			break
		}
		select {
		case <-p.exited:
			p.t.Fatalf("serve exited with %d before it was ready\nstdout:\n%s\nstderr:\n%s", p.code, p.stdout, p.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("serve did not log that it was ready\nstderr:\n%s", p.stderr)
		}
	}
	c := apitest.Client(p.t)
	for {
		resp, err := c.Get(p.url + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("/readyz never answered 200 (last: %v)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop sends SIGTERM and returns the exit code.
func (p *proc) stop() int {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	return p.wait()
}

func (p *proc) wait() int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.code
	case <-time.After(hangGuard):
		p.t.Fatalf("serve did not exit\nstderr:\n%s", p.stderr)
		return -1
	}
}

// get sends a contract-checked GET with a bearer token and returns the status.
func (p *proc) get(path, token string) int {
	p.t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.url+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := apitest.Client(p.t).Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

var adminTokenRe = regexp.MustCompile(`gha_[A-Za-z0-9_-]+`)

// The first start generates the bootstrap admin token and prints it to
// stdout once, never to the log; later starts print nothing and the token
// keeps working. A configured GATEHOUSE_ADMIN_TOKEN takes its place without
// erasing it.
func TestServeBootstrapAdminToken(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		env = serveEnv(env)
		var logs []string

		first := startServe(t, env)
		first.waitReady()
		tokens := adminTokenRe.FindAllString(first.stdout.String(), -1)
		if len(tokens) != 1 || strings.Count(first.stdout.String(), "gha_") != 1 {
			t.Fatalf("first start: want the generated token exactly once on stdout, got %q", first.stdout)
		}
		token := tokens[0]
		if len(token) < len("gha_")+40 {
			t.Fatalf("generated token %q is short", token)
		}
		if code := first.get("/admin/v1/users", token); code != http.StatusOK {
			t.Fatalf("generated token: GET /admin/v1/users = %d", code)
		}
		if code := first.get("/admin/v1/users", token+"x"); code != http.StatusUnauthorized {
			t.Fatalf("altered token: %d", code)
		}
		if code := first.stop(); code != 0 {
			t.Fatalf("first: exit %d\n%s", code, first.stderr)
		}
		logs = append(logs, first.stderr.String())

		second := startServe(t, env)
		second.waitReady()
		if strings.Contains(second.stdout.String(), "gha_") || strings.Contains(second.stdout.String(), "Generated") {
			t.Fatalf("second start printed a token: %q", second.stdout)
		}
		if code := second.get("/admin/v1/users", token); code != http.StatusOK {
			t.Fatalf("token after restart: %d", code)
		}
		if code := second.stop(); code != 0 {
			t.Fatalf("second: exit %d", code)
		}
		logs = append(logs, second.stderr.String())

		configured := "configured-admin-token-0123456789"
		withToken := map[string]string{"GATEHOUSE_ADMIN_TOKEN": configured}
		for k, v := range env {
			withToken[k] = v
		}
		third := startServe(t, withToken)
		third.waitReady()
		if third.stdout.String() != "" {
			t.Fatalf("configured token: stdout %q", third.stdout)
		}
		if a, b := third.get("/admin/v1/users", configured), third.get("/admin/v1/users", token); a != http.StatusOK || b != http.StatusUnauthorized {
			t.Fatalf("configured token: %d, generated token: %d (want 200, 401)", a, b)
		}
		if code := third.stop(); code != 0 {
			t.Fatalf("third: exit %d", code)
		}
		logs = append(logs, third.stderr.String())

		fourth := startServe(t, env)
		fourth.waitReady()
		if code := fourth.get("/admin/v1/users", token); code != http.StatusOK || strings.Contains(fourth.stdout.String(), "gha_") {
			t.Fatalf("generated token after a configured one was unset: %d, stdout %q", code, fourth.stdout)
		}
		if code := fourth.stop(); code != 0 {
			t.Fatalf("fourth: exit %d", code)
		}
		logs = append(logs, fourth.stderr.String())

		all := strings.Join(logs, "")
		if !strings.Contains(all, `"msg":"http request"`) {
			t.Fatalf("no request logs to check:\n%s", all)
		}
		for _, secret := range []string{token, configured, testSecretKey} {
			if strings.Contains(all, secret) {
				t.Fatalf("a secret appears in the logs:\n%s", all)
			}
		}
	})
}

// SIGTERM closes the listener at once, lets the requests in flight finish,
// and exits 0. No response is cut off mid-body.
func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	const adminToken = "shutdown-test-admin-token-0123456789"
	env := serveEnv(baseEnv(t, sqliteURL(t)))
	env["GATEHOUSE_ADMIN_TOKEN"] = adminToken
	p := startServe(t, env)
	p.waitReady()
	want := fetch(t, p.url+"/openapi.json")
	host := strings.TrimPrefix(p.url, "http://")

	// A request in flight: a user creation whose body is not sent yet. The
	// server asks for the body (100 Continue) once the handler reads it, so
	// the request is provably in the handler before SIGTERM.
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	userBody := `{"email":"in-flight@example.com","given_name":"Late"}`
	if _, err := fmt.Fprintf(conn, "POST /admin/v1/users HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		host, adminToken, len(userBody)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue for the held request: %v %v", resp, err)
	}

	// Concurrent clients on fresh connections until the listener is gone.
	type outcome struct {
		status  int
		body    []byte
		err     error // from Do: no response headers were received
		bodyErr error
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
		served   atomic.Int64
		wg       sync.WaitGroup
	)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: hangGuard}
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100000 {
				resp, err := client.Get(p.url + "/openapi.json")
				o := outcome{err: err}
				if err == nil {
					o.status = resp.StatusCode
					o.body, o.bodyErr = io.ReadAll(resp.Body)
					resp.Body.Close()
					served.Add(1)
				}
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	for deadline := time.Now().Add(hangGuard); served.Load() < 30; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the clients got no responses")
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait() // every client has seen the listener close

	// The server is draining: new connections are refused, the held
	// request has not finished, so the process is still running.
	if c, err := net.Dial("tcp", host); err == nil {
		c.Close()
		t.Fatal("the listener still accepts connections after SIGTERM")
	}
	select {
	case <-p.exited:
		t.Fatalf("serve exited (%d) with a request in flight\n%s", p.code, p.stderr)
	default:
	}
	if _, err := io.WriteString(conn, userBody); err != nil {
		t.Fatal(err)
	}
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the in-flight request got no response: %v", err)
	}
	var created struct{ ID, Email string }
	err = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated || created.Email != "in-flight@example.com" {
		t.Fatalf("in-flight request: %d %+v %v", resp.StatusCode, created, err)
	}
	if !resp.Close {
		t.Error("the in-flight response during shutdown does not close its connection")
	}
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, p.stderr)
	}
	// The write made during shutdown was committed.
	if list := jsonLines(t, mustRun(t, env, "users", "list").stdout); len(list) != 1 || list[0]["id"] != created.ID {
		t.Fatalf("after shutdown, users: %v (want %s)", list, created.ID)
	}

	errs := map[string]int{}
	for _, o := range outcomes {
		switch {
		case o.err != nil:
			// Refused at dial, or dropped from the accept queue when the
			// listener closed: either way before any response.
			if !isConnError(o.err) {
				t.Errorf("request failed unexpectedly: %v", o.err)
			}
			errs[connErrorKind(o.err)]++
		case o.bodyErr != nil || o.status != http.StatusOK || !bytes.Equal(o.body, want):
			t.Errorf("response cut short or wrong: %d, %d of %d bytes, %v", o.status, len(o.body), len(want), o.bodyErr)
		}
	}
	var kinds []string
	for k, n := range errs {
		kinds = append(kinds, k+"="+strconv.Itoa(n))
	}
	sort.Strings(kinds)
	t.Logf("%d complete responses, then %v", served.Load(), kinds)
	if !strings.Contains(p.stderr.String(), `"msg":"shutting down"`) {
		t.Errorf("no shutdown log line:\n%s", p.stderr)
	}
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := apitest.Client(t).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || len(b) == 0 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}

func isConnError(err error) bool {
	return connErrorKind(err) != ""
}

func connErrorKind(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	}
	return ""
}

// GATEHOUSE_AUTO_MIGRATE=false leaves the schema to `migrate up`. On an
// unmigrated database serve stops before listening (bootstrapping the
// admin token needs the schema) and changes nothing; once migrated, it
// starts and is ready.
func TestServeWithoutAutoMigrate(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		env = serveEnv(env)
		env["GATEHOUSE_AUTO_MIGRATE"] = "false"

		p := startServe(t, env)
		if code := p.wait(); code != 1 {
			t.Fatalf("unmigrated database: exit %d\n%s", code, p.stderr)
		}
		// The error is the last line; log lines may precede it.
		stderr := p.stderr.String()
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if p.stdout.String() != "" || strings.Contains(stderr, "gatehouse ready") || !strings.HasPrefix(lines[len(lines)-1], "gatehouse: ") {
			t.Fatalf("unmigrated database:\nstdout: %q\nstderr: %q", p.stdout, stderr)
		}
		if r := run(t, env, "migrate", "status"); r.code != 1 || strings.Contains(r.stdout, "applied") {
			t.Fatalf("serve without auto-migrate changed the schema: %v", r)
		}

		mustRun(t, env, "migrate", "up")
		p = startServe(t, env)
		p.waitReady()
		token := adminTokenRe.FindString(p.stdout.String())
		if token == "" || p.get("/admin/v1/users", token) != http.StatusOK {
			t.Fatalf("migrated database: token %q, stdout %q", token, p.stdout)
		}
		if code := p.stop(); code != 0 {
			t.Fatalf("exit %d", code)
		}
	})
}

// A listen failure names GATEHOUSE_ADDR and exits 1. (A real process: in
// process, the janitor serve leaves running would race with the test's
// stderr buffer; see the report on serve.go.)
func TestServeAddressInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := serveEnv(baseEnv(t, sqliteURL(t)))
	env["GATEHOUSE_ADDR"] = ln.Addr().String()
	p := startServe(t, env)
	if code := p.wait(); code != 1 {
		t.Fatalf("address in use: exit %d\n%s", code, p.stderr)
	}
	if stderr := p.stderr.String(); !strings.Contains(stderr, "gatehouse: invalid GATEHOUSE_ADDR \""+ln.Addr().String()+"\"") ||
		!strings.Contains(stderr, "address already in use") || strings.Contains(stderr, "gatehouse ready") {
		t.Fatalf("address in use:\n%s", stderr)
	}
}

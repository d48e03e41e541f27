// Package nodetest runs the repository's JavaScript and TypeScript (the
// TypeScript SDK, the example apps) from Go tests, against servers the
// tests start on loopback. Node and each package's node_modules (npm ci)
// are needed: without them the tests are skipped with a message, except in
// CI (CI set), where they fail.
package nodetest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Require returns the absolute path of the package directory dir (relative
// to the test's package) once node, npm and dir/node_modules are there.
func Require(t testing.TB, dir string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, tool+" is not installed (Node 20 or later)")
		}
	}
	if _, err := os.Stat(filepath.Join(abs, "node_modules")); err != nil {
		missing(t, "no node_modules in "+abs+": run npm ci there")
	}
	return abs
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI runs the Node tests; see .ci/run)", why)
	}
	t.Skip(why)
}

// Run runs a command in dir with env added to the environment, and fails
// the test with its output if it fails or outlives d.
func Run(t testing.TB, dir string, env map[string]string, d time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), envList(env)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// Process is a long-running command (a server) started by Start.
type Process struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// Start runs a command in dir until the test ends; Wait... helpers read
// its output.
func Start(t testing.TB, dir string, env map[string]string, name string, args ...string) *Process {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), envList(env)...)
	p := &Process{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("%s %s output:\n%s", name, strings.Join(args, " "), p.out)
		}
	})
	return p
}

// WaitOutput waits until the process has printed s, and fails the test if
// it exits first or d passes.
func (p *Process) WaitOutput(t testing.TB, s string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(p.out.String(), s) {
		select {
		case <-p.done:
			t.Fatalf("the process exited before printing %q:\n%s", s, p.out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the process did not print %q:\n%s", s, p.out)
		}
	}
}

// Output is what the process printed so far.
func (p *Process) Output() string { return p.out.String() }

func envList(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

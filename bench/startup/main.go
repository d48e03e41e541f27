// Command startup measures how long `gatehouse serve` takes from exec to
// its first 200 on /readyz, over an existing database, and its resident
// memory once ready and after an idle period. bench/startup.sh builds the
// binaries and runs it; see bench/README.md.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "", "gatehouse binary (required)")
	runs := flag.Int("runs", 20, "measured restarts")
	idle := flag.Duration("idle", 5*time.Second, "idle period before the second RSS reading")
	database := flag.String("database", "", "database URL (default: SQLite in a temporary directory)")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "startup: -bin is required")
		os.Exit(2)
	}
	if err := run(*bin, *runs, *idle, *database); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

func run(bin string, runs int, idle time.Duration, database string) error {
	dir, err := os.MkdirTemp("", "gatehouse-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if database == "" {
		database = "sqlite:" + filepath.Join(dir, "gatehouse.db")
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	env := []string{
		"GATEHOUSE_ADDR=" + addr,
		"GATEHOUSE_DATABASE=" + database,
		"GATEHOUSE_DATA_DIR=" + dir,
		"GATEHOUSE_SECRET_KEY=bench-secret-key-0123456789abcdefghijklmn",
		"GATEHOUSE_ADMIN_TOKEN=bench-admin-token-0123456789abcdef",
		"GATEHOUSE_LOG_FORMAT=json",
		"PATH=" + os.Getenv("PATH"),
	}
	url := "http://" + addr + "/readyz"
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

	// The first start creates and migrates the database; it is not measured.
	p, err := start(bin, env)
	if err != nil {
		return err
	}
	if _, err := p.waitReady(client, url); err != nil {
		return err
	}
	if err := p.stop(); err != nil {
		return err
	}

	var ready, self []time.Duration
	for i := 0; i < runs; i++ {
		p, err := start(bin, env)
		if err != nil {
			return err
		}
		d, err := p.waitReady(client, url)
		if err != nil {
			return err
		}
		if err := p.stop(); err != nil {
			return err
		}
		ready = append(ready, d)
		if s, ok := p.selfReported(); ok {
			self = append(self, s)
		}
	}

	p, err = start(bin, env)
	if err != nil {
		return err
	}
	if _, err := p.waitReady(client, url); err != nil {
		return err
	}
	atReady, err := rss(p.cmd.Process.Pid)
	if err != nil {
		return err
	}
	time.Sleep(idle)
	afterIdle, err := rss(p.cmd.Process.Pid)
	if err != nil {
		return err
	}
	if err := p.stop(); err != nil {
		return err
	}

	info, err := os.Stat(bin)
	if err != nil {
		return err
	}
	engine, _, _ := strings.Cut(database, ":")
	fmt.Printf("database: %s (existing, migrated)   binary: %.1f MiB   runs: %d\n", engine, float64(info.Size())/(1<<20), runs)
	fmt.Printf("exec -> first 200 on /readyz: %s\n", summary(ready))
	if len(self) == len(ready) {
		fmt.Printf("  of which serve's own startup= (config load -> listening): %s\n", summary(self))
	}
	fmt.Printf("RSS when ready: VmRSS %.1f MiB (VmHWM %.1f MiB)\n", mib(atReady["VmRSS"]), mib(atReady["VmHWM"]))
	fmt.Printf("RSS after %s idle: VmRSS %.1f MiB (VmHWM %.1f MiB)\n", idle, mib(afterIdle["VmRSS"]), mib(afterIdle["VmHWM"]))
	return nil
}

type proc struct {
	cmd    *exec.Cmd
	stderr lockedBuffer
	begin  time.Time
	done   chan error
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

func start(bin string, env []string) (*proc, error) {
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.Stdout = io.Discard
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	cmd.Stderr = &p.stderr
	p.begin = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.done <- cmd.Wait() }()
	return p, nil
}

// waitReady polls url until it answers 200 and returns the time since exec.
func (p *proc) waitReady(c *http.Client, url string) (time.Duration, error) {
	deadline := p.begin.Add(30 * time.Second)
	for {
		resp, err := c.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(p.begin), nil
			}
		}
		select {
		case err := <-p.done:
			return 0, fmt.Errorf("serve exited before it was ready (%v):\n%s", err, p.log())
		default:
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("not ready after 30s:\n%s", p.log())
		}
		time.Sleep(500 * time.Microsecond)
	}
}

func (p *proc) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-p.done:
		if err != nil {
			return fmt.Errorf("serve: %v\n%s", err, p.log())
		}
		return nil
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		return errors.New("serve did not stop within 30s")
	}
}

func (p *proc) log() string { return p.stderr.String() }

// selfReported is the startup= value of the "gatehouse ready" line.
func (p *proc) selfReported() (time.Duration, bool) {
	for _, l := range strings.Split(p.log(), "\n") {
		var rec struct {
			Msg     string
			Startup json.Number
		}
		if json.Unmarshal([]byte(l), &rec) != nil || rec.Msg != "gatehouse ready" {
			continue
		}
		ns, err := rec.Startup.Int64() // slog's JSON handler writes durations in ns
		return time.Duration(ns), err == nil
	}
	return 0, false
}

func rss(pid int) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasPrefix(k, "Vm") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err == nil {
			out[k] = n << 10
		}
	}
	return out, sc.Err()
}

func summary(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	pct := func(p float64) time.Duration { return s[int(p*float64(len(s)-1)+0.5)] }
	r := func(d time.Duration) string { return d.Round(100 * time.Microsecond).String() }
	return fmt.Sprintf("min %s  median %s  p90 %s  max %s  mean %s",
		r(s[0]), r(pct(0.5)), r(pct(0.9)), r(s[len(s)-1]), r(sum/time.Duration(len(s))))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

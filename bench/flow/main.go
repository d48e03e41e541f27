// Command flow drives Gatehouse's browser flows under load, the way a
// population of returning users would: each virtual user is a person with
// an account, a client address of their own (sent as X-Forwarded-For
// through a trusted proxy) and a browser that keeps its device cookie
// between sign-ins. Every flow starts signed out, so every flow signs in
// with a password, with the risk engine and the sign-in limits on. It also
// measures the raw argon2id verification rate at the configured cost on
// this machine, which bounds any password sign-in. bench/run.sh builds and
// runs it; see bench/README.md.
//
// Modes (-mode):
//
//	setup       create -users users through the Admin API, each with a
//	            public address in a /24 of its own; write -population
//	first       sign every person of -population in once from a fresh
//	            browser (no history yet), keep their device cookies
//	signin      authorize and sign in only (no consent, no token): the
//	            password sign-in rate of returning users
//	consent     full flow, third-party client with prompt=consent: the
//	            consent page and its Allow answer are part of every flow
//	firstparty  full flow, first-party client: consent is skipped
//	argon2      no server: password.Hasher.Verify in -c goroutines
//
// signin, consent and firstparty need a population whose people all
// signed in once (setup, then first).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/password"
)

func main() {
	base := flag.String("base", "", "Gatehouse base URL (its issuer), e.g. http://127.0.0.1:8080")
	adminToken := flag.String("admin-token", os.Getenv("GATEHOUSE_ADMIN_TOKEN"), "admin bearer token (default $GATEHOUSE_ADMIN_TOKEN)")
	mode := flag.String("mode", "signin", "setup, first, signin, consent, firstparty or argon2")
	popFile := flag.String("population", "", "population file: written by setup, read by the flow modes (first updates it)")
	users := flag.Int("users", 500, "setup: users to create")
	conc := flag.Int("c", 8, "concurrent flows (argon2: goroutines; 0 = GOMAXPROCS)")
	dur := flag.Duration("d", 20*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measured period")
	pause := flag.Duration("pause", 4*time.Second, "least time between two sign-ins of one person (4 s: 15 a minute from the person's address, half the per-IP limit)")
	mem := flag.Uint("argon2-m", uint(password.DefaultParams.Memory), "argon2id memory in KiB (as GATEHOUSE_ARGON2_MEMORY_KIB)")
	iter := flag.Uint("argon2-t", uint(password.DefaultParams.Time), "argon2id iterations (as GATEHOUSE_ARGON2_TIME)")
	par := flag.Uint("argon2-p", uint(password.DefaultParams.Threads), "argon2id threads (as GATEHOUSE_ARGON2_THREADS)")
	pid := flag.Int("pid", 0, "server process ID: report its CPU time per flow over the measured period (Linux /proc)")
	flag.Parse()

	if *conc <= 0 {
		*conc = runtime.GOMAXPROCS(0)
	}
	params := password.DefaultParams
	params.Memory, params.Time, params.Threads = uint32(*mem), uint32(*iter), uint8(*par)
	d := newDriver(*base, *adminToken, *conc, *pid)

	var err error
	switch {
	case *mode == "argon2":
		err = argon2Loop(params, *conc, *warmup, *dur)
	case d.base == "" || d.adminToken == "" || *popFile == "":
		err = errors.New("-base, -admin-token and -population are required")
	case *mode == "setup":
		err = d.setup(*popFile, *users)
	case *mode == "first":
		err = d.first(*popFile)
	case *mode == "signin" || *mode == "consent" || *mode == "firstparty":
		err = d.returning(*popFile, *mode, *warmup, *dur, *pause)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flow:", err)
		os.Exit(1)
	}
}

// argon2Loop verifies a password against a hash made at params in n
// goroutines and prints the rate: the ceiling for password sign-ins.
func argon2Loop(params password.Params, n int, warmup, dur time.Duration) error {
	h := &password.Hasher{Params: params}
	const pw = "correct horse battery staple"
	phc, err := h.Hash(pw)
	if err != nil {
		return err
	}
	var lat latencies
	count := measure(n, warmup, dur, &lat, selfCPU, func() error {
		ok, _, err := h.Verify(pw, phc)
		if err == nil && !ok {
			err = errors.New("verify failed")
		}
		return err
	})
	fmt.Printf("RESULT mode=argon2 m=%d t=%d p=%d goroutines=%d gomaxprocs=%d verifies=%d duration_s=%.1f rate=%.1f/s %s errors=%d cpu_ms_per_op=%.2f\n",
		params.Memory, params.Time, params.Threads, n, runtime.GOMAXPROCS(0), count.ok, dur.Seconds(),
		float64(count.ok)/dur.Seconds(), lat.summary(), count.errs, count.cpuPerOp())
	return count.firstErr
}

type counts struct {
	ok, errs int64
	firstErr error
	cpu      time.Duration // CPU time of the measured process over the period
}

func (c counts) cpuPerOp() float64 {
	if c.ok == 0 {
		return 0
	}
	return float64(c.cpu.Microseconds()) / 1000 / float64(c.ok)
}

// selfCPU is this process's CPU time (user and system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU returns the CPU time of process pid (utime+stime from
// /proc/pid/stat, in clock ticks of 10 ms on Linux).
func procCPU(pid int) func() time.Duration {
	return func() time.Duration {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0
		}
		// The command name may hold spaces: fields count from after ")".
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			return 0
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		return time.Duration(utime+stime) * 10 * time.Millisecond
	}
}

// measure runs op in n goroutines for warmup+dur and counts what finished
// inside the measured period, and the CPU time cpu reports over it.
func measure(n int, warmup, dur time.Duration, lat *latencies, cpu func() time.Duration, op func() error) counts {
	var (
		ok, errs  atomic.Int64
		firstErr  error
		errOnce   sync.Once
		wg        sync.WaitGroup
		measuring atomic.Bool
		stop      atomic.Bool
	)
	for range n {
		wg.Go(func() {
			for !stop.Load() {
				start := time.Now()
				err := op()
				if !measuring.Load() || stop.Load() {
					continue
				}
				if err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				ok.Add(1)
				lat.add(time.Since(start))
			}
		})
	}
	time.Sleep(warmup)
	measuring.Store(true)
	cpu0 := cpu()
	time.Sleep(dur)
	stop.Store(true)
	got := counts{ok: ok.Load(), errs: errs.Load(), cpu: cpu() - cpu0}
	wg.Wait()
	got.firstErr = firstErr
	return got
}

type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return "p50_ms=- p99_ms=-"
	}
	slices.Sort(l.d)
	q := func(p float64) float64 {
		return float64(l.d[int(p*float64(len(l.d)-1))].Microseconds()) / 1000
	}
	return fmt.Sprintf("p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f", q(0.50), q(0.90), q(0.99), q(1))
}

func adminCall(c *http.Client, base, token, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}

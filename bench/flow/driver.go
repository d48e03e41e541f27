package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// driver runs flows against one server.
type driver struct {
	base, adminToken string
	conc             int
	cpu              func() time.Duration // the server's CPU time (zero without -pid)
	transport        *http.Transport
}

func newDriver(base, adminToken string, conc, pid int) *driver {
	d := &driver{base: strings.TrimSuffix(base, "/"), adminToken: adminToken, conc: conc,
		cpu: func() time.Duration { return 0 },
		// One connection pool for the Admin API and every browser: they
		// all reach the server through the one proxy in front of it.
		transport: &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, IdleConnTimeout: time.Minute}}
	if pid > 0 {
		d.cpu = procCPU(pid)
	}
	return d
}

// http is the Admin API's client.
func (d *driver) http() *http.Client {
	return &http.Client{Transport: d.transport, Timeout: time.Minute}
}

func (d *driver) setup(path string, n int) error {
	start := time.Now()
	p, err := setupPopulation(d.http(), d.base, d.adminToken, n)
	if err != nil {
		return err
	}
	if err := p.save(path); err != nil {
		return err
	}
	fmt.Printf("setup: %d users in %.1fs\n", n, time.Since(start).Seconds())
	return nil
}

// first signs in once every person who has not signed in yet: the
// sign-in of a user without history from a browser without a device
// cookie. It is measured apart from the returning users' sign-ins.
func (d *driver) first(path string) error {
	pop, err := loadPopulation(path)
	if err != nil {
		return err
	}
	f, err := d.newFlows(pop, "signin")
	if err != nil {
		return err
	}
	todo := make(chan *person, len(pop.People))
	for _, x := range pop.People {
		if x.Device == "" {
			todo <- x
		}
	}
	close(todo)
	n := len(todo)
	var (
		lat      latencies
		ok, errs atomic.Int64
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	start, cpu0 := time.Now(), d.cpu()
	for range d.conc {
		wg.Go(func() {
			for x := range todo {
				t0 := time.Now()
				if err := f.run(x); err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				ok.Add(1)
				lat.add(time.Since(t0))
			}
		})
	}
	wg.Wait()
	c := counts{ok: ok.Load(), errs: errs.Load(), cpu: d.cpu() - cpu0}
	wall := time.Since(start)
	if err := pop.save(path); err != nil {
		return err
	}
	fmt.Printf("RESULT mode=first concurrency=%d people=%d signins=%d duration_s=%.1f rate=%.1f/s %s errors=%d http_requests_per_flow=%.1f",
		d.conc, n, c.ok, wall.Seconds(), float64(c.ok)/wall.Seconds(), lat.summary(), c.errs, f.requestsPerFlow())
	d.printCPU(c)
	return report(c, firstErr)
}

// returning measures the flows of mode by people who signed in before,
// each person at most once every pause.
func (d *driver) returning(path, mode string, warmup, dur, pause time.Duration) error {
	pop, err := loadPopulation(path)
	if err != nil {
		return err
	}
	if !pop.returning() {
		return errors.New("some people never signed in: run -mode first")
	}
	f, err := d.newFlows(pop, mode)
	if err != nil {
		return err
	}
	cr := newCrowd(pop.People, pause)
	var lat latencies
	c := measure(d.conc, warmup, dur, &lat, d.cpu, func() error {
		x := cr.take()
		defer cr.give(x)
		return f.run(x.p)
	})
	unit := "flows"
	if mode == "signin" {
		unit = "signins"
	}
	fmt.Printf("RESULT mode=%s concurrency=%d people=%d %s=%d duration_s=%.1f rate=%.1f/s %s errors=%d http_requests_per_flow=%.1f paced_waits=%d",
		mode, d.conc, len(pop.People), unit, c.ok, dur.Seconds(), float64(c.ok)/dur.Seconds(), lat.summary(), c.errs,
		f.requestsPerFlow(), cr.waits.Load())
	d.printCPU(c)
	return report(c, c.firstErr)
}

func (d *driver) printCPU(c counts) {
	if c.cpu > 0 {
		fmt.Printf(" server_cpu_ms_per_op=%.2f", c.cpuPerOp())
	}
	fmt.Println()
}

// report prints the first error and fails a run in which nothing
// completed.
func report(c counts, first error) error {
	if first != nil {
		fmt.Fprintln(os.Stderr, "flow: first error:", first)
	}
	if c.ok == 0 {
		return errors.New("no flow completed")
	}
	return nil
}

// crowd hands out the people in turn, a person at most once every pause
// (from the start of one of their flows to the start of the next).
type crowd struct {
	q     chan *turn
	pause time.Duration
	// waits counts the flows that had to wait for their person: when it
	// is not 0 the pause, not the server, bounded the rate (more people
	// would lift it).
	waits atomic.Int64
}

type turn struct {
	p    *person
	next time.Time
}

func newCrowd(people []*person, pause time.Duration) *crowd {
	c := &crowd{q: make(chan *turn, len(people)), pause: pause}
	for _, x := range people {
		c.q <- &turn{p: x}
	}
	return c
}

func (c *crowd) take() *turn {
	t := <-c.q
	if d := time.Until(t.next); d > 0 {
		c.waits.Add(1)
		time.Sleep(d)
	}
	t.next = time.Now().Add(c.pause)
	return t
}

func (c *crowd) give(t *turn) { c.q <- t }

package gateway

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Circuit-breaker settings: after breakerFailures consecutive failures
// (unreachable, or a 5xx) an upstream gets no requests for breakerCooldown;
// then one trial request decides whether it is back.
const (
	breakerFailures = 5
	breakerCooldown = 10 * time.Second
)

// breaker is the circuit breaker of one upstream host, shared by every
// route (and every configuration) that sends to it.
type breaker struct {
	mu        sync.Mutex
	failures  int
	openUntil time.Time
	trial     bool // a half-open trial is in flight
	unhealthy bool // the last active health check failed
}

// setHealthy records an active health check.
func (b *breaker) setHealthy(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.unhealthy = !ok
}

func (g *Gateway) breaker(host string) *breaker {
	g.breakersMu.Lock()
	defer g.breakersMu.Unlock()
	b := g.breakers[host]
	if b == nil {
		b = &breaker{}
		g.breakers[host] = b
	}
	return b
}

// allow reports whether a request may go to the upstream now.
func (b *breaker) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.unhealthy {
		return false
	}
	if b.failures < breakerFailures {
		return true
	}
	if now.Before(b.openUntil) || b.trial {
		return false
	}
	b.trial = true // half-open: this request is the trial
	return true
}

// result records the outcome of one attempt.
func (b *breaker) result(now time.Time, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
	if ok {
		b.failures = 0
		return
	}
	b.failures++
	if b.failures >= breakerFailures {
		b.openUntil = now.Add(breakerCooldown)
	}
}

// startHealthChecks probes every upstream of st's routes that asks for it,
// until ctx ends (the next configuration, or Close).
func (g *Gateway) startHealthChecks(ctx context.Context, st *state) {
	for _, rt := range st.routes {
		hc := rt.HealthCheck
		if hc == nil {
			continue
		}
		ups := []*url.URL{}
		if rt.upstream != nil {
			ups = append(ups, rt.upstream)
		}
		for _, u := range rt.regionUps {
			ups = append(ups, u)
		}
		client := &http.Client{Timeout: time.Duration(hc.TimeoutSeconds) * time.Second, Transport: rt.transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, u := range ups {
			go g.probe(ctx, rt.Name, client, singleJoin(u.String(), hc.Path), u.Host, time.Duration(hc.IntervalSeconds)*time.Second)
		}
	}
}

func (g *Gateway) probe(ctx context.Context, route string, client *http.Client, target, host string, every time.Duration) {
	b := g.breaker(host)
	was := true
	check := func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return
		}
		ok := false
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
			ok = resp.StatusCode < 400
		}
		if ctx.Err() != nil {
			return
		}
		b.setHealthy(ok)
		if ok != was {
			g.opts.Log.Warn("gateway: upstream health changed", "route", route, "upstream", host, "healthy", ok)
			was = ok
		}
		v := 0.0
		if ok {
			v = 1
		}
		g.metrics.healthy.WithLabelValues(host).Set(v)
	}
	check()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			check()
		}
	}
}

package gateway

import (
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

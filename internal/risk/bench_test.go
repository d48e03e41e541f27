package risk_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkAssess measures one decision as the login makes it: a returning
// user on a known device, with a password (breached-list and spray
// lookups), memory counters, and the policy and history read from SQLite.
// It reports the 99th-percentile latency as p99-ns.
func BenchmarkAssess(b *testing.B) {
	e := newEnv(b, memoryBackend)
	ids := e.users("bench", 100)
	for i, id := range ids {
		at := e.attempt(id, fmt.Sprintf("192.0.2.%d", i), "dev-"+id)
		for range 5 {
			e.observe(at, true)
		}
		e.observe(at, false)
	}
	ctx := b.Context()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[i%len(ids)]
		at := e.attempt(id, fmt.Sprintf("192.0.2.%d", i%len(ids)), "dev-"+id)
		at.Password = "correct horse battery staple"
		start := time.Now()
		a, err := e.engine.Assess(ctx, at)
		lat = append(lat, time.Since(start))
		if err != nil || a.Decision == "deny" {
			b.Fatalf("%v %+v", err, a)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

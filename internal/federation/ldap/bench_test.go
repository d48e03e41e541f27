//go:build unix

package ldap_test

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkLogin signs alice in against slapd: service bind, search, user
// bind, service rebind, group search, on a pooled connection. Besides wall time it
// reports gatehouse-cpu-ms/op, the CPU time this process spent per
// sign-in (user + system, from getrusage): slapd's own work runs in its
// process and is not counted. Issue 12's budget is 5 ms.
func BenchmarkLogin(b *testing.B) {
	d := startSlapd(b)
	c := connector(b, d.URL, 3*time.Second)
	ctx := b.Context()
	if _, ok, err := c.Login(ctx, "alice", "alicepw"); !ok || err != nil {
		b.Fatalf("warm-up: ok=%v err=%v", ok, err)
	}
	before := cpu()
	b.ResetTimer()
	for b.Loop() {
		if _, ok, err := c.Login(ctx, "alice", "alicepw"); !ok || err != nil {
			b.Fatalf("ok=%v err=%v", ok, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpu()-before).Microseconds())/1000/float64(b.N), "gatehouse-cpu-ms/op")
}

func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

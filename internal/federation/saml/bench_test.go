//go:build unix

package saml_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation/saml"
)

// acceptAll is a replay store that records nothing, so that one genuine
// response can be checked again and again.
type acceptAll struct{}

func (acceptAll) Consume(string, time.Time) error { return nil }

// BenchmarkCallback checks one genuine samlidp Response per iteration
// (RSA-SHA256 signature on the Response, audience, recipient,
// InResponseTo, validity window, attributes): the ACS's CPU, with no
// round trip at all (the browser posts the Response). With an encrypting
// IdP, decryption (RSA-OAEP + AES-GCM) comes on top.
func BenchmarkCallback(b *testing.B) {
	p := startIdP(b)
	c := newConnector(b, p, "bench", noKey, func(o *saml.Options) { o.Replay = acceptAll{} })
	form := login(b, p, c)
	ctx := b.Context()
	if _, err := c.HandleCallback(ctx, callback(form)); err != nil {
		b.Fatal(err)
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	before := ru.Utime.Nano() + ru.Stime.Nano()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.HandleCallback(ctx, callback(form)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Utime.Nano()+ru.Stime.Nano()-before)/1e6/float64(b.N), "gatehouse-cpu-ms/op")
}

package ratelimit_test

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// benchLimit never rejects within a run, so every call takes the write path.
var benchLimit = ratelimit.Limit{Rate: 1_000_000, Per: time.Second, Burst: 1_000_000}

func benchAllow(b *testing.B, s ratelimit.Store) {
	ctx := b.Context()
	b.Run("OneKey", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Allow(ctx, "bench:hot", benchLimit); err != nil {
				b.Fatal(err)
			}
		}
	})
	keys := make([]string, 10_000)
	for i := range keys {
		keys[i] = "bench:ip:" + strconv.Itoa(i)
	}
	b.Run("ManyKeysParallel", func(b *testing.B) {
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			i := int(n.Add(1)) * 7919
			for pb.Next() {
				i++
				if _, err := s.Allow(ctx, keys[i%len(keys)], benchLimit); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("Incr", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Incr(ctx, keys[i%len(keys)], time.Second); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMemory(b *testing.B) {
	benchAllow(b, ratelimit.NewMemory(time.Now))
}

func BenchmarkRedis(b *testing.B) {
	c := redisClient(b)
	benchAllow(b, ratelimit.NewRedis(c, testPrefix(b, c)))
}

package ratelimit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit/ratelimittest"
)

const redisEnv = "GATEHOUSE_TEST_REDIS_URL"

// redisClient connects to the Redis named by GATEHOUSE_TEST_REDIS_URL. It
// skips when the variable is unset (locally the suite is opt-in; CI sets
// it) and fails when it is set but Redis is unusable: CI must not pass by
// skipping.
func redisClient(tb testing.TB) *redis.Client {
	tb.Helper()
	url := redisURL(tb)
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("%s: %v", redisEnv, err)
	}
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		tb.Fatalf("%s is set but Redis is unreachable: %v", redisEnv, err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

func redisURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv(redisEnv)
	if url == "" {
		tb.Skip(redisEnv + " not set: skipping Redis suite")
	}
	return url
}

// testPrefix returns a key prefix no other test or run uses, and deletes
// its keys when tb ends, after checking that every one of them expires.
func testPrefix(tb testing.TB, c *redis.Client) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "ghtest:" + hex.EncodeToString(b[:]) + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		keys, err := scanAll(ctx, c, prefix)
		if err != nil {
			tb.Errorf("scan %s*: %v", prefix, err)
			return
		}
		for _, k := range keys {
			if ttl, err := c.PTTL(ctx, k).Result(); err == nil && ttl == -1 {
				tb.Errorf("key %s has no TTL", k)
			}
		}
		if len(keys) > 0 {
			if err := c.Del(ctx, keys...).Err(); err != nil {
				tb.Errorf("delete %s*: %v", prefix, err)
			}
		}
	})
	return prefix
}

func scanAll(ctx context.Context, c *redis.Client, prefix string) ([]string, error) {
	var keys []string
	iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}

func TestRedisConformance(t *testing.T) {
	c := redisClient(t)
	ratelimittest.Run(t, func(t *testing.T) ratelimittest.Harness {
		return ratelimittest.Harness{
			Store: ratelimit.NewRedis(c, testPrefix(t, c)),
			Sleep: time.Sleep,
			Slack: 150 * time.Millisecond,
		}
	})
}

// TestRedisTwoNodes checks that two stores on their own connections, as two
// Gatehouse nodes behind one load balancer, share every kind of state.
func TestRedisTwoNodes(t *testing.T) {
	c1, c2 := redisClient(t), redisClient(t)
	prefix := testPrefix(t, c1)
	a, b := ratelimit.NewRedis(c1, prefix), ratelimit.NewRedis(c2, prefix)
	ctx := t.Context()

	l := ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 3}
	for i, node := range []ratelimit.Store{a, b, a} {
		if res, err := node.Allow(ctx, "login:ip", l); err != nil || !res.Allowed || res.Remaining != 2-i {
			t.Fatalf("request %d: %+v, %v", i+1, res, err)
		}
	}
	if res, err := b.Allow(ctx, "login:ip", l); err != nil || res.Allowed {
		t.Fatalf("request past the burst on the other node: %+v, %v", res, err)
	}
	if err := b.Reset(ctx, "login:ip"); err != nil {
		t.Fatal(err)
	}
	if res, err := a.Allow(ctx, "login:ip", l); err != nil || !res.Allowed {
		t.Fatalf("after Reset on the other node: %+v, %v", res, err)
	}

	// Racing requests split over both nodes: exactly the burst gets in.
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := range 20 {
		node := []ratelimit.Store{a, b}[i%2]
		wg.Go(func() {
			res, err := node.Allow(context.Background(), "hot", l)
			if err != nil {
				t.Error(err)
			}
			if res.Allowed {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 3 {
		t.Fatalf("%d racing requests allowed over two nodes, want 3", n)
	}

	for i, node := range []ratelimit.Store{a, b, a, b} {
		if n, err := node.Incr(ctx, "fail", time.Minute); err != nil || n != int64(i+1) {
			t.Fatalf("Incr %d = %d, %v", i+1, n, err)
		}
	}
	if n, err := b.AddUnique(ctx, "ip", "alice", time.Minute); err != nil || n != 1 {
		t.Fatalf("AddUnique = %d, %v", n, err)
	}
	if n, err := a.AddUnique(ctx, "ip", "bob", time.Minute); err != nil || n != 2 {
		t.Fatalf("AddUnique on the other node = %d, %v", n, err)
	}
	if err := a.Clear(ctx, "fail"); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(ctx, "fail", time.Minute); err != nil || n != 0 {
		t.Fatalf("Count after Clear on the other node = %d, %v", n, err)
	}

	if ok, err := a.Lock(ctx, "acct", time.Minute); err != nil || !ok {
		t.Fatalf("Lock = %v, %v", ok, err)
	}
	if ok, err := b.Lock(ctx, "acct", time.Minute); err != nil || ok {
		t.Fatalf("Lock on the other node = %v, %v; want false", ok, err)
	}
	if d, ok, err := b.Locked(ctx, "acct"); err != nil || !ok || d <= 0 || d > time.Minute {
		t.Fatalf("Locked on the other node = %v, %v, %v", d, ok, err)
	}
	if err := b.Unlock(ctx, "acct"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := a.Locked(ctx, "acct"); err != nil || ok {
		t.Fatalf("Locked after Unlock on the other node = %v, %v", ok, err)
	}
}

// TestRedisPrefixIsolation checks that stores with different prefixes on
// one Redis (e.g. two deployments) share nothing.
func TestRedisPrefixIsolation(t *testing.T) {
	c := redisClient(t)
	a, b := ratelimit.NewRedis(c, testPrefix(t, c)), ratelimit.NewRedis(c, testPrefix(t, c))
	ctx := t.Context()
	l := ratelimit.Limit{Rate: 1, Per: time.Hour, Burst: 1}
	if res, _ := a.Allow(ctx, "k", l); !res.Allowed {
		t.Fatal("first request rejected")
	}
	if res, err := b.Allow(ctx, "k", l); err != nil || !res.Allowed {
		t.Fatalf("other prefix: %+v, %v; want allowed", res, err)
	}
	if _, err := a.Incr(ctx, "k", time.Minute); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(ctx, "k", time.Minute); err != nil || n != 0 {
		t.Fatalf("Count under the other prefix = %d, %v", n, err)
	}
	if ok, _ := a.Lock(ctx, "k", time.Minute); !ok {
		t.Fatal("Lock = false")
	}
	if _, ok, err := b.Locked(ctx, "k"); err != nil || ok {
		t.Fatalf("Locked under the other prefix = %v, %v", ok, err)
	}
}

// TestRedisKeys pins the key layout operators see in Redis and that every
// key carries a TTL of about its window.
func TestRedisKeys(t *testing.T) {
	c := redisClient(t)
	prefix := testPrefix(t, c)
	s := ratelimit.NewRedis(c, prefix)
	ctx := t.Context()
	if _, err := s.Allow(ctx, "ip:1", ratelimit.Limit{Rate: 1, Per: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Incr(ctx, "ip:1", time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUnique(ctx, "ip:1", "alice", 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lock(ctx, "ip:1", 3*time.Hour); err != nil {
		t.Fatal(err)
	}
	for key, ttl := range map[string]time.Duration{
		"rl:{ip:1}": time.Minute,
		"ev:{ip:1}": time.Hour,
		"uq:{ip:1}": 2 * time.Hour,
		"lk:{ip:1}": 3 * time.Hour,
	} {
		got, err := c.PTTL(ctx, prefix+key).Result()
		if err != nil || got <= ttl-time.Second || got > ttl {
			t.Errorf("PTTL %s%s = %v, %v; want about %v", prefix, key, got, err, ttl)
		}
	}
	keys, err := scanAll(ctx, c, prefix)
	if err != nil || len(keys) != 4 {
		t.Errorf("keys under the prefix = %v, %v; want 4", keys, err)
	}
}

// TestCap checks that Incr and AddUnique saturate at the cap on both
// backends instead of growing a key without bound.
func TestCap(t *testing.T) {
	backends := map[string]func(t *testing.T) ratelimit.Store{
		"Memory": func(t *testing.T) ratelimit.Store { m, _ := newMemory(t); return m },
		"Redis": func(t *testing.T) ratelimit.Store {
			c := redisClient(t)
			return ratelimit.NewRedis(c, testPrefix(t, c))
		},
	}
	for name, newStore := range backends {
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			ratelimit.SetMaxCount(s, 5)
			ctx := t.Context()
			for i := range 8 {
				n, err := s.Incr(ctx, "k", time.Minute)
				if err != nil || n != int64(min(i+1, 5)) {
					t.Fatalf("Incr %d = %d, %v", i+1, n, err)
				}
				n, err = s.AddUnique(ctx, "k", string(rune('a'+i)), time.Minute)
				if err != nil || n != int64(min(i+1, 5)) {
					t.Fatalf("AddUnique %d = %d, %v", i+1, n, err)
				}
			}
			// A member already counted is still refreshed at the cap.
			if n, err := s.AddUnique(ctx, "k", "a", time.Minute); err != nil || n != 5 {
				t.Fatalf("AddUnique of a known member at the cap = %d, %v", n, err)
			}
			if n, err := s.Count(ctx, "k", time.Minute); err != nil || n != 5 {
				t.Fatalf("Count = %d, %v", n, err)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	s, err := ratelimit.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*ratelimit.Memory); !ok {
		t.Errorf("Open(\"\") = %T, want *Memory", s)
	}
	_ = s.Close()

	for _, url := range []string{
		"http://127.0.0.1:6379",
		"redis://:s3cret@[::1",                         // unparsable
		"redis://:s3cret@127.0.0.1:1/0?max_retries=-1", // nothing listens on port 1
		"redis://127.0.0.1:6379/notanumber",
	} {
		s, err := ratelimit.Open(url)
		if err == nil {
			_ = s.Close()
			t.Errorf("Open(%q) succeeded", url)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q) error leaks the password: %v", url, err)
		}
	}
}

func TestOpenRedis(t *testing.T) {
	url := redisURL(t)
	s, err := ratelimit.Open(url)
	if err != nil {
		t.Fatalf("%s is set but Open failed: %v", redisEnv, err)
	}
	r, ok := s.(*ratelimit.Redis)
	if !ok {
		t.Fatalf("Open(redis URL) = %T, want *Redis", s)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	key := "open-test:" + hex.EncodeToString(b[:])
	ctx := t.Context()
	if res, err := r.Allow(ctx, key, ratelimit.Limit{Rate: 1, Per: time.Second}); err != nil || !res.Allowed {
		t.Fatalf("Allow = %+v, %v", res, err)
	}
	if err := r.Reset(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Close closed the pool Open made.
	if _, err := r.Allow(ctx, key, ratelimit.Limit{Rate: 1, Per: time.Second}); !errors.Is(err, redis.ErrClosed) {
		t.Errorf("Allow after Close: %v, want redis.ErrClosed", err)
	}
}

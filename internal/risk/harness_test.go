package risk_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/geoip"
	"github.com/gatehouse-iam/gatehouse/internal/geoip/geoiptest"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

const redisEnv = "GATEHOUSE_TEST_REDIS_URL"

// backend makes the counters of one test: process memory on the test's
// clock, or a real Redis (real time) under a fresh key prefix.
type backend struct {
	name string
	open func(t testing.TB, c *clock.Fake) ratelimit.Store
}

var memoryBackend = backend{"memory", func(t testing.TB, c *clock.Fake) ratelimit.Store { return ratelimit.NewMemory(c.Now) }}

var redisBackend = backend{"redis", func(t testing.TB, _ *clock.Fake) ratelimit.Store {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return redisNode(t, "ghtest:risk:"+hex.EncodeToString(b[:])+":")
}}

// redisNode is one node's connection to the Redis of GATEHOUSE_TEST_REDIS_URL,
// with its keys under prefix (deleted when the test ends). It skips when
// the variable is unset and fails when Redis is unreachable.
func redisNode(t testing.TB, prefix string) ratelimit.Store {
	url := os.Getenv(redisEnv)
	if url == "" {
		t.Skip(redisEnv + " not set: skipping the Redis run of the engine suite")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("%s: %v", redisEnv, err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("%s is set but Redis is unreachable: %v", redisEnv, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
		_ = client.Close()
	})
	return ratelimit.NewRedis(client, prefix)
}

var backends = []backend{memoryBackend, redisBackend}

// env is one engine on a fresh database with a City database of
// geoiptest.Sample: 192.0.2.0/24 Berlin (DE), 198.51.100.0/24 New York
// (US), 203.0.113.0/24 Paris (FR).
type env struct {
	t      testing.TB
	clock  *clock.Fake
	db     store.Store
	engine *risk.Engine
	tenant string
}

func newEnv(t testing.TB, b backend) *env {
	t.Helper()
	c := clock.NewFake(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC))
	db, err := sqlite.Open(t.Context(), sqlite.Memory, sqlite.WithNow(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	geo, err := geoip.Open(geoiptest.WriteCity(t, geoiptest.Sample))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = geo.Close() })
	keys, err := secret.NewKeyring([]byte("risk-engine-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	tn := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
	if err := db.Tenants().Create(t.Context(), tn); err != nil {
		t.Fatal(err)
	}
	return &env{
		t: t, clock: c, db: db, tenant: tn.ID,
		engine: &risk.Engine{Risk: db.Risk(), Counters: b.open(t, c), Geo: geo, Keyring: keys, Now: c.Now},
	}
}

// users creates n users and returns their IDs.
func (e *env) users(prefix string, n int) []string {
	e.t.Helper()
	ids := make([]string, n)
	err := e.db.InTx(e.t.Context(), func(tx store.Store) error {
		for i := range ids {
			u := &identity.User{Email: fmt.Sprintf("%s%d@example.org", prefix, i)}
			if err := tx.Users().Create(e.t.Context(), e.tenant, u); err != nil {
				return err
			}
			ids[i] = u.ID
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ids
}

func (e *env) policy(p riskpolicy.Policy) {
	e.t.Helper()
	if err := e.db.Risk().SetPolicy(e.t.Context(), e.tenant, p); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) attempt(user, ip, device string) risk.Attempt {
	return risk.Attempt{TenantID: e.tenant, UserID: user, Login: user, IP: netip.MustParseAddr(ip), DeviceID: device, Method: "password", UserAgent: "test"}
}

func (e *env) assess(at risk.Attempt) riskpolicy.Assessment {
	e.t.Helper()
	a, err := e.engine.Assess(e.t.Context(), at)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *env) observe(at risk.Attempt, ok bool) {
	e.t.Helper()
	if err := e.engine.Observe(e.t.Context(), at, risk.Outcome{Success: ok, Factor: "password"}); err != nil {
		e.t.Fatal(err)
	}
}

// signIn is a login that checks the credential only when the engine does
// not deny: it returns the assessment and whether the user got in without
// a challenge. correct says whether the password was right; a challenged
// attacker fails the step-up, which is observed as a failure.
func (e *env) signIn(at risk.Attempt, correct bool) (riskpolicy.Assessment, bool) {
	e.t.Helper()
	a := e.assess(at)
	switch a.Decision {
	case riskpolicy.Deny:
		return a, false
	case riskpolicy.Challenge:
		e.observe(at, false)
		return a, false
	}
	e.observe(at, correct)
	return a, correct
}

// legit runs a stream of users signing in with the right password from
// their known devices and home networks (10.20.i.0/24, which the geo
// database does not know) until stop is closed, and reports every
// attempt that was not allowed.
type legit struct {
	wg       sync.WaitGroup
	stop     chan struct{}
	mu       sync.Mutex
	denied   []string
	attempts int
	rounds   int
}

func (e *env) startLegit(n int) *legit {
	e.t.Helper()
	ids := e.users("legit", n)
	for i, id := range ids {
		e.observe(e.attempt(id, fmt.Sprintf("10.20.%d.5", i), "legit-dev-"+id), true)
	}
	l := &legit{stop: make(chan struct{})}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for round := 0; ; round++ {
			for i, id := range ids {
				select {
				case <-l.stop:
					return
				default:
				}
				at := e.attempt(id, fmt.Sprintf("10.20.%d.5", i), "legit-dev-"+id)
				a, err := e.engine.Assess(context.Background(), at)
				if err == nil {
					err = e.engine.Observe(context.Background(), at, risk.Outcome{Success: a.Decision != riskpolicy.Deny})
				}
				l.mu.Lock()
				l.attempts++
				if err != nil || a.Decision == riskpolicy.Deny {
					l.denied = append(l.denied, fmt.Sprintf("%s round %d: %s %+v %v", id, round, a.Decision, a.Reasons, err))
				}
				l.mu.Unlock()
			}
			l.mu.Lock()
			l.rounds++
			l.mu.Unlock()
		}
	}()
	return l
}

// finish stops the stream, after at least one full round, and fails the
// test if anyone was denied.
func (l *legit) finish(t testing.TB) {
	t.Helper()
	for {
		l.mu.Lock()
		done := l.rounds > 0
		l.mu.Unlock()
		if done {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(l.stop)
	l.wg.Wait()
	if l.attempts == 0 {
		t.Fatal("the legitimate stream made no attempt")
	}
	if len(l.denied) > 0 {
		t.Fatalf("%d of %d legitimate sign-ins denied, first: %s", len(l.denied), l.attempts, l.denied[0])
	}
}

// forBackends runs fn once per counter backend.
func forBackends(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Every script reads the time from Redis (TIME), so all nodes share one
// clock, and computes in integer microseconds held in Lua doubles (exact
// below 2^53). Numbers written back are formatted with %.0f so they never
// turn into 1.8e+15. A script is atomic, so read-modify-write needs no lock.
const luaNow = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
`

// gcraScript: KEYS[1] holds the theoretical arrival time (TAT). ARGV[1] is
// the emission interval, ARGV[2] the burst. Returns {allowed, remaining,
// retry_after_us, reset_after_us}.
var gcraScript = redis.NewScript(luaNow + `
local t = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = now
local v = redis.call('GET', KEYS[1])
if v then tat = math.max(tonumber(v), now) end
local new_tat = tat + t
local allow_at = new_tat - t * burst
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now - allow_at) / t), 0, new_tat - now}
`)

// incrScript: KEYS[1] is a sorted set of events scored by time. ARGV[1] is
// the window (µs), ARGV[2] a unique member, ARGV[3] the cap, ARGV[4] the
// window in ms for the key's TTL. Returns the count in the window.
var incrScript = redis.NewScript(luaNow + `
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local n = redis.call('ZCARD', KEYS[1])
if n < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[2])
  n = n + 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return n
`)

// countScript: KEYS[1] as in incrScript, ARGV[1] the window (µs).
var countScript = redis.NewScript(luaNow + `
return redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.0f', now - tonumber(ARGV[1])), '+inf')
`)

// uniqueScript: KEYS[1] is a sorted set of members scored by the time they
// were last added. ARGV as in incrScript, ARGV[2] being the member.
// Returns the distinct members in the window.
var uniqueScript = redis.NewScript(luaNow + `
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) or redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return redis.call('ZCARD', KEYS[1])
`)

// Redis is the Store shared by every node using the same Redis and prefix.
// Limits run GCRA in a Lua script (EVALSHA), counters and distinct sets are
// sorted sets pruned to their sliding window, locks are SET NX PX. Every
// key expires with its window. Keys are prefix + kind + ":{" + key + "}";
// the hash tag keeps one key's kinds in one Redis Cluster slot.
type Redis struct {
	client   redis.UniversalClient
	prefix   string
	node     string // makes event members unique across nodes
	seq      atomic.Uint64
	maxCount int
	owned    bool
}

// NewRedis returns a store on client with every key under prefix (e.g.
// DefaultPrefix; a per-test random prefix isolates tests). Close does not
// close a client passed here.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Redis{client: client, prefix: prefix, node: hex.EncodeToString(b[:]), maxCount: MaxCount}
}

// Key kinds.
const (
	kindLimit  = "rl"
	kindEvents = "ev"
	kindUnique = "uq"
	kindLock   = "lk"
)

func (r *Redis) key(kind, key string) string {
	return r.prefix + kind + ":{" + key + "}"
}

func redisErr(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("ratelimit: redis %s: %w", op, err)
}

// Allow implements Limiter.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	t, burst, err := l.interval()
	if err == nil {
		err = checkKey(key)
	}
	if err != nil {
		return Result{}, err
	}
	v, err := gcraScript.Run(ctx, r.client, []string{r.key(kindLimit, key)}, t.Microseconds(), burst).Int64Slice()
	if err != nil {
		return Result{}, redisErr("allow", err)
	}
	if len(v) != 4 {
		return Result{}, fmt.Errorf("ratelimit: redis allow: unexpected reply %v", v)
	}
	return Result{
		Allowed:    v[0] == 1,
		Remaining:  int(v[1]),
		RetryAfter: time.Duration(v[2]) * time.Microsecond,
		ResetAfter: time.Duration(v[3]) * time.Microsecond,
	}, nil
}

// Reset implements Limiter.
func (r *Redis) Reset(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := r.client.Del(ctx, r.key(kindLimit, key)).Err(); err != nil {
		return redisErr("reset", err)
	}
	return nil
}

// windowArgs are ARGV[1], ARGV[3] and ARGV[4] of the counting scripts.
func (r *Redis) windowArgs(window time.Duration) (us int64, limit int, ms int64) {
	return window.Microseconds(), r.maxCount, (window + time.Millisecond - 1).Milliseconds()
}

// Incr implements Counter.
func (r *Redis) Incr(ctx context.Context, key string, window time.Duration) (int64, error) {
	if err := checkCount(ctx, key, window); err != nil {
		return 0, err
	}
	us, limit, ms := r.windowArgs(window)
	member := r.node + ":" + strconv.FormatUint(r.seq.Add(1), 36)
	n, err := incrScript.Run(ctx, r.client, []string{r.key(kindEvents, key)}, us, member, limit, ms).Int64()
	if err != nil {
		return 0, redisErr("incr", err)
	}
	return n, nil
}

// Count implements Counter.
func (r *Redis) Count(ctx context.Context, key string, window time.Duration) (int64, error) {
	if err := checkCount(ctx, key, window); err != nil {
		return 0, err
	}
	n, err := countScript.Run(ctx, r.client, []string{r.key(kindEvents, key)}, window.Microseconds()).Int64()
	if err != nil {
		return 0, redisErr("count", err)
	}
	return n, nil
}

// AddUnique implements Counter.
func (r *Redis) AddUnique(ctx context.Context, key, member string, window time.Duration) (int64, error) {
	if err := checkCount(ctx, key, window); err != nil {
		return 0, err
	}
	us, limit, ms := r.windowArgs(window)
	n, err := uniqueScript.Run(ctx, r.client, []string{r.key(kindUnique, key)}, us, member, limit, ms).Int64()
	if err != nil {
		return 0, redisErr("add unique", err)
	}
	return n, nil
}

// Clear implements Counter.
func (r *Redis) Clear(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := r.client.Del(ctx, r.key(kindEvents, key), r.key(kindUnique, key)).Err(); err != nil {
		return redisErr("clear", err)
	}
	return nil
}

// Lock implements Counter.
func (r *Redis) Lock(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	if err := checkWindow("lock TTL", ttl); err != nil {
		return false, err
	}
	ok, err := r.client.SetNX(ctx, r.key(kindLock, key), 1, ttl).Result()
	if err != nil {
		return false, redisErr("lock", err)
	}
	return ok, nil
}

// Locked implements Counter.
func (r *Redis) Locked(ctx context.Context, key string) (time.Duration, bool, error) {
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	d, err := r.client.PTTL(ctx, r.key(kindLock, key)).Result()
	if err != nil {
		return 0, false, redisErr("locked", err)
	}
	switch {
	case d > 0:
		return d, true, nil
	case d == -1: // no TTL: never set by Lock, but it is held
		return 0, true, nil
	default: // -2: absent; 0: expiring within the millisecond
		return 0, false, nil
	}
}

// Unlock implements Counter.
func (r *Redis) Unlock(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := r.client.Del(ctx, r.key(kindLock, key)).Err(); err != nil {
		return redisErr("unlock", err)
	}
	return nil
}

// Close implements Store: it closes the client if Open created it.
func (r *Redis) Close() error {
	if r.owned {
		return r.client.Close()
	}
	return nil
}

// Interface guards.
var (
	_ Store = (*Memory)(nil)
	_ Store = (*Redis)(nil)
)

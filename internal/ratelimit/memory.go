package ratelimit

import (
	"cmp"
	"context"
	"hash/maphash"
	"slices"
	"sort"
	"sync"
	"time"
)

const (
	numShards = 64
	// sweepEvery bounds how long an expired entry may outlive its window
	// in a shard that keeps being written.
	sweepEvery = time.Minute
	// minSweepAt is the shard size below which growth alone never triggers
	// a sweep; above it a shard is swept whenever it doubles.
	minSweepAt = 1024
)

// Memory is the single-node Store: state lives in process memory, in
// sharded maps behind mutexes. Every entry expires with its window, and
// each shard sweeps its expired entries at least once a minute of clock
// time while written and whenever it doubles in size, so memory is bounded
// by the keys live within their windows. It starts no goroutine.
type Memory struct {
	now      func() time.Time
	seed     maphash.Seed
	maxCount int
	shards   [numShards]shard
}

type shard struct {
	mu    sync.Mutex
	tat   map[string]int64 // GCRA theoretical arrival time; expired once <= now
	logs  map[string]*eventLog
	sets  map[string]*memberSet
	locks map[string]int64 // expiry

	nextSweep int64
	sweepAt   int
}

// NewMemory returns an empty in-memory store that reads time from clock
// (time.Now when nil; tests pass a fake).
func NewMemory(clock func() time.Time) *Memory {
	if clock == nil {
		clock = time.Now
	}
	m := &Memory{now: clock, seed: maphash.MakeSeed(), maxCount: MaxCount}
	for i := range m.shards {
		sh := &m.shards[i]
		sh.tat = make(map[string]int64)
		sh.logs = make(map[string]*eventLog)
		sh.sets = make(map[string]*memberSet)
		sh.locks = make(map[string]int64)
		sh.sweepAt = minSweepAt
	}
	return m
}

// shard locks and returns key's shard, swept if due, and the current time
// in Unix nanoseconds. The caller unlocks it.
func (m *Memory) shard(key string) (*shard, int64) {
	sh := &m.shards[maphash.String(m.seed, key)%numShards]
	sh.mu.Lock()
	now := m.now().UnixNano()
	if now >= sh.nextSweep || sh.len() > sh.sweepAt {
		sh.sweep(now)
		sh.nextSweep = now + int64(sweepEvery)
		sh.sweepAt = max(2*sh.len(), minSweepAt)
	}
	return sh, now
}

func (sh *shard) len() int {
	return len(sh.tat) + len(sh.logs) + len(sh.sets) + len(sh.locks)
}

func (sh *shard) sweep(now int64) {
	for k, tat := range sh.tat {
		if tat <= now {
			delete(sh.tat, k)
		}
	}
	for k, l := range sh.logs {
		if l.expires <= now {
			delete(sh.logs, k)
		}
	}
	for k, s := range sh.sets {
		if s.expires <= now {
			delete(sh.sets, k)
		}
	}
	for k, exp := range sh.locks {
		if exp <= now {
			delete(sh.locks, k)
		}
	}
}

// Allow implements Limiter with GCRA.
func (m *Memory) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	t, burst, err := l.interval()
	if err == nil {
		err = checkKey(key)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return Result{}, err
	}
	sh, now := m.shard(key)
	defer sh.mu.Unlock()
	tat := max(sh.tat[key], now)
	newTAT := tat + int64(t)
	allowAt := newTAT - int64(t)*int64(burst)
	if now < allowAt {
		return Result{RetryAfter: time.Duration(allowAt - now), ResetAfter: time.Duration(tat - now)}, nil
	}
	sh.tat[key] = newTAT
	return Result{
		Allowed:    true,
		Remaining:  int((now - allowAt) / int64(t)),
		ResetAfter: time.Duration(newTAT - now),
	}, nil
}

// Reset implements Limiter.
func (m *Memory) Reset(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sh, _ := m.shard(key)
	delete(sh.tat, key)
	sh.mu.Unlock()
	return nil
}

// eventLog is a sliding-window log: event times, oldest first from head.
type eventLog struct {
	ts      []int64
	head    int
	expires int64
}

func (l *eventLog) prune(cutoff int64) {
	for l.head < len(l.ts) && l.ts[l.head] <= cutoff {
		l.head++
	}
	if l.head == len(l.ts) {
		l.ts, l.head = l.ts[:0], 0
	} else if l.head >= 64 && 2*l.head >= len(l.ts) {
		n := copy(l.ts, l.ts[l.head:])
		l.ts, l.head = l.ts[:n], 0
	}
}

// after counts the events later than cutoff without dropping older ones.
func (l *eventLog) after(cutoff int64) int {
	live := l.ts[l.head:]
	return len(live) - sort.Search(len(live), func(i int) bool { return live[i] > cutoff })
}

// Incr implements Counter.
func (m *Memory) Incr(ctx context.Context, key string, window time.Duration) (int64, error) {
	if err := checkCount(ctx, key, window); err != nil {
		return 0, err
	}
	sh, now := m.shard(key)
	defer sh.mu.Unlock()
	l := sh.logs[key]
	if l == nil {
		l = &eventLog{}
		sh.logs[key] = l
	}
	l.prune(now - int64(window))
	if len(l.ts)-l.head < m.maxCount {
		l.ts = append(l.ts, now)
	}
	l.expires = now + int64(window)
	return int64(len(l.ts) - l.head), nil
}

// Count implements Counter.
func (m *Memory) Count(ctx context.Context, key string, window time.Duration) (int64, error) {
	if err := checkCount(ctx, key, window); err != nil {
		return 0, err
	}
	sh, now := m.shard(key)
	defer sh.mu.Unlock()
	l := sh.logs[key]
	if l == nil {
		return 0, nil
	}
	return int64(l.after(now - int64(window))), nil
}

// memberSet remembers when each member was last added; order lists the
// additions oldest first from head, including stale ones for members
// re-added since, which prune skips.
type memberSet struct {
	seen    map[string]int64
	order   []stamp
	head    int
	expires int64
}

type stamp struct {
	member string
	at     int64
}

func (s *memberSet) prune(cutoff int64) {
	for s.head < len(s.order) && s.order[s.head].at <= cutoff {
		st := s.order[s.head]
		if at, ok := s.seen[st.member]; ok && at <= cutoff {
			delete(s.seen, st.member)
		}
		s.order[s.head] = stamp{}
		s.head++
	}
	live := len(s.order) - s.head
	switch {
	case live == 0:
		s.order, s.head = s.order[:0], 0
	case live > 2*len(s.seen)+64:
		// Mostly stale stamps of re-added members: rebuild from seen.
		s.order = s.order[:0]
		for mem, at := range s.seen {
			s.order = append(s.order, stamp{mem, at})
		}
		slices.SortFunc(s.order, func(a, b stamp) int { return cmp.Compare(a.at, b.at) })
		s.head = 0
	case s.head >= 64 && 2*s.head >= len(s.order):
		n := copy(s.order, s.order[s.head:])
		clear(s.order[n:])
		s.order, s.head = s.order[:n], 0
	}
}

// AddUnique implements Counter.
func (m *Memory) AddUnique(ctx context.Context, key, member string, window time.Duration) (int64, error) {
	if err := checkCount(ctx, key, window); err != nil {
		return 0, err
	}
	sh, now := m.shard(key)
	defer sh.mu.Unlock()
	s := sh.sets[key]
	if s == nil {
		s = &memberSet{seen: make(map[string]int64)}
		sh.sets[key] = s
	}
	s.prune(now - int64(window))
	if _, ok := s.seen[member]; ok || len(s.seen) < m.maxCount {
		s.seen[member] = now
		s.order = append(s.order, stamp{member, now})
	}
	s.expires = now + int64(window)
	return int64(len(s.seen)), nil
}

// Clear implements Counter.
func (m *Memory) Clear(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sh, _ := m.shard(key)
	delete(sh.logs, key)
	delete(sh.sets, key)
	sh.mu.Unlock()
	return nil
}

// Lock implements Counter.
func (m *Memory) Lock(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	if err := checkWindow("lock TTL", ttl); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	sh, now := m.shard(key)
	defer sh.mu.Unlock()
	if exp, ok := sh.locks[key]; ok && exp > now {
		return false, nil
	}
	sh.locks[key] = now + int64(ttl)
	return true, nil
}

// Locked implements Counter.
func (m *Memory) Locked(ctx context.Context, key string) (time.Duration, bool, error) {
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	sh, now := m.shard(key)
	defer sh.mu.Unlock()
	if exp, ok := sh.locks[key]; ok && exp > now {
		return time.Duration(exp - now), true, nil
	}
	return 0, false, nil
}

// Unlock implements Counter.
func (m *Memory) Unlock(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sh, _ := m.shard(key)
	delete(sh.locks, key)
	sh.mu.Unlock()
	return nil
}

// Close implements Store; memory holds nothing to release.
func (m *Memory) Close() error { return nil }

func checkCount(ctx context.Context, key string, window time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkWindow("window", window); err != nil {
		return err
	}
	return ctx.Err()
}

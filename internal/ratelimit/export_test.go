package ratelimit

// SetMaxCount lowers the cap of Incr and AddUnique so tests can reach it.
func SetMaxCount(s Store, n int) {
	switch s := s.(type) {
	case *Memory:
		s.maxCount = n
	case *Redis:
		s.maxCount = n
	}
}

// Entries is the number of entries the memory store holds, expired or not.
func (m *Memory) Entries() int {
	n := 0
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.Lock()
		n += sh.len()
		sh.mu.Unlock()
	}
	return n
}

// Footprint is how many event times and member stamps key holds, live or
// awaiting compaction.
func (m *Memory) Footprint(key string) (events, stamps int) {
	sh, _ := m.shard(key)
	defer sh.mu.Unlock()
	if l := sh.logs[key]; l != nil {
		events = len(l.ts)
	}
	if s := sh.sets[key]; s != nil {
		stamps = len(s.order)
	}
	return events, stamps
}

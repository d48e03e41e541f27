package saml

import (
	"errors"
	"sync"
	"time"

	"github.com/crewjam/saml"
)

// ReplayStore records the IDs of accepted assertions so that each is
// accepted once. What a production store must provide:
//
//   - Consume is an atomic insert-if-absent (a unique key, or Redis
//     SET NX with an expiry): two servers handed the same assertion at
//     once accept it at most once between them.
//   - It is shared by every Gatehouse instance that serves the ACS URL.
//   - A record is kept at least until expiresAt (the assertion's
//     NotOnOrAfter, after which the assertion is refused anyway) and may
//     be dropped after.
//   - It answers ErrReplayed for an ID it already holds, and any other
//     error when it cannot record: both refuse the sign-in (fail closed).
//
// Keys are the connection ID, a slash, and the assertion's ID (or, for a
// few protocol messages, crewjam/saml's prefixed keys).
type ReplayStore interface {
	Consume(key string, expiresAt time.Time) error
}

// ErrReplayed is what a ReplayStore answers for a key it already holds.
var ErrReplayed = saml.ErrAssertionReplayed

// replayAdapter scopes a ReplayStore to one connection for crewjam/saml.
type replayAdapter struct {
	store  ReplayStore
	prefix string
}

func (r replayAdapter) Consume(id string, expiresAt time.Time) error {
	err := r.store.Consume(r.prefix+id, expiresAt)
	if errors.Is(err, ErrReplayed) {
		return saml.ErrAssertionReplayed
	}
	return err
}

// MemoryReplayStore is a ReplayStore for one process (tests, a single
// instance). Expired records are dropped as new ones arrive.
type MemoryReplayStore struct {
	Now func() time.Time // time.Now when nil

	mu   sync.Mutex
	seen map[string]time.Time
}

// Consume records key until expiresAt, or answers ErrReplayed.
func (m *MemoryReplayStore) Consume(key string, expiresAt time.Time) error {
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[string]time.Time{}
	}
	if exp, ok := m.seen[key]; ok && now.Before(exp) {
		return ErrReplayed
	}
	if len(m.seen) > 1024 {
		for k, exp := range m.seen {
			if !now.Before(exp) {
				delete(m.seen, k)
			}
		}
	}
	m.seen[key] = expiresAt
	return nil
}

// Interface guard.
var _ ReplayStore = (*MemoryReplayStore)(nil)

package connectors

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation/saml"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// replayTimeout bounds recording one assertion ID (crewjam/saml's replay
// cache takes no context).
const replayTimeout = 5 * time.Second

// AssertionStore is the part of store.ConnectionRepo a shared SAML replay
// store needs.
type AssertionStore interface {
	ConsumeAssertion(ctx context.Context, tenantID, connectionID string, idHash []byte, expiresAt, now time.Time) error
}

// StoreReplay is a saml.ReplayStore kept in the database
// (store.ConnectionRepo.ConsumeAssertion), shared by every node, for the
// connection connectionID of tenantID: an assertion replayed to another
// node is refused there too. The key (connection-scoped assertion ID) is
// stored as its SHA-256 hash. It fails closed: a database error refuses
// the assertion.
func StoreReplay(s AssertionStore, tenantID, connectionID string, now func() time.Time) saml.ReplayStore {
	if now == nil {
		now = time.Now
	}
	return &storeReplay{s: s, tenantID: tenantID, connectionID: connectionID, now: now}
}

type storeReplay struct {
	s                      AssertionStore
	tenantID, connectionID string
	now                    func() time.Time
}

func (r *storeReplay) Consume(key string, expiresAt time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), replayTimeout)
	defer cancel()
	sum := sha256.Sum256([]byte(key))
	err := r.s.ConsumeAssertion(ctx, r.tenantID, r.connectionID, sum[:], expiresAt, r.now())
	if errors.Is(err, store.ErrReused) {
		return saml.ErrReplayed
	}
	return err
}

package audit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Purge removes a tenant's audit records older than before (retention),
// keeping the chain verifiable: it first appends an audit.purged event
// naming the last record to go (its seq and hash), then moves the
// tenant's checkpoint there and deletes the records up to it. Verify
// starts the chain from the checkpoint and requires that event. It reports
// how many records went (0 when none is old enough).
func (r *Recorder) Purge(ctx context.Context, tenantID string, before time.Time) (int64, error) {
	s, err := r.Store(ctx, tenantID)
	if err != nil {
		return 0, fmt.Errorf("audit: store for tenant: %w", err)
	}
	last, err := s.Audit().LastBefore(ctx, tenantID, before)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	switch cp, err := s.Audit().Checkpoint(ctx, tenantID); {
	case err == nil && last.Seq <= cp.Seq:
		return 0, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return 0, err
	}
	hash := hex.EncodeToString(last.Hash)
	if err := r.Record(ctx, events.Event{ID: id.String(), TenantID: tenantID, Type: EventPurged, ActorID: "retention",
		Data: map[string]any{"through_seq": last.Seq, "through_hash": hash, "before": before.UTC().Format(time.RFC3339)}}); err != nil {
		return 0, err
	}
	return s.Audit().Purge(ctx, store.AuditCheckpoint{TenantID: tenantID, Seq: last.Seq, Hash: last.Hash, EventID: id.String()})
}

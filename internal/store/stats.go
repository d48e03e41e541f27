package store

import (
	"context"
	"time"
)

// StatsRepo reads aggregates across tenants for operations metrics
// (Prometheus gauges computed at scrape time). Each method is one query.
type StatsRepo interface {
	// WebhookBacklog counts the pending deliveries of enabled webhooks,
	// of every tenant, and returns the creation time of the oldest (nil
	// when there is none). Deliveries of disabled webhooks wait on purpose
	// and are not counted.
	WebhookBacklog(ctx context.Context) (pending int64, oldest *time.Time, err error)
	// OldestActiveSigningKeys returns, per algorithm, the creation time of
	// the oldest signing key that still signs (not retired), across
	// tenants: how far the scheduled rotation is behind shows in it.
	OldestActiveSigningKeys(ctx context.Context) (map[string]time.Time, error)
}

// StatsStore is a store that serves StatsRepo.
type StatsStore interface {
	Stats() StatsRepo
}

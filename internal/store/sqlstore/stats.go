package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// statsRepo answers the operations metrics' aggregate queries.
type statsRepo Store

var _ store.StatsRepo = (*statsRepo)(nil)

// Stats returns the repository of aggregates for metrics.
func (s *Store) Stats() store.StatsRepo { return (*statsRepo)(s) }

func (r *statsRepo) WebhookBacklog(ctx context.Context) (int64, *time.Time, error) {
	s := (*Store)(r)
	var n int64
	var oldest *time.Time
	err := s.queryRow(ctx, `SELECT COUNT(*), MIN(d.created_at) FROM webhook_deliveries d
		JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
		WHERE d.status = ? AND w.enabled = ?`, store.DeliveryPending, true).Scan(&n, nullTSCol{&oldest})
	return n, oldest, s.c.mapErr(err)
}

func (r *statsRepo) OldestActiveSigningKeys(ctx context.Context) (map[string]time.Time, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT alg, MIN(created_at) FROM signing_keys WHERE retired_at IS NULL GROUP BY alg`)
	if err != nil {
		return nil, err
	}
	type row struct {
		alg string
		at  time.Time
	}
	all, err := scanAll(rows, func(sc scanner) (*row, error) {
		var x row
		return &x, sc.Scan(&x.alg, tsCol{&x.at})
	})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	out := make(map[string]time.Time, len(all))
	for _, x := range all {
		out[x.alg] = x.at
	}
	return out, nil
}

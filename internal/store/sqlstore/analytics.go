package sqlstore

import (
	"context"

	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// analyticsRepo keeps the analytics rollups (analytics_rollups) and the
// per-user activity rows (analytics_active).
type analyticsRepo Store

var _ store.AnalyticsRepo = (*analyticsRepo)(nil)

// Analytics returns the analytics rollups repository.
func (s *Store) Analytics() store.AnalyticsRepo { return (*analyticsRepo)(s) }

type rollupKey struct {
	tenant, metric, grain, group string
	bucket                       int64
}

func (r *analyticsRepo) Add(ctx context.Context, counts []store.AnalyticsCount) error {
	if len(counts) == 0 {
		return nil
	}
	// One row per key: PostgreSQL refuses an upsert touching a row twice
	// in one statement, and fewer statements are cheaper anyway.
	merged := make(map[rollupKey]int64, len(counts))
	var order []rollupKey
	for _, c := range counts {
		k := rollupKey{c.TenantID, c.Metric, c.Grain, c.Group, norm(c.Bucket).UnixMicro()}
		if _, ok := merged[k]; !ok {
			order = append(order, k)
		}
		merged[k] += c.Value
	}
	return (*Store)(r).inTx(ctx, func(tx *Store) error {
		for _, k := range order {
			if _, err := tx.exec(ctx, `INSERT INTO analytics_rollups (tenant_id, metric, grain, grp, bucket, value)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (tenant_id, metric, grain, bucket, grp) DO UPDATE SET value = analytics_rollups.value + excluded.value`,
				k.tenant, k.metric, k.grain, k.group, tx.ts(time.UnixMicro(k.bucket)), merged[k]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r *analyticsRepo) MarkActive(ctx context.Context, marks []store.AnalyticsActive) ([]store.AnalyticsActive, error) {
	var fresh []store.AnalyticsActive
	err := (*Store)(r).inTx(ctx, func(tx *Store) error {
		fresh = fresh[:0]
		for _, m := range marks {
			// The user may have been erased since: then there is nothing
			// to count (and no row may outlive them).
			n, err := tx.exec(ctx, `INSERT INTO analytics_active (tenant_id, user_id, period, start)
				SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE tenant_id = ? AND id = ?)
				ON CONFLICT (tenant_id, period, start, user_id) DO NOTHING`,
				m.TenantID, m.UserID, m.Period, tx.ts(m.Start), m.TenantID, m.UserID)
			if err != nil {
				return err
			}
			if n == 1 {
				fresh = append(fresh, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fresh, nil
}

func (r *analyticsRepo) Counts(ctx context.Context, tenantID, metric, grain string, from, to time.Time) ([]store.AnalyticsCount, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT grp, bucket, value FROM analytics_rollups
		WHERE tenant_id = ? AND metric = ? AND grain = ? AND bucket >= ? AND bucket < ?`,
		tenantID, metric, grain, s.ts(from), s.ts(to))
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*store.AnalyticsCount, error) {
		c := store.AnalyticsCount{TenantID: tenantID, Metric: metric, Grain: grain}
		return &c, sc.Scan(&c.Group, tsCol{&c.Bucket}, &c.Value)
	})
	return out, s.c.mapErr(err)
}

func (r *analyticsRepo) PurgeActive(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM analytics_active WHERE start < ?`, s.ts(before))
}

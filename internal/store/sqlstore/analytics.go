package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// analyticsRepo keeps the analytics rollups (analytics_rollups) and the
// per-user activity rows (analytics_active).
type analyticsRepo Store

var _ store.AnalyticsRepo = (*analyticsRepo)(nil)

// Analytics returns the analytics rollups repository.
func (s *Store) Analytics() store.AnalyticsRepo { return (*analyticsRepo)(s) }

// analyticsChunk is the rows per multi-row statement: a flush writes
// thousands of rows, and one statement per row would dominate its time.
const analyticsChunk = 200

type rollupKey struct {
	tenant, metric, grain, group string
	bucket                       int64
}

// tuples is "(?, ?, …), (?, ?, …)…": n groups of width placeholders.
func tuples(n, width int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
}

func (r *analyticsRepo) Add(ctx context.Context, counts []store.AnalyticsCount) error {
	if len(counts) == 0 {
		return nil
	}
	// One row per key: PostgreSQL refuses an upsert touching a row twice
	// in one statement.
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
		for len(order) > 0 {
			n := min(len(order), analyticsChunk)
			args := make([]any, 0, 6*n)
			for _, k := range order[:n] {
				args = append(args, k.tenant, k.metric, k.grain, k.group, tx.ts(time.UnixMicro(k.bucket)), merged[k])
			}
			if _, err := tx.exec(ctx, `INSERT INTO analytics_rollups (tenant_id, metric, grain, grp, bucket, value)
				VALUES `+tuples(n, 6)+`
				ON CONFLICT (tenant_id, metric, grain, bucket, grp) DO UPDATE SET value = analytics_rollups.value + excluded.value`,
				args...); err != nil {
				return err
			}
			order = order[n:]
		}
		return nil
	})
}

type activeKey struct {
	tenant, user, period string
	start                int64
}

func (r *analyticsRepo) MarkActive(ctx context.Context, marks []store.AnalyticsActive) ([]store.AnalyticsActive, error) {
	var fresh []store.AnalyticsActive
	err := (*Store)(r).inTx(ctx, func(tx *Store) error {
		fresh = fresh[:0]
		seen := make(map[activeKey]bool, len(marks))
		var todo []store.AnalyticsActive
		for _, m := range marks {
			m.Start = norm(m.Start)
			k := activeKey{m.TenantID, m.UserID, m.Period, m.Start.UnixMicro()}
			if !seen[k] {
				seen[k] = true
				todo = append(todo, m)
			}
		}
		for len(todo) > 0 {
			n := min(len(todo), analyticsChunk)
			chunk := todo[:n]
			todo = todo[n:]
			// Users erased meanwhile are not counted (and no row may
			// outlive them): keep the marks of users that exist.
			users := map[[2]string]bool{}
			var pairs [][2]string
			for _, m := range chunk {
				p := [2]string{m.TenantID, m.UserID}
				if !users[p] {
					users[p] = true
					pairs = append(pairs, p)
				}
			}
			args := make([]any, 0, 2*len(pairs))
			for _, p := range pairs {
				args = append(args, p[0], p[1])
			}
			rows, err := tx.query(ctx, `SELECT tenant_id, id FROM users WHERE (tenant_id, id) IN (VALUES `+tuples(len(pairs), 2)+`)`, args...)
			if err != nil {
				return err
			}
			exist, err := scanAll(rows, func(sc scanner) (*[2]string, error) {
				var p [2]string
				return &p, sc.Scan(&p[0], &p[1])
			})
			if err != nil {
				return tx.c.mapErr(err)
			}
			clear(users)
			for _, p := range exist {
				users[p] = true
			}
			args = args[:0]
			k := 0
			for _, m := range chunk {
				if users[[2]string{m.TenantID, m.UserID}] {
					args = append(args, m.TenantID, m.UserID, m.Period, tx.ts(m.Start))
					k++
				}
			}
			if k == 0 {
				continue
			}
			rows, err = tx.query(ctx, `INSERT INTO analytics_active (tenant_id, user_id, period, start) VALUES `+tuples(k, 4)+`
				ON CONFLICT (tenant_id, period, start, user_id) DO NOTHING
				RETURNING tenant_id, user_id, period, start`, args...)
			if err != nil {
				return err
			}
			added, err := scanAll(rows, func(sc scanner) (*store.AnalyticsActive, error) {
				var a store.AnalyticsActive
				return &a, sc.Scan(&a.TenantID, &a.UserID, &a.Period, tsCol{&a.Start})
			})
			if err != nil {
				return tx.c.mapErr(err)
			}
			fresh = append(fresh, added...)
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

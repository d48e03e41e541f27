package store

import (
	"context"
	"time"
)

// Rollup grains: the bucket sizes analytics counters are kept in. Every
// count is added at both the hour and the day grain, so a query reads at
// most one row per group and day. Active-user counters are kept at the
// period grain (one bucket per day, ISO week or month).
const (
	GrainHour   = "h"
	GrainDay    = "d"
	GrainPeriod = "p"
)

// Active-user periods (AnalyticsActive.Period).
const (
	PeriodDay   = "day"
	PeriodWeek  = "week"
	PeriodMonth = "month"
)

// AnalyticsCount is an increment of (or, read back, the value of) one
// rollup bucket: a tenant's metric, for one group of labels (encoded by
// the caller, "" when the metric has none), at a grain and bucket start.
type AnalyticsCount struct {
	TenantID string
	Metric   string
	Grain    string
	Group    string
	Bucket   time.Time
	Value    int64
}

// AnalyticsActive says a user was active in a period starting at Start
// (UTC day, Monday of the ISO week, or first of the month).
type AnalyticsActive struct {
	TenantID string
	UserID   string
	Period   string
	Start    time.Time
}

// AnalyticsRepo keeps the analytics rollups (internal/analytics): counters
// per tenant, metric, grain, group and bucket, maintained as events
// happen, and the per-user rows that make active users distinct.
type AnalyticsRepo interface {
	// Add adds each count's Value to its bucket, creating it at 0 first.
	// Concurrent Adds (also from other processes) all count: the upsert
	// adds to the stored value in the database. A count for a tenant that
	// does not exist is ErrNotFound, and nothing is added.
	Add(ctx context.Context, counts []AnalyticsCount) error
	// MarkActive records each user as active in each period, once: it
	// returns the marks that were new (the user was not yet counted in
	// that period), which the caller counts. A mark for a user that does
	// not exist (erased meanwhile) is skipped. The rows are deleted with
	// the user (erasure).
	MarkActive(ctx context.Context, marks []AnalyticsActive) (fresh []AnalyticsActive, err error)
	// Counts returns the tenant's buckets of one metric and grain with
	// from <= Bucket < to, in no particular order.
	Counts(ctx context.Context, tenantID, metric, grain string, from, to time.Time) ([]AnalyticsCount, error)
	// PurgeActive deletes the per-user activity rows of every tenant whose
	// period started before the given time (their counters stay), and
	// returns how many went.
	PurgeActive(ctx context.Context, before time.Time) (int64, error)
}

// Package analytics keeps and answers a tenant's sign-in analytics:
// sign-ups, sign-ins by outcome and method, active users, MFA
// enrolments, risk decisions and token issuance, over time.
//
// Figures are rollups kept as events happen, never a scan of the audit
// log. The Collector counts events in memory (the audit recorder tells it
// of each recorded event, the token service of each issued token) and
// flushes the counts every few seconds as upserts of hour and day buckets
// (store.AnalyticsRepo); the Service reads those buckets. See
// docs/analytics.md.
package analytics

import (
	"net/url"
	"sort"
	"time"
)

// Metrics, as the Admin API names them.
const (
	MetricSignups       = "signups"
	MetricSignins       = "signins"
	MetricActiveUsers   = "active_users"
	MetricMFAAdoption   = "mfa_adoption"
	MetricRiskDecisions = "risk_decisions"
	MetricTokenIssuance = "token_issuance"
)

// Metrics lists every metric.
var Metrics = []string{MetricSignups, MetricSignins, MetricActiveUsers, MetricMFAAdoption, MetricRiskDecisions, MetricTokenIssuance}

// Intervals.
const (
	IntervalHour = "hour"
	IntervalDay  = "day"
	IntervalWeek = "week"
)

// MaxBuckets bounds the points of one series.
const MaxBuckets = 1000

// DefaultRange is the period asked when From is zero: To minus 7 days.
const DefaultRange = 7 * 24 * time.Hour

// Point is one bucket: its start and its value.
type Point struct {
	At    time.Time
	Value int64
}

// Series is the points of one group of labels (nil for an ungrouped
// metric), one per bucket of the query.
type Series struct {
	Group  map[string]string
	Points []Point
}

// Query asks for one metric over [From, To) in buckets of Interval. Zero
// values take the defaults: To now, From To minus 7 days, Interval day.
type Query struct {
	Metric   string
	From, To time.Time
	Interval string
}

// InvalidQueryError is a query the service refuses: Field names the
// parameter (metric, from, to, interval).
type InvalidQueryError struct {
	Field   string
	Message string
}

func (e *InvalidQueryError) Error() string { return "analytics: " + e.Field + ": " + e.Message }

// encodeGroup is a group's stored form: its labels as a sorted,
// escaped query string ("" for none).
func encodeGroup(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	v := make(url.Values, len(labels))
	for k, x := range labels {
		v.Set(k, x)
	}
	return v.Encode()
}

func decodeGroup(s string) map[string]string {
	if s == "" {
		return nil
	}
	v, err := url.ParseQuery(s)
	if err != nil {
		return map[string]string{"group": s}
	}
	out := make(map[string]string, len(v))
	for k, x := range v {
		if len(x) > 0 {
			out[k] = x[0]
		}
	}
	return out
}

// Bucket starts, in UTC.

func hourStart(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

func dayStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// weekStart is the Monday of t's ISO week.
func weekStart(t time.Time) time.Time {
	d := dayStart(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func bucketStart(interval string, t time.Time) time.Time {
	switch interval {
	case IntervalHour:
		return hourStart(t)
	case IntervalWeek:
		return weekStart(t)
	default:
		return dayStart(t)
	}
}

func nextBucket(interval string, t time.Time) time.Time {
	switch interval {
	case IntervalHour:
		return t.Add(time.Hour)
	case IntervalWeek:
		return t.AddDate(0, 0, 7)
	default:
		return t.AddDate(0, 0, 1)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BucketStart is the start of the bucket of the interval that contains t.
func BucketStart(interval string, t time.Time) time.Time { return bucketStart(interval, t) }

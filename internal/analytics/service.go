package analytics

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Service answers analytics queries from the rollups.
type Service struct {
	// Store returns the store holding a tenant's data.
	Store func(ctx context.Context, tenantID string) (store.Store, error)
	// Now is the clock (the default To); nil means time.Now.
	Now func() time.Time
}

// normalize applies the defaults and checks q: an *InvalidQueryError
// when it is out of bounds.
func (s *Service) normalize(q Query) (Query, error) {
	if !slices.Contains(Metrics, q.Metric) {
		return q, &InvalidQueryError{Field: "metric", Message: fmt.Sprintf("unknown metric %q", q.Metric)}
	}
	switch q.Interval {
	case "":
		q.Interval = IntervalDay
	case IntervalHour, IntervalDay, IntervalWeek:
	default:
		return q, &InvalidQueryError{Field: "interval", Message: "must be hour, day or week"}
	}
	if q.To.IsZero() {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		q.To = now()
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-DefaultRange)
	}
	q.From, q.To = q.From.UTC(), q.To.UTC()
	if !q.From.Before(q.To) {
		return q, &InvalidQueryError{Field: "from", Message: "must be before to"}
	}
	// Count buckets without building them: an absurd range is refused
	// before any work.
	step := map[string]time.Duration{IntervalHour: time.Hour, IntervalDay: 24 * time.Hour, IntervalWeek: 7 * 24 * time.Hour}[q.Interval]
	if n := q.To.Sub(bucketStart(q.Interval, q.From))/step + 1; n > MaxBuckets {
		return q, &InvalidQueryError{Field: "from", Message: fmt.Sprintf("the range has more than %d %s buckets; shorten it or use a longer interval", MaxBuckets, q.Interval)}
	}
	return q, nil
}

// Buckets returns the starts of q's buckets: from the one containing
// From, each before To.
func buckets(q Query) []time.Time {
	var out []time.Time
	for b := bucketStart(q.Interval, q.From); b.Before(q.To); b = nextBucket(q.Interval, b) {
		out = append(out, b)
	}
	return out
}

// Query answers q for a tenant: one Series (nil Group) for an ungrouped
// metric, else one per group seen in the period, ordered by group. Every
// bucket is present, 0 when nothing was counted; a bucket counts all of
// its hour, day or week. Bad queries are *InvalidQueryError.
func (s *Service) Query(ctx context.Context, tenantID string, q Query) ([]Series, error) {
	q, err := s.normalize(q)
	if err != nil {
		return nil, err
	}
	st, err := s.Store(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	bs := buckets(q)
	index := make(map[int64]int, len(bs))
	for i, b := range bs {
		index[b.Unix()] = i
	}
	end := nextBucket(q.Interval, bs[len(bs)-1])
	byGroup := map[string][]int64{}
	values := func(group string) []int64 {
		v, ok := byGroup[group]
		if !ok {
			v = make([]int64, len(bs))
			byGroup[group] = v
		}
		return v
	}
	if q.Metric == MetricActiveUsers {
		// Period counters: each bucket shows the day, week and month
		// that contain it.
		cs, err := st.Analytics().Counts(ctx, tenantID, MetricActiveUsers, store.GrainPeriod, monthStart(bs[0]), end)
		if err != nil {
			return nil, err
		}
		at := map[string]int64{}
		for _, c := range cs {
			at[c.Group+"@"+fmt.Sprint(c.Bucket.Unix())] = c.Value
		}
		for _, p := range []struct {
			period string
			start  func(time.Time) time.Time
		}{{store.PeriodDay, dayStart}, {store.PeriodWeek, weekStart}, {store.PeriodMonth, monthStart}} {
			g := encodeGroup(map[string]string{"period": p.period})
			v := values(g)
			for i, b := range bs {
				v[i] = at[g+"@"+fmt.Sprint(p.start(b).Unix())]
			}
		}
	} else {
		grain := store.GrainDay
		if q.Interval == IntervalHour {
			grain = store.GrainHour
		}
		cs, err := st.Analytics().Counts(ctx, tenantID, q.Metric, grain, bs[0], end)
		if err != nil {
			return nil, err
		}
		if q.Metric == MetricSignups {
			values("")
		}
		for _, c := range cs {
			i, ok := index[bucketStart(q.Interval, c.Bucket).Unix()]
			if !ok {
				continue
			}
			values(c.Group)[i] += c.Value
		}
	}
	out := make([]Series, 0, len(byGroup))
	for _, g := range sortedKeys(byGroup) {
		v := byGroup[g]
		pts := make([]Point, len(bs))
		for i, b := range bs {
			pts[i] = Point{At: b, Value: v[i]}
		}
		out = append(out, Series{Group: decodeGroup(g), Points: pts})
	}
	return out, nil
}

// Normalize returns q with its defaults applied, or the
// *InvalidQueryError Query would return: callers that echo the period
// (the Admin API) use it.
func (s *Service) Normalize(q Query) (Query, error) { return s.normalize(q) }

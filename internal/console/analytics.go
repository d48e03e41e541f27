package console

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/analytics"
)

// FromAnalytics adapts the Admin API's analytics (internal/analytics) to
// the dashboard: the same rollups, read in process.
func FromAnalytics(s *analytics.Service) Analytics {
	if s == nil {
		return nil
	}
	return rollups{s}
}

type rollups struct{ s *analytics.Service }

func (r rollups) Query(ctx context.Context, tenantID, metric string, from, to time.Time, interval string) ([]ChartSeries, error) {
	series, err := r.s.Query(ctx, tenantID, analytics.Query{Metric: metric, From: from, To: to, Interval: interval})
	if err != nil {
		return nil, err
	}
	out := make([]ChartSeries, len(series))
	for i, s := range series {
		out[i] = ChartSeries{Group: s.Group, Points: make([]ChartPoint, len(s.Points))}
		for j, p := range s.Points {
			out[i].Points[j] = ChartPoint{At: p.At, Value: p.Value}
		}
	}
	return out, nil
}

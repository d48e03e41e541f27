package adminapi

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/analytics"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// report answers one analytics query for the context's tenant. The gate
// has already refused unknown metrics and intervals and malformed times;
// the service checks the range.
func (a *Analytics) report(ctx context.Context, metric string, q analytics.Query) (gen.AnalyticsReport, error) {
	if a.analytics == nil {
		return gen.AnalyticsReport{}, errors.New("adminapi: no analytics service")
	}
	q.Metric = metric
	q, err := a.analytics.Normalize(q)
	var bad *analytics.InvalidQueryError
	if errors.As(err, &bad) {
		return gen.AnalyticsReport{}, httpx.Validation("The analytics query is not valid.",
			httpx.FieldError{Field: "query:" + bad.Field, Message: bad.Message})
	}
	if err != nil {
		return gen.AnalyticsReport{}, err
	}
	series, err := a.analytics.Query(ctx, tenancy.From(ctx).Tenant.ID, q)
	if err != nil {
		return gen.AnalyticsReport{}, err
	}
	out := gen.AnalyticsReport{Metric: gen.AnalyticsReportMetric(q.Metric), Interval: gen.AnalyticsReportInterval(q.Interval),
		From: analytics.BucketStart(q.Interval, q.From), To: q.To, Series: make([]gen.AnalyticsSeries, len(series))}
	for i, s := range series {
		pts := make([]gen.AnalyticsPoint, len(s.Points))
		for j, p := range s.Points {
			pts[j] = gen.AnalyticsPoint{At: p.At, Value: p.Value}
		}
		out.Series[i].Points = pts
		if s.Group != nil {
			g := s.Group
			out.Series[i].Group = &g
		}
	}
	return out, nil
}

func analyticsQuery(from, to *gen.AnalyticsFromParam, interval *string) analytics.Query {
	return analytics.Query{From: restapi.Val(from), To: restapi.Val(to), Interval: restapi.Val(interval)}
}

func (a *Analytics) GetAnalytics(ctx context.Context, r gen.GetAnalyticsRequestObject) (gen.GetAnalyticsResponseObject, error) {
	p := r.Params
	out, err := a.report(ctx, string(r.Metric), analyticsQuery(p.From, p.To, (*string)(p.Interval)))
	if err != nil {
		return nil, err
	}
	return gen.GetAnalytics200JSONResponse(out), nil
}

func (a *Analytics) GetTenantAnalytics(ctx context.Context, r gen.GetTenantAnalyticsRequestObject) (gen.GetTenantAnalyticsResponseObject, error) {
	p := r.Params
	out, err := a.report(ctx, string(r.Metric), analyticsQuery(p.From, p.To, (*string)(p.Interval)))
	if err != nil {
		return nil, err
	}
	return gen.GetTenantAnalytics200JSONResponse(out), nil
}

package analytics

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/events"
)

func TestBuckets(t *testing.T) {
	at := time.Date(2026, 12, 3, 17, 42, 5, 0, time.FixedZone("CET", 3600)) // Thursday 16:42 UTC
	for interval, want := range map[string]time.Time{
		IntervalHour: time.Date(2026, 12, 3, 16, 0, 0, 0, time.UTC),
		IntervalDay:  time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC),
		IntervalWeek: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
	} {
		if got := BucketStart(interval, at); !got.Equal(want) {
			t.Errorf("%s: %v, want %v", interval, got, want)
		}
	}
	if got := weekStart(time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a Sunday's week starts %v", got)
	}
	if got := monthStart(at); !got.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month %v", got)
	}
	q := Query{From: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), Interval: IntervalDay}
	if bs := buckets(q); len(bs) != 2 || !bs[0].Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("buckets %v", bs)
	}
}

func TestNormalize(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	s := &Service{Now: func() time.Time { return now }}
	q, err := s.Normalize(Query{Metric: MetricSignups})
	if err != nil || !q.To.Equal(now) || !q.From.Equal(now.Add(-DefaultRange)) || q.Interval != IntervalDay {
		t.Fatalf("defaults: %+v %v", q, err)
	}
	for name, bad := range map[string]Query{
		"metric":   {Metric: "logins"},
		"interval": {Metric: MetricSignins, Interval: "minute"},
		"from>to":  {Metric: MetricSignins, From: now, To: now.Add(-time.Hour)},
		"from=to":  {Metric: MetricSignins, From: now, To: now},
		"too many": {Metric: MetricSignins, From: now.Add(-1001 * time.Hour), To: now, Interval: IntervalHour},
	} {
		var invalid *InvalidQueryError
		if _, err := s.Normalize(bad); !errors.As(err, &invalid) {
			t.Errorf("%s: %v, want an InvalidQueryError", name, err)
		}
	}
	if _, err := s.Normalize(Query{Metric: MetricSignins, From: now.Add(-999 * time.Hour), To: now, Interval: IntervalHour}); err != nil {
		t.Errorf("999 hours: %v", err)
	}
}

func TestMethodAndGroups(t *testing.T) {
	for want, data := range map[string]map[string]any{
		"password":   {"amr": []any{"pwd", "otp"}, "factor_type": "webauthn"},
		"passkey":    {"amr": []any{"hwk"}, "factor_type": "webauthn"},
		"federation": {"connection": "c1"},
		"mfa":        {"reason": "mfa_code"},
	} {
		if got := Method(&events.Event{Data: data}); got != want {
			t.Errorf("%v: %s, want %s", data, got, want)
		}
	}
	labels := map[string]string{"outcome": "success", "method": "a&b=c"}
	if got := decodeGroup(encodeGroup(labels)); len(got) != 2 || got["method"] != "a&b=c" {
		t.Errorf("round trip: %v", got)
	}
	if encodeGroup(nil) != "" || decodeGroup("") != nil {
		t.Error("an ungrouped metric's group is empty")
	}
}

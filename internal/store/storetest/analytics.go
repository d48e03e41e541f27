package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var analyticsTests = []test{
	{"AnalyticsAddAccumulates", testAnalyticsAdd},
	{"AnalyticsConcurrentAdds", testAnalyticsConcurrent},
	{"AnalyticsTenantIsolation", testAnalyticsIsolation},
	{"AnalyticsActiveDistinctAndErased", testAnalyticsActive},
}

func countsByKey(cs []store.AnalyticsCount) map[string]int64 {
	out := map[string]int64{}
	for _, c := range cs {
		out[c.Group+"@"+c.Bucket.UTC().Format(time.RFC3339)] += c.Value
	}
	return out
}

// Adds accumulate per bucket and group (duplicates in one call too);
// Counts reads one metric and grain in [from, to).
func testAnalyticsAdd(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	h := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := func(metric, grain, group string, at time.Time, v int64) store.AnalyticsCount {
		return store.AnalyticsCount{TenantID: tn.ID, Metric: metric, Grain: grain, Group: group, Bucket: at, Value: v}
	}
	must(t, s.Analytics().Add(ctx, []store.AnalyticsCount{
		c("signins", store.GrainHour, "outcome=success", h, 2),
		c("signins", store.GrainHour, "outcome=success", h, 1),
		c("signins", store.GrainHour, "outcome=failed", h, 1),
		c("signins", store.GrainHour, "outcome=success", h.Add(time.Hour), 5),
		c("signins", store.GrainDay, "outcome=success", h.Truncate(24*time.Hour), 8),
		c("signups", store.GrainHour, "", h, 7),
	}))
	must(t, s.Analytics().Add(ctx, []store.AnalyticsCount{c("signins", store.GrainHour, "outcome=success", h, 10)}))
	must(t, s.Analytics().Add(ctx, nil))
	got, err := s.Analytics().Counts(ctx, tn.ID, "signins", store.GrainHour, h, h.Add(2*time.Hour))
	must(t, err)
	want := map[string]int64{
		"outcome=success@2026-12-01T10:00:00Z": 13,
		"outcome=failed@2026-12-01T10:00:00Z":  1,
		"outcome=success@2026-12-01T11:00:00Z": 5,
	}
	if g := countsByKey(got); len(g) != len(want) || g["outcome=success@2026-12-01T10:00:00Z"] != 13 ||
		g["outcome=failed@2026-12-01T10:00:00Z"] != 1 || g["outcome=success@2026-12-01T11:00:00Z"] != 5 {
		t.Fatalf("counts %v, want %v", g, want)
	}
	// to is excluded.
	got, err = s.Analytics().Counts(ctx, tn.ID, "signins", store.GrainHour, h, h.Add(time.Hour))
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("[10:00, 11:00): %v", got)
	}
	got, err = s.Analytics().Counts(ctx, tn.ID, "signups", store.GrainHour, h, h.Add(time.Hour))
	must(t, err)
	if len(got) != 1 || got[0].Value != 7 || got[0].Group != "" || !got[0].Bucket.Equal(h) {
		t.Fatalf("signups: %+v", got)
	}
	// A tenant that does not exist: nothing added.
	err = s.Analytics().Add(ctx, []store.AnalyticsCount{{TenantID: "no-such-tenant", Metric: "signups", Grain: store.GrainHour, Bucket: h, Value: 1}})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown tenant: %v, want ErrNotFound", err)
	}
}

// Concurrent upserts into the same bucket all count.
func testAnalyticsConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	h := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				errs <- s.Analytics().Add(ctx, []store.AnalyticsCount{
					{TenantID: tn.ID, Metric: "token_issuance", Grain: store.GrainHour, Group: "client=a&grant=client_credentials", Bucket: h, Value: 1},
					{TenantID: tn.ID, Metric: "token_issuance", Grain: store.GrainDay, Group: "client=a&grant=client_credentials", Bucket: h.Truncate(24 * time.Hour), Value: 1},
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	got, err := s.Analytics().Counts(ctx, tn.ID, "token_issuance", store.GrainHour, h, h.Add(time.Hour))
	must(t, err)
	if len(got) != 1 || got[0].Value != workers*each {
		t.Fatalf("after %d concurrent adds: %+v", workers*each, got)
	}
}

// A tenant's counters and activity rows are its own.
func testAnalyticsIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	h := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	must(t, s.Analytics().Add(ctx, []store.AnalyticsCount{{TenantID: a.ID, Metric: "signups", Grain: store.GrainHour, Bucket: h, Value: 3}}))
	got, err := s.Analytics().Counts(ctx, b.ID, "signups", store.GrainHour, h, h.Add(time.Hour))
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("tenant B sees %+v", got)
	}
	ua := mkUser(t, s, a.ID, uniq("a")+"@example.com")
	day := h.Truncate(24 * time.Hour)
	// The same user ID in tenant B is not tenant A's user.
	fresh, err := s.Analytics().MarkActive(ctx, []store.AnalyticsActive{{TenantID: b.ID, UserID: ua.ID, Period: store.PeriodDay, Start: day}})
	must(t, err)
	if len(fresh) != 0 {
		t.Fatalf("a mark for another tenant's user counted: %+v", fresh)
	}
}

// A user counts once per period; an erased user's rows go with them and
// they are not counted again.
func testAnalyticsActive(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u1 := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	u2 := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	week := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	mark := func(u, period string, start time.Time) store.AnalyticsActive {
		return store.AnalyticsActive{TenantID: tn.ID, UserID: u, Period: period, Start: start}
	}
	fresh, err := s.Analytics().MarkActive(ctx, []store.AnalyticsActive{
		mark(u1.ID, store.PeriodDay, day), mark(u1.ID, store.PeriodWeek, week), mark(u1.ID, store.PeriodDay, day),
		mark(u2.ID, store.PeriodDay, day), mark("no-such-user", store.PeriodDay, day),
	})
	must(t, err)
	if len(fresh) != 3 {
		t.Fatalf("fresh %+v, want u1 day, u1 week, u2 day", fresh)
	}
	fresh, err = s.Analytics().MarkActive(ctx, []store.AnalyticsActive{mark(u1.ID, store.PeriodDay, day), mark(u1.ID, store.PeriodDay, day.Add(24*time.Hour))})
	must(t, err)
	if len(fresh) != 1 || !fresh[0].Start.Equal(day.Add(24*time.Hour)) {
		t.Fatalf("second marks: %+v, want only the next day", fresh)
	}
	// Erasure: the user's rows go with the user row.
	must(t, s.Users().Delete(ctx, tn.ID, u1.ID))
	fresh, err = s.Analytics().MarkActive(ctx, []store.AnalyticsActive{mark(u1.ID, store.PeriodMonth, day)})
	must(t, err)
	if len(fresh) != 0 {
		t.Fatalf("an erased user counted: %+v", fresh)
	}
	// Only u2's day row is left (u1's three went with u1).
	n, err := s.Analytics().PurgeActive(ctx, day.Add(72*time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("purged %d rows, want 1 (u2's day)", n)
	}
	n, err = s.Analytics().PurgeActive(ctx, day.Add(72*time.Hour))
	must(t, err)
	if n != 0 {
		t.Fatalf("purged %d rows again", n)
	}
}

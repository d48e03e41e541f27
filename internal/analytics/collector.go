package analytics

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Collector turns events into rollup increments. Observe and TokenIssued
// only count in memory, under a mutex, so the sign-in and token paths
// never wait on the database for analytics; Run flushes the counts every
// Every as one transaction per tenant (upserts that add to the stored
// buckets, safe with any number of nodes). Counts not yet flushed are
// lost if the process dies (at most Every's worth); Close flushes them on
// a clean stop.
type Collector struct {
	// Store returns the store holding a tenant's data.
	Store func(ctx context.Context, tenantID string) (store.Store, error)
	// Purge, if set, is where per-user activity rows of finished periods
	// are purged from, once an hour (the database of every tenant).
	Purge store.AnalyticsRepo
	Log   *slog.Logger
	Now   func() time.Time
	// Every is the flush period; default 2s.
	Every time.Duration

	mu        sync.Mutex
	counts    map[countKey]int64
	active    map[activeKey]struct{}
	lastPurge time.Time
}

type countKey struct {
	tenant, metric, group string
	hour                  int64 // unix seconds of the hour bucket
}

type activeKey struct {
	tenant, user string
	day          int64 // unix seconds of the UTC day
}

// keepActive is how long per-user activity rows are kept: past the end
// of the longest period (a month) they are no longer needed.
const keepActive = 35 * 24 * time.Hour

func (c *Collector) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Collector) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (c *Collector) add(tenant, metric string, labels map[string]string, at time.Time, n int64) {
	k := countKey{tenant: tenant, metric: metric, group: encodeGroup(labels), hour: hourStart(at).Unix()}
	c.mu.Lock()
	if c.counts == nil {
		c.counts = make(map[countKey]int64)
	}
	c.counts[k] += n
	c.mu.Unlock()
}

// Observe counts a recorded event. It is safe for concurrent use and
// cheap; a nil Collector counts nothing.
func (c *Collector) Observe(e *events.Event) {
	if c == nil || e.TenantID == "" {
		return
	}
	at := e.Time
	if at.IsZero() {
		at = c.now()
	}
	switch e.Type {
	case events.UserRegistered:
		c.add(e.TenantID, MetricSignups, nil, at, 1)
	case events.MFAAdded:
		c.add(e.TenantID, MetricMFAAdoption, map[string]string{"factor": label(e.Data["factor_type"], "unknown")}, at, 1)
	case events.LoginSucceeded, events.LoginFailed, events.LoginChallenged, events.LoginDenied:
		outcome := strings.TrimPrefix(e.Type, "login.")
		if outcome == "succeeded" {
			outcome = "success"
		}
		c.add(e.TenantID, MetricSignins, map[string]string{"outcome": outcome, "method": Method(e)}, at, 1)
		if e.Decision != "" {
			rules := e.Reasons
			if len(rules) == 0 {
				rules = []string{"none"}
			}
			for _, r := range slices.Compact(slices.Sorted(slices.Values(rules))) {
				c.add(e.TenantID, MetricRiskDecisions, map[string]string{"decision": e.Decision, "rule": r}, at, 1)
			}
		}
		if e.Type == events.LoginSucceeded && e.UserID != "" {
			k := activeKey{tenant: e.TenantID, user: e.UserID, day: dayStart(at).Unix()}
			c.mu.Lock()
			if c.active == nil {
				c.active = make(map[activeKey]struct{})
			}
			c.active[k] = struct{}{}
			c.mu.Unlock()
		}
	}
}

// TokenIssued counts a token response (tokens.Deps.Issued).
func (c *Collector) TokenIssued(tenantID, clientID, grantType string, at time.Time) {
	if c == nil || tenantID == "" {
		return
	}
	c.add(tenantID, MetricTokenIssuance, map[string]string{"grant": label(grantType, "unknown"), "client": label(clientID, "unknown")}, at, 1)
}

// Method is the sign-in method an event's details show: federation
// (through a connection), passkey, mfa (a failed second factor) or
// password.
func Method(e *events.Event) string {
	if _, ok := e.Data["connection"]; ok {
		return "federation"
	}
	reason, _ := e.Data["reason"].(string)
	factorType, _ := e.Data["factor_type"].(string)
	switch {
	case strings.HasPrefix(reason, "passkey"):
		return "passkey"
	case strings.HasPrefix(reason, "mfa"):
		return "mfa"
	case factorType == "webauthn" && !hasAMR(e, "pwd"):
		return "passkey"
	}
	return "password"
}

func hasAMR(e *events.Event, v string) bool {
	switch amr := e.Data["amr"].(type) {
	case []string:
		return slices.Contains(amr, v)
	case []any:
		return slices.Contains(amr, any(v))
	}
	return false
}

func label(v any, def string) string {
	if s, ok := v.(string); ok && s != "" {
		if len(s) > 200 {
			s = s[:200]
		}
		return s
	}
	return def
}

// Run flushes every Every until ctx ends, then once more.
func (c *Collector) Run(ctx context.Context) {
	every := c.Every
	if every <= 0 {
		every = 2 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := c.Flush(context.WithoutCancel(ctx)); err != nil {
				c.log().Warn("analytics: final flush failed", "err", err)
			}
			return
		case <-t.C:
			if err := c.Flush(ctx); err != nil && ctx.Err() == nil {
				c.log().Warn("analytics: flush failed; the counts are kept for the next one", "err", err)
			}
		}
	}
}

// Flush writes the counts gathered so far, one transaction per tenant.
// A tenant's counts that fail to write are kept for the next flush,
// unless the tenant is gone.
func (c *Collector) Flush(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	counts, active := c.counts, c.active
	c.counts, c.active = nil, nil
	purge := c.Purge != nil && c.now().Sub(c.lastPurge) >= time.Hour
	if purge {
		c.lastPurge = c.now()
	}
	c.mu.Unlock()

	type batch struct {
		counts []store.AnalyticsCount
		marks  []store.AnalyticsActive
		keys   map[countKey]int64
		active map[activeKey]struct{}
	}
	byTenant := map[string]*batch{}
	get := func(t string) *batch {
		b := byTenant[t]
		if b == nil {
			b = &batch{keys: map[countKey]int64{}, active: map[activeKey]struct{}{}}
			byTenant[t] = b
		}
		return b
	}
	for k, n := range counts {
		b := get(k.tenant)
		b.keys[k] = n
		hour := time.Unix(k.hour, 0).UTC()
		b.counts = append(b.counts,
			store.AnalyticsCount{TenantID: k.tenant, Metric: k.metric, Grain: store.GrainHour, Group: k.group, Bucket: hour, Value: n},
			store.AnalyticsCount{TenantID: k.tenant, Metric: k.metric, Grain: store.GrainDay, Group: k.group, Bucket: dayStart(hour), Value: n})
	}
	for k := range active {
		b := get(k.tenant)
		b.active[k] = struct{}{}
		day := time.Unix(k.day, 0).UTC()
		for _, p := range []struct {
			period string
			start  time.Time
		}{{store.PeriodDay, day}, {store.PeriodWeek, weekStart(day)}, {store.PeriodMonth, monthStart(day)}} {
			b.marks = append(b.marks, store.AnalyticsActive{TenantID: k.tenant, UserID: k.user, Period: p.period, Start: p.start})
		}
	}
	var errs []error
	for tenant, b := range byTenant {
		err := c.write(ctx, tenant, b.counts, b.marks)
		if err == nil || errors.Is(err, store.ErrNotFound) {
			continue
		}
		errs = append(errs, err)
		c.mu.Lock() // keep them for the next flush
		if c.counts == nil {
			c.counts = make(map[countKey]int64)
		}
		for k, n := range b.keys {
			c.counts[k] += n
		}
		if c.active == nil {
			c.active = make(map[activeKey]struct{})
		}
		for k := range b.active {
			c.active[k] = struct{}{}
		}
		c.mu.Unlock()
	}
	if purge {
		if _, err := c.Purge.PurgeActive(ctx, c.now().Add(-keepActive)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// write adds a tenant's counts and its new active users, in one
// transaction: a user first seen in a period adds one to the period's
// active_users counter.
func (c *Collector) write(ctx context.Context, tenant string, counts []store.AnalyticsCount, marks []store.AnalyticsActive) error {
	s, err := c.Store(ctx, tenant)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(tx store.Store) error {
		all := counts
		if len(marks) > 0 {
			fresh, err := tx.Analytics().MarkActive(ctx, marks)
			if err != nil {
				return err
			}
			all = slices.Clone(counts)
			for _, m := range fresh {
				all = append(all, store.AnalyticsCount{TenantID: tenant, Metric: MetricActiveUsers, Grain: store.GrainPeriod,
					Group: encodeGroup(map[string]string{"period": m.Period}), Bucket: m.Start, Value: 1})
			}
		}
		return tx.Analytics().Add(ctx, all)
	})
}

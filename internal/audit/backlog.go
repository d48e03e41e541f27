package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// BacklogMetrics are the webhook outbox gauges, read from the database at
// every scrape (one query): every node reports the same, database-wide
// values, so aggregate them with max, not sum.
type BacklogMetrics struct {
	Stats store.StatsRepo
	Now   func() time.Time
	Log   *slog.Logger
}

var (
	pendingDesc = prometheus.NewDesc("gatehouse_webhook_deliveries_pending",
		"Webhook deliveries waiting to be delivered (enabled webhooks, all tenants), read from the database at scrape time.", nil, nil)
	oldestPendingDesc = prometheus.NewDesc("gatehouse_webhook_oldest_pending_age_seconds",
		"Age of the oldest webhook delivery still waiting (enabled webhooks, all tenants); 0 when none waits.", nil, nil)
)

func (m *BacklogMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- oldestPendingDesc
}

// Collect reads the backlog; when the database does not answer in time the
// gauges are left out of this scrape (and the failure logged) rather than
// failing the whole scrape.
func (m *BacklogMetrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	n, oldest, err := m.Stats.WebhookBacklog(ctx)
	if err != nil {
		m.Log.Warn("metrics: reading the webhook backlog failed", "err", err)
		return
	}
	age := 0.0
	if oldest != nil {
		age = max(0, m.Now().Sub(*oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(oldestPendingDesc, prometheus.GaugeValue, age)
}

// scrapeTimeout bounds the query a scrape runs.
const scrapeTimeout = 2 * time.Second

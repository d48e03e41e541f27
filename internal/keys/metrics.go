package keys

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var (
	keyAgeDesc = prometheus.NewDesc("gatehouse_signing_key_age_seconds",
		"Age of the oldest signing key that still signs, per algorithm, across tenants (read from the database at scrape time).",
		[]string{"alg"}, nil)
	rotationDesc = prometheus.NewDesc("gatehouse_signing_key_rotation_period_seconds",
		"Age at which the maintenance job replaces a signing key; a key much older than this means rotation is overdue.", nil, nil)
)

// Metrics returns the signing-key gauges, read from stats at every scrape
// (one query). Every node reports the same, database-wide values.
func (m *Manager) Metrics(stats store.StatsRepo) prometheus.Collector {
	return &keyMetrics{m: m, stats: stats}
}

type keyMetrics struct {
	m     *Manager
	stats store.StatsRepo
}

func (c *keyMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- keyAgeDesc
	ch <- rotationDesc
}

// Collect leaves the ages out of a scrape the database does not answer in
// time (and logs it) rather than failing the scrape.
func (c *keyMetrics) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(rotationDesc, prometheus.GaugeValue, c.m.cfg.RotateEvery.Seconds())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	oldest, err := c.stats.OldestActiveSigningKeys(ctx)
	if err != nil {
		c.m.log.Warn("metrics: reading signing key ages failed", "err", err)
		return
	}
	now := c.m.now()
	for alg, created := range oldest {
		ch <- prometheus.MustNewConstMetric(keyAgeDesc, prometheus.GaugeValue, max(0, now.Sub(created).Seconds()), alg)
	}
}

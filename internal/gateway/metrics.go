package gateway

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's per-route series.
type metrics struct {
	requests       *prometheus.CounterVec
	duration       *prometheus.HistogramVec
	refusals       *prometheus.CounterVec
	upstreamErrors *prometheus.CounterVec
	retries        *prometheus.CounterVec
	forwardAuth    *prometheus.CounterVec
	healthy        *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_gateway_requests_total",
			Help: "Requests through the gateway by route and status code."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gatehouse_gateway_request_duration_seconds",
			Help:    "Time from request to response headers and body, by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_gateway_refusals_total",
			Help: "Requests the gateway refused, by route and reason."}, []string{"route", "reason"}),
		upstreamErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_gateway_upstream_errors_total",
			Help: "Upstream failures by route and kind (unreachable, timeout, circuit_open, too_large, client_gone)."}, []string{"route", "kind"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_gateway_retries_total",
			Help: "Retried upstream attempts by upstream host."}, []string{"upstream"}),
		forwardAuth: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gatehouse_gateway_forward_auth_total",
			Help: "Forward-auth decisions by route and status code."}, []string{"route", "code"}),
		healthy: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gatehouse_gateway_upstream_healthy",
			Help: "1 when the last active health check of the upstream passed, 0 when it failed."}, []string{"upstream"}),
	}
	reg.MustRegister(m.requests, m.duration, m.refusals, m.upstreamErrors, m.retries, m.forwardAuth, m.healthy)
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

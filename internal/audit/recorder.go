// Package audit records security events in the tamper-evident audit log,
// queues them for webhook subscribers in the same transaction, counts
// logins for Prometheus, verifies the hash chains, and delivers the
// webhook outbox.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Recorder is the store-backed events.Recorder.
type Recorder struct {
	// Store returns the store holding a tenant's data (its audit chain
	// and webhooks).
	Store func(ctx context.Context, tenantID string) (store.Store, error)
	// Metrics, if set, counts recorded login events.
	Metrics *Metrics
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Keyring seals users' data keys. When set, the personal fields of
	// events about a user are stored sealed with the user's key
	// (crypto-shredding, shred.go); nil stores them as they are.
	Keyring *secret.Keyring
	// Analytics, if set, is told of each event once it is recorded (the
	// analytics rollups, internal/analytics.Collector); it must not block.
	Analytics interface{ Observe(*events.Event) }
}

var _ events.Recorder = (*Recorder)(nil)

// Record appends e to its tenant's audit chain and, in the same
// transaction, queues one delivery per enabled webhook whose filter
// matches the event type: the event is either logged and queued, or
// neither.
func (r *Recorder) Record(ctx context.Context, e events.Event) error {
	if e.TenantID == "" || e.Type == "" {
		return errors.New("audit: an event needs a tenant and a type")
	}
	if e.Time.IsZero() {
		e.Time = r.now()
	}
	if e.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		e.ID = id.String()
	}
	rec, err := recordOf(e)
	if err != nil {
		return err
	}
	s, err := r.Store(ctx, e.TenantID)
	if err != nil {
		return fmt.Errorf("audit: store for tenant: %w", err)
	}
	err = s.InTx(ctx, func(tx store.Store) error {
		row := rec // InTx may run fn again: start from the same record
		sealed, err := sealRecord(ctx, r.Keyring, tx, &row)
		if err != nil {
			return err
		}
		if err := tx.Audit().Append(ctx, &row); err != nil {
			return err
		}
		// Subscribers get the event as it happened; the log keeps the
		// sealed form (and the outbox row goes when the user is erased).
		plain := row
		if sealed {
			plain.IP, plain.UserAgent, plain.Data = rec.IP, rec.UserAgent, rec.Data
		}
		hooks, err := tx.Webhooks().Enabled(ctx, row.TenantID)
		if err != nil {
			return err
		}
		var body []byte
		for _, h := range hooks {
			if !Matches(h.EventTypes, row.Type) {
				continue
			}
			if body == nil {
				if body, err = json.Marshal(PayloadOf(&plain)); err != nil {
					return err
				}
			}
			if err := tx.Webhooks().Enqueue(ctx, &store.Delivery{TenantID: row.TenantID, WebhookID: h.ID,
				EventID: row.ID, EventType: row.Type, UserID: row.UserID, Payload: body}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Type, err)
	}
	r.Metrics.observe(&e)
	if r.Analytics != nil {
		r.Analytics.Observe(&e)
	}
	return nil
}

func (r *Recorder) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// recordOf turns an event into an unlinked audit record. Reasons and Data
// are encoded once, here: the stored text is what the hash covers.
func recordOf(e events.Event) (store.AuditRecord, error) {
	reasons := []byte("[]")
	if len(e.Reasons) > 0 {
		reasons, _ = json.Marshal(e.Reasons) // a []string always encodes
	}
	data := []byte("{}")
	if len(e.Data) > 0 {
		var err error
		if data, err = json.Marshal(e.Data); err != nil {
			return store.AuditRecord{}, fmt.Errorf("audit: encode event data: %w", err)
		}
	}
	return store.AuditRecord{TenantID: e.TenantID, ID: e.ID, Time: e.Time, Type: e.Type, UserID: e.UserID,
		ActorID: e.ActorID, IP: e.IP, DeviceID: e.DeviceID, UserAgent: e.UserAgent, Decision: e.Decision,
		Reasons: string(reasons), Data: string(data)}, nil
}

// Matches reports whether a webhook's event-type filter selects typ: an
// empty filter selects everything, "x.*" every type starting with "x.".
func Matches(filter []string, typ string) bool {
	if len(filter) == 0 {
		return true
	}
	for _, f := range filter {
		if f == typ || f == "*" || (strings.HasSuffix(f, ".*") && strings.HasPrefix(typ, f[:len(f)-1])) {
			return true
		}
	}
	return false
}

// Metrics are the Prometheus counters fed by recorded events; register
// them (a prometheus.Collector) where /metrics is served.
type Metrics struct {
	logins *prometheus.CounterVec
}

var _ prometheus.Collector = (*Metrics)(nil)

// NewMetrics builds the counters.
func NewMetrics() *Metrics {
	return &Metrics{logins: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatehouse_logins_total",
		Help: "Sign-in attempts recorded, by outcome (succeeded, failed, challenged, denied) and risk decision (none when no decision was made).",
	}, []string{"outcome", "decision"})}
}

func (m *Metrics) Describe(ch chan<- *prometheus.Desc) { m.logins.Describe(ch) }
func (m *Metrics) Collect(ch chan<- prometheus.Metric) { m.logins.Collect(ch) }

// Logins is the gatehouse_logins_total counter.
func (m *Metrics) Logins() *prometheus.CounterVec { return m.logins }

func (m *Metrics) observe(e *events.Event) {
	if m == nil {
		return
	}
	outcome, ok := strings.CutPrefix(e.Type, "login.")
	if !ok {
		return
	}
	decision := e.Decision
	if decision == "" {
		decision = "none"
	}
	m.logins.WithLabelValues(outcome, decision).Inc()
}

package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// webhookRepo stores webhook subscriptions and the delivery outbox. The
// outbox is claimed with a lease (UPDATE ... RETURNING), so several nodes
// never work on the same row at once.
type webhookRepo Store

const webhookCols = `tenant_id, id, url, description, event_types, secret_sealed, enabled, created_at, updated_at, version`

func scanWebhook(sc scanner) (*store.Webhook, error) {
	var w store.Webhook
	var types []byte
	if err := sc.Scan(&w.TenantID, &w.ID, &w.URL, &w.Description, &types, &w.SecretSealed, &w.Enabled,
		tsCol{&w.CreatedAt}, tsCol{&w.UpdatedAt}, &w.Version); err != nil {
		return nil, err
	}
	var err error
	w.EventTypes, err = decodeList(types)
	return &w, err
}

func (r *webhookRepo) Create(ctx context.Context, w *store.Webhook) error {
	s := (*Store)(r)
	if w.TenantID == "" || w.URL == "" || len(w.SecretSealed) == 0 {
		return errors.New("store: a webhook needs a tenant, a URL and a secret")
	}
	n := *w
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	if _, err := s.exec(ctx, `INSERT INTO webhooks (`+webhookCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.URL, n.Description, jsonList(n.EventTypes), n.SecretSealed, n.Enabled,
		s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version); err != nil {
		return err
	}
	*w = n
	return nil
}

func (r *webhookRepo) Get(ctx context.Context, tenantID, id string) (*store.Webhook, error) {
	s := (*Store)(r)
	w, err := scanWebhook(s.queryRow(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return w, s.c.mapErr(err)
}

func (r *webhookRepo) List(ctx context.Context, tenantID string, p store.Page) ([]store.Webhook, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanWebhook)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(w *store.Webhook) string { return w.ID })
	return items, next, nil
}

func (r *webhookRepo) Enabled(ctx context.Context, tenantID string) ([]store.Webhook, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE tenant_id = ? AND enabled = ? ORDER BY id`, tenantID, true)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanWebhook)
	return out, s.c.mapErr(err)
}

func (r *webhookRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*store.Webhook) error) (*store.Webhook, error) {
	s := (*Store)(r)
	var out *store.Webhook
	err := s.inTx(ctx, func(tx *Store) error {
		w, err := scanWebhook(tx.queryRow(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate,
			tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && w.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		created, version := w.CreatedAt, w.Version
		if err := fn(w); err != nil {
			return err
		}
		w.TenantID, w.ID, w.CreatedAt, w.Version, w.UpdatedAt = tenantID, id, created, version+1, tx.now()
		if _, err := tx.exec(ctx, `UPDATE webhooks SET url = ?, description = ?, event_types = ?, secret_sealed = ?,
			enabled = ?, updated_at = ?, version = ? WHERE tenant_id = ? AND id = ?`,
			w.URL, w.Description, jsonList(w.EventTypes), w.SecretSealed, w.Enabled, tx.ts(w.UpdatedAt), w.Version,
			tenantID, id); err != nil {
			return err
		}
		out = w
		return nil
	})
	return out, err
}

func (r *webhookRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM webhooks WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

const deliveryCols = `tenant_id, id, webhook_id, event_id, event_type, user_id, payload, status, attempts, last_error,
	next_attempt_at, lease_until, lease_token, created_at, delivered_at`

func scanDelivery(sc scanner) (*store.Delivery, error) {
	var d store.Delivery
	if err := sc.Scan(&d.TenantID, &d.ID, &d.WebhookID, &d.EventID, &d.EventType, &d.UserID, &d.Payload, &d.Status,
		&d.Attempts, &d.LastError, tsCol{&d.NextAttemptAt}, nullTSCol{&d.LeaseUntil}, &d.LeaseToken,
		tsCol{&d.CreatedAt}, nullTSCol{&d.DeliveredAt}); err != nil {
		return nil, err
	}
	return &d, nil
}

func (r *webhookRepo) Enqueue(ctx context.Context, d *store.Delivery) error {
	s := (*Store)(r)
	if d.TenantID == "" || d.WebhookID == "" || d.EventID == "" {
		return errors.New("store: a delivery needs a tenant, a webhook and an event")
	}
	n := *d
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.Status, n.Attempts, n.LastError, n.LeaseUntil, n.LeaseToken, n.DeliveredAt = store.DeliveryPending, 0, "", nil, "", nil
	if n.NextAttemptAt.IsZero() {
		n.NextAttemptAt = n.CreatedAt
	}
	n.NextAttemptAt = norm(n.NextAttemptAt)
	if _, err := s.exec(ctx, `INSERT INTO webhook_deliveries (`+deliveryCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.WebhookID, n.EventID, n.EventType, n.UserID, orEmpty(n.Payload), n.Status, n.Attempts,
		n.LastError, s.ts(n.NextAttemptAt), nil, n.LeaseToken, s.ts(n.CreatedAt), nil); err != nil {
		return err
	}
	*d = n
	return nil
}

// Claim picks due rows in ID order, skipping any row behind an earlier
// pending row of the same webhook and user. The lease and status checks
// are repeated on the outer UPDATE: on PostgreSQL a second node whose
// subquery saw the same row re-checks them against the committed row
// after the first node's claim, and skips it.
func (r *webhookRepo) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Delivery, error) {
	s := (*Store)(r)
	now = norm(now)
	token := secret.Token(16)
	var out []store.Delivery
	// In a transaction so that the UPDATE runs on the writer (and is
	// retried whole when the database is busy).
	err := s.inTx(ctx, func(tx *Store) error {
		rows, err := tx.query(ctx, `UPDATE webhook_deliveries SET lease_until = ?, lease_token = ?, attempts = attempts + 1
		WHERE status = ? AND (lease_until IS NULL OR lease_until < ?) AND (tenant_id, id) IN (
			SELECT d.tenant_id, d.id FROM webhook_deliveries d
			JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
			WHERE d.status = ? AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
			AND w.enabled = ?
			AND (d.user_id = '' OR NOT EXISTS (SELECT 1 FROM webhook_deliveries e
				WHERE e.tenant_id = d.tenant_id AND e.webhook_id = d.webhook_id AND e.user_id = d.user_id
				AND e.status = ? AND e.id < d.id))
			ORDER BY d.id LIMIT ?)
		RETURNING `+deliveryCols,
			s.ts(now.Add(lease)), token, store.DeliveryPending, s.ts(now),
			store.DeliveryPending, s.ts(now), s.ts(now), true, store.DeliveryPending, limit)
		if err != nil {
			return err
		}
		out, err = scanAll(rows, scanDelivery)
		return tx.c.mapErr(err)
	})
	return out, err
}

func (r *webhookRepo) Finish(ctx context.Context, tenantID, id, leaseToken string, res store.DeliveryResult) error {
	s := (*Store)(r)
	if leaseToken == "" {
		return store.ErrNotFound
	}
	var delivered *time.Time
	if res.Status == store.DeliveryDelivered {
		delivered = normPtr(&res.At)
	}
	next := res.NextAttemptAt
	if next.IsZero() {
		next = res.At
	}
	n, err := s.exec(ctx, `UPDATE webhook_deliveries SET status = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?,
		lease_until = NULL, lease_token = '' WHERE tenant_id = ? AND id = ? AND lease_token = ? AND status = ?`,
		res.Status, res.Error, s.ts(next), s.nullTS(delivered), tenantID, id, leaseToken, store.DeliveryPending)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *webhookRepo) Deliveries(ctx context.Context, tenantID, webhookID string, p store.Page) ([]store.Delivery, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	q := `SELECT ` + deliveryCols + ` FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ?`
	args := []any{tenantID, webhookID}
	if p.After != "" {
		q += ` AND id < ?`
		args = append(args, p.After)
	}
	rows, err := s.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, p.Limit+1)...)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanDelivery)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(d *store.Delivery) string { return d.ID })
	return items, next, nil
}

package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// idempotencyRepo stores Idempotency-Key claims and their responses, keyed
// by (tenant_id, idem_key).
type idempotencyRepo Store

// Begin inserts the claim unless the key exists, in one statement, so two
// concurrent requests with the same key cannot both win.
func (r *idempotencyRepo) Begin(ctx context.Context, rec *store.IdempotencyRecord) (*store.IdempotencyRecord, error) {
	s := (*Store)(r)
	n := *rec
	n.Status, n.Header, n.Body = 0, nil, nil
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now()
	}
	n.CreatedAt = norm(n.CreatedAt)
	// A record expired between the failed insert and the read is gone;
	// the second attempt then claims the key.
	for range 2 {
		ins, err := s.exec(ctx, `INSERT INTO idempotency_records (tenant_id, idem_key, request_hash, status, header, body, created_at)
			VALUES (?, ?, ?, 0, '{}', NULL, ?) ON CONFLICT (tenant_id, idem_key) DO NOTHING`,
			n.TenantID, n.Key, bytesOut(n.RequestHash), s.ts(n.CreatedAt))
		if err != nil {
			return nil, err
		}
		if ins == 1 {
			return &n, nil
		}
		old, err := r.get(ctx, n.TenantID, n.Key)
		if err == nil {
			return old, store.ErrConflict
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: idempotency key %q is contended", store.ErrConflict, n.Key)
}

func (r *idempotencyRepo) get(ctx context.Context, tenantID, key string) (*store.IdempotencyRecord, error) {
	s := (*Store)(r)
	var rec store.IdempotencyRecord
	var header []byte
	err := s.queryRow(ctx, `SELECT tenant_id, idem_key, request_hash, status, header, body, created_at
		FROM idempotency_records WHERE tenant_id = ? AND idem_key = ?`, tenantID, key).
		Scan(&rec.TenantID, &rec.Key, &rec.RequestHash, &rec.Status, &header, &rec.Body, tsCol{&rec.CreatedAt})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	rec.RequestHash, rec.Body = bytesOut(rec.RequestHash), bytesOut(rec.Body)
	if len(header) > 0 && string(header) != "{}" {
		if err := json.Unmarshal(header, &rec.Header); err != nil {
			return nil, fmt.Errorf("store: decode idempotency header: %w", err)
		}
	}
	return &rec, nil
}

func (r *idempotencyRepo) Finish(ctx context.Context, tenantID, key string, status int, header map[string]string, body []byte) error {
	s := (*Store)(r)
	h := []byte("{}")
	if len(header) > 0 {
		var err error
		if h, err = json.Marshal(header); err != nil {
			return fmt.Errorf("store: encode idempotency header: %w", err)
		}
	}
	n, err := s.exec(ctx, `UPDATE idempotency_records SET status = ?, header = ?, body = ? WHERE tenant_id = ? AND idem_key = ?`,
		status, string(h), bytesOut(body), tenantID, key)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// Abandon deletes the claim only while it is in flight (status 0), so a
// stray call cannot erase a response that replays depend on. Releasing a
// claim that is already gone is not an error.
func (r *idempotencyRepo) Abandon(ctx context.Context, tenantID, key string) error {
	_, err := (*Store)(r).exec(ctx, `DELETE FROM idempotency_records WHERE tenant_id = ? AND idem_key = ? AND status = 0`,
		tenantID, key)
	return err
}

// Expire is a maintenance sweep across all tenants.
func (r *idempotencyRepo) Expire(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM idempotency_records WHERE created_at < ?`, s.ts(before))
}

package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// userKeyRepo holds users' sealed data keys (user_data_keys).
type userKeyRepo Store

// UserKeys returns the users' data keys.
func (s *Store) UserKeys() store.UserKeyRepo { return (*userKeyRepo)(s) }

var _ store.UserKeyRepo = (*userKeyRepo)(nil)

// Ensure inserts only while the user exists (a foreign-key failure would
// abort a PostgreSQL transaction, and the audit append runs in one), then
// reads back whichever key won.
func (r *userKeyRepo) Ensure(ctx context.Context, tenantID, userID string, sealed []byte) ([]byte, error) {
	s := (*Store)(r)
	if _, err := s.exec(ctx, `INSERT INTO user_data_keys (tenant_id, user_id, key_sealed, created_at)
		SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE tenant_id = ? AND id = ?)
		ON CONFLICT (tenant_id, user_id) DO NOTHING`,
		tenantID, userID, sealed, s.ts(s.now()), tenantID, userID); err != nil {
		return nil, err
	}
	var key []byte
	if err := s.queryRow(ctx, `SELECT key_sealed FROM user_data_keys WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&key); err != nil {
		return nil, s.c.mapErr(err)
	}
	return key, nil
}

func (r *userKeyRepo) Keys(ctx context.Context, tenantID string, userIDs []string) (map[string][]byte, error) {
	s := (*Store)(r)
	out := map[string][]byte{}
	for len(userIDs) > 0 {
		n := min(len(userIDs), 200)
		batch := userIDs[:n]
		userIDs = userIDs[n:]
		args := []any{tenantID}
		for _, id := range batch {
			args = append(args, id)
		}
		rows, err := s.query(ctx, `SELECT user_id, key_sealed FROM user_data_keys WHERE tenant_id = ? AND user_id IN (?`+
			strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var key []byte
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return nil, s.c.mapErr(err)
			}
			out[id] = key
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, s.c.mapErr(err)
		}
	}
	return out, nil
}

func (r *auditRepo) Checkpoint(ctx context.Context, tenantID string) (*store.AuditCheckpoint, error) {
	s := (*Store)(r)
	cp := store.AuditCheckpoint{TenantID: tenantID}
	err := s.queryRow(ctx, `SELECT seq, hash, event_id, purged_at FROM audit_checkpoints WHERE tenant_id = ?`, tenantID).
		Scan(&cp.Seq, &cp.Hash, &cp.EventID, tsCol{&cp.PurgedAt})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	cp.Hash = bytesOut(cp.Hash)
	return &cp, nil
}

func (r *auditRepo) LastBefore(ctx context.Context, tenantID string, before time.Time) (*store.AuditRecord, error) {
	s := (*Store)(r)
	rec, err := scanAudit(s.queryRow(ctx, `SELECT `+auditCols+` FROM audit_events WHERE tenant_id = ? AND time < ?
		ORDER BY seq DESC LIMIT 1`, tenantID, s.ts(before)))
	return rec, s.c.mapErr(err)
}

func (r *auditRepo) Purge(ctx context.Context, cp store.AuditCheckpoint) (int64, error) {
	s := (*Store)(r)
	if cp.TenantID == "" || cp.Seq < 1 || len(cp.Hash) == 0 || cp.EventID == "" {
		return 0, fmt.Errorf("%w: an audit checkpoint needs a tenant, a seq, a hash and an event", store.ErrInvalidInput)
	}
	var n int64
	err := s.inTx(ctx, func(tx *Store) error {
		var cur int64
		err := tx.queryRow(ctx, `SELECT seq FROM audit_checkpoints WHERE tenant_id = ?`+tx.c.d.ForUpdate, cp.TenantID).Scan(&cur)
		switch err = tx.c.mapErr(err); {
		case errors.Is(err, store.ErrNotFound):
			if _, err := tx.exec(ctx, `INSERT INTO audit_checkpoints (tenant_id, seq, hash, event_id, purged_at)
				VALUES (?, ?, ?, ?, ?)`, cp.TenantID, cp.Seq, cp.Hash, cp.EventID, tx.ts(tx.now())); err != nil {
				return err
			}
		case err != nil:
			return err
		case cp.Seq < cur:
			return fmt.Errorf("%w: the audit checkpoint is at %d already", store.ErrConflict, cur)
		default:
			if _, err := tx.exec(ctx, `UPDATE audit_checkpoints SET seq = ?, hash = ?, event_id = ?, purged_at = ?
				WHERE tenant_id = ?`, cp.Seq, cp.Hash, cp.EventID, tx.ts(tx.now()), cp.TenantID); err != nil {
				return err
			}
		}
		var err2 error
		n, err2 = tx.exec(ctx, `DELETE FROM audit_events WHERE tenant_id = ? AND seq <= ?`, cp.TenantID, cp.Seq)
		return err2
	})
	return n, err
}

// retentionRepo serves tenants' retention settings.
type retentionRepo Store

// Retention returns the retention queries.
func (s *Store) Retention() store.RetentionRepo { return (*retentionRepo)(s) }

var _ store.RetentionRepo = (*retentionRepo)(nil)

func (r *retentionRepo) DeleteEndedSessions(ctx context.Context, tenantID string, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND ((revoked_at IS NOT NULL AND revoked_at < ?) OR expires_at < ?)`,
		tenantID, s.ts(before), s.ts(before))
}

func (r *retentionRepo) StaleUnverifiedUsers(ctx context.Context, tenantID string, before time.Time, limit int) ([]string, error) {
	s := (*Store)(r)
	b := s.ts(before)
	rows, err := s.query(ctx, `SELECT u.id FROM users u WHERE u.tenant_id = ? AND u.email_verified = ? AND u.phone_verified = ?
		AND u.created_at < ? AND u.updated_at < ?
		AND NOT EXISTS (SELECT 1 FROM sessions x WHERE x.tenant_id = u.tenant_id AND x.user_id = u.id AND x.last_seen_at >= ?)
		ORDER BY u.id LIMIT ?`, tenantID, false, false, b, b, b, limit)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*string, error) {
		var id string
		return &id, sc.Scan(&id)
	})
	return out, s.c.mapErr(err)
}

func (r *retentionRepo) DeleteUserDeliveries(ctx context.Context, tenantID, userID string) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM webhook_deliveries WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
}

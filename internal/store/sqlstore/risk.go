package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// riskRepo keeps tenant risk policies (tenants.risk) and user sign-in
// histories (risk_history).
type riskRepo Store

var _ store.RiskRepo = (*riskRepo)(nil)

func (s *Store) Risk() store.RiskRepo { return (*riskRepo)(s) }

func (r *riskRepo) Policy(ctx context.Context, tenantID string) (riskpolicy.Policy, error) {
	s := (*Store)(r)
	var raw []byte
	var p riskpolicy.Policy
	if err := s.queryRow(ctx, `SELECT risk FROM tenants WHERE id = ?`, tenantID).Scan(&raw); err != nil {
		return p, s.c.mapErr(err)
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &p); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (r *riskRepo) SetPolicy(ctx context.Context, tenantID string, p riskpolicy.Policy) error {
	s := (*Store)(r)
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	n, err := s.exec(ctx, `UPDATE tenants SET risk = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		string(b), s.ts(s.now()), tenantID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *riskRepo) History(ctx context.Context, tenantID, userID string) (*riskpolicy.History, error) {
	s := (*Store)(r)
	var raw []byte
	err := s.queryRow(ctx, `SELECT h.history FROM users u LEFT JOIN risk_history h
		ON h.tenant_id = u.tenant_id AND h.user_id = u.id WHERE u.tenant_id = ? AND u.id = ?`, tenantID, userID).Scan(&raw)
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return decodeHistory(raw)
}

func decodeHistory(raw []byte) (*riskpolicy.History, error) {
	h := &riskpolicy.History{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// UpdateHistory locks the user's row and rewrites it: two statements.
// Only a user's first sign-in finds no row; it then creates one (for an
// existing user only) and locks that, so concurrent first sign-ins of one
// user are serialised too instead of racing two inserts.
func (r *riskRepo) UpdateHistory(ctx context.Context, tenantID, userID string, fn func(*riskpolicy.History) error) (*riskpolicy.History, error) {
	s := (*Store)(r)
	var out *riskpolicy.History
	err := s.inTx(ctx, func(tx *Store) error {
		now := tx.now()
		raw, err := tx.lockHistory(ctx, tenantID, userID)
		if errors.Is(err, store.ErrNotFound) {
			if _, err := tx.exec(ctx, `INSERT INTO risk_history (tenant_id, user_id, history, updated_at)
				SELECT tenant_id, id, '{}', ? FROM users WHERE tenant_id = ? AND id = ?
				ON CONFLICT (tenant_id, user_id) DO NOTHING`, tx.ts(now), tenantID, userID); err != nil {
				return err
			}
			raw, err = tx.lockHistory(ctx, tenantID, userID)
		}
		if err != nil {
			return err
		}
		h, err := decodeHistory(raw)
		if err != nil {
			return err
		}
		if err := fn(h); err != nil {
			return err
		}
		b, err := json.Marshal(h)
		if err != nil {
			return err
		}
		var last *time.Time
		if h.Last != nil {
			last = &h.Last.At
		}
		if _, err := tx.exec(ctx, `UPDATE risk_history SET history = ?, last_success_at = ?, updated_at = ?
			WHERE tenant_id = ? AND user_id = ?`, string(b), tx.nullTS(last), tx.ts(now), tenantID, userID); err != nil {
			return err
		}
		out = h
		return nil
	})
	return out, err
}

// lockHistory reads the user's history row for update (ErrNotFound if
// there is none).
func (s *Store) lockHistory(ctx context.Context, tenantID, userID string) ([]byte, error) {
	var raw []byte
	err := s.queryRow(ctx, `SELECT history FROM risk_history WHERE tenant_id = ? AND user_id = ?`+s.c.d.ForUpdate,
		tenantID, userID).Scan(&raw)
	return raw, s.c.mapErr(err)
}

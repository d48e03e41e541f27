package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// mfaRepo stores MFA factors, challenges and remembered devices. Every
// row belongs to a user of the tenant (foreign key, cascading).
type mfaRepo Store

func (s *Store) MFA() store.MFARepo { return (*mfaRepo)(s) }

const factorCols = `tenant_id, id, user_id, type, name, data, weak, created_at, last_used_at, version`

func scanFactor(sc scanner) (*factor.Factor, error) {
	var f factor.Factor
	var typ, data string
	if err := sc.Scan(&f.TenantID, &f.ID, &f.UserID, &typ, &f.Name, &data, &f.Weak,
		tsCol{&f.CreatedAt}, nullTSCol{&f.LastUsedAt}, &f.Version); err != nil {
		return nil, err
	}
	f.Type, f.Data = factor.FactorType(typ), rawOut([]byte(data))
	return &f, nil
}

func factorData(f *factor.Factor) string {
	if len(f.Data) == 0 {
		return "{}"
	}
	return string(f.Data)
}

func (r *mfaRepo) CreateFactor(ctx context.Context, f *factor.Factor) error {
	s := (*Store)(r)
	if f.TenantID == "" || f.UserID == "" || f.Type == "" {
		return errors.New("store: a factor needs a tenant, user and type")
	}
	n := *f
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, &n.Version); err != nil {
		return err
	}
	n.LastUsedAt = normPtr(n.LastUsedAt)
	if _, err := s.exec(ctx, `INSERT INTO mfa_factors (`+factorCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.UserID, string(n.Type), n.Name, factorData(&n), n.Weak,
		s.ts(n.CreatedAt), s.nullTS(n.LastUsedAt), n.Version); err != nil {
		return err
	}
	*f = n
	return nil
}

const factorByID = `SELECT ` + factorCols + ` FROM mfa_factors WHERE tenant_id = ? AND user_id = ? AND id = ?`

func (r *mfaRepo) GetFactor(ctx context.Context, tenantID, userID, id string) (*factor.Factor, error) {
	s := (*Store)(r)
	f, err := scanFactor(s.queryRow(ctx, factorByID, tenantID, userID, id))
	return f, s.c.mapErr(err)
}

func (r *mfaRepo) ListFactors(ctx context.Context, tenantID, userID string) ([]factor.Factor, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+factorCols+` FROM mfa_factors WHERE tenant_id = ? AND user_id = ? ORDER BY id`,
		tenantID, userID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanFactor)
	return out, s.c.mapErr(err)
}

// UpdateFactor locks the row (FOR UPDATE on PostgreSQL, the single writer
// on SQLite) and writes only if the version is still the one read.
func (r *mfaRepo) UpdateFactor(ctx context.Context, tenantID, userID, id string, fn func(*factor.Factor) error) (*factor.Factor, error) {
	s := (*Store)(r)
	var out *factor.Factor
	err := s.inTx(ctx, func(tx *Store) error {
		f, err := scanFactor(tx.queryRow(ctx, factorByID+tx.c.d.ForUpdate, tenantID, userID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		keep := *f
		if err := fn(f); err != nil {
			return err
		}
		name, used, data := f.Name, normPtr(f.LastUsedAt), f.Data
		*f = keep
		f.Name, f.LastUsedAt, f.Data, f.Version = name, used, data, keep.Version+1
		n, err := tx.exec(ctx, `UPDATE mfa_factors SET name = ?, data = ?, last_used_at = ?, version = ?
			WHERE tenant_id = ? AND user_id = ? AND id = ? AND version = ?`,
			f.Name, factorData(f), tx.nullTS(f.LastUsedAt), f.Version, tenantID, userID, id, keep.Version)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		out = f
		return nil
	})
	return out, err
}

func (r *mfaRepo) DeleteFactor(ctx context.Context, tenantID, userID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM mfa_factors WHERE tenant_id = ? AND user_id = ? AND id = ?`,
		tenantID, userID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *mfaRepo) DeleteFactors(ctx context.Context, tenantID, userID string, types ...factor.FactorType) (int64, error) {
	q := `DELETE FROM mfa_factors WHERE tenant_id = ? AND user_id = ?`
	args := []any{tenantID, userID}
	if len(types) > 0 {
		q += ` AND type IN (?` + strings.Repeat(`, ?`, len(types)-1) + `)`
		for _, t := range types {
			args = append(args, string(t))
		}
	}
	return (*Store)(r).exec(ctx, q, args...)
}

const challengeCols = `tenant_id, id, user_id, kind, data, code_hash, attempts, created_at, expires_at, used_at`

func scanChallenge(sc scanner) (*store.MFAChallenge, error) {
	var c store.MFAChallenge
	if err := sc.Scan(&c.TenantID, &c.ID, nullStrCol{&c.UserID}, &c.Kind, &c.Data, &c.CodeHash, &c.Attempts,
		tsCol{&c.CreatedAt}, tsCol{&c.ExpiresAt}, nullTSCol{&c.UsedAt}); err != nil {
		return nil, err
	}
	c.Data, c.CodeHash = bytesOut(c.Data), bytesOut(c.CodeHash)
	return &c, nil
}

func (r *mfaRepo) CreateChallenge(ctx context.Context, c *store.MFAChallenge) error {
	s := (*Store)(r)
	if c.TenantID == "" || c.Kind == "" || c.ExpiresAt.IsZero() {
		return errors.New("store: a challenge needs a tenant, kind and expiry")
	}
	n := *c
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt, n.UsedAt = norm(n.ExpiresAt), normPtr(n.UsedAt)
	if _, err := s.exec(ctx, `INSERT INTO mfa_challenges (`+challengeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, nullStr(n.UserID), n.Kind, bytesOut(n.Data), bytesOut(n.CodeHash), n.Attempts,
		s.ts(n.CreatedAt), s.ts(n.ExpiresAt), s.nullTS(n.UsedAt)); err != nil {
		return err
	}
	*c = n
	return nil
}

const challengeByID = `SELECT ` + challengeCols + ` FROM mfa_challenges WHERE tenant_id = ? AND id = ?`

func (r *mfaRepo) GetChallenge(ctx context.Context, tenantID, id string) (*store.MFAChallenge, error) {
	s := (*Store)(r)
	c, err := scanChallenge(s.queryRow(ctx, challengeByID, tenantID, id))
	return c, s.c.mapErr(err)
}

func (r *mfaRepo) UpdateChallenge(ctx context.Context, tenantID, id string, fn func(*store.MFAChallenge) error) (*store.MFAChallenge, error) {
	s := (*Store)(r)
	var out *store.MFAChallenge
	err := s.inTx(ctx, func(tx *Store) error {
		c, err := scanChallenge(tx.queryRow(ctx, challengeByID+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		keep := *c
		if err := fn(c); err != nil {
			return err
		}
		attempts, used := c.Attempts, normPtr(c.UsedAt)
		*c = keep
		c.Attempts, c.UsedAt = attempts, used
		if _, err := tx.exec(ctx, `UPDATE mfa_challenges SET attempts = ?, used_at = ? WHERE tenant_id = ? AND id = ?`,
			c.Attempts, tx.nullTS(c.UsedAt), tenantID, id); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

func (r *mfaRepo) DeleteExpiredChallenges(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM mfa_challenges WHERE expires_at < ?`, s.ts(before))
}

func (r *mfaRepo) CreateDevice(ctx context.Context, d *store.RememberedDevice) error {
	s := (*Store)(r)
	if d.TenantID == "" || d.UserID == "" || d.ExpiresAt.IsZero() {
		return errors.New("store: a remembered device needs a tenant, user and expiry")
	}
	n := *d
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt = norm(n.ExpiresAt)
	if _, err := s.exec(ctx, `INSERT INTO mfa_devices (tenant_id, id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.UserID, s.ts(n.CreatedAt), s.ts(n.ExpiresAt)); err != nil {
		return err
	}
	*d = n
	return nil
}

func (r *mfaRepo) GetDevice(ctx context.Context, tenantID, id string) (*store.RememberedDevice, error) {
	s := (*Store)(r)
	var d store.RememberedDevice
	err := s.queryRow(ctx, `SELECT tenant_id, id, user_id, created_at, expires_at FROM mfa_devices
		WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&d.TenantID, &d.ID, &d.UserID, tsCol{&d.CreatedAt}, tsCol{&d.ExpiresAt})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return &d, nil
}

func (r *mfaRepo) DeleteDevices(ctx context.Context, tenantID, userID string) (int64, error) {
	return (*Store)(r).exec(ctx, `DELETE FROM mfa_devices WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
}

func (r *mfaRepo) DeleteExpiredDevices(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM mfa_devices WHERE expires_at < ?`, s.ts(before))
}

// Interface guard.
var _ store.MFARepo = (*mfaRepo)(nil)

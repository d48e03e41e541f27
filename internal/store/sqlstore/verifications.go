package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// verificationRepo stores email verification codes and link tokens, with
// a per-tenant unique index on the hash. The user is a foreign key.
type verificationRepo Store

const verificationCols = `tenant_id, id, user_id, purpose, kind, hash, auth_request_id, attempts,
	created_at, expires_at, used_at`

func scanVerification(sc scanner) (*store.Verification, error) {
	var v store.Verification
	if err := sc.Scan(&v.TenantID, &v.ID, &v.UserID, &v.Purpose, &v.Kind, &v.Hash, &v.AuthRequestID, &v.Attempts,
		tsCol{&v.CreatedAt}, tsCol{&v.ExpiresAt}, nullTSCol{&v.UsedAt}); err != nil {
		return nil, err
	}
	v.Hash = bytesOut(v.Hash)
	return &v, nil
}

// Create generates the ID and, if zero, CreatedAt.
func (r *verificationRepo) Create(ctx context.Context, v *store.Verification) error {
	s := (*Store)(r)
	if len(v.Hash) == 0 || v.UserID == "" || v.Purpose == "" || v.Kind == "" {
		return errors.New("store: a verification needs a user, purpose, kind and hash")
	}
	n := *v
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt, n.UsedAt = norm(n.ExpiresAt), normPtr(n.UsedAt)
	if _, err := s.exec(ctx, `INSERT INTO verifications (`+verificationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.UserID, n.Purpose, n.Kind, bytesOut(n.Hash), n.AuthRequestID, n.Attempts,
		s.ts(n.CreatedAt), s.ts(n.ExpiresAt), s.nullTS(n.UsedAt)); err != nil {
		return err
	}
	*v = n
	return nil
}

// Issue locks the user's row first: on PostgreSQL concurrent issuers for
// the same user (on any node) queue there, and the cool-down query that
// follows sees what the one before committed; on SQLite the single
// writer already serialises the transactions.
func (r *verificationRepo) Issue(ctx context.Context, tenantID string, in store.Issuance) (*store.Verification, error) {
	s := (*Store)(r)
	if len(in.New) == 0 {
		return nil, errors.New("store: an issuance needs at least one verification")
	}
	for _, v := range in.New {
		if v.TenantID != tenantID || v.UserID != in.UserID || v.Purpose != in.Purpose {
			return nil, errors.New("store: every verification of an issuance has its tenant, user and purpose")
		}
	}
	var recent *store.Verification
	err := s.inTx(ctx, func(tx *Store) error {
		recent = nil
		var id string
		if err := tx.queryRow(ctx, `SELECT id FROM users WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate,
			tenantID, in.UserID).Scan(&id); err != nil {
			return tx.c.mapErr(err)
		}
		if !in.Since.IsZero() {
			v, err := scanVerification(tx.queryRow(ctx, `SELECT `+verificationCols+` FROM verifications
				WHERE tenant_id = ? AND user_id = ? AND purpose = ? AND created_at > ? ORDER BY created_at DESC, id DESC LIMIT 1`,
				tenantID, in.UserID, in.Purpose, tx.ts(norm(in.Since))))
			switch err = tx.c.mapErr(err); {
			case err == nil:
				recent = v
				return store.ErrTooSoon
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
		}
		vr := (*verificationRepo)(tx)
		if in.Replace {
			at := in.New[0].CreatedAt
			if at.IsZero() {
				at = tx.now()
			}
			if _, err := vr.UseAll(ctx, tenantID, in.UserID, in.Purpose, at); err != nil {
				return err
			}
		}
		for _, v := range in.New {
			if err := vr.Create(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
	return recent, err
}

const verificationByID = `SELECT ` + verificationCols + ` FROM verifications WHERE tenant_id = ? AND id = ?`

func (r *verificationRepo) GetByHash(ctx context.Context, tenantID string, hash []byte) (*store.Verification, error) {
	s := (*Store)(r)
	v, err := scanVerification(s.queryRow(ctx, `SELECT `+verificationCols+` FROM verifications
		WHERE tenant_id = ? AND hash = ?`, tenantID, bytesOut(hash)))
	return v, s.c.mapErr(err)
}

// Latest orders by ID: IDs are UUIDv7, so the newest is the greatest.
func (r *verificationRepo) Latest(ctx context.Context, tenantID, userID, purpose, kind string) (*store.Verification, error) {
	s := (*Store)(r)
	v, err := scanVerification(s.queryRow(ctx, `SELECT `+verificationCols+` FROM verifications
		WHERE tenant_id = ? AND user_id = ? AND purpose = ? AND kind = ? ORDER BY id DESC LIMIT 1`,
		tenantID, userID, purpose, kind))
	return v, s.c.mapErr(err)
}

func (r *verificationRepo) Update(ctx context.Context, tenantID, id string, fn func(*store.Verification) error) (*store.Verification, error) {
	s := (*Store)(r)
	var out *store.Verification
	err := s.inTx(ctx, func(tx *Store) error {
		v, err := scanVerification(tx.queryRow(ctx, verificationByID+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		keep := *v
		if err := fn(v); err != nil {
			return err
		}
		attempts, used := v.Attempts, normPtr(v.UsedAt)
		*v = keep
		v.Attempts, v.UsedAt = attempts, used
		n, err := tx.exec(ctx, `UPDATE verifications SET attempts = ?, used_at = ? WHERE tenant_id = ? AND id = ?`,
			v.Attempts, tx.nullTS(v.UsedAt), tenantID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		out = v
		return nil
	})
	return out, err
}

func (r *verificationRepo) UseAll(ctx context.Context, tenantID, userID, purpose string, at time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `UPDATE verifications SET used_at = ? WHERE tenant_id = ? AND user_id = ? AND purpose = ? AND used_at IS NULL`,
		s.ts(norm(at)), tenantID, userID, purpose)
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *verificationRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM verifications WHERE expires_at < ?`, s.ts(before))
}

// Interface guard.
var _ store.VerificationRepo = (*verificationRepo)(nil)

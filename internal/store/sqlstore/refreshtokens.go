package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// refreshTokenRepo stores refresh tokens. The client is a foreign key, and
// so is the user when there is one (user_id is NULL for a token without a
// user), so deleting either deletes the tokens. Each Revoke* statement is
// one UPDATE over an index on what it selects by; it sets revoked_at only
// where it is NULL, so the count is what it newly revoked and the first
// revocation time is kept.
type refreshTokenRepo Store

const refreshTokenCols = `tenant_id, id, family_id, token_hash, client_id, user_id, session_id, scopes, audience,
	auth_time, amr, acr, created_at, expires_at, family_expires_at, rotated_at, revoked_at, org_id, dpop_jkt, authorization_details`

func scanRefreshToken(sc scanner) (*oauth.RefreshToken, error) {
	var t oauth.RefreshToken
	var scopes, audience, amr []byte
	if err := sc.Scan(&t.TenantID, &t.ID, &t.FamilyID, &t.TokenHash, &t.ClientID, nullStrCol{&t.UserID}, &t.SessionID,
		&scopes, &audience, optTSCol{&t.AuthTime}, &amr, &t.ACR, tsCol{&t.CreatedAt}, tsCol{&t.ExpiresAt},
		tsCol{&t.FamilyExpiresAt}, nullTSCol{&t.RotatedAt}, nullTSCol{&t.RevokedAt}, &t.OrgID, &t.DPoPJKT, &t.AuthorizationDetails); err != nil {
		return nil, err
	}
	t.TokenHash = bytesOut(t.TokenHash)
	err := decodeLists(listCol{&t.Scopes, scopes}, listCol{&t.Audience, audience}, listCol{&t.AMR, amr})
	return &t, err
}

// createRefreshToken inserts t, stamping ID and CreatedAt if unset. A token without a
// family starts its own: FamilyID defaults to its ID.
func (s *Store) createRefreshToken(ctx context.Context, t *oauth.RefreshToken) error {
	n := *t
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	if n.FamilyID == "" {
		n.FamilyID = n.ID
	}
	n.AuthTime, n.ExpiresAt, n.FamilyExpiresAt = normOpt(n.AuthTime), norm(n.ExpiresAt), norm(n.FamilyExpiresAt)
	n.RotatedAt, n.RevokedAt = normPtr(n.RotatedAt), normPtr(n.RevokedAt)
	if _, err := s.exec(ctx, `INSERT INTO refresh_tokens (`+refreshTokenCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.FamilyID, bytesOut(n.TokenHash), n.ClientID, nullStr(n.UserID), n.SessionID,
		jsonList(n.Scopes), jsonList(n.Audience), s.optTS(n.AuthTime), jsonList(n.AMR), n.ACR, s.ts(n.CreatedAt),
		s.ts(n.ExpiresAt), s.ts(n.FamilyExpiresAt), s.nullTS(n.RotatedAt), s.nullTS(n.RevokedAt), n.OrgID, n.DPoPJKT, n.AuthorizationDetails); err != nil {
		return err
	}
	*t = n
	return nil
}

func (r *refreshTokenRepo) Create(ctx context.Context, t *oauth.RefreshToken) error {
	return (*Store)(r).createRefreshToken(ctx, t)
}

const (
	refreshTokenByID   = `SELECT ` + refreshTokenCols + ` FROM refresh_tokens WHERE tenant_id = ? AND id = ?`
	refreshTokenByHash = `SELECT ` + refreshTokenCols + ` FROM refresh_tokens WHERE tenant_id = ? AND token_hash = ?`
)

func (r *refreshTokenRepo) Get(ctx context.Context, tenantID, id string) (*oauth.RefreshToken, error) {
	s := (*Store)(r)
	t, err := scanRefreshToken(s.queryRow(ctx, refreshTokenByID, tenantID, id))
	return t, s.c.mapErr(err)
}

func (r *refreshTokenRepo) GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.RefreshToken, error) {
	s := (*Store)(r)
	t, err := scanRefreshToken(s.queryRow(ctx, refreshTokenByHash, tenantID, bytesOut(tokenHash)))
	return t, s.c.mapErr(err)
}

// Rotate locks the old token's row (FOR UPDATE on PostgreSQL; SQLite's
// transaction holds the write lock), so racing rotations queue and each
// later one sees RotatedAt set: exactly one wins. next joins the old
// token's family and tenant; its FamilyExpiresAt defaults to the family's
// and is never later than it. ErrNotFound if old is not in the tenant.
func (r *refreshTokenRepo) Rotate(ctx context.Context, tenantID, oldID string, next *oauth.RefreshToken, at time.Time) error {
	s := (*Store)(r)
	var n oauth.RefreshToken
	err := s.inTx(ctx, func(tx *Store) error {
		old, err := scanRefreshToken(tx.queryRow(ctx, refreshTokenByID+tx.c.d.ForUpdate, tenantID, oldID))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if old.RotatedAt != nil || old.RevokedAt != nil {
			return store.ErrReused
		}
		// The guard repeats the check, so the statement alone cannot
		// rotate a token twice whatever the isolation.
		c, err := tx.exec(ctx, `UPDATE refresh_tokens SET rotated_at = ?
			WHERE tenant_id = ? AND id = ? AND rotated_at IS NULL AND revoked_at IS NULL`, tx.ts(at), tenantID, oldID)
		if err != nil {
			return err
		}
		if c == 0 {
			return store.ErrReused
		}
		n = *next
		n.TenantID, n.FamilyID = tenantID, old.FamilyID
		if n.FamilyExpiresAt.IsZero() || n.FamilyExpiresAt.After(old.FamilyExpiresAt) {
			n.FamilyExpiresAt = old.FamilyExpiresAt
		}
		return tx.createRefreshToken(ctx, &n)
	})
	if err != nil {
		return err
	}
	*next = n
	return nil
}

func (r *refreshTokenRepo) revoke(ctx context.Context, at time.Time, where string, args ...any) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `UPDATE refresh_tokens SET revoked_at = ? WHERE `+where+` AND revoked_at IS NULL`,
		append([]any{s.ts(at)}, args...)...)
}

func (r *refreshTokenRepo) RevokeFamily(ctx context.Context, tenantID, familyID string, at time.Time) (int64, error) {
	return r.revoke(ctx, at, `tenant_id = ? AND family_id = ?`, tenantID, familyID)
}

// RevokeForUser with userID "" revokes nothing: tokens without a user are
// not "everyone's".
func (r *refreshTokenRepo) RevokeForUser(ctx context.Context, tenantID, userID, clientID string, at time.Time) (int64, error) {
	if clientID == "" {
		return r.revoke(ctx, at, `tenant_id = ? AND user_id = ?`, tenantID, userID)
	}
	return r.revoke(ctx, at, `tenant_id = ? AND user_id = ? AND client_id = ?`, tenantID, userID, clientID)
}

func (r *refreshTokenRepo) RevokeForClient(ctx context.Context, tenantID, clientID string, at time.Time) (int64, error) {
	return r.revoke(ctx, at, `tenant_id = ? AND client_id = ?`, tenantID, clientID)
}

// RevokeForSession with sessionID "" revokes nothing.
func (r *refreshTokenRepo) RevokeForSession(ctx context.Context, tenantID, sessionID string, at time.Time) (int64, error) {
	if sessionID == "" {
		return 0, nil
	}
	return r.revoke(ctx, at, `tenant_id = ? AND session_id = ?`, tenantID, sessionID)
}

// DeleteExpired removes tokens past their own or their family's expiry,
// across all tenants.
func (r *refreshTokenRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	t := s.ts(before)
	return s.exec(ctx, `DELETE FROM refresh_tokens WHERE expires_at < ? OR family_expires_at < ?`, t, t)
}

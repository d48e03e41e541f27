package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// opaqueTokenRepo stores opaque access tokens by jti, with a per-tenant
// unique index on the token hash. The client is a foreign key; the user is
// one when set (user_id is NULL for client credentials), so deleting
// either deletes the tokens. Claims is a JSON object.
type opaqueTokenRepo Store

const opaqueTokenCols = `tenant_id, id, token_hash, client_id, user_id, session_id, scopes, audience, claims,
	created_at, expires_at, revoked_at`

func scanOpaqueToken(sc scanner) (*oauth.OpaqueToken, error) {
	var t oauth.OpaqueToken
	var scopes, audience, claims []byte
	if err := sc.Scan(&t.TenantID, &t.ID, &t.TokenHash, &t.ClientID, nullStrCol{&t.UserID}, &t.SessionID,
		&scopes, &audience, &claims, tsCol{&t.CreatedAt}, tsCol{&t.ExpiresAt}, nullTSCol{&t.RevokedAt}); err != nil {
		return nil, err
	}
	t.TokenHash = bytesOut(t.TokenHash)
	if err := decodeLists(listCol{&t.Scopes, scopes}, listCol{&t.Audience, audience}); err != nil {
		return nil, err
	}
	var err error
	t.Claims, err = decodeObject(claims)
	return &t, err
}

// Create generates the jti if empty.
func (r *opaqueTokenRepo) Create(ctx context.Context, t *oauth.OpaqueToken) error {
	s := (*Store)(r)
	n := *t
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt, n.RevokedAt = norm(n.ExpiresAt), normPtr(n.RevokedAt)
	claims, err := jsonObject(n.Claims)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, `INSERT INTO opaque_tokens (`+opaqueTokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, bytesOut(n.TokenHash), n.ClientID, nullStr(n.UserID), n.SessionID, jsonList(n.Scopes),
		jsonList(n.Audience), claims, s.ts(n.CreatedAt), s.ts(n.ExpiresAt), s.nullTS(n.RevokedAt)); err != nil {
		return err
	}
	*t = n
	return nil
}

// GetByHash returns revoked and expired tokens too: introspection reports
// them inactive.
func (r *opaqueTokenRepo) GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.OpaqueToken, error) {
	s := (*Store)(r)
	t, err := scanOpaqueToken(s.queryRow(ctx, `SELECT `+opaqueTokenCols+` FROM opaque_tokens
		WHERE tenant_id = ? AND token_hash = ?`, tenantID, bytesOut(tokenHash)))
	return t, s.c.mapErr(err)
}

// Revoke keeps the first revocation time. ErrNotFound if absent.
func (r *opaqueTokenRepo) Revoke(ctx context.Context, tenantID, id string, at time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE opaque_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.ts(at), tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *opaqueTokenRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM opaque_tokens WHERE expires_at < ?`, s.ts(before))
}

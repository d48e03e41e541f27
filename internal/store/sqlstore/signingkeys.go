package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// signingKeyRepo stores token-signing keys by (tenant, kid). The sealed
// private key is a BLOB; the public JWK is kept as the caller wrote it
// (TEXT, JSON on PostgreSQL). A tenant has a handful of keys, so the
// primary key serves every lookup.
type signingKeyRepo Store

const signingKeyCols = `tenant_id, id, alg, private, public_jwk, created_at, retired_at, expires_at`

func scanSigningKey(sc scanner) (*oauth.SigningKey, error) {
	var k oauth.SigningKey
	if err := sc.Scan(&k.TenantID, &k.ID, &k.Alg, &k.Private, &k.PublicJWK, tsCol{&k.CreatedAt},
		nullTSCol{&k.RetiredAt}, nullTSCol{&k.ExpiresAt}); err != nil {
		return nil, err
	}
	k.Private, k.PublicJWK = bytesOut(k.Private), bytesOut(k.PublicJWK)
	return &k, nil
}

// Create generates a kid if empty. ErrConflict if the kid exists in the tenant.
func (r *signingKeyRepo) Create(ctx context.Context, k *oauth.SigningKey) error {
	s := (*Store)(r)
	n := *k
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.RetiredAt, n.ExpiresAt = normPtr(n.RetiredAt), normPtr(n.ExpiresAt)
	if _, err := s.exec(ctx, `INSERT INTO signing_keys (`+signingKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.Alg, notNil(n.Private), rawJSON(json.RawMessage(n.PublicJWK)), s.ts(n.CreatedAt),
		s.nullTS(n.RetiredAt), s.nullTS(n.ExpiresAt)); err != nil {
		return err
	}
	*k = n
	return nil
}

// List orders newest first; keys created in the same microsecond by
// descending kid, so the order is total.
func (r *signingKeyRepo) List(ctx context.Context, tenantID string) ([]oauth.SigningKey, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+signingKeyCols+` FROM signing_keys WHERE tenant_id = ?
		ORDER BY created_at DESC, id DESC`, tenantID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanSigningKey)
	return out, s.c.mapErr(err)
}

// Retire sets both times only if the key is not retired yet; the SET
// expressions all see the row as it was, so the CASE tests the old value.
func (r *signingKeyRepo) Retire(ctx context.Context, tenantID, id string, retiredAt, expiresAt time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE signing_keys SET retired_at = COALESCE(retired_at, ?),
		expires_at = CASE WHEN retired_at IS NULL THEN ? ELSE expires_at END
		WHERE tenant_id = ? AND id = ?`, s.ts(retiredAt), s.ts(expiresAt), tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *signingKeyRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM signing_keys WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// ListTenantsWithKeys returns tenant IDs in ascending order.
func (r *signingKeyRepo) ListTenantsWithKeys(ctx context.Context) ([]string, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT DISTINCT tenant_id FROM signing_keys ORDER BY tenant_id`)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*string, error) {
		var id string
		return &id, sc.Scan(&id)
	})
	return out, s.c.mapErr(err)
}

// Locked runs fn in a transaction that first takes the dialect's key lock.
func (r *signingKeyRepo) Locked(ctx context.Context, tenantID string, fn func(store.SigningKeyRepo) error) error {
	s := (*Store)(r)
	return s.inTx(ctx, func(tx *Store) error {
		if s.c.d.KeyLock != "" {
			if _, err := tx.exec(ctx, s.c.d.KeyLock, tenantID); err != nil {
				return err
			}
		}
		return fn(tx.SigningKeys())
	})
}

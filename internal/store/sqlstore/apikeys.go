package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// apiKeyRepo stores admin API keys: control-plane rows with a globally
// unique ID (the bearer token carries it) and an owning tenant.
type apiKeyRepo Store

const apiKeyCols = `id, tenant_id, name, scopes, secret_hash, expires_at, last_used_at, revoked_at, created_at`

func scanAPIKey(sc scanner) (*identity.APIKey, error) {
	var k identity.APIKey
	var scopes []byte
	if err := sc.Scan(&k.ID, &k.TenantID, &k.Name, &scopes, &k.SecretHash, nullTSCol{&k.ExpiresAt},
		nullTSCol{&k.LastUsedAt}, nullTSCol{&k.RevokedAt}, tsCol{&k.CreatedAt}); err != nil {
		return nil, err
	}
	k.SecretHash = bytesOut(k.SecretHash)
	var err error
	k.Scopes, err = decodeList(scopes)
	return &k, err
}

func (r *apiKeyRepo) Create(ctx context.Context, k *identity.APIKey) error {
	s := (*Store)(r)
	n := *k
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt, n.LastUsedAt, n.RevokedAt = normPtr(n.ExpiresAt), normPtr(n.LastUsedAt), normPtr(n.RevokedAt)
	if _, err := s.exec(ctx, `INSERT INTO api_keys (`+apiKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.TenantID, n.Name, jsonList(n.Scopes), bytesOut(n.SecretHash), s.nullTS(n.ExpiresAt),
		s.nullTS(n.LastUsedAt), s.nullTS(n.RevokedAt), s.ts(n.CreatedAt)); err != nil {
		return err
	}
	*k = n
	return nil
}

// Get looks the key up by ID alone, by contract: the caller compares the
// key's tenant with the request's.
func (r *apiKeyRepo) Get(ctx context.Context, id string) (*identity.APIKey, error) {
	s := (*Store)(r)
	k, err := scanAPIKey(s.queryRow(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = ?`, id))
	return k, s.c.mapErr(err)
}

func (r *apiKeyRepo) List(ctx context.Context, tenantID string, p store.Page) ([]identity.APIKey, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []identity.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, "", s.c.mapErr(err)
		}
		out = append(out, *k)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(k *identity.APIKey) string { return k.ID })
	return items, next, nil
}

// Revoke keeps the first revocation time if the key is already revoked.
func (r *apiKeyRepo) Revoke(ctx context.Context, tenantID, id string, at time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.ts(at), tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *apiKeyRepo) Touch(ctx context.Context, id string, at time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, s.ts(at), id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// iatRepo stores initial access tokens (RFC 7591 §3), keyed by tenant and
// ID; the secret is only a keyed hash.
type iatRepo Store

// InitialAccessTokens returns the initial access token repository.
func (s *Store) InitialAccessTokens() store.InitialAccessTokenRepo { return (*iatRepo)(s) }

const iatCols = `tenant_id, id, secret_hash, expires_at, max_uses, uses, created_at`

func scanIAT(sc scanner) (*oauth.InitialAccessToken, error) {
	var t oauth.InitialAccessToken
	if err := sc.Scan(&t.TenantID, &t.ID, &t.SecretHash, nullTSCol{&t.ExpiresAt}, &t.MaxUses, &t.Uses,
		tsCol{&t.CreatedAt}); err != nil {
		return nil, err
	}
	t.SecretHash = bytesOut(t.SecretHash)
	return &t, nil
}

func (r *iatRepo) Create(ctx context.Context, t *oauth.InitialAccessToken) error {
	s := (*Store)(r)
	n := *t
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt = normPtr(n.ExpiresAt)
	if _, err := s.exec(ctx, `INSERT INTO initial_access_tokens (`+iatCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, bytesOut(n.SecretHash), s.nullTS(n.ExpiresAt), n.MaxUses, n.Uses, s.ts(n.CreatedAt)); err != nil {
		return err
	}
	*t = n
	return nil
}

func (r *iatRepo) Get(ctx context.Context, tenantID, id string) (*oauth.InitialAccessToken, error) {
	s := (*Store)(r)
	t, err := scanIAT(s.queryRow(ctx, `SELECT `+iatCols+` FROM initial_access_tokens WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return t, s.c.mapErr(err)
}

func (r *iatRepo) List(ctx context.Context, tenantID string, p store.Page) ([]oauth.InitialAccessToken, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+iatCols+` FROM initial_access_tokens WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []oauth.InitialAccessToken
	for rows.Next() {
		t, err := scanIAT(rows)
		if err != nil {
			return nil, "", s.c.mapErr(err)
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(t *oauth.InitialAccessToken) string { return t.ID })
	return items, next, nil
}

// Use is one conditional UPDATE, so two racing registrations cannot both
// take a token's last use.
func (r *iatRepo) Use(ctx context.Context, tenantID, id string, now time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE initial_access_tokens SET uses = uses + 1
		WHERE tenant_id = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?) AND (max_uses = 0 OR uses < max_uses)`,
		tenantID, id, s.ts(norm(now)))
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *iatRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM initial_access_tokens WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

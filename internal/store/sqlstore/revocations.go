package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// revocationRepo stores access-token revocations keyed by (tenant, kind,
// key); the key column is rev_key. created_at is when the entry last
// changed, indexed for the caches' Since polls.
type revocationRepo Store

const revocationCols = `tenant_id, kind, rev_key, not_before, expires_at, created_at`

func scanRevocation(sc scanner) (*oauth.Revocation, error) {
	var x oauth.Revocation
	if err := sc.Scan(&x.TenantID, &x.Kind, &x.Key, tsCol{&x.NotBefore}, tsCol{&x.ExpiresAt}, tsCol{&x.CreatedAt}); err != nil {
		return nil, err
	}
	return &x, nil
}

// Add inserts with the caller's CreatedAt (the store clock if unset), or
// merges into the existing entry in the same statement: NotBefore and
// ExpiresAt become the later of the two, and created_at the store clock,
// so a cache polling Since sees the change. x is set to the stored entry.
func (r *revocationRepo) Add(ctx context.Context, x *oauth.Revocation) error {
	s := (*Store)(r)
	n := *x
	now := s.now()
	if n.CreatedAt.IsZero() {
		n.CreatedAt = now
	}
	n.CreatedAt, n.NotBefore, n.ExpiresAt = norm(n.CreatedAt), norm(n.NotBefore), norm(n.ExpiresAt)
	var out *oauth.Revocation
	err := s.writeRow(ctx, func(sc scanner) error {
		var err error
		out, err = scanRevocation(sc)
		return err
	}, `INSERT INTO revocations (`+revocationCols+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, kind, rev_key) DO UPDATE SET
			not_before = CASE WHEN excluded.not_before > revocations.not_before
				THEN excluded.not_before ELSE revocations.not_before END,
			expires_at = CASE WHEN excluded.expires_at > revocations.expires_at
				THEN excluded.expires_at ELSE revocations.expires_at END,
			created_at = ?
		RETURNING `+revocationCols,
		n.TenantID, string(n.Kind), n.Key, s.ts(n.NotBefore), s.ts(n.ExpiresAt), s.ts(n.CreatedAt), s.ts(now))
	if err != nil {
		return err
	}
	*x = *out
	return nil
}

// Since reads every tenant's entries: the caches it feeds are process-wide.
// Entries with the same created_at come in (tenant, kind, key) order, so
// the order is total.
func (r *revocationRepo) Since(ctx context.Context, t time.Time) ([]oauth.Revocation, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+revocationCols+` FROM revocations WHERE created_at >= ?
		ORDER BY created_at, tenant_id, kind, rev_key`, s.ts(t))
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanRevocation)
	return out, s.c.mapErr(err)
}

func (r *revocationRepo) Get(ctx context.Context, tenantID string, kind oauth.RevocationKind, key string) (*oauth.Revocation, error) {
	s := (*Store)(r)
	x, err := scanRevocation(s.queryRow(ctx, `SELECT `+revocationCols+` FROM revocations
		WHERE tenant_id = ? AND kind = ? AND rev_key = ?`, tenantID, string(kind), key))
	return x, s.c.mapErr(err)
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *revocationRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM revocations WHERE expires_at < ?`, s.ts(before))
}

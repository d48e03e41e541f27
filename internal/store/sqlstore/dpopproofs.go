package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// dpopProofRepo keeps the hashes of used DPoP proofs (key thumbprint and
// jti), keyed by tenant and hash, as client_assertions does for client
// assertions.
type dpopProofRepo Store

// Use is one statement, like clientAssertionRepo.Use: of two racing uses
// of one proof exactly one inserts (or replaces an expired row).
func (r *dpopProofRepo) Use(ctx context.Context, tenantID string, key []byte, expiresAt, now time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `INSERT INTO dpop_proofs (tenant_id, key_hash, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, key_hash) DO UPDATE SET expires_at = excluded.expires_at
		WHERE dpop_proofs.expires_at <= ?`,
		tenantID, bytesOut(key), s.ts(expiresAt), s.ts(now))
	if err != nil {
		return s.c.mapErr(err)
	}
	if n == 0 {
		return store.ErrReused
	}
	return nil
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *dpopProofRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM dpop_proofs WHERE expires_at < ?`, s.ts(before))
}

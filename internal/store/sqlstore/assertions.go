package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// clientAssertionRepo keeps the jti hashes of used client assertions,
// keyed by tenant, client and hash; the client is a foreign key.
type clientAssertionRepo Store

// Use is one statement: the insert wins unless a use of the same jti is
// stored and unexpired, in which case nothing is written and no row
// counts, so of two racing uses exactly one succeeds on either engine.
func (r *clientAssertionRepo) Use(ctx context.Context, tenantID, clientID string, jtiHash []byte, expiresAt, now time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `INSERT INTO client_assertions (tenant_id, client_id, jti_hash, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, client_id, jti_hash) DO UPDATE SET expires_at = excluded.expires_at
		WHERE client_assertions.expires_at <= ?`,
		tenantID, clientID, bytesOut(jtiHash), s.ts(expiresAt), s.ts(now))
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrReused
	}
	return nil
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *clientAssertionRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM client_assertions WHERE expires_at < ?`, s.ts(before))
}

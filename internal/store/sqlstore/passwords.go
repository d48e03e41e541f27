package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// passwordRepo stores one password per user. The row's foreign key to
// users(tenant_id, id) both enforces "the user is in that tenant" on Set
// (a violation maps to ErrNotFound) and deletes it with the user.
type passwordRepo Store

func (r *passwordRepo) Set(ctx context.Context, tenantID, userID, hash string) error {
	s := (*Store)(r)
	_, err := s.exec(ctx, `INSERT INTO passwords (tenant_id, user_id, hash, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
		tenantID, userID, hash, s.ts(s.now()))
	return err
}

func (r *passwordRepo) Get(ctx context.Context, tenantID, userID string) (*identity.PasswordCredential, error) {
	s := (*Store)(r)
	var c identity.PasswordCredential
	err := s.queryRow(ctx, `SELECT tenant_id, user_id, hash, updated_at FROM passwords WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&c.TenantID, &c.UserID, &c.Hash, tsCol{&c.UpdatedAt})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return &c, nil
}

func (r *passwordRepo) Delete(ctx context.Context, tenantID, userID string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM passwords WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

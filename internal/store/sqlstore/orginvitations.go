package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// orgInvitationRepo stores invitations into organizations
// (org_invitations, migration 00025).
type orgInvitationRepo Store

func (s *Store) OrgInvitations() store.OrgInvitationRepo { return (*orgInvitationRepo)(s) }

const orgInvitationCols = `tenant_id, id, org_id, email, role_ids, token_hash, created_at, expires_at, accepted_at, accepted_by`

func scanOrgInvitation(sc scanner) (*store.OrgInvitation, error) {
	var inv store.OrgInvitation
	var roles []byte
	if err := sc.Scan(&inv.TenantID, &inv.ID, &inv.OrgID, &inv.Email, &roles, &inv.TokenHash,
		tsCol{&inv.CreatedAt}, tsCol{&inv.ExpiresAt}, nullTSCol{&inv.AcceptedAt}, &inv.AcceptedBy); err != nil {
		return nil, err
	}
	if err := decodeLists(listCol{&inv.RoleIDs, roles}); err != nil {
		return nil, err
	}
	return &inv, nil
}

func (r *orgInvitationRepo) Create(ctx context.Context, inv *store.OrgInvitation) error {
	s := (*Store)(r)
	n := *inv
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt = norm(n.ExpiresAt)
	// A missing organization fails the foreign key: ErrNotFound.
	if _, err := s.exec(ctx, `INSERT INTO org_invitations (`+orgInvitationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.OrgID, n.Email, jsonList(n.RoleIDs), n.TokenHash, s.ts(n.CreatedAt), s.ts(n.ExpiresAt),
		s.nullTS(n.AcceptedAt), n.AcceptedBy); err != nil {
		return err
	}
	*inv = n
	return nil
}

func (r *orgInvitationRepo) GetByHash(ctx context.Context, tenantID string, hash []byte) (*store.OrgInvitation, error) {
	s := (*Store)(r)
	inv, err := scanOrgInvitation(s.queryRow(ctx, `SELECT `+orgInvitationCols+` FROM org_invitations
		WHERE tenant_id = ? AND token_hash = ?`, tenantID, hash))
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return inv, nil
}

func (r *orgInvitationRepo) ListPending(ctx context.Context, tenantID, orgID string, now time.Time, p store.Page) ([]store.OrgInvitation, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+orgInvitationCols+` FROM org_invitations
		WHERE tenant_id = ? AND org_id = ? AND accepted_at IS NULL AND expires_at > ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, orgID, s.ts(now), p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanOrgInvitation)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(inv *store.OrgInvitation) string { return inv.ID })
	return items, next, nil
}

func (r *orgInvitationRepo) Delete(ctx context.Context, tenantID, orgID, id string) error {
	return (*Store)(r).deleteOne(ctx, `DELETE FROM org_invitations WHERE tenant_id = ? AND org_id = ? AND id = ?`, tenantID, orgID, id)
}

func (r *orgInvitationRepo) Accept(ctx context.Context, tenantID, id, userID string, now time.Time) (*store.OrgInvitation, error) {
	s := (*Store)(r)
	var out *store.OrgInvitation
	err := s.inTx(ctx, func(tx *Store) error {
		inv, err := scanOrgInvitation(tx.queryRow(ctx, `SELECT `+orgInvitationCols+` FROM org_invitations
			WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if inv.AcceptedAt != nil || !now.Before(inv.ExpiresAt) {
			return store.ErrNotFound
		}
		at := norm(now)
		n, err := tx.exec(ctx, `UPDATE org_invitations SET accepted_at = ?, accepted_by = ?
			WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL`, tx.ts(at), userID, tenantID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		// A missing user fails the foreign key: ErrNotFound.
		if _, err := tx.exec(ctx, `INSERT INTO organization_members (tenant_id, org_id, user_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, org_id, user_id) DO NOTHING`, tenantID, inv.OrgID, userID, tx.ts(at)); err != nil {
			return err
		}
		for _, role := range inv.RoleIDs {
			// Roles deleted since the invitation are skipped.
			if _, err := tx.exec(ctx, `INSERT INTO organization_member_roles (tenant_id, org_id, user_id, role_id)
				SELECT ?, ?, ?, id FROM roles WHERE tenant_id = ? AND id = ?
				ON CONFLICT (tenant_id, org_id, user_id, role_id) DO NOTHING`, tenantID, inv.OrgID, userID, tenantID, role); err != nil {
				return err
			}
		}
		inv.AcceptedAt, inv.AcceptedBy = &at, userID
		out = inv
		return nil
	})
	return out, err
}

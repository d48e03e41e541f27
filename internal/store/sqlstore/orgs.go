package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// orgRepo stores organizations, their members (organization_members) and
// the members' roles in them (organization_member_roles, whose key leads
// with the membership, so ending a membership ends its roles).
type orgRepo Store

func (s *Store) Organizations() store.OrganizationRepo { return (*orgRepo)(s) }

const orgCols = `tenant_id, id, name, display_name, logo_uri, primary_color, connections, domains, created_at, updated_at, version`

func scanOrg(sc scanner) (*store.Organization, error) {
	var o store.Organization
	var conns, domains []byte
	if err := sc.Scan(&o.TenantID, &o.ID, &o.Name, &o.DisplayName, &o.LogoURI, &o.PrimaryColor, &conns, &domains,
		tsCol{&o.CreatedAt}, tsCol{&o.UpdatedAt}, &o.Version); err != nil {
		return nil, err
	}
	if err := decodeLists(listCol{&o.Connections, conns}, listCol{&o.Domains, domains}); err != nil {
		return nil, err
	}
	return &o, nil
}

func (or *orgRepo) Create(ctx context.Context, o *store.Organization) error {
	s := (*Store)(or)
	n := *o
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	if _, err := s.exec(ctx, `INSERT INTO organizations (`+orgCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.Name, n.DisplayName, n.LogoURI, n.PrimaryColor, jsonList(n.Connections), jsonList(n.Domains),
		s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version); err != nil {
		return err
	}
	*o = n
	return nil
}

func (or *orgRepo) getBy(ctx context.Context, col, tenantID, v string) (*store.Organization, error) {
	s := (*Store)(or)
	o, err := scanOrg(s.queryRow(ctx, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = ? AND `+col+` = ?`, tenantID, v))
	return o, s.c.mapErr(err)
}

func (or *orgRepo) Get(ctx context.Context, tenantID, id string) (*store.Organization, error) {
	return or.getBy(ctx, "id", tenantID, id)
}

func (or *orgRepo) GetByName(ctx context.Context, tenantID, name string) (*store.Organization, error) {
	return or.getBy(ctx, "name", tenantID, name)
}

func (or *orgRepo) list(ctx context.Context, p store.Page, q string, args ...any) ([]store.Organization, string, error) {
	s := (*Store)(or)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanOrg)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(o *store.Organization) string { return o.ID })
	return items, next, nil
}

func (or *orgRepo) List(ctx context.Context, tenantID string, p store.Page) ([]store.Organization, string, error) {
	p = p.Norm()
	return or.list(ctx, p, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
}

func (or *orgRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*store.Organization) error) (*store.Organization, error) {
	s := (*Store)(or)
	var out *store.Organization
	err := s.inTx(ctx, func(tx *Store) error {
		o, err := scanOrg(tx.queryRow(ctx, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && o.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		created, version := o.CreatedAt, o.Version
		if err := fn(o); err != nil {
			return err
		}
		o.TenantID, o.ID, o.CreatedAt, o.Version, o.UpdatedAt = tenantID, id, created, version+1, tx.now()
		n, err := tx.exec(ctx, `UPDATE organizations SET name = ?, display_name = ?, logo_uri = ?, primary_color = ?,
			connections = ?, domains = ?, updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?`,
			o.Name, o.DisplayName, o.LogoURI, o.PrimaryColor, jsonList(o.Connections), jsonList(o.Domains),
			tx.ts(o.UpdatedAt), o.Version, tenantID, id, version)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		out = o
		return nil
	})
	return out, err
}

// deleteOne runs a DELETE that must remove a row: ErrNotFound otherwise.
func (s *Store) deleteOne(ctx context.Context, q string, args ...any) error {
	n, err := s.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (or *orgRepo) Delete(ctx context.Context, tenantID, id string) error {
	return (*Store)(or).deleteOne(ctx, `DELETE FROM organizations WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

func (or *orgRepo) AddMember(ctx context.Context, tenantID, orgID, userID string) (*store.Member, error) {
	s := (*Store)(or)
	m := &store.Member{TenantID: tenantID, OrgID: orgID, UserID: userID, CreatedAt: s.now()}
	// A missing organization or user fails a foreign key: ErrNotFound; a
	// member already: the primary key, ErrConflict.
	if _, err := s.exec(ctx, `INSERT INTO organization_members (tenant_id, org_id, user_id, created_at) VALUES (?, ?, ?, ?)`,
		tenantID, orgID, userID, s.ts(m.CreatedAt)); err != nil {
		return nil, err
	}
	return m, nil
}

const memberCols = `tenant_id, org_id, user_id, created_at`

func scanMember(sc scanner) (*store.Member, error) {
	var m store.Member
	return &m, sc.Scan(&m.TenantID, &m.OrgID, &m.UserID, tsCol{&m.CreatedAt})
}

func (or *orgRepo) GetMember(ctx context.Context, tenantID, orgID, userID string) (*store.Member, error) {
	s := (*Store)(or)
	m, err := scanMember(s.queryRow(ctx, `SELECT `+memberCols+` FROM organization_members
		WHERE tenant_id = ? AND org_id = ? AND user_id = ?`, tenantID, orgID, userID))
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return m, nil
}

func (or *orgRepo) RemoveMember(ctx context.Context, tenantID, orgID, userID string) error {
	return (*Store)(or).deleteOne(ctx, `DELETE FROM organization_members WHERE tenant_id = ? AND org_id = ? AND user_id = ?`,
		tenantID, orgID, userID)
}

func (or *orgRepo) ListMembers(ctx context.Context, tenantID, orgID string, p store.Page) ([]store.Member, string, error) {
	s := (*Store)(or)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+memberCols+` FROM organization_members
		WHERE tenant_id = ? AND org_id = ? AND user_id > ? ORDER BY user_id LIMIT ?`, tenantID, orgID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanMember)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(m *store.Member) string { return m.UserID })
	return items, next, nil
}

func (or *orgRepo) ListForUser(ctx context.Context, tenantID, userID string, p store.Page) ([]store.Organization, string, error) {
	p = p.Norm()
	return or.list(ctx, p, `SELECT o.tenant_id, o.id, o.name, o.display_name, o.logo_uri, o.primary_color, o.connections,
		o.domains, o.created_at, o.updated_at, o.version
		FROM organization_members m JOIN organizations o ON o.tenant_id = m.tenant_id AND o.id = m.org_id
		WHERE m.tenant_id = ? AND m.user_id = ? AND m.org_id > ? ORDER BY m.org_id LIMIT ?`,
		tenantID, userID, p.After, p.Limit+1)
}

func (or *orgRepo) AssignMemberRoles(ctx context.Context, tenantID, orgID, userID string, roleIDs []string) error {
	s := (*Store)(or)
	return s.inTx(ctx, func(tx *Store) error {
		// A non-member or a missing role fails a foreign key: ErrNotFound.
		for _, id := range roleIDs {
			if _, err := tx.exec(ctx, `INSERT INTO organization_member_roles (tenant_id, org_id, user_id, role_id) VALUES (?, ?, ?, ?)
				ON CONFLICT (tenant_id, org_id, user_id, role_id) DO NOTHING`, tenantID, orgID, userID, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func (or *orgRepo) UnassignMemberRole(ctx context.Context, tenantID, orgID, userID, roleID string) error {
	return (*Store)(or).deleteOne(ctx, `DELETE FROM organization_member_roles
		WHERE tenant_id = ? AND org_id = ? AND user_id = ? AND role_id = ?`, tenantID, orgID, userID, roleID)
}

func (or *orgRepo) ListMemberRoles(ctx context.Context, tenantID, orgID, userID string, p store.Page) ([]store.Role, string, error) {
	p = p.Norm()
	return (*roleRepo)(or).list(ctx, tenantID, p, `SELECT r.tenant_id, r.id, r.name, r.description, r.created_at, r.updated_at, r.version
		FROM organization_member_roles mr JOIN roles r ON r.tenant_id = mr.tenant_id AND r.id = mr.role_id
		WHERE mr.tenant_id = ? AND mr.org_id = ? AND mr.user_id = ? AND mr.role_id > ? ORDER BY mr.role_id LIMIT ?`,
		tenantID, orgID, userID, p.After, p.Limit+1)
}

// queryStrings runs a query of one text column and returns its values.
func (s *Store) queryStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*string, error) {
		var v string
		return &v, sc.Scan(&v)
	})
	return out, s.c.mapErr(err)
}

func (or *orgRepo) MemberPermissions(ctx context.Context, tenantID, orgID, userID, apiID string) ([]string, error) {
	// organization_member_roles' key (tenant, org, user, role) finds the
	// member's roles, role_permissions' key (tenant, role, api, scope)
	// their scopes.
	return (*Store)(or).queryStrings(ctx, `SELECT DISTINCT p.scope FROM organization_member_roles mr
		JOIN role_permissions p ON p.tenant_id = mr.tenant_id AND p.role_id = mr.role_id AND p.api_id = ?
		WHERE mr.tenant_id = ? AND mr.org_id = ? AND mr.user_id = ? ORDER BY p.scope`, apiID, tenantID, orgID, userID)
}

func (or *orgRepo) MemberRoleNames(ctx context.Context, tenantID, orgID, userID string) ([]string, error) {
	return (*Store)(or).queryStrings(ctx, `SELECT r.name FROM organization_member_roles mr
		JOIN roles r ON r.tenant_id = mr.tenant_id AND r.id = mr.role_id
		WHERE mr.tenant_id = ? AND mr.org_id = ? AND mr.user_id = ? ORDER BY r.name`, tenantID, orgID, userID)
}

package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// roleRepo stores roles, their permissions (role_permissions, which
// reference the API's scope row, so a scope cannot vanish under a role)
// and users' roles (user_roles).
type roleRepo Store

const roleCols = `tenant_id, id, name, description, created_at, updated_at, version`

func scanRole(sc scanner) (*store.Role, error) {
	var r store.Role
	if err := sc.Scan(&r.TenantID, &r.ID, &r.Name, &r.Description, tsCol{&r.CreatedAt}, tsCol{&r.UpdatedAt}, &r.Version); err != nil {
		return nil, err
	}
	return &r, nil
}

// loadPermissions fills the permissions of the roles (all of one tenant).
func (s *Store) loadPermissions(ctx context.Context, tenantID string, roles []store.Role) error {
	for i := range roles {
		rows, err := s.query(ctx, `SELECT a.identifier, p.scope FROM role_permissions p
			JOIN apis a ON a.tenant_id = p.tenant_id AND a.id = p.api_id
			WHERE p.tenant_id = ? AND p.role_id = ? ORDER BY a.identifier, p.scope`, tenantID, roles[i].ID)
		if err != nil {
			return err
		}
		perms, err := scanAll(rows, func(sc scanner) (*store.Permission, error) {
			var p store.Permission
			return &p, sc.Scan(&p.API, &p.Scope)
		})
		if err != nil {
			return s.c.mapErr(err)
		}
		if perms == nil {
			perms = []store.Permission{}
		}
		roles[i].Permissions = perms
	}
	return nil
}

// setPermissions replaces the role's permissions, resolving each API by
// its identifier; an unknown API or scope is a *ScopeError.
func (s *Store) setPermissions(ctx context.Context, r *store.Role) error {
	if _, err := s.exec(ctx, `DELETE FROM role_permissions WHERE tenant_id = ? AND role_id = ?`, r.TenantID, r.ID); err != nil {
		return err
	}
	apis := map[string]*store.API{}
	seen := map[store.Permission]bool{}
	var kept []store.Permission
	for i, p := range r.Permissions {
		a, ok := apis[p.API]
		if !ok {
			var err error
			a, err = (*apiRepo)(s).GetByIdentifier(ctx, r.TenantID, p.API)
			if errors.Is(err, store.ErrNotFound) {
				return &store.ScopeError{Index: i, API: p.API}
			}
			if err != nil {
				return err
			}
			apis[p.API] = a
		}
		if !a.HasScope(p.Scope) {
			return &store.ScopeError{Index: i, API: p.API, Scope: p.Scope}
		}
		if seen[p] {
			continue
		}
		seen[p] = true
		kept = append(kept, p)
		if _, err := s.exec(ctx, `INSERT INTO role_permissions (tenant_id, role_id, api_id, scope) VALUES (?, ?, ?, ?)`,
			r.TenantID, r.ID, a.ID, p.Scope); err != nil {
			return err
		}
	}
	slices.SortFunc(kept, func(x, y store.Permission) int {
		if c := strings.Compare(x.API, y.API); c != 0 {
			return c
		}
		return strings.Compare(x.Scope, y.Scope)
	})
	if kept == nil {
		kept = []store.Permission{}
	}
	r.Permissions = kept
	return nil
}

func (rr *roleRepo) Create(ctx context.Context, r *store.Role) error {
	s := (*Store)(rr)
	n := *r
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `INSERT INTO roles (`+roleCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			n.TenantID, n.ID, n.Name, n.Description, tx.ts(n.CreatedAt), tx.ts(n.UpdatedAt), n.Version); err != nil {
			return err
		}
		return tx.setPermissions(ctx, &n)
	})
	if err != nil {
		return err
	}
	*r = n
	return nil
}

func (rr *roleRepo) Get(ctx context.Context, tenantID, id string) (*store.Role, error) {
	s := (*Store)(rr)
	r, err := scanRole(s.queryRow(ctx, `SELECT `+roleCols+` FROM roles WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	l := []store.Role{*r}
	if err := s.loadPermissions(ctx, tenantID, l); err != nil {
		return nil, err
	}
	return &l[0], nil
}

func (rr *roleRepo) list(ctx context.Context, tenantID string, p store.Page, q string, args ...any) ([]store.Role, string, error) {
	s := (*Store)(rr)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanRole)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(r *store.Role) string { return r.ID })
	if err := s.loadPermissions(ctx, tenantID, items); err != nil {
		return nil, "", err
	}
	return items, next, nil
}

func (rr *roleRepo) List(ctx context.Context, tenantID string, p store.Page) ([]store.Role, string, error) {
	p = p.Norm()
	return rr.list(ctx, tenantID, p, `SELECT `+roleCols+` FROM roles WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
}

func (rr *roleRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*store.Role) error) (*store.Role, error) {
	s := (*Store)(rr)
	var out *store.Role
	err := s.inTx(ctx, func(tx *Store) error {
		r, err := scanRole(tx.queryRow(ctx, `SELECT `+roleCols+` FROM roles WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && r.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		l := []store.Role{*r}
		if err := tx.loadPermissions(ctx, tenantID, l); err != nil {
			return err
		}
		r = &l[0]
		created, version := r.CreatedAt, r.Version
		if err := fn(r); err != nil {
			return err
		}
		r.TenantID, r.ID, r.CreatedAt, r.Version, r.UpdatedAt = tenantID, id, created, version+1, tx.now()
		n, err := tx.exec(ctx, `UPDATE roles SET name = ?, description = ?, updated_at = ?, version = ?
			WHERE tenant_id = ? AND id = ? AND version = ?`, r.Name, r.Description, tx.ts(r.UpdatedAt), r.Version, tenantID, id, version)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		if err := tx.setPermissions(ctx, r); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

func (rr *roleRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(rr).exec(ctx, `DELETE FROM roles WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (rr *roleRepo) Assign(ctx context.Context, tenantID, userID string, roleIDs []string) error {
	s := (*Store)(rr)
	return s.inTx(ctx, func(tx *Store) error {
		// A missing user or role fails the foreign key: ErrNotFound.
		for _, id := range roleIDs {
			if _, err := tx.exec(ctx, `INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES (?, ?, ?)
				ON CONFLICT (tenant_id, user_id, role_id) DO NOTHING`, tenantID, userID, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func (rr *roleRepo) Unassign(ctx context.Context, tenantID, userID, roleID string) error {
	n, err := (*Store)(rr).exec(ctx, `DELETE FROM user_roles WHERE tenant_id = ? AND user_id = ? AND role_id = ?`,
		tenantID, userID, roleID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (rr *roleRepo) ListForUser(ctx context.Context, tenantID, userID string, p store.Page) ([]store.Role, string, error) {
	p = p.Norm()
	return rr.list(ctx, tenantID, p, `SELECT r.tenant_id, r.id, r.name, r.description, r.created_at, r.updated_at, r.version
		FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
		WHERE ur.tenant_id = ? AND ur.user_id = ? AND ur.role_id > ? ORDER BY ur.role_id LIMIT ?`,
		tenantID, userID, p.After, p.Limit+1)
}

func (rr *roleRepo) Permissions(ctx context.Context, tenantID, userID, apiID string) ([]string, error) {
	// user_roles' key (tenant, user, role) finds the user's roles, and
	// role_permissions' key (tenant, role, api, scope) their scopes.
	return (*Store)(rr).queryStrings(ctx, `SELECT DISTINCT p.scope FROM user_roles ur
		JOIN role_permissions p ON p.tenant_id = ur.tenant_id AND p.role_id = ur.role_id AND p.api_id = ?
		WHERE ur.tenant_id = ? AND ur.user_id = ? ORDER BY p.scope`, apiID, tenantID, userID)
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// apiRepo stores APIs (their scopes in api_scopes, one row each, so that
// role permissions can reference them) and clients' grants (a JSON list:
// nothing references a granted scope, and the token endpoint intersects
// the grant with the API's scopes anyway).
type apiRepo Store

const apiCols = `tenant_id, id, identifier, name, access_token_lifetime, token_format, rbac, permissions_in_token,
	created_at, updated_at, version, authorization_details_types`

func scanAPI(sc scanner) (*store.API, error) {
	var a store.API
	var types []byte
	if err := sc.Scan(&a.TenantID, &a.ID, &a.Identifier, &a.Name, &a.AccessTokenLifetime, &a.TokenFormat, &a.RBAC,
		&a.PermissionsInToken, tsCol{&a.CreatedAt}, tsCol{&a.UpdatedAt}, &a.Version, &types); err != nil {
		return nil, err
	}
	var err error
	a.AuthorizationDetailsTypes, err = decodeDetailTypes(types)
	return &a, err
}

// encodeDetailTypes stores an API's RFC 9396 types as one JSON list:
// nothing references them, and the protocol reads them all at once.
func encodeDetailTypes(l []store.AuthorizationDetailsType) (string, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(l)
	return string(b), err
}

func decodeDetailTypes(b []byte) ([]store.AuthorizationDetailsType, error) {
	out := []store.AuthorizationDetailsType{}
	if len(b) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("store: decode authorization details types: %w", err)
	}
	return out, nil
}

// loadScopes fills the scopes of the APIs (all of one tenant).
func (s *Store) loadScopes(ctx context.Context, tenantID string, apis []store.API) error {
	for i := range apis {
		rows, err := s.query(ctx, `SELECT value, description FROM api_scopes WHERE tenant_id = ? AND api_id = ? ORDER BY position`,
			tenantID, apis[i].ID)
		if err != nil {
			return err
		}
		apis[i].Scopes = []store.APIScope{}
		for rows.Next() {
			var sc store.APIScope
			if err := rows.Scan(&sc.Value, &sc.Description); err != nil {
				rows.Close()
				return s.c.mapErr(err)
			}
			apis[i].Scopes = append(apis[i].Scopes, sc)
		}
		if err := rows.Close(); err != nil {
			return s.c.mapErr(err)
		}
		if err := rows.Err(); err != nil {
			return s.c.mapErr(err)
		}
	}
	return nil
}

func (r *apiRepo) Create(ctx context.Context, a *store.API) error {
	s := (*Store)(r)
	n := *a
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	types, err := encodeDetailTypes(n.AuthorizationDetailsTypes)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `INSERT INTO apis (`+apiCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.TenantID, n.ID, n.Identifier, n.Name, n.AccessTokenLifetime, n.TokenFormat, n.RBAC, n.PermissionsInToken,
			tx.ts(n.CreatedAt), tx.ts(n.UpdatedAt), n.Version, types); err != nil {
			return err
		}
		return tx.insertScopes(ctx, &n)
	})
	if err != nil {
		return err
	}
	if n.Scopes == nil {
		n.Scopes = []store.APIScope{}
	}
	if n.AuthorizationDetailsTypes == nil {
		n.AuthorizationDetailsTypes = []store.AuthorizationDetailsType{}
	}
	*a = n
	return nil
}

func (s *Store) insertScopes(ctx context.Context, a *store.API) error {
	for i, sc := range a.Scopes {
		if _, err := s.exec(ctx, `INSERT INTO api_scopes (tenant_id, api_id, value, description, position) VALUES (?, ?, ?, ?, ?)`,
			a.TenantID, a.ID, sc.Value, sc.Description, i); err != nil {
			return err
		}
	}
	return nil
}

func (r *apiRepo) get(ctx context.Context, where string, args ...any) (*store.API, error) {
	s := (*Store)(r)
	a, err := scanAPI(s.queryRow(ctx, `SELECT `+apiCols+` FROM apis WHERE `+where, args...))
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	l := []store.API{*a}
	if err := s.loadScopes(ctx, a.TenantID, l); err != nil {
		return nil, err
	}
	return &l[0], nil
}

func (r *apiRepo) Get(ctx context.Context, tenantID, id string) (*store.API, error) {
	return r.get(ctx, `tenant_id = ? AND id = ?`, tenantID, id)
}

func (r *apiRepo) GetByIdentifier(ctx context.Context, tenantID, identifier string) (*store.API, error) {
	return r.get(ctx, `tenant_id = ? AND identifier = ?`, tenantID, identifier)
}

func (r *apiRepo) List(ctx context.Context, tenantID string, p store.Page) ([]store.API, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+apiCols+` FROM apis WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanAPI)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(a *store.API) string { return a.ID })
	if err := s.loadScopes(ctx, tenantID, items); err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// rolesUsing returns the roles with a permission on the API, limited to
// the given scopes unless scopes is nil.
func (s *Store) rolesUsing(ctx context.Context, tenantID, apiID string, scopes []string) ([]store.RoleRef, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT r.id, r.name, p.scope FROM role_permissions p
		JOIN roles r ON r.tenant_id = p.tenant_id AND r.id = p.role_id
		WHERE p.tenant_id = ? AND p.api_id = ? ORDER BY r.id`, tenantID, apiID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.RoleRef
	for rows.Next() {
		var ref store.RoleRef
		var scope string
		if err := rows.Scan(&ref.ID, &ref.Name, &scope); err != nil {
			return nil, s.c.mapErr(err)
		}
		if scopes != nil && !slices.Contains(scopes, scope) {
			continue
		}
		if len(out) == 0 || out[len(out)-1].ID != ref.ID {
			out = append(out, ref)
		}
	}
	return out, s.c.mapErr(rows.Err())
}

func (r *apiRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*store.API) error) (*store.API, error) {
	s := (*Store)(r)
	var out *store.API
	err := s.inTx(ctx, func(tx *Store) error {
		a, err := scanAPI(tx.queryRow(ctx, `SELECT `+apiCols+` FROM apis WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && a.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		l := []store.API{*a}
		if err := tx.loadScopes(ctx, tenantID, l); err != nil {
			return err
		}
		a = &l[0]
		old := a.Scopes
		identifier, created, version := a.Identifier, a.CreatedAt, a.Version
		if err := fn(a); err != nil {
			return err
		}
		a.TenantID, a.ID, a.Identifier, a.CreatedAt, a.Version, a.UpdatedAt = tenantID, id, identifier, created, version+1, tx.now()
		var removed []string
		for _, o := range old {
			if !a.HasScope(o.Value) {
				removed = append(removed, o.Value)
			}
		}
		if len(removed) > 0 {
			users, err := tx.rolesUsing(ctx, tenantID, id, removed)
			if err != nil {
				return err
			}
			if len(users) > 0 {
				return &store.InUseError{Roles: users}
			}
		}
		// Scopes are replaced row by row: kept ones are updated in place,
		// so the role permissions that reference them stay.
		for _, v := range removed {
			if _, err := tx.exec(ctx, `DELETE FROM api_scopes WHERE tenant_id = ? AND api_id = ? AND value = ?`, tenantID, id, v); err != nil {
				return err
			}
		}
		for i, sc := range a.Scopes {
			if _, err := tx.exec(ctx, `INSERT INTO api_scopes (tenant_id, api_id, value, description, position) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (tenant_id, api_id, value) DO UPDATE SET description = excluded.description, position = excluded.position`,
				tenantID, id, sc.Value, sc.Description, i); err != nil {
				return err
			}
		}
		types, err := encodeDetailTypes(a.AuthorizationDetailsTypes)
		if err != nil {
			return err
		}
		n, err := tx.exec(ctx, `UPDATE apis SET name = ?, access_token_lifetime = ?, token_format = ?, rbac = ?,
			permissions_in_token = ?, updated_at = ?, version = ?, authorization_details_types = ? WHERE tenant_id = ? AND id = ? AND version = ?`,
			a.Name, a.AccessTokenLifetime, a.TokenFormat, a.RBAC, a.PermissionsInToken, tx.ts(a.UpdatedAt), a.Version, types,
			tenantID, id, version)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		if a.Scopes == nil {
			a.Scopes = []store.APIScope{}
		}
		if a.AuthorizationDetailsTypes == nil {
			a.AuthorizationDetailsTypes = []store.AuthorizationDetailsType{}
		}
		out = a
		return nil
	})
	return out, err
}

func (r *apiRepo) Delete(ctx context.Context, tenantID, id string, cascade bool) error {
	s := (*Store)(r)
	return s.inTx(ctx, func(tx *Store) error {
		if !cascade {
			users, err := tx.rolesUsing(ctx, tenantID, id, nil)
			if err != nil {
				return err
			}
			if len(users) > 0 {
				return &store.InUseError{Roles: users}
			}
		}
		// The scopes, grants and role permissions go by ON DELETE CASCADE.
		n, err := tx.exec(ctx, `DELETE FROM apis WHERE tenant_id = ? AND id = ?`, tenantID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

func (r *apiRepo) SetClientGrant(ctx context.Context, tenantID, clientID, apiID string, scopes []string) (*store.ClientGrant, error) {
	s := (*Store)(r)
	var out *store.ClientGrant
	err := s.inTx(ctx, func(tx *Store) error {
		a, err := (*apiRepo)(tx).Get(ctx, tenantID, apiID)
		if err != nil {
			return err
		}
		var uniq []string
		for i, v := range scopes {
			if !a.HasScope(v) {
				return &store.ScopeError{Index: i, API: a.Identifier, Scope: v}
			}
			if !slices.Contains(uniq, v) {
				uniq = append(uniq, v)
			}
		}
		if uniq == nil {
			uniq = []string{}
		}
		// An unknown client fails the foreign key: ErrNotFound.
		if _, err := tx.exec(ctx, `INSERT INTO client_api_grants (tenant_id, client_id, api_id, scopes) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, client_id, api_id) DO UPDATE SET scopes = excluded.scopes`,
			tenantID, clientID, apiID, jsonList(uniq)); err != nil {
			return err
		}
		out = &store.ClientGrant{TenantID: tenantID, ClientID: clientID, APIID: apiID, Identifier: a.Identifier, Scopes: uniq}
		return nil
	})
	return out, err
}

func (r *apiRepo) DeleteClientGrant(ctx context.Context, tenantID, clientID, apiID string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM client_api_grants WHERE tenant_id = ? AND client_id = ? AND api_id = ?`,
		tenantID, clientID, apiID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *apiRepo) ListClientGrants(ctx context.Context, tenantID, clientID string, p store.Page) ([]store.ClientGrant, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT g.api_id, a.identifier, g.scopes FROM client_api_grants g
		JOIN apis a ON a.tenant_id = g.tenant_id AND a.id = g.api_id
		WHERE g.tenant_id = ? AND g.client_id = ? AND g.api_id > ? ORDER BY g.api_id LIMIT ?`,
		tenantID, clientID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, func(sc scanner) (*store.ClientGrant, error) {
		g := store.ClientGrant{TenantID: tenantID, ClientID: clientID}
		var scopes []byte
		if err := sc.Scan(&g.APIID, &g.Identifier, &scopes); err != nil {
			return nil, err
		}
		var err error
		g.Scopes, err = decodeList(scopes)
		return &g, err
	})
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(g *store.ClientGrant) string { return g.APIID })
	return items, next, nil
}

func (r *apiRepo) ClientAccess(ctx context.Context, tenantID, clientID, identifier string) (*store.API, []string, error) {
	s := (*Store)(r)
	// One row per scope the API defines (one with a NULL value if none).
	rows, err := s.query(ctx, `SELECT a.tenant_id, a.id, a.identifier, a.name, a.access_token_lifetime, a.token_format, a.rbac,
		a.permissions_in_token, a.created_at, a.updated_at, a.version, g.scopes, sc.value
		FROM apis a
		LEFT JOIN client_api_grants g ON g.tenant_id = a.tenant_id AND g.api_id = a.id AND g.client_id = ?
		LEFT JOIN api_scopes sc ON sc.tenant_id = a.tenant_id AND sc.api_id = a.id
		WHERE a.tenant_id = ? AND a.identifier = ? ORDER BY sc.position`, clientID, tenantID, identifier)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var a *store.API
	var grant []byte
	for rows.Next() {
		var x store.API
		var value sql.NullString
		if err := rows.Scan(&x.TenantID, &x.ID, &x.Identifier, &x.Name, &x.AccessTokenLifetime, &x.TokenFormat, &x.RBAC,
			&x.PermissionsInToken, tsCol{&x.CreatedAt}, tsCol{&x.UpdatedAt}, &x.Version, &grant, &value); err != nil {
			return nil, nil, s.c.mapErr(err)
		}
		if a == nil {
			x.Scopes = []store.APIScope{}
			a = &x
		}
		if value.Valid {
			a.Scopes = append(a.Scopes, store.APIScope{Value: value.String})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, s.c.mapErr(err)
	}
	if a == nil {
		return nil, nil, store.ErrNotFound
	}
	if grant == nil {
		return a, nil, nil
	}
	scopes, err := decodeList(grant)
	return a, scopes, err
}

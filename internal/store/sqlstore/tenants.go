package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// tenantRepo: tenants are control-plane rows, keyed by ID alone.
type tenantRepo Store

const tenantCols = `id, slug, display_name, region, attribute_schema, branding, onboarding, mfa_policy, retention, dcr, residency, default_api, created_at, updated_at, version`

func scanTenant(sc scanner) (*identity.Tenant, error) {
	var t identity.Tenant
	var schema, branding, onboarding, mfaPolicy, retention, dcr, residency []byte
	if err := sc.Scan(&t.ID, &t.Slug, &t.DisplayName, &t.Region, &schema, &branding, &onboarding, &mfaPolicy, &retention, &dcr, &residency, &t.DefaultAPI,
		tsCol{&t.CreatedAt}, tsCol{&t.UpdatedAt}, &t.Version); err != nil {
		return nil, err
	}
	t.AttributeSchema = rawOut(schema)
	if len(branding) > 0 {
		if err := json.Unmarshal(branding, &t.Branding); err != nil {
			return nil, err
		}
	}
	if len(onboarding) > 0 {
		if err := json.Unmarshal(onboarding, &t.Onboarding); err != nil {
			return nil, err
		}
	}
	if len(mfaPolicy) > 0 {
		if err := json.Unmarshal(mfaPolicy, &t.MFA); err != nil {
			return nil, err
		}
	}
	if len(retention) > 0 {
		if err := json.Unmarshal(retention, &t.Retention); err != nil {
			return nil, err
		}
	}
	if len(dcr) > 0 {
		if err := json.Unmarshal(dcr, &t.DCR); err != nil {
			return nil, err
		}
	}
	if len(residency) > 0 {
		if err := json.Unmarshal(residency, &t.Residency); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

// tenantJSON encodes the JSON columns of t: branding, onboarding, MFA
// policy, retention, dynamic client registration, residency.
func tenantJSON(t *identity.Tenant) (cols [6]string, err error) {
	for i, v := range []any{t.Branding, t.Onboarding, t.MFA, t.Retention, t.DCR, t.Residency} {
		b, err := json.Marshal(v)
		if err != nil {
			return cols, err
		}
		cols[i] = string(b)
	}
	return cols, nil
}

func (r *tenantRepo) Create(ctx context.Context, t *identity.Tenant) error {
	s := (*Store)(r)
	n := *t
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	js, err := tenantJSON(&n)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO tenants (`+tenantCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.Slug, n.DisplayName, n.Region, rawJSON(n.AttributeSchema), js[0], js[1], js[2], js[3], js[4], js[5], n.DefaultAPI,
		s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version)
	if err != nil {
		return err
	}
	*t = n
	return nil
}

func (r *tenantRepo) Get(ctx context.Context, id string) (*identity.Tenant, error) {
	s := (*Store)(r)
	t, err := scanTenant(s.queryRow(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id = ?`, id))
	return t, s.c.mapErr(err)
}

func (r *tenantRepo) GetBySlug(ctx context.Context, slug string) (*identity.Tenant, error) {
	s := (*Store)(r)
	t, err := scanTenant(s.queryRow(ctx, `SELECT `+tenantCols+` FROM tenants WHERE slug = ?`, slug))
	return t, s.c.mapErr(err)
}

func (r *tenantRepo) List(ctx context.Context, p store.Page) ([]identity.Tenant, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id > ? ORDER BY id LIMIT ?`, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []identity.Tenant
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, "", s.c.mapErr(err)
		}
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(t *identity.Tenant) string { return t.ID })
	return items, next, nil
}

func (r *tenantRepo) Update(ctx context.Context, id string, ifVersion int64, fn func(*identity.Tenant) error) (*identity.Tenant, error) {
	s := (*Store)(r)
	var out *identity.Tenant
	err := s.inTx(ctx, func(tx *Store) error {
		t, err := scanTenant(tx.queryRow(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id = ?`+tx.c.d.ForUpdate, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && t.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		created, version := t.CreatedAt, t.Version
		if err := fn(t); err != nil {
			return err
		}
		// Identity and bookkeeping fields are the store's, whatever fn did.
		t.ID, t.CreatedAt, t.Version, t.UpdatedAt = id, created, version+1, tx.now()
		js, err := tenantJSON(t)
		if err != nil {
			return err
		}
		n, err := tx.exec(ctx, `UPDATE tenants SET slug = ?, display_name = ?, region = ?, attribute_schema = ?,
			branding = ?, onboarding = ?, mfa_policy = ?, retention = ?, dcr = ?, residency = ?, default_api = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?`,
			t.Slug, t.DisplayName, t.Region, rawJSON(t.AttributeSchema), js[0], js[1], js[2], js[3], js[4], js[5], t.DefaultAPI,
			tx.ts(t.UpdatedAt), t.Version, id, version)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		out = t
		return nil
	})
	return out, err
}

// Delete removes the tenant; foreign keys cascade to its users, passwords,
// clients, API keys and OAuth state (sessions, tokens, keys, revocations,
// ...). Idempotency records carry a tenant ID but no foreign
// key (a claim may precede the tenant it creates), so they go explicitly.
func (r *tenantRepo) Delete(ctx context.Context, id string) error {
	return (*Store)(r).inTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM idempotency_records WHERE tenant_id = ?`, id); err != nil {
			return err
		}
		n, err := tx.exec(ctx, `DELETE FROM tenants WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

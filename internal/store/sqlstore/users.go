package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// userRepo stores users. Email and username keep what the user typed for
// display; email_norm and username_norm hold strings.ToLower of them and
// carry the per-tenant unique indexes and every lookup. Lowercasing in Go,
// not with SQL lower(), makes both engines agree on non-ASCII letters.
type userRepo Store

const userCols = `id, tenant_id, email, email_verified, username, phone, phone_verified,
	profile, attributes, disabled, locked_until, terms_version, terms_accepted_at, created_at, updated_at, version`

func fold(s string) string { return strings.ToLower(s) }

func scanUser(sc scanner) (*identity.User, error) {
	var u identity.User
	var profile, attrs []byte
	if err := sc.Scan(&u.ID, &u.TenantID, &u.Email, &u.EmailVerified, &u.Username, &u.Phone, &u.PhoneVerified,
		&profile, &attrs, &u.Disabled, nullTSCol{&u.LockedUntil}, &u.TermsVersion, nullTSCol{&u.TermsAcceptedAt},
		tsCol{&u.CreatedAt}, tsCol{&u.UpdatedAt}, &u.Version); err != nil {
		return nil, err
	}
	if len(profile) > 0 {
		if err := json.Unmarshal(profile, &u.Profile); err != nil {
			return nil, fmt.Errorf("store: decode profile of user %s: %w", u.ID, err)
		}
	}
	var err error
	if u.Attributes, err = decodeObject(attrs); err != nil {
		return nil, err
	}
	return &u, nil
}

// userJSON encodes the JSON columns of u.
func userJSON(u *identity.User) (profile, attrs string, err error) {
	p, err := json.Marshal(&u.Profile)
	if err != nil {
		return "", "", fmt.Errorf("store: encode profile: %w", err)
	}
	a, err := jsonObject(u.Attributes)
	return string(p), a, err
}

func (r *userRepo) Create(ctx context.Context, tenantID string, u *identity.User) error {
	s := (*Store)(r)
	n := *u
	n.TenantID = tenantID
	n.LockedUntil = normPtr(n.LockedUntil)
	n.TermsAcceptedAt = normPtr(n.TermsAcceptedAt)
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	profile, attrs, err := userJSON(&n)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO users (tenant_id, id, email, email_norm, email_verified,
		username, username_norm, phone, phone_verified, profile, attributes, disabled, locked_until,
		terms_version, terms_accepted_at,
		created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tenantID, n.ID, n.Email, fold(n.Email), n.EmailVerified, n.Username, fold(n.Username),
		n.Phone, n.PhoneVerified, profile, attrs, n.Disabled, s.nullTS(n.LockedUntil),
		n.TermsVersion, s.nullTS(n.TermsAcceptedAt),
		s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version)
	if err != nil {
		return err
	}
	*u = n
	return nil
}

// The unique indexes on email_norm and username_norm are partial (WHERE
// ... <> ”). A lookup repeats that predicate: neither planner can prove it
// from "= ?" alone, and without it SQLite scans the table and PostgreSQL's
// generic plan for the cached statement would too.
const (
	userByID       = `SELECT ` + userCols + ` FROM users WHERE tenant_id = ? AND id = ?`
	userByEmail    = `SELECT ` + userCols + ` FROM users WHERE tenant_id = ? AND email_norm = ? AND email_norm <> ''`
	userByUsername = `SELECT ` + userCols + ` FROM users WHERE tenant_id = ? AND username_norm = ? AND username_norm <> ''`
)

func (r *userRepo) get(ctx context.Context, q, tenantID, arg string) (*identity.User, error) {
	s := (*Store)(r)
	u, err := scanUser(s.queryRow(ctx, q, tenantID, arg))
	return u, s.c.mapErr(err)
}

func (r *userRepo) Get(ctx context.Context, tenantID, id string) (*identity.User, error) {
	return r.get(ctx, userByID, tenantID, id)
}

func (r *userRepo) GetByEmail(ctx context.Context, tenantID, email string) (*identity.User, error) {
	return r.get(ctx, userByEmail, tenantID, fold(email))
}

func (r *userRepo) GetByUsername(ctx context.Context, tenantID, username string) (*identity.User, error) {
	return r.get(ctx, userByUsername, tenantID, fold(username))
}

// List builds its WHERE clause from fixed fragments; every value, the
// attribute key included, is a bound argument.
func (r *userRepo) List(ctx context.Context, tenantID string, f store.UserFilter, p store.Page) ([]identity.User, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	var q strings.Builder
	q.WriteString(`SELECT ` + userCols + ` FROM users WHERE tenant_id = ?`)
	args := []any{tenantID}
	if f.Email != "" {
		q.WriteString(` AND email_norm = ? AND email_norm <> ''`)
		args = append(args, fold(f.Email))
	}
	if f.Username != "" {
		q.WriteString(` AND username_norm = ? AND username_norm <> ''`)
		args = append(args, fold(f.Username))
	}
	if f.Query != "" {
		frag, a, err := s.c.d.UserSearch(ctx, s.query, tenantID, fold(f.Query))
		if err != nil {
			return nil, "", err
		}
		q.WriteString(` AND ` + frag)
		args = append(args, a...)
		if s.c.d.PlanWithValues != nil {
			args = append([]any{s.c.d.PlanWithValues}, args...)
		}
	}
	// AttrKey switches the attribute filter on; AttrValue may be "" (the
	// attribute is the empty string).
	if f.AttrKey != "" {
		if err := validAttrKey(f.AttrKey); err != nil {
			return nil, "", err
		}
		frag, a := s.c.d.AttrEquals(f.AttrKey, f.AttrValue)
		q.WriteString(` AND ` + frag)
		args = append(args, a...)
	}
	if p.After != "" {
		q.WriteString(` AND id > ?`)
		args = append(args, p.After)
	}
	q.WriteString(` ORDER BY id LIMIT ?`)
	args = append(args, p.Limit+1)

	rows, err := s.query(ctx, q.String(), args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []identity.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, "", s.c.mapErr(err)
		}
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(u *identity.User) string { return u.ID })
	return items, next, nil
}

func (r *userRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*identity.User) error) (*identity.User, error) {
	s := (*Store)(r)
	var out *identity.User
	err := s.inTx(ctx, func(tx *Store) error {
		u, err := scanUser(tx.queryRow(ctx, userByID+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && u.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		created, version := u.CreatedAt, u.Version
		if err := fn(u); err != nil {
			return err
		}
		u.ID, u.TenantID, u.CreatedAt, u.Version, u.UpdatedAt = id, tenantID, created, version+1, tx.now()
		u.LockedUntil = normPtr(u.LockedUntil)
		u.TermsAcceptedAt = normPtr(u.TermsAcceptedAt)
		profile, attrs, err := userJSON(u)
		if err != nil {
			return err
		}
		n, err := tx.exec(ctx, `UPDATE users SET email = ?, email_norm = ?, email_verified = ?,
			username = ?, username_norm = ?, phone = ?, phone_verified = ?, profile = ?, attributes = ?,
			disabled = ?, locked_until = ?, terms_version = ?, terms_accepted_at = ?, updated_at = ?, version = ?
			WHERE tenant_id = ? AND id = ? AND version = ?`,
			u.Email, fold(u.Email), u.EmailVerified, u.Username, fold(u.Username), u.Phone, u.PhoneVerified,
			profile, attrs, u.Disabled, tx.nullTS(u.LockedUntil), u.TermsVersion, tx.nullTS(u.TermsAcceptedAt), tx.ts(u.UpdatedAt), u.Version,
			tenantID, id, version)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		out = u
		return nil
	})
	return out, err
}

// Delete removes the user; the password row goes with it (ON DELETE CASCADE).
func (r *userRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM users WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

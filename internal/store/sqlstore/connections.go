package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// connectionRepo stores federation connections and federated identities.
type connectionRepo Store

var _ store.ConnectionRepo = (*connectionRepo)(nil)

// Connections returns the repository of connections.
func (s *Store) Connections() store.ConnectionRepo { return (*connectionRepo)(s) }

const connectionCols = `tenant_id, id, type, display_name, enabled, show_on_login, domains, provisioning, link_by_email,
	attribute_mapping, config, secrets_sealed, created_at, updated_at, version`

func scanConnection(sc scanner) (*store.Connection, error) {
	var c store.Connection
	var domains, mapping, config []byte
	if err := sc.Scan(&c.TenantID, &c.ID, &c.Type, &c.DisplayName, &c.Enabled, &c.ShowOnLogin, &domains, &c.Provisioning,
		&c.LinkByEmail, &mapping, &config, &c.SecretsSealed, tsCol{&c.CreatedAt}, tsCol{&c.UpdatedAt}, &c.Version); err != nil {
		return nil, err
	}
	var err error
	if c.Domains, err = decodeList(domains); err != nil {
		return nil, err
	}
	if c.AttributeMapping, err = decodeMap[string](mapping); err != nil {
		return nil, err
	}
	if len(config) > 0 && string(config) != "{}" {
		c.Config = json.RawMessage(config)
	}
	c.SecretsSealed = bytesOut(c.SecretsSealed)
	return &c, nil
}

// connectionArgs are the columns after (tenant_id, id) in connectionCols
// order, up to secrets_sealed.
func connectionArgs(c *store.Connection) ([]any, error) {
	mapping, err := jsonMap(c.AttributeMapping)
	if err != nil {
		return nil, err
	}
	config := "{}"
	if len(c.Config) > 0 {
		if !json.Valid(c.Config) {
			return nil, errors.New("store: connection config is not JSON")
		}
		config = string(c.Config)
	}
	var sealed any
	if len(c.SecretsSealed) > 0 {
		sealed = c.SecretsSealed
	}
	return []any{c.Type, c.DisplayName, c.Enabled, c.ShowOnLogin, jsonList(c.Domains), c.Provisioning, c.LinkByEmail,
		mapping, config, sealed}, nil
}

func (r *connectionRepo) Create(ctx context.Context, c *store.Connection) error {
	s := (*Store)(r)
	if c.TenantID == "" || c.ID == "" || c.Type == "" {
		return errors.New("store: a connection needs a tenant, an ID and a type")
	}
	n := *c
	if n.Provisioning == "" {
		n.Provisioning = "jit"
	}
	if n.LinkByEmail == "" {
		n.LinkByEmail = "never"
	}
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	args, err := connectionArgs(&n)
	if err != nil {
		return err
	}
	all := append([]any{n.TenantID, n.ID}, args...)
	all = append(all, s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version)
	if _, err := s.exec(ctx, `INSERT INTO connections (`+connectionCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, all...); err != nil {
		return err
	}
	*c = n
	return nil
}

func (r *connectionRepo) Get(ctx context.Context, tenantID, id string) (*store.Connection, error) {
	s := (*Store)(r)
	c, err := scanConnection(s.queryRow(ctx, `SELECT `+connectionCols+` FROM connections WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return c, s.c.mapErr(err)
}

func (r *connectionRepo) List(ctx context.Context, tenantID string, p store.Page) ([]store.Connection, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+connectionCols+` FROM connections WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanConnection)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(c *store.Connection) string { return c.ID })
	return items, next, nil
}

func (r *connectionRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*store.Connection) error) (*store.Connection, error) {
	s := (*Store)(r)
	var out *store.Connection
	err := s.inTx(ctx, func(tx *Store) error {
		c, err := scanConnection(tx.queryRow(ctx, `SELECT `+connectionCols+` FROM connections WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate,
			tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && c.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		typ, created, version := c.Type, c.CreatedAt, c.Version
		if err := fn(c); err != nil {
			return err
		}
		c.TenantID, c.ID, c.Type, c.CreatedAt, c.Version, c.UpdatedAt = tenantID, id, typ, created, version+1, tx.now()
		args, err := connectionArgs(c)
		if err != nil {
			return err
		}
		args = append(args[1:], tx.ts(c.UpdatedAt), c.Version, tenantID, id)
		if _, err := tx.exec(ctx, `UPDATE connections SET display_name = ?, enabled = ?, show_on_login = ?, domains = ?,
			provisioning = ?, link_by_email = ?, attribute_mapping = ?, config = ?, secrets_sealed = ?, updated_at = ?,
			version = ? WHERE tenant_id = ? AND id = ?`, args...); err != nil {
			return err
		}
		out = c
		return tx.notifyConnection(ctx, tenantID, id)
	})
	return out, err
}

func (r *connectionRepo) Delete(ctx context.Context, tenantID, id string) error {
	s := (*Store)(r)
	return s.inTx(ctx, func(tx *Store) error {
		// Not left to ON DELETE CASCADE alone: SQLite enforces foreign
		// keys only when the connection asks for it.
		if _, err := tx.exec(ctx, `DELETE FROM federated_identities WHERE tenant_id = ? AND connection_id = ?`, tenantID, id); err != nil {
			return err
		}
		n, err := tx.exec(ctx, `DELETE FROM connections WHERE tenant_id = ? AND id = ?`, tenantID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		return tx.notifyConnection(ctx, tenantID, id)
	})
}

// notifyConnection tells the other nodes (Dialect.Notify) that the
// connection changed, so that they drop the connector they built from
// it (internal/cluster's ConnectionChanged; no migration adds a trigger
// for it).
func (s *Store) notifyConnection(ctx context.Context, tenantID, id string) error {
	if s.c.d.Notify == "" {
		return nil
	}
	doc, err := json.Marshal(map[string]string{"k": "connection", "t": tenantID, "id": id})
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, s.c.d.Notify, string(doc))
	return err
}

const identityCols = `tenant_id, connection_id, subject, user_id, email, linked_at, last_used_at`

func scanIdentity(sc scanner) (*store.FederatedIdentity, error) {
	var fi store.FederatedIdentity
	if err := sc.Scan(&fi.TenantID, &fi.ConnectionID, &fi.Subject, &fi.UserID, &fi.Email, tsCol{&fi.LinkedAt},
		nullTSCol{&fi.LastUsedAt}); err != nil {
		return nil, err
	}
	return &fi, nil
}

func (r *connectionRepo) Link(ctx context.Context, fi *store.FederatedIdentity) error {
	s := (*Store)(r)
	if fi.TenantID == "" || fi.ConnectionID == "" || fi.Subject == "" || fi.UserID == "" {
		return errors.New("store: an identity needs a tenant, a connection, a subject and a user")
	}
	n := *fi
	if n.LinkedAt.IsZero() {
		n.LinkedAt = s.now()
	}
	n.LinkedAt = norm(n.LinkedAt)
	return s.inTx(ctx, func(tx *Store) error {
		// The foreign keys say the same; checking first gives ErrNotFound
		// on every engine and keeps other tenants' rows out of reach.
		var one int
		if err := tx.queryRow(ctx, `SELECT 1 FROM connections WHERE tenant_id = ? AND id = ?`, n.TenantID, n.ConnectionID).Scan(&one); err != nil {
			return tx.c.mapErr(err)
		}
		if err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE tenant_id = ? AND id = ?`, n.TenantID, n.UserID).Scan(&one); err != nil {
			return tx.c.mapErr(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO federated_identities (`+identityCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			n.TenantID, n.ConnectionID, n.Subject, n.UserID, n.Email, tx.ts(n.LinkedAt), tx.nullTS(n.LastUsedAt)); err != nil {
			return err
		}
		*fi = n
		return nil
	})
}

func (r *connectionRepo) IdentityBySubject(ctx context.Context, tenantID, connectionID, subject string) (*store.FederatedIdentity, error) {
	s := (*Store)(r)
	fi, err := scanIdentity(s.queryRow(ctx, `SELECT `+identityCols+` FROM federated_identities
		WHERE tenant_id = ? AND connection_id = ? AND subject = ?`, tenantID, connectionID, subject))
	return fi, s.c.mapErr(err)
}

func (r *connectionRepo) Identities(ctx context.Context, tenantID, userID string) ([]store.FederatedIdentity, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+identityCols+` FROM federated_identities WHERE tenant_id = ? AND user_id = ?
		ORDER BY connection_id`, tenantID, userID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanIdentity)
	return out, s.c.mapErr(err)
}

func (r *connectionRepo) Used(ctx context.Context, tenantID, connectionID, subject, email string, at time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE federated_identities SET last_used_at = ?, email = ?
		WHERE tenant_id = ? AND connection_id = ? AND subject = ?`, s.ts(at), email, tenantID, connectionID, subject)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *connectionRepo) Unlink(ctx context.Context, tenantID, userID, connectionID string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM federated_identities WHERE tenant_id = ? AND user_id = ? AND connection_id = ?`,
		tenantID, userID, connectionID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// ConsumeAssertion is one statement, as clientAssertionRepo.Use: the
// insert wins unless an unexpired record of the same ID is stored, in
// which case no row counts, so of two racing nodes exactly one accepts
// the assertion on either engine. The connection is a foreign key.
func (r *connectionRepo) ConsumeAssertion(ctx context.Context, tenantID, connectionID string, idHash []byte, expiresAt, now time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `INSERT INTO saml_assertions (tenant_id, connection_id, id_hash, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, connection_id, id_hash) DO UPDATE SET expires_at = excluded.expires_at
		WHERE saml_assertions.expires_at <= ?`,
		tenantID, connectionID, bytesOut(idHash), s.ts(expiresAt), s.ts(now))
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrReused
	}
	return nil
}

// DeleteExpiredAssertions is a maintenance sweep across all tenants.
func (r *connectionRepo) DeleteExpiredAssertions(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM saml_assertions WHERE expires_at < ?`, s.ts(before))
}

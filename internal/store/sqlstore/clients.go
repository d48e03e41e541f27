package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// clientRepo stores OAuth clients; the client_id is unique per tenant. List
// fields are JSON arrays and Metadata a JSON object: nothing queries into
// them, and new metadata keys need no migration.
type clientRepo Store

const clientCols = `tenant_id, id, secret_hash, secret_expires_at, client_name, redirect_uris,
	post_logout_redirect_uris, grant_types, response_types, token_endpoint_auth_method, scope,
	client_uri, logo_uri, policy_uri, tos_uri, contacts, jwks_uri, jwks, id_token_signed_response_alg,
	application_type, metadata, registered_by, registration_token_hash, created_at, updated_at, version, ` + clientLogoutCols

// clientLogoutCols are the logout channels' columns (migration 00029).
const clientLogoutCols = `backchannel_logout_uri, backchannel_logout_session_required,
	frontchannel_logout_uri, frontchannel_logout_session_required`

func scanClient(sc scanner) (*oauth.Client, error) {
	var c oauth.Client
	var redirect, postLogout, grants, responses, contacts, jwks, meta []byte
	if err := sc.Scan(&c.TenantID, &c.ID, &c.SecretHash, nullTSCol{&c.SecretExpiresAt}, &c.ClientName, &redirect,
		&postLogout, &grants, &responses, &c.TokenEndpointAuthMethod, &c.Scope,
		&c.ClientURI, &c.LogoURI, &c.PolicyURI, &c.TosURI, &contacts, &c.JWKSURI, &jwks, &c.IDTokenSignedResponseAlg,
		&c.ApplicationType, &meta, &c.RegisteredBy, &c.RegistrationTokenHash, tsCol{&c.CreatedAt}, tsCol{&c.UpdatedAt}, &c.Version,
		&c.BackchannelLogoutURI, &c.BackchannelLogoutSessionRequired,
		&c.FrontchannelLogoutURI, &c.FrontchannelLogoutSessionRequired); err != nil {
		return nil, err
	}
	c.SecretHash = bytesOut(c.SecretHash)
	c.RegistrationTokenHash = bytesOut(c.RegistrationTokenHash)
	c.JWKS = rawOut(jwks)
	var err error
	for _, l := range []struct {
		dst *[]string
		src []byte
	}{{&c.RedirectURIs, redirect}, {&c.PostLogoutRedirectURIs, postLogout}, {&c.GrantTypes, grants},
		{&c.ResponseTypes, responses}, {&c.Contacts, contacts}} {
		if *l.dst, err = decodeList(l.src); err != nil {
			return nil, err
		}
	}
	if c.Metadata, err = decodeObject(meta); err != nil {
		return nil, err
	}
	return &c, nil
}

// clientArgs returns the values of the mutable columns, in clientCols order
// from secret_hash to registration_token_hash.
func (s *Store) clientArgs(c *oauth.Client) ([]any, error) {
	meta, err := jsonObject(c.Metadata)
	if err != nil {
		return nil, err
	}
	return []any{bytesOut(c.SecretHash), s.nullTS(c.SecretExpiresAt), c.ClientName, jsonList(c.RedirectURIs),
		jsonList(c.PostLogoutRedirectURIs), jsonList(c.GrantTypes), jsonList(c.ResponseTypes),
		c.TokenEndpointAuthMethod, c.Scope, c.ClientURI, c.LogoURI, c.PolicyURI, c.TosURI,
		jsonList(c.Contacts), c.JWKSURI, rawJSON(c.JWKS), c.IDTokenSignedResponseAlg,
		c.ApplicationType, meta, c.RegisteredBy, bytesOut(c.RegistrationTokenHash)}, nil
}

// logoutArgs are the values of clientLogoutCols.
func logoutArgs(c *oauth.Client) []any {
	return []any{c.BackchannelLogoutURI, c.BackchannelLogoutSessionRequired,
		c.FrontchannelLogoutURI, c.FrontchannelLogoutSessionRequired}
}

func (r *clientRepo) Create(ctx context.Context, tenantID string, c *oauth.Client) error {
	s := (*Store)(r)
	n := *c
	n.TenantID = tenantID
	n.SecretExpiresAt = normPtr(n.SecretExpiresAt)
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	args, err := s.clientArgs(&n)
	if err != nil {
		return err
	}
	args = append([]any{tenantID, n.ID}, args...)
	args = append(args, s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version)
	args = append(args, logoutArgs(&n)...)
	if _, err := s.exec(ctx, `INSERT INTO clients (`+clientCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
		return err
	}
	*c = n
	return nil
}

func (r *clientRepo) Get(ctx context.Context, tenantID, clientID string) (*oauth.Client, error) {
	s := (*Store)(r)
	c, err := scanClient(s.queryRow(ctx, `SELECT `+clientCols+` FROM clients WHERE tenant_id = ? AND id = ?`, tenantID, clientID))
	return c, s.c.mapErr(err)
}

func (r *clientRepo) List(ctx context.Context, tenantID string, p store.Page) ([]oauth.Client, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+clientCols+` FROM clients WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []oauth.Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, "", s.c.mapErr(err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(c *oauth.Client) string { return c.ID })
	return items, next, nil
}

func (r *clientRepo) Update(ctx context.Context, tenantID, clientID string, ifVersion int64, fn func(*oauth.Client) error) (*oauth.Client, error) {
	s := (*Store)(r)
	var out *oauth.Client
	err := s.inTx(ctx, func(tx *Store) error {
		c, err := scanClient(tx.queryRow(ctx, `SELECT `+clientCols+` FROM clients WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate,
			tenantID, clientID))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && c.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		created, version := c.CreatedAt, c.Version
		if err := fn(c); err != nil {
			return err
		}
		c.TenantID, c.ID, c.CreatedAt, c.Version, c.UpdatedAt = tenantID, clientID, created, version+1, tx.now()
		c.SecretExpiresAt = normPtr(c.SecretExpiresAt)
		args, err := tx.clientArgs(c)
		if err != nil {
			return err
		}
		args = append(args, tx.ts(c.UpdatedAt), c.Version)
		args = append(args, logoutArgs(c)...)
		args = append(args, tenantID, clientID, version)
		n, err := tx.exec(ctx, `UPDATE clients SET secret_hash = ?, secret_expires_at = ?, client_name = ?,
			redirect_uris = ?, post_logout_redirect_uris = ?, grant_types = ?, response_types = ?,
			token_endpoint_auth_method = ?, scope = ?, client_uri = ?, logo_uri = ?, policy_uri = ?, tos_uri = ?,
			contacts = ?, jwks_uri = ?, jwks = ?, id_token_signed_response_alg = ?, application_type = ?,
			metadata = ?, registered_by = ?, registration_token_hash = ?, updated_at = ?, version = ?,
			backchannel_logout_uri = ?, backchannel_logout_session_required = ?, frontchannel_logout_uri = ?,
			frontchannel_logout_session_required = ?
			WHERE tenant_id = ? AND id = ? AND version = ?`, args...)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrVersionMismatch
		}
		out = c
		return nil
	})
	return out, err
}

func (r *clientRepo) Delete(ctx context.Context, tenantID, clientID string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM clients WHERE tenant_id = ? AND id = ?`, tenantID, clientID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

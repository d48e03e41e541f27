package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The SAML identity provider's repositories (store/saml.go).
type (
	samlSPRepo        Store
	samlRequestIDRepo Store
	samlCertRepo      Store
)

var (
	_ store.SAMLServiceProviderRepo = (*samlSPRepo)(nil)
	_ store.SAMLRequestIDRepo       = (*samlRequestIDRepo)(nil)
	_ store.SAMLCertRepo            = (*samlCertRepo)(nil)
)

func (s *Store) SAMLServiceProviders() store.SAMLServiceProviderRepo { return (*samlSPRepo)(s) }
func (s *Store) SAMLRequestIDs() store.SAMLRequestIDRepo             { return (*samlRequestIDRepo)(s) }
func (s *Store) SAMLCerts() store.SAMLCertRepo                       { return (*samlCertRepo)(s) }

const samlSPCols = `tenant_id, id, name, entity_id, acs_urls, slo_url, soap_slo_url, metadata_url, signing_certs, encryption_cert,
	name_id_format, attributes, sign_response, sign_assertion, encrypt_assertion, require_signed_requests,
	allow_idp_initiated, session_lifetime, created_at, updated_at, version`

func scanSAMLSP(sc scanner) (*store.SAMLServiceProvider, error) {
	var sp store.SAMLServiceProvider
	var acs, certs, attrs []byte
	var lifetime int64
	if err := sc.Scan(&sp.TenantID, &sp.ID, &sp.Name, &sp.EntityID, &acs, &sp.SLOURL, &sp.SOAPSLOURL, &sp.MetadataURL, &certs,
		&sp.EncryptionCert, &sp.NameIDFormat, &attrs, &sp.SignResponse, &sp.SignAssertion, &sp.EncryptAssertion,
		&sp.RequireSignedRequests, &sp.AllowIdPInitiated, &lifetime, tsCol{&sp.CreatedAt}, tsCol{&sp.UpdatedAt},
		&sp.Version); err != nil {
		return nil, err
	}
	sp.SessionLifetime = time.Duration(lifetime) * time.Second
	if err := decodeLists(listCol{&sp.ACSURLs, acs}, listCol{&sp.SigningCerts, certs}); err != nil {
		return nil, err
	}
	var err error
	sp.Attributes, err = decodeMap[string](attrs)
	return &sp, err
}

// samlSPArgs are the columns after tenant_id and id, in samlSPCols order,
// up to session_lifetime.
func samlSPArgs(sp *store.SAMLServiceProvider) ([]any, error) {
	attrs, err := jsonMap(sp.Attributes)
	if err != nil {
		return nil, err
	}
	return []any{sp.Name, sp.EntityID, jsonList(sp.ACSURLs), sp.SLOURL, sp.SOAPSLOURL, sp.MetadataURL, jsonList(sp.SigningCerts),
		sp.EncryptionCert, sp.NameIDFormat, attrs, sp.SignResponse, sp.SignAssertion, sp.EncryptAssertion,
		sp.RequireSignedRequests, sp.AllowIdPInitiated, int64(sp.SessionLifetime / time.Second)}, nil
}

func (r *samlSPRepo) Create(ctx context.Context, sp *store.SAMLServiceProvider) error {
	s := (*Store)(r)
	if sp.TenantID == "" || sp.EntityID == "" {
		return errors.New("store: a SAML service provider needs a tenant and an entity ID")
	}
	n := *sp
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.UpdatedAt, &n.Version); err != nil {
		return err
	}
	args, err := samlSPArgs(&n)
	if err != nil {
		return err
	}
	args = append(append([]any{n.TenantID, n.ID}, args...), s.ts(n.CreatedAt), s.ts(n.UpdatedAt), n.Version)
	if _, err := s.exec(ctx, `INSERT INTO saml_service_providers (`+samlSPCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
		return err
	}
	*sp = n
	return nil
}

func (r *samlSPRepo) Get(ctx context.Context, tenantID, id string) (*store.SAMLServiceProvider, error) {
	s := (*Store)(r)
	sp, err := scanSAMLSP(s.queryRow(ctx, `SELECT `+samlSPCols+` FROM saml_service_providers WHERE tenant_id = ? AND id = ?`,
		tenantID, id))
	return sp, s.c.mapErr(err)
}

func (r *samlSPRepo) GetByEntityID(ctx context.Context, tenantID, entityID string) (*store.SAMLServiceProvider, error) {
	s := (*Store)(r)
	sp, err := scanSAMLSP(s.queryRow(ctx, `SELECT `+samlSPCols+` FROM saml_service_providers
		WHERE tenant_id = ? AND entity_id = ?`, tenantID, entityID))
	return sp, s.c.mapErr(err)
}

func (r *samlSPRepo) List(ctx context.Context, tenantID string, p store.Page) ([]store.SAMLServiceProvider, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+samlSPCols+` FROM saml_service_providers WHERE tenant_id = ? AND id > ?
		ORDER BY id LIMIT ?`, tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanSAMLSP)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(sp *store.SAMLServiceProvider) string { return sp.ID })
	return items, next, nil
}

func (r *samlSPRepo) Update(ctx context.Context, tenantID, id string, ifVersion int64,
	fn func(*store.SAMLServiceProvider) error) (*store.SAMLServiceProvider, error) {
	s := (*Store)(r)
	var out *store.SAMLServiceProvider
	err := s.inTx(ctx, func(tx *Store) error {
		sp, err := scanSAMLSP(tx.queryRow(ctx, `SELECT `+samlSPCols+` FROM saml_service_providers
			WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		if ifVersion > 0 && sp.Version != ifVersion {
			return store.ErrVersionMismatch
		}
		created, version := sp.CreatedAt, sp.Version
		if err := fn(sp); err != nil {
			return err
		}
		sp.TenantID, sp.ID, sp.CreatedAt, sp.Version, sp.UpdatedAt = tenantID, id, created, version+1, tx.now()
		args, err := samlSPArgs(sp)
		if err != nil {
			return err
		}
		args = append(args, tx.ts(sp.UpdatedAt), sp.Version, tenantID, id)
		if _, err := tx.exec(ctx, `UPDATE saml_service_providers SET name = ?, entity_id = ?, acs_urls = ?, slo_url = ?, soap_slo_url = ?,
			metadata_url = ?, signing_certs = ?, encryption_cert = ?, name_id_format = ?, attributes = ?,
			sign_response = ?, sign_assertion = ?, encrypt_assertion = ?, require_signed_requests = ?,
			allow_idp_initiated = ?, session_lifetime = ?, updated_at = ?, version = ?
			WHERE tenant_id = ? AND id = ?`, args...); err != nil {
			return err
		}
		out = sp
		return nil
	})
	return out, err
}

func (r *samlSPRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM saml_service_providers WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// Use is one statement, as clientAssertionRepo.Use: of two racing uses of
// one request ID exactly one inserts or replaces an expired row.
func (r *samlRequestIDRepo) Use(ctx context.Context, tenantID, spID string, idHash []byte, expiresAt, now time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `INSERT INTO saml_request_ids (tenant_id, sp_id, id_hash, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, sp_id, id_hash) DO UPDATE SET expires_at = excluded.expires_at
		WHERE saml_request_ids.expires_at <= ?`,
		tenantID, spID, bytesOut(idHash), s.ts(expiresAt), s.ts(now))
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrReused
	}
	return nil
}

func (r *samlRequestIDRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM saml_request_ids WHERE expires_at < ?`, s.ts(before))
}

const samlCertCols = `tenant_id, id, private, cert_der, created_at, activated_at, retired_at`

func scanSAMLCert(sc scanner) (*store.SAMLCert, error) {
	var c store.SAMLCert
	if err := sc.Scan(&c.TenantID, &c.ID, &c.Private, &c.CertDER, tsCol{&c.CreatedAt}, nullTSCol{&c.ActivatedAt},
		nullTSCol{&c.RetiredAt}); err != nil {
		return nil, err
	}
	c.Private, c.CertDER = bytesOut(c.Private), bytesOut(c.CertDER)
	return &c, nil
}

func (r *samlCertRepo) Create(ctx context.Context, c *store.SAMLCert) error {
	s := (*Store)(r)
	if c.TenantID == "" || len(c.Private) == 0 || len(c.CertDER) == 0 {
		return errors.New("store: a SAML certificate needs a tenant, a sealed key and a certificate")
	}
	n := *c
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ActivatedAt, n.RetiredAt = normPtr(n.ActivatedAt), normPtr(n.RetiredAt)
	if _, err := s.exec(ctx, `INSERT INTO saml_certs (`+samlCertCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.Private, n.CertDER, s.ts(n.CreatedAt), s.nullTS(n.ActivatedAt), s.nullTS(n.RetiredAt)); err != nil {
		return err
	}
	*c = n
	return nil
}

func (r *samlCertRepo) List(ctx context.Context, tenantID string) ([]store.SAMLCert, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+samlCertCols+` FROM saml_certs WHERE tenant_id = ? AND retired_at IS NULL
		ORDER BY created_at DESC, id DESC`, tenantID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanSAMLCert)
	return out, s.c.mapErr(err)
}

func (r *samlCertRepo) set(ctx context.Context, col, tenantID, id string, at time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE saml_certs SET `+col+` = COALESCE(`+col+`, ?) WHERE tenant_id = ? AND id = ?`,
		s.ts(at), tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *samlCertRepo) Activate(ctx context.Context, tenantID, id string, at time.Time) error {
	return r.set(ctx, "activated_at", tenantID, id, at)
}

func (r *samlCertRepo) Retire(ctx context.Context, tenantID, id string, at time.Time) error {
	return r.set(ctx, "retired_at", tenantID, id, at)
}

// Locked takes the same lock as signingKeyRepo.Locked.
func (r *samlCertRepo) Locked(ctx context.Context, tenantID string, fn func(store.SAMLCertRepo) error) error {
	s := (*Store)(r)
	return s.inTx(ctx, func(tx *Store) error {
		if s.c.d.KeyLock != "" {
			if _, err := tx.exec(ctx, s.c.d.KeyLock, tenantID); err != nil {
				return err
			}
		}
		return fn(tx.SAMLCerts())
	})
}

// The sessions' SAML participants (store.SAMLSessionRepo).
type samlSessionRepo Store

var _ store.SAMLSessionRepo = (*samlSessionRepo)(nil)

func (s *Store) SAMLSessions() store.SAMLSessionRepo { return (*samlSessionRepo)(s) }

const samlSessionCols = `tenant_id, session_id, sp_id, name_id, name_id_format, session_index, created_at`

func scanSAMLSession(sc scanner) (*store.SAMLSession, error) {
	var p store.SAMLSession
	err := sc.Scan(&p.TenantID, &p.SessionID, &p.SPID, &p.NameID, &p.NameIDFormat, &p.SessionIndex, tsCol{&p.CreatedAt})
	return &p, err
}

func (r *samlSessionRepo) Record(ctx context.Context, p *store.SAMLSession) error {
	s := (*Store)(r)
	if p.TenantID == "" || p.SessionID == "" || p.SPID == "" || p.NameID == "" || p.SessionIndex == "" {
		return errors.New("store: a SAML session needs a tenant, a session, an SP, a NameID and a SessionIndex")
	}
	n := *p
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now()
	}
	n.CreatedAt = norm(n.CreatedAt)
	if _, err := s.exec(ctx, `INSERT INTO saml_sessions (`+samlSessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, session_id, sp_id) DO UPDATE SET name_id = excluded.name_id,
		name_id_format = excluded.name_id_format, session_index = excluded.session_index, created_at = excluded.created_at`,
		n.TenantID, n.SessionID, n.SPID, n.NameID, n.NameIDFormat, n.SessionIndex, s.ts(n.CreatedAt)); err != nil {
		return err
	}
	*p = n
	return nil
}

func (r *samlSessionRepo) list(ctx context.Context, q string, args ...any) ([]store.SAMLSession, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+samlSessionCols+` FROM saml_sessions WHERE `+q, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanSAMLSession)
	return out, s.c.mapErr(err)
}

func (r *samlSessionRepo) ListBySession(ctx context.Context, tenantID, sessionID string) ([]store.SAMLSession, error) {
	return r.list(ctx, `tenant_id = ? AND session_id = ? ORDER BY sp_id`, tenantID, sessionID)
}

// maxSAMLSessionMatches bounds what one LogoutRequest can name.
const maxSAMLSessionMatches = 100

func (r *samlSessionRepo) FindBySP(ctx context.Context, tenantID, spID, nameID string, sessionIndexes []string) ([]store.SAMLSession, error) {
	if len(sessionIndexes) == 0 {
		return r.list(ctx, `tenant_id = ? AND sp_id = ? AND name_id = ? ORDER BY session_id LIMIT ?`,
			tenantID, spID, nameID, maxSAMLSessionMatches)
	}
	var out []store.SAMLSession
	seen := map[string]bool{}
	for _, idx := range sessionIndexes {
		if seen[idx] || len(out) >= maxSAMLSessionMatches {
			continue
		}
		seen[idx] = true
		got, err := r.list(ctx, `tenant_id = ? AND sp_id = ? AND session_index = ? AND name_id = ? ORDER BY session_id LIMIT ?`,
			tenantID, spID, idx, nameID, maxSAMLSessionMatches)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	if len(out) > maxSAMLSessionMatches {
		out = out[:maxSAMLSessionMatches]
	}
	return out, nil
}

func (r *samlSessionRepo) DeleteBySession(ctx context.Context, tenantID, sessionID string) error {
	_, err := (*Store)(r).exec(ctx, `DELETE FROM saml_sessions WHERE tenant_id = ? AND session_id = ?`, tenantID, sessionID)
	return err
}

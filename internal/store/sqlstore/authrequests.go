package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// authRequestRepo stores authorization requests. The client is a foreign
// key (deleting the client deletes its requests); the user is one once
// set, so deleting a user drops their in-flight requests. The code hash
// has a per-tenant unique index that GetByCode uses.
type authRequestRepo Store

const authRequestCols = `tenant_id, id, client_id, redirect_uri, state, nonce, scopes, response_type,
	response_mode, code_challenge, code_challenge_method, prompt, max_age_ns, login_hint, ui_locales,
	acr_values, user_id, session_id, auth_time, amr, acr, done, code_hash, code_used_at,
	issued_access_jti, issued_family_id, created_at, expires_at, resource, org_id, dpop_jkt, authorization_details`

func scanAuthRequest(sc scanner) (*oauth.AuthRequest, error) {
	var r oauth.AuthRequest
	var scopes, prompt, locales, acrValues, amr []byte
	if err := sc.Scan(&r.TenantID, &r.ID, &r.ClientID, &r.RedirectURI, &r.State, &r.Nonce, &scopes, &r.ResponseType,
		&r.ResponseMode, &r.CodeChallenge, &r.CodeChallengeMethod, &prompt, nullDurationCol{&r.MaxAge}, &r.LoginHint, &locales,
		&acrValues, nullStrCol{&r.UserID}, &r.SessionID, optTSCol{&r.AuthTime}, &amr, &r.ACR, &r.Done, &r.CodeHash,
		nullTSCol{&r.CodeUsedAt}, &r.IssuedAccessJTI, &r.IssuedFamilyID, tsCol{&r.CreatedAt}, tsCol{&r.ExpiresAt}, &r.Resource, &r.OrgID, &r.DPoPJKT,
		&r.AuthorizationDetails); err != nil {
		return nil, err
	}
	r.CodeHash = bytesOut(r.CodeHash)
	err := decodeLists(listCol{&r.Scopes, scopes}, listCol{&r.Prompt, prompt}, listCol{&r.UILocales, locales},
		listCol{&r.ACRValues, acrValues}, listCol{&r.AMR, amr})
	return &r, err
}

// normAuthRequest puts r's times in the precision the columns keep.
func normAuthRequest(r *oauth.AuthRequest) {
	r.AuthTime, r.CodeUsedAt = normOpt(r.AuthTime), normPtr(r.CodeUsedAt)
	r.CreatedAt, r.ExpiresAt = norm(r.CreatedAt), norm(r.ExpiresAt)
}

// authRequestArgs returns the values of the mutable columns, in
// authRequestCols order from client_id to expires_at, created_at excluded,
// then resource, org_id, dpop_jkt and authorization_details.
func (s *Store) authRequestArgs(r *oauth.AuthRequest) []any {
	return []any{r.ClientID, r.RedirectURI, r.State, r.Nonce, jsonList(r.Scopes), r.ResponseType,
		r.ResponseMode, r.CodeChallenge, r.CodeChallengeMethod, jsonList(r.Prompt), nullDuration(r.MaxAge), r.LoginHint,
		jsonList(r.UILocales), jsonList(r.ACRValues), nullStr(r.UserID), r.SessionID, s.optTS(r.AuthTime), jsonList(r.AMR),
		r.ACR, r.Done, bytesOut(r.CodeHash), s.nullTS(r.CodeUsedAt), r.IssuedAccessJTI, r.IssuedFamilyID, s.ts(r.ExpiresAt), r.Resource, r.OrgID, r.DPoPJKT,
		r.AuthorizationDetails}
}

func (r *authRequestRepo) Create(ctx context.Context, a *oauth.AuthRequest) error {
	s := (*Store)(r)
	n := *a
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	normAuthRequest(&n)
	args := append([]any{n.TenantID, n.ID}, s.authRequestArgs(&n)...)
	args = append(args, s.ts(n.CreatedAt))
	if _, err := s.exec(ctx, `INSERT INTO auth_requests (tenant_id, id, client_id, redirect_uri, state, nonce, scopes,
		response_type, response_mode, code_challenge, code_challenge_method, prompt, max_age_ns, login_hint, ui_locales,
		acr_values, user_id, session_id, auth_time, amr, acr, done, code_hash, code_used_at,
		issued_access_jti, issued_family_id, expires_at, resource, org_id, dpop_jkt, authorization_details, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
		return err
	}
	*a = n
	return nil
}

const (
	authRequestByID   = `SELECT ` + authRequestCols + ` FROM auth_requests WHERE tenant_id = ? AND id = ?`
	authRequestByCode = `SELECT ` + authRequestCols + ` FROM auth_requests WHERE tenant_id = ? AND code_hash = ?`
)

func (r *authRequestRepo) Get(ctx context.Context, tenantID, id string) (*oauth.AuthRequest, error) {
	s := (*Store)(r)
	a, err := scanAuthRequest(s.queryRow(ctx, authRequestByID, tenantID, id))
	return a, s.c.mapErr(err)
}

// GetByCode never matches an empty hash: it binds as NULL, which equals nothing.
func (r *authRequestRepo) GetByCode(ctx context.Context, tenantID string, codeHash []byte) (*oauth.AuthRequest, error) {
	s := (*Store)(r)
	a, err := scanAuthRequest(s.queryRow(ctx, authRequestByCode, tenantID, bytesOut(codeHash)))
	return a, s.c.mapErr(err)
}

func (r *authRequestRepo) Update(ctx context.Context, tenantID, id string, fn func(*oauth.AuthRequest) error) (*oauth.AuthRequest, error) {
	s := (*Store)(r)
	var out *oauth.AuthRequest
	err := s.inTx(ctx, func(tx *Store) error {
		a, err := scanAuthRequest(tx.queryRow(ctx, authRequestByID+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		created := a.CreatedAt
		if err := fn(a); err != nil {
			return err
		}
		a.TenantID, a.ID, a.CreatedAt = tenantID, id, created
		normAuthRequest(a)
		args := append(tx.authRequestArgs(a), tenantID, id)
		n, err := tx.exec(ctx, `UPDATE auth_requests SET client_id = ?, redirect_uri = ?, state = ?, nonce = ?,
			scopes = ?, response_type = ?, response_mode = ?, code_challenge = ?, code_challenge_method = ?,
			prompt = ?, max_age_ns = ?, login_hint = ?, ui_locales = ?, acr_values = ?, user_id = ?, session_id = ?,
			auth_time = ?, amr = ?, acr = ?, done = ?, code_hash = ?, code_used_at = ?, issued_access_jti = ?,
			issued_family_id = ?, expires_at = ?, resource = ?, org_id = ?, dpop_jkt = ?, authorization_details = ?
			WHERE tenant_id = ? AND id = ?`, args...)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		out = a
		return nil
	})
	return out, err
}

func (r *authRequestRepo) Delete(ctx context.Context, tenantID, id string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM auth_requests WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *authRequestRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM auth_requests WHERE expires_at < ?`, s.ts(before))
}

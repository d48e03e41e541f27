package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// consentRepo stores one consent per (user, client), keyed by both. Foreign
// keys to the user and the client delete it with either, and make Upsert
// for an unknown user or client ErrNotFound.
type consentRepo Store

const consentCols = `tenant_id, user_id, client_id, scopes, created_at, updated_at, authorization_details`

func scanConsent(sc scanner) (*oauth.Consent, error) {
	var c oauth.Consent
	var scopes, details []byte
	if err := sc.Scan(&c.TenantID, &c.UserID, &c.ClientID, &scopes, tsCol{&c.CreatedAt}, tsCol{&c.UpdatedAt}, &details); err != nil {
		return nil, err
	}
	err := decodeLists(listCol{&c.Scopes, scopes}, listCol{&c.AuthorizationDetails, details})
	return &c, err
}

func (r *consentRepo) Get(ctx context.Context, tenantID, userID, clientID string) (*oauth.Consent, error) {
	s := (*Store)(r)
	c, err := scanConsent(s.queryRow(ctx, `SELECT `+consentCols+` FROM consents
		WHERE tenant_id = ? AND user_id = ? AND client_id = ?`, tenantID, userID, clientID))
	return c, s.c.mapErr(err)
}

// Upsert replaces the scopes. UpdatedAt is the store's clock, as for every
// update; CreatedAt is the caller's (or the clock) on insert and kept on
// replace. c is set to the stored row.
func (r *consentRepo) Upsert(ctx context.Context, c *oauth.Consent) error {
	s := (*Store)(r)
	n := *c
	n.UpdatedAt = s.now()
	if n.CreatedAt.IsZero() {
		n.CreatedAt = n.UpdatedAt
	}
	n.CreatedAt = norm(n.CreatedAt)
	err := s.writeRow(ctx, func(sc scanner) error { return sc.Scan(tsCol{&n.CreatedAt}) },
		`INSERT INTO consents (`+consentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at,
			authorization_details = excluded.authorization_details
		RETURNING created_at`,
		n.TenantID, n.UserID, n.ClientID, jsonList(n.Scopes), s.ts(n.CreatedAt), s.ts(n.UpdatedAt), jsonList(n.AuthorizationDetails))
	if err != nil {
		return err
	}
	*c = n
	return nil
}

func (r *consentRepo) ListByUser(ctx context.Context, tenantID, userID string, p store.Page) ([]oauth.Consent, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+consentCols+` FROM consents
		WHERE tenant_id = ? AND user_id = ? AND client_id > ? ORDER BY client_id LIMIT ?`,
		tenantID, userID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanConsent)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(c *oauth.Consent) string { return c.ClientID })
	return items, next, nil
}

func (r *consentRepo) Delete(ctx context.Context, tenantID, userID, clientID string) error {
	n, err := (*Store)(r).exec(ctx, `DELETE FROM consents WHERE tenant_id = ? AND user_id = ? AND client_id = ?`,
		tenantID, userID, clientID)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

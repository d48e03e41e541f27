package sqlstore

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// pushedRequestRepo stores RFC 9126 pushed authorization requests. The
// client is a foreign key; Params is a JSON object of string lists.
type pushedRequestRepo Store

const pushedCols = `tenant_id, id, client_id, params, created_at, expires_at`

func scanPushed(sc scanner) (*oauth.PushedRequest, error) {
	var p oauth.PushedRequest
	var params []byte
	if err := sc.Scan(&p.TenantID, &p.ID, &p.ClientID, &params, tsCol{&p.CreatedAt}, tsCol{&p.ExpiresAt}); err != nil {
		return nil, err
	}
	var err error
	p.Params, err = decodeMap[[]string](params)
	return &p, err
}

// Create generates an ID if empty. The ID becomes the request_uri, a
// bearer handle for the client's parameters, so it is crypto/rand text
// (130 bits) rather than a time-ordered UUID.
func (r *pushedRequestRepo) Create(ctx context.Context, p *oauth.PushedRequest) error {
	s := (*Store)(r)
	n := *p
	if n.ID == "" {
		n.ID = rand.Text()
	}
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt = norm(n.ExpiresAt)
	params, err := jsonMap(n.Params)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, `INSERT INTO pushed_requests (`+pushedCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.ClientID, params, s.ts(n.CreatedAt), s.ts(n.ExpiresAt)); err != nil {
		return err
	}
	*p = n
	return nil
}

// Take deletes the row and returns it in one statement, so of two racing
// Takes only one gets it. An expired request is deleted as well but
// reported as ErrNotFound (expiry by the store clock).
func (r *pushedRequestRepo) Take(ctx context.Context, tenantID, id string) (*oauth.PushedRequest, error) {
	s := (*Store)(r)
	var p *oauth.PushedRequest
	err := s.writeRow(ctx, func(sc scanner) error {
		var err error
		p, err = scanPushed(sc)
		return err
	}, `DELETE FROM pushed_requests WHERE tenant_id = ? AND id = ? RETURNING `+pushedCols, tenantID, id)
	if err != nil {
		return nil, err
	}
	if !s.now().Before(p.ExpiresAt) {
		return nil, store.ErrNotFound
	}
	return p, nil
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *pushedRequestRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM pushed_requests WHERE expires_at < ?`, s.ts(before))
}

package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// sessionRepo stores browser sessions. The cookie's hash has a per-tenant
// unique index; (tenant_id, user_id, id) serves ListByUser and the foreign
// key that deletes a user's sessions with the user.
//
// A revocation is final: Revoke keeps the first time, and neither Touch
// nor Update can clear or move it.
type sessionRepo Store

const sessionCols = `tenant_id, id, user_id, token_hash, ip, user_agent, auth_time, amr, acr,
	pending, notify_new_device, created_at, last_seen_at, expires_at, revoked_at`

func scanSession(sc scanner) (*oauth.Session, error) {
	var x oauth.Session
	var amr, pending []byte
	if err := sc.Scan(&x.TenantID, &x.ID, &x.UserID, &x.TokenHash, &x.IP, &x.UserAgent, optTSCol{&x.AuthTime},
		&amr, &x.ACR, &pending, &x.NotifyNewDevice, tsCol{&x.CreatedAt}, tsCol{&x.LastSeenAt}, tsCol{&x.ExpiresAt},
		nullTSCol{&x.RevokedAt}); err != nil {
		return nil, err
	}
	x.TokenHash = bytesOut(x.TokenHash)
	var steps []string
	if err := decodeLists(listCol{&x.AMR, amr}, listCol{&steps, pending}); err != nil {
		return nil, err
	}
	for _, st := range steps {
		x.Pending = append(x.Pending, oauth.Step(st))
	}
	return &x, nil
}

// pendingList is the JSON list of a session's pending steps.
func pendingList(steps []oauth.Step) string {
	l := make([]string, len(steps))
	for i, st := range steps {
		l[i] = string(st)
	}
	return jsonList(l)
}

func normSession(x *oauth.Session) {
	x.AuthTime, x.CreatedAt, x.LastSeenAt = normOpt(x.AuthTime), norm(x.CreatedAt), norm(x.LastSeenAt)
	x.ExpiresAt, x.RevokedAt = norm(x.ExpiresAt), normPtr(x.RevokedAt)
}

// Create stamps ID and CreatedAt if unset; LastSeenAt defaults to CreatedAt.
func (r *sessionRepo) Create(ctx context.Context, x *oauth.Session) error {
	s := (*Store)(r)
	n := *x
	if err := s.stamp(&n.ID, &n.CreatedAt, &n.LastSeenAt, nil); err != nil {
		return err
	}
	normSession(&n)
	if _, err := s.exec(ctx, `INSERT INTO sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.UserID, bytesOut(n.TokenHash), n.IP, n.UserAgent, s.optTS(n.AuthTime),
		jsonList(n.AMR), n.ACR, pendingList(n.Pending), n.NotifyNewDevice,
		s.ts(n.CreatedAt), s.ts(n.LastSeenAt), s.ts(n.ExpiresAt), s.nullTS(n.RevokedAt)); err != nil {
		return err
	}
	*x = n
	return nil
}

const (
	sessionByID    = `SELECT ` + sessionCols + ` FROM sessions WHERE tenant_id = ? AND id = ?`
	sessionByToken = `SELECT ` + sessionCols + ` FROM sessions WHERE tenant_id = ? AND token_hash = ?`
)

func (r *sessionRepo) Get(ctx context.Context, tenantID, id string) (*oauth.Session, error) {
	s := (*Store)(r)
	x, err := scanSession(s.queryRow(ctx, sessionByID, tenantID, id))
	return x, s.c.mapErr(err)
}

func (r *sessionRepo) GetByToken(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.Session, error) {
	s := (*Store)(r)
	x, err := scanSession(s.queryRow(ctx, sessionByToken, tenantID, bytesOut(tokenHash)))
	return x, s.c.mapErr(err)
}

// ListByUser judges absolute expiry by the store clock. The idle timeout
// is policy the store does not know: the caller applies it (Session.Active).
func (r *sessionRepo) ListByUser(ctx context.Context, tenantID, userID string, p store.Page) ([]oauth.Session, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+sessionCols+` FROM sessions
		WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ? AND id > ?
		ORDER BY id LIMIT ?`, tenantID, userID, s.ts(s.now()), p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanSession)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(x *oauth.Session) string { return x.ID })
	return items, next, nil
}

// Update lets fn change everything but ID, TenantID and CreatedAt, except
// that a revoked session stays revoked at its first revocation time.
// Changing TokenHash (a new cookie on re-authentication) to one in use is
// ErrConflict.
func (r *sessionRepo) Update(ctx context.Context, tenantID, id string, fn func(*oauth.Session) error) (*oauth.Session, error) {
	s := (*Store)(r)
	var out *oauth.Session
	err := s.inTx(ctx, func(tx *Store) error {
		x, err := scanSession(tx.queryRow(ctx, sessionByID+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		created, revoked := x.CreatedAt, x.RevokedAt
		if err := fn(x); err != nil {
			return err
		}
		x.TenantID, x.ID, x.CreatedAt = tenantID, id, created
		if revoked != nil {
			x.RevokedAt = revoked
		}
		normSession(x)
		n, err := tx.exec(ctx, `UPDATE sessions SET user_id = ?, token_hash = ?, ip = ?, user_agent = ?,
			auth_time = ?, amr = ?, acr = ?, pending = ?, notify_new_device = ?, last_seen_at = ?, expires_at = ?, revoked_at = ?
			WHERE tenant_id = ? AND id = ?`,
			x.UserID, bytesOut(x.TokenHash), x.IP, x.UserAgent, tx.optTS(x.AuthTime), jsonList(x.AMR), x.ACR,
			pendingList(x.Pending), x.NotifyNewDevice, tx.ts(x.LastSeenAt), tx.ts(x.ExpiresAt), tx.nullTS(x.RevokedAt), tenantID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		out = x
		return nil
	})
	return out, err
}

// Touch updates only the activity columns, and only of a session that is
// not revoked, in one statement: it cannot race a revocation into undoing
// it. Touching a revoked session records nothing and is not an error (the
// caller's next lookup sees the revocation); an absent one is ErrNotFound.
func (r *sessionRepo) Touch(ctx context.Context, tenantID, id string, at time.Time, ip, userAgent string) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ?, ip = ?, user_agent = ?
		WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL`, s.ts(at), ip, userAgent, tenantID, id)
	if err != nil || n > 0 {
		return err
	}
	var one int
	return s.c.mapErr(s.queryRow(ctx, `SELECT 1 FROM sessions WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one))
}

func (r *sessionRepo) Revoke(ctx context.Context, tenantID, id string, at time.Time) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.ts(at), tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// RevokeAllForUser counts the sessions it revoked: those that were neither
// revoked nor past their absolute expiry at at, the ones ListByUser shows.
func (r *sessionRepo) RevokeAllForUser(ctx context.Context, tenantID, userID string, at time.Time) (int64, error) {
	s := (*Store)(r)
	t := s.ts(at)
	return s.exec(ctx, `UPDATE sessions SET revoked_at = ?
		WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?`, t, tenantID, userID, t)
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *sessionRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, s.ts(before))
}

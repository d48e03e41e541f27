package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// logoutRepo stores the clients of each browser session and the
// back-channel logout outbox. The outbox is claimed under a lease as the
// webhook outbox is (webhooks.go): several nodes never send one row at
// once, and a row whose node died is claimed again when its lease ends.
type logoutRepo Store

func (s *Store) Logouts() store.LogoutRepo { return (*logoutRepo)(s) }

func (r *logoutRepo) AddSessionClient(ctx context.Context, sc *store.SessionClient) error {
	s := (*Store)(r)
	if sc.TenantID == "" || sc.SessionID == "" || sc.ClientID == "" {
		return errors.New("store: a session client needs a tenant, a session and a client")
	}
	at := sc.CreatedAt
	if at.IsZero() {
		at = s.now()
	}
	// A missing session or client fails a foreign key: ErrNotFound.
	_, err := s.exec(ctx, `INSERT INTO session_clients (tenant_id, session_id, client_id, user_id, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, session_id, client_id) DO NOTHING`,
		sc.TenantID, sc.SessionID, sc.ClientID, sc.UserID, s.ts(norm(at)))
	return err
}

func scanSessionClient(sc scanner) (*store.SessionClient, error) {
	var c store.SessionClient
	err := sc.Scan(&c.TenantID, &c.SessionID, &c.ClientID, &c.UserID, tsCol{&c.CreatedAt})
	return &c, err
}

func (r *logoutRepo) SessionClients(ctx context.Context, tenantID, sessionID string) ([]store.SessionClient, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT tenant_id, session_id, client_id, user_id, created_at FROM session_clients
		WHERE tenant_id = ? AND session_id = ? ORDER BY client_id`, tenantID, sessionID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanSessionClient)
	return out, s.c.mapErr(err)
}

// EndSession deletes the session's client rows and enqueues a delivery for
// each of them whose client has a backchannel_logout_uri, in one
// transaction: the DELETE ... RETURNING hands each row to one caller.
func (r *logoutRepo) EndSession(ctx context.Context, tenantID, sessionID string, now time.Time) ([]store.LogoutDelivery, error) {
	s := (*Store)(r)
	now = norm(now)
	var out []store.LogoutDelivery
	err := s.inTx(ctx, func(tx *Store) error {
		out = nil
		rows, err := tx.query(ctx, `DELETE FROM session_clients WHERE tenant_id = ? AND session_id = ?
			RETURNING tenant_id, session_id, client_id, user_id, created_at`, tenantID, sessionID)
		if err != nil {
			return err
		}
		ended, err := scanAll(rows, scanSessionClient)
		if err != nil {
			return tx.c.mapErr(err)
		}
		for _, sc := range ended {
			var uri string
			err := tx.queryRow(ctx, `SELECT backchannel_logout_uri FROM clients WHERE tenant_id = ? AND id = ?`,
				tenantID, sc.ClientID).Scan(&uri)
			if err != nil {
				return tx.c.mapErr(err)
			}
			if uri == "" {
				continue
			}
			d := store.LogoutDelivery{TenantID: tenantID, ClientID: sc.ClientID, SessionID: sc.SessionID,
				UserID: sc.UserID, Status: store.DeliveryPending, NextAttemptAt: now, CreatedAt: now}
			if d.ID, err = newID(); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO logout_deliveries (`+logoutCols+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.TenantID, d.ID, d.ClientID, d.SessionID, d.UserID, d.Status, 0, "",
				tx.ts(now), nil, "", tx.ts(now), nil); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

const logoutCols = `tenant_id, id, client_id, session_id, user_id, status, attempts, last_error,
	next_attempt_at, lease_until, lease_token, created_at, delivered_at`

func scanLogoutDelivery(sc scanner) (*store.LogoutDelivery, error) {
	var d store.LogoutDelivery
	if err := sc.Scan(&d.TenantID, &d.ID, &d.ClientID, &d.SessionID, &d.UserID, &d.Status, &d.Attempts, &d.LastError,
		tsCol{&d.NextAttemptAt}, nullTSCol{&d.LeaseUntil}, &d.LeaseToken, tsCol{&d.CreatedAt},
		nullTSCol{&d.DeliveredAt}); err != nil {
		return nil, err
	}
	return &d, nil
}

// Claim repeats the lease and status checks on the outer UPDATE, as the
// webhook outbox does, so that two nodes never claim one row.
func (r *logoutRepo) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.LogoutDelivery, error) {
	return claimOutbox((*Store)(r), ctx, "logout_deliveries", logoutCols, scanLogoutDelivery, now, lease, limit)
}

func (r *logoutRepo) Finish(ctx context.Context, tenantID, id, leaseToken string, res store.DeliveryResult) error {
	return finishOutbox((*Store)(r), ctx, "logout_deliveries", tenantID, id, leaseToken, res)
}

// claimOutbox leases up to limit due pending rows of a logout outbox
// table (logout_deliveries, saml_logout_deliveries).
func claimOutbox[T any](s *Store, ctx context.Context, table, cols string, scan func(scanner) (*T, error),
	now time.Time, lease time.Duration, limit int) ([]T, error) {
	now = norm(now)
	token := secret.Token(16)
	var out []T
	err := s.inTx(ctx, func(tx *Store) error {
		rows, err := tx.query(ctx, `UPDATE `+table+` SET lease_until = ?, lease_token = ?, attempts = attempts + 1
		WHERE status = ? AND (lease_until IS NULL OR lease_until < ?) AND (tenant_id, id) IN (
			SELECT tenant_id, id FROM `+table+`
			WHERE status = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
			ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING `+cols,
			s.ts(now.Add(lease)), token, store.DeliveryPending, s.ts(now),
			store.DeliveryPending, s.ts(now), s.ts(now), limit)
		if err != nil {
			return err
		}
		out, err = scanAll(rows, scan)
		return tx.c.mapErr(err)
	})
	return out, err
}

// finishOutbox records an attempt's outcome on a row of a logout outbox
// table and releases its lease.
func finishOutbox(s *Store, ctx context.Context, table, tenantID, id, leaseToken string, res store.DeliveryResult) error {
	if leaseToken == "" {
		return store.ErrNotFound
	}
	var delivered *time.Time
	if res.Status == store.DeliveryDelivered {
		delivered = normPtr(&res.At)
	}
	next := res.NextAttemptAt
	if next.IsZero() {
		next = res.At
	}
	n, err := s.exec(ctx, `UPDATE `+table+` SET status = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?,
		lease_until = NULL, lease_token = '' WHERE tenant_id = ? AND id = ? AND lease_token = ? AND status = ?`,
		res.Status, res.Error, s.ts(norm(next)), s.nullTS(delivered), tenantID, id, leaseToken, store.DeliveryPending)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *logoutRepo) Deliveries(ctx context.Context, tenantID, sessionID string) ([]store.LogoutDelivery, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+logoutCols+` FROM logout_deliveries WHERE tenant_id = ? AND session_id = ?
		ORDER BY id`, tenantID, sessionID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanLogoutDelivery)
	return out, s.c.mapErr(err)
}

func (r *logoutRepo) DeleteFinished(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	var total int64
	for _, table := range []string{"logout_deliveries", "saml_logout_deliveries"} {
		n, err := s.exec(ctx, `DELETE FROM `+table+` WHERE status <> ? AND created_at < ?`,
			store.DeliveryPending, s.ts(norm(before)))
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// EnqueueSAML deletes the session's participant rows of the SPs named and
// enqueues a delivery for each, in one transaction: the DELETE ...
// RETURNING hands each row to one caller.
func (r *logoutRepo) EnqueueSAML(ctx context.Context, tenantID, sessionID, userID string, spIDs []string, now time.Time) ([]store.SAMLLogoutDelivery, error) {
	s := (*Store)(r)
	now = norm(now)
	var out []store.SAMLLogoutDelivery
	err := s.inTx(ctx, func(tx *Store) error {
		out = nil
		for _, spID := range spIDs {
			var p store.SAMLSession
			err := tx.queryRow(ctx, `DELETE FROM saml_sessions WHERE tenant_id = ? AND session_id = ? AND sp_id = ?
				RETURNING name_id, name_id_format, session_index`, tenantID, sessionID, spID).
				Scan(&p.NameID, &p.NameIDFormat, &p.SessionIndex)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return tx.c.mapErr(err)
			}
			d := store.SAMLLogoutDelivery{TenantID: tenantID, SPID: spID, SessionID: sessionID, UserID: userID,
				NameID: p.NameID, NameIDFormat: p.NameIDFormat, SessionIndex: p.SessionIndex,
				Status: store.DeliveryPending, NextAttemptAt: now, CreatedAt: now}
			if d.ID, err = newID(); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO saml_logout_deliveries (`+samlLogoutCols+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.TenantID, d.ID, d.SPID, d.SessionID, d.UserID, d.NameID, d.NameIDFormat, d.SessionIndex, d.Status,
				0, "", tx.ts(now), nil, "", tx.ts(now), nil); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

const samlLogoutCols = `tenant_id, id, sp_id, session_id, user_id, name_id, name_id_format, session_index, status,
	attempts, last_error, next_attempt_at, lease_until, lease_token, created_at, delivered_at`

func scanSAMLLogoutDelivery(sc scanner) (*store.SAMLLogoutDelivery, error) {
	var d store.SAMLLogoutDelivery
	if err := sc.Scan(&d.TenantID, &d.ID, &d.SPID, &d.SessionID, &d.UserID, &d.NameID, &d.NameIDFormat, &d.SessionIndex,
		&d.Status, &d.Attempts, &d.LastError, tsCol{&d.NextAttemptAt}, nullTSCol{&d.LeaseUntil}, &d.LeaseToken,
		tsCol{&d.CreatedAt}, nullTSCol{&d.DeliveredAt}); err != nil {
		return nil, err
	}
	return &d, nil
}

func (r *logoutRepo) ClaimSAML(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.SAMLLogoutDelivery, error) {
	return claimOutbox((*Store)(r), ctx, "saml_logout_deliveries", samlLogoutCols, scanSAMLLogoutDelivery, now, lease, limit)
}

func (r *logoutRepo) FinishSAML(ctx context.Context, tenantID, id, leaseToken string, res store.DeliveryResult) error {
	return finishOutbox((*Store)(r), ctx, "saml_logout_deliveries", tenantID, id, leaseToken, res)
}

func (r *logoutRepo) SAMLDeliveries(ctx context.Context, tenantID, sessionID string) ([]store.SAMLLogoutDelivery, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+samlLogoutCols+` FROM saml_logout_deliveries WHERE tenant_id = ? AND session_id = ?
		ORDER BY id`, tenantID, sessionID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanSAMLLogoutDelivery)
	return out, s.c.mapErr(err)
}

var _ store.LogoutRepo = (*logoutRepo)(nil)

package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// exportRepo stores users' data exports (data_exports).
type exportRepo Store

// Exports returns the data exports.
func (s *Store) Exports() store.ExportRepo { return (*exportRepo)(s) }

var _ store.ExportRepo = (*exportRepo)(nil)

func (r *exportRepo) CreateExport(ctx context.Context, e *store.DataExport) error {
	s := (*Store)(r)
	n := *e
	if err := s.stamp(&n.ID, &n.CreatedAt, nil, nil); err != nil {
		return err
	}
	n.ExpiresAt = norm(n.ExpiresAt)
	// A missing user fails the foreign key: ErrNotFound.
	if _, err := s.exec(ctx, `INSERT INTO data_exports (tenant_id, id, user_id, status, document, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.UserID, n.Status, n.Document, s.ts(n.CreatedAt), s.ts(n.ExpiresAt)); err != nil {
		return err
	}
	*e = n
	return nil
}

func (r *exportRepo) GetExport(ctx context.Context, tenantID, userID, id string) (*store.DataExport, error) {
	s := (*Store)(r)
	var e store.DataExport
	err := s.queryRow(ctx, `SELECT tenant_id, id, user_id, status, document, created_at, expires_at FROM data_exports
		WHERE tenant_id = ? AND user_id = ? AND id = ?`, tenantID, userID, id).
		Scan(&e.TenantID, &e.ID, &e.UserID, &e.Status, &e.Document, tsCol{&e.CreatedAt}, tsCol{&e.ExpiresAt})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return &e, nil
}

func (r *exportRepo) FinishExport(ctx context.Context, tenantID, id, status, document string) error {
	s := (*Store)(r)
	n, err := s.exec(ctx, `UPDATE data_exports SET status = ?, document = ? WHERE tenant_id = ? AND id = ?`,
		status, document, tenantID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r *exportRepo) LatestExportAt(ctx context.Context, tenantID, userID string) (time.Time, error) {
	s := (*Store)(r)
	var at time.Time
	err := s.queryRow(ctx, `SELECT created_at FROM data_exports WHERE tenant_id = ? AND user_id = ?
		ORDER BY created_at DESC LIMIT 1`, tenantID, userID).Scan(tsCol{&at})
	if err != nil {
		return time.Time{}, s.c.mapErr(err)
	}
	return at, nil
}

func (r *exportRepo) CreateExportUnlessRecent(ctx context.Context, e *store.DataExport, since time.Time) (time.Time, error) {
	var latest time.Time
	err := (*Store)(r).inTx(ctx, func(tx *Store) error {
		// The user's row is the lock (FOR UPDATE on PostgreSQL; SQLite's
		// single writer already serialises): concurrent starts queue here.
		var id string
		if err := tx.queryRow(ctx, `SELECT id FROM users WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate,
			e.TenantID, e.UserID).Scan(&id); err != nil {
			return tx.c.mapErr(err)
		}
		at, err := (*exportRepo)(tx).LatestExportAt(ctx, e.TenantID, e.UserID)
		switch {
		case err == nil && at.After(since):
			latest = at
			return store.ErrConflict
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		return (*exportRepo)(tx).CreateExport(ctx, e)
	})
	return latest, err
}

func (r *exportRepo) FailStaleExports(ctx context.Context, startedBefore time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `UPDATE data_exports SET status = ? WHERE status = ? AND created_at < ?`,
		store.ExportFailed, store.ExportPending, s.ts(startedBefore))
}

func (r *exportRepo) DeleteExpiredExports(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM data_exports WHERE expires_at < ?`, s.ts(before))
}

package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// dirRepo is the user directory of data residency (migration 00036).
type dirRepo Store

// UserDirectory returns the user directory repository.
func (s *Store) UserDirectory() store.UserDirectoryRepo { return (*dirRepo)(s) }

func (r *dirRepo) Put(ctx context.Context, entries []store.DirectoryEntry) error {
	return (*Store)(r).inTx(ctx, func(tx *Store) error { return tx.putEntries(ctx, entries) })
}

func (s *Store) putEntries(ctx context.Context, entries []store.DirectoryEntry) error {
	for _, e := range entries {
		if _, err := s.exec(ctx, `INSERT INTO user_directory (tenant_id, kind, key, user_id, region) VALUES (?, ?, ?, ?, ?)`,
			e.TenantID, e.Kind, bytesOut(e.Key), e.UserID, e.Region); err != nil {
			return err
		}
	}
	return nil
}

func (r *dirRepo) Lookup(ctx context.Context, tenantID, kind string, key []byte) (*store.DirectoryEntry, error) {
	s := (*Store)(r)
	e := store.DirectoryEntry{TenantID: tenantID, Kind: kind}
	err := s.queryRow(ctx, `SELECT key, user_id, region FROM user_directory WHERE tenant_id = ? AND kind = ? AND key = ?`,
		tenantID, kind, bytesOut(key)).Scan(&e.Key, &e.UserID, &e.Region)
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	e.Key = bytesOut(e.Key)
	return &e, nil
}

func (r *dirRepo) Replace(ctx context.Context, tenantID, userID string, entries []store.DirectoryEntry) error {
	return (*Store)(r).inTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM user_directory WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
			return err
		}
		return tx.putEntries(ctx, entries)
	})
}

func (r *dirRepo) Delete(ctx context.Context, tenantID, kind string, key []byte) error {
	_, err := (*Store)(r).exec(ctx, `DELETE FROM user_directory WHERE tenant_id = ? AND kind = ? AND key = ?`,
		tenantID, kind, bytesOut(key))
	return err
}

func (r *dirRepo) DeleteUser(ctx context.Context, tenantID, userID string) error {
	s := (*Store)(r)
	_, err := s.exec(ctx, `DELETE FROM user_directory WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
	return err
}

func (r *dirRepo) Regions(ctx context.Context, tenantID string) (map[string]int64, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT region, COUNT(*) FROM user_directory WHERE tenant_id = ? AND kind = ? GROUP BY region`,
		tenantID, store.DirectoryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, s.c.mapErr(err)
		}
		out[name] = n
	}
	return out, s.c.mapErr(rows.Err())
}

package sqlstore

import "context"

// settingsRepo is the process-wide key/value table (control plane).
type settingsRepo Store

func (r *settingsRepo) Get(ctx context.Context, key string) ([]byte, error) {
	s := (*Store)(r)
	var v []byte
	if err := s.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, key).Scan(&v); err != nil {
		return nil, s.c.mapErr(err)
	}
	if v == nil { // an empty value is set, not absent
		v = []byte{}
	}
	return v, nil
}

func (r *settingsRepo) SetIfAbsent(ctx context.Context, key string, value []byte) (bool, error) {
	s := (*Store)(r)
	n, err := s.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		key, notNil(value), s.ts(s.now()))
	return n == 1, err
}

func (r *settingsRepo) Set(ctx context.Context, key string, value []byte) error {
	s := (*Store)(r)
	_, err := s.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, notNil(value), s.ts(s.now()))
	return err
}

// notNil keeps a nil value out of the NOT NULL column.
func notNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// scanner is *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// tsCol scans a timestamp column: unix microseconds (SQLite INTEGER) or a
// time.Time (PostgreSQL TIMESTAMPTZ). Either way the result is UTC.
type tsCol struct{ t *time.Time }

func (c tsCol) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		*c.t = time.UnixMicro(x).UTC()
	case time.Time:
		*c.t = norm(x)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a timestamp", v)
	}
	return nil
}

// nullTSCol is tsCol for a nullable column; NULL scans as a nil pointer.
type nullTSCol struct{ t **time.Time }

func (c nullTSCol) Scan(v any) error {
	if v == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (tsCol{&t}).Scan(v); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

// ts converts a timestamp into a query argument for the dialect.
func (s *Store) ts(t time.Time) any { return s.c.d.Time(norm(t)) }

// nullTS is ts for a nullable column.
func (s *Store) nullTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.ts(*t)
}

// JSON columns are TEXT on SQLite and JSON/JSONB on PostgreSQL; both accept
// the encoded document as a string argument.

// jsonObject encodes a map, storing nil as {} so JSON operators always see
// an object.
func jsonObject(m map[string]any) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("store: encode JSON object: %w", err)
	}
	return string(b), nil
}

// decodeObject is the inverse of jsonObject; an empty object reads as nil.
func decodeObject(b []byte) (map[string]any, error) {
	if len(b) == 0 || string(b) == "{}" || string(b) == "null" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("store: decode JSON object: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// jsonList encodes a string list, storing nil as [].
func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // a []string always encodes
	return string(b)
}

// decodeList is the inverse of jsonList; an empty list reads as nil.
func decodeList(b []byte) ([]string, error) {
	if len(b) == 0 || string(b) == "[]" || string(b) == "null" {
		return nil, nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("store: decode JSON list: %w", err)
	}
	if len(l) == 0 {
		return nil, nil
	}
	return l, nil
}

// rawJSON stores a caller-supplied document verbatim (TEXT on SQLite, JSON
// rather than JSONB on PostgreSQL, which keeps the bytes as written); empty
// is NULL.
func rawJSON(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	return string(r)
}

// rawOut returns a scanned raw document, nil for NULL.
func rawOut(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	return json.RawMessage(b)
}

// bytesOut normalises a scanned BLOB/BYTEA: empty reads as nil.
func bytesOut(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// page trims a result fetched with limit+1 rows and returns the cursor for
// the next page, "" at the end.
func page[T any](items []T, limit int, id func(*T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, id(&items[limit-1])
}

// optTS is ts for a time that may be unset (an auth time before the user
// authenticated): the zero time is stored as NULL.
func (s *Store) optTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.ts(t)
}

// optTSCol is the inverse of optTS: NULL scans as the zero time.
type optTSCol struct{ t *time.Time }

func (c optTSCol) Scan(v any) error {
	if v == nil {
		*c.t = time.Time{}
		return nil
	}
	return tsCol(c).Scan(v)
}

// normOpt is norm that keeps the zero time zero.
func normOpt(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return norm(t)
}

// nullStr stores "" as NULL. Optional references (the user of a token that
// may have none) use it, so their foreign key applies only when set.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullStrCol is the inverse of nullStr: NULL scans as "".
type nullStrCol struct{ s *string }

func (c nullStrCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = x
	case []byte:
		*c.s = string(x)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a string", v)
	}
	return nil
}

// nullDuration stores a duration as integer nanoseconds, so every value
// round-trips exactly; nil is NULL.
func nullDuration(d *time.Duration) any {
	if d == nil {
		return nil
	}
	return int64(*d)
}

// nullDurationCol is the inverse of nullDuration.
type nullDurationCol struct{ d **time.Duration }

func (c nullDurationCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.d = nil
	case int64:
		d := time.Duration(x)
		*c.d = &d
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a duration", v)
	}
	return nil
}

// jsonMap encodes a map of any value type, storing nil as {} (jsonObject
// is the map[string]any case).
func jsonMap[V any](m map[string]V) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("store: encode JSON object: %w", err)
	}
	return string(b), nil
}

// decodeMap is the inverse of jsonMap; an empty object reads as nil.
func decodeMap[V any](b []byte) (map[string]V, error) {
	if len(b) == 0 || string(b) == "{}" || string(b) == "null" {
		return nil, nil
	}
	var m map[string]V
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("store: decode JSON object: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// decodeLists decodes several JSON list columns of one row.
func decodeLists(lists ...listCol) error {
	for _, l := range lists {
		var err error
		if *l.dst, err = decodeList(l.src); err != nil {
			return err
		}
	}
	return nil
}

type listCol struct {
	dst *[]string
	src []byte
}

// scanAll scans every row with scan and closes rows. Errors are the
// driver's: the caller maps them.
func scanAll[T any](rows *sql.Rows, scan func(scanner) (*T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// Package sqlite opens the default store: a SQLite file through
// modernc.org/sqlite (pure Go, no cgo), with the shared SQL in sqlstore.
//
// Concurrency model: WAL journal, one writer connection that runs every
// write and transaction (BEGIN IMMEDIATE, so a transaction takes the write
// lock up front instead of failing with SQLITE_BUSY when it first writes),
// and a pool of read-only connections for reads outside transactions.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Memory is the path that opens a private in-memory database.
const Memory = ":memory:"

// busyTimeout is how long a connection waits for a lock held by another
// connection (or process) before SQLITE_BUSY.
const busyTimeout = 5 * time.Second

type config struct {
	now       func() time.Time
	readConns int
}

// Option configures Open.
type Option func(*config)

// WithNow sets the clock used for CreatedAt/UpdatedAt defaults.
func WithNow(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithReadConns sets the size of the read pool (default: GOMAXPROCS, at least 4).
func WithReadConns(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.readConns = n
		}
	}
}

// Open opens (creating if needed) the database file at path, creating its
// parent directory if missing. Path Memory (":memory:") opens a private
// in-memory database served by a single connection. Open does not migrate.
func Open(ctx context.Context, path string, opts ...Option) (*sqlstore.Store, error) {
	cfg := config{readConns: max(4, runtime.GOMAXPROCS(0))}
	for _, o := range opts {
		o(&cfg)
	}
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	d := dialect()
	if path == Memory {
		return openMemory(ctx, d, cfg)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create directory for %s: %w", path, err)
	}

	write, err := openDB(ctx, path, true)
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	read, err := openDB(ctx, path, false)
	if err != nil {
		_ = write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(cfg.readConns)
	read.SetMaxIdleConns(cfg.readConns)
	read.SetConnMaxIdleTime(5 * time.Minute)

	st, err := sqlstore.New(sqlstore.Config{Dialect: d, Write: write, Read: read, Now: cfg.now})
	if err != nil {
		_ = write.Close()
		_ = read.Close()
		return nil, err
	}
	return st, nil
}

// openMemory serves reads and writes from one connection that is never
// recycled: an in-memory database lives exactly as long as its connection.
func openMemory(ctx context.Context, d sqlstore.Dialect, cfg config) (*sqlstore.Store, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file::memory:?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open in-memory database: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open in-memory database: %w", err)
	}
	st, err := sqlstore.New(sqlstore.Config{Dialect: d, Write: db, Now: cfg.now})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return st, nil
}

// openDB opens a handle on path. The writer sets the persistent WAL mode
// (first, so readers never see a rollback journal) and enforces foreign
// keys; readers are query_only so a stray write can never take the lock
// from the writer.
func openDB(ctx context.Context, path string, writer bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		// NORMAL is durable across application crashes in WAL mode; only a
		// power loss can drop the last commits.
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: resolve %s: %w", path, err)
	}
	// A file: URI with an absolute path; url.URL escapes ?, # and %.
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Migrations returns the embedded migrations (goose SQL files), for tools
// that check a database file without opening it as a store (backups).
func Migrations() fs.FS {
	return dialect().Migrations
}

// dialect returns the SQLite hooks for sqlstore.
func dialect() sqlstore.Dialect {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil { // the embedded directory is fixed at build time
		panic(err)
	}
	return sqlstore.Dialect{
		Name:            "sqlite",
		Goose:           goose.DialectSQLite3,
		Migrations:      sub,
		CacheStatements: true,
		Time:            func(t time.Time) any { return t.UnixMicro() },
		AttrEquals:      attrEquals,
		UserSearch:      userSearch,
		Classify:        classify,
	}
}

// attrEquals matches a top-level string attribute. The key travels as the
// JSON path argument $."key" (validated to contain no quote), and the type
// check keeps the number 5 from matching "5", as on PostgreSQL.
func attrEquals(key, value string) (string, []any) {
	path := `$."` + key + `"`
	return `json_type(attributes, ?) = 'text' AND json_extract(attributes, ?) = ?`, []any{path, path, value}
}

// userSearch answers a term of three characters or more from the FTS5
// trigram index (migration 00040), searched as one quoted phrase: a
// substring, every character literal. The probe reads at most
// searchCandidates+1 of the tenant's matches. A term rarer than that is
// answered by those IDs; a commoner one by walking the tenant's users in
// ID order, which finds a page of matches after a few thousand rows, where
// sorting every match would read them all. Shorter terms have no trigram:
// they scan email and username, as on PostgreSQL.
func userSearch(ctx context.Context, run sqlstore.QueryFunc, tenantID, term string) (string, []any, error) {
	like := "%" + sqlstore.EscapeLike(term) + "%"
	if utf8.RuneCountInString(term) < 3 {
		return `(id = ? OR email_norm LIKE ? ESCAPE '\' OR username_norm LIKE ? ESCAPE '\')`, []any{term, like, like}, nil
	}
	if strings.ContainsRune(term, 0) { // FTS5's query parser ends a string at NUL; no stored text holds one
		return "", nil, store.ErrInvalidInput
	}
	phrase := `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
	rows, err := run(ctx, `SELECT i.user_id FROM users_search s JOIN users_search_ids i ON i.docid = s.rowid
		WHERE users_search MATCH ? AND s.tenant_id = ? LIMIT ?`, phrase, tenantID, searchCandidates+1)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	ids := []string{term}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	if len(ids) <= searchCandidates+1 {
		list, err := json.Marshal(ids)
		if err != nil {
			return "", nil, err
		}
		return `id IN (SELECT value FROM json_each(?))`, []any{string(list)}, nil
	}
	return `(id = ? OR email_norm LIKE ? ESCAPE '\' OR username_norm LIKE ? ESCAPE '\' OR ` + userName + ` LIKE ? ESCAPE '\')`,
		[]any{term, like, like, like}, nil
}

// searchCandidates bounds the index probe of a user search.
var searchCandidates = 500

// userName is the text migration 00040 indexes as the name.
const userName = `lower(concat_ws(' ', json_extract(profile, '$.name'), json_extract(profile, '$.given_name'),
	json_extract(profile, '$.family_name'), json_extract(profile, '$.nickname')))`

func classify(err error) sqlstore.ErrClass {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.ErrOther
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.ErrUnique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.ErrForeignKey
	}
	switch se.Code() & 0xff { // primary result code
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return sqlstore.ErrRetry
	}
	return sqlstore.ErrOther
}

// Package postgres opens the store on PostgreSQL through pgx v5 (pgxpool,
// exposed to database/sql by pgx's stdlib), with the shared SQL in sqlstore.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

type config struct {
	schema   string
	now      func() time.Time
	maxConns int32
}

// Option configures Open.
type Option func(*config)

// connectTimeout bounds opening one connection when the DSN sets no
// connect_timeout; acquireTimeout bounds waiting for a pooled connection
// (the pool full, or the server gone and every connect failing);
// userTimeout bounds how long sent bytes may stay unacknowledged on an open
// connection (Linux; see dialer). Together they make a request that needs
// an unreachable database fail within seconds, as a 503, instead of
// hanging.
const (
	connectTimeout = 3 * time.Second
	acquireTimeout = 5 * time.Second
	userTimeout    = 10 * time.Second
)

// boundedConnector hands database/sql pooled connections, giving up after
// acquireTimeout: pgxpool's Acquire waits as long as its context allows.
type boundedConnector struct{ driver.Connector }

func (c boundedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	bounded, cancel := context.WithTimeout(ctx, acquireTimeout)
	defer cancel()
	conn, err := c.Connector.Connect(bounded)
	if err != nil && ctx.Err() == nil && bounded.Err() != nil {
		// Our bound, not the caller's deadline: the database is unreachable.
		return nil, fmt.Errorf("%w: %w", errAcquireTimeout, err)
	}
	return conn, err
}

var errAcquireTimeout = errors.New("postgres: no connection within " + acquireTimeout.String())

// WithSchema puts every table, the goose version table included, in the
// named schema (created if missing) by making it the connections'
// search_path. Tests use it to run side by side in one database.
func WithSchema(name string) Option { return func(c *config) { c.schema = name } }

// WithNow sets the clock used for CreatedAt/UpdatedAt defaults.
func WithNow(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithMaxConns caps the connection pool (default: pgxpool's, the larger of 4 and the CPU count).
func WithMaxConns(n int32) Option { return func(c *config) { c.maxConns = n } }

// Open connects to the database at dsn (a postgres:// URL or key=value
// string, as pgx accepts it). Open does not migrate.
func Open(ctx context.Context, dsn string, opts ...Option) (*sqlstore.Store, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	pcfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	if cfg.maxConns > 0 {
		pcfg.MaxConns = cfg.maxConns
	}
	// goose's version table uses timestamp without time zone; UTC sessions
	// make its applied-at times unambiguous.
	pcfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if cfg.schema != "" {
		pcfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{cfg.schema}.Sanitize()
	}
	if pcfg.ConnConfig.ConnectTimeout == 0 { // neither connect_timeout nor PGCONNECT_TIMEOUT
		// An unreachable server must cost a request seconds, not the
		// kernel's TCP timeout (minutes).
		pcfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pcfg.ConnConfig.DialFunc = dialer(pcfg.ConnConfig.ConnectTimeout).DialContext
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if cfg.schema != "" {
		if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{cfg.schema}.Sanitize()); err != nil {
			pool.Close()
			return nil, fmt.Errorf("postgres: create schema %q: %w", cfg.schema, err)
		}
	}
	d, err := dialect(cfg.schema)
	if err != nil {
		pool.Close()
		return nil, err
	}
	// As stdlib.OpenDBFromPool, with every acquisition bounded.
	db := sql.OpenDB(boundedConnector{stdlib.GetPoolConnector(pool)})
	db.SetMaxIdleConns(0) // idle connections are pgxpool's to keep
	st, err := sqlstore.New(sqlstore.Config{
		Dialect: d,
		Write:   db,
		Now:     cfg.now,
		OnClose: func() error { pool.Close(); return nil },
	})
	if err != nil {
		_ = db.Close()
		pool.Close()
		return nil, err
	}
	return st, nil
}

// dialect returns the PostgreSQL hooks for sqlstore. The migration lock is
// per schema, so stores in different schemas migrate concurrently.
func dialect(schema string) (sqlstore.Dialect, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return sqlstore.Dialect{}, err
	}
	lockOpts := []lock.SessionLockerOption{lock.WithLockTimeout(1, 300)}
	if schema != "" {
		h := fnv.New64a()
		h.Write([]byte("gatehouse-migrate:" + schema))
		lockOpts = append(lockOpts, lock.WithLockID(int64(h.Sum64())))
	}
	locker, err := lock.NewPostgresSessionLocker(lockOpts...)
	if err != nil {
		return sqlstore.Dialect{}, fmt.Errorf("postgres: migration lock: %w", err)
	}
	return sqlstore.Dialect{
		Name:       "postgres",
		Goose:      goose.DialectPostgres,
		Migrations: sub,
		Locker:     locker,
		KeyLock:    keyLock,
		Notify:     notify,
		Numbered:   true,
		ForUpdate:  " FOR UPDATE",
		Time:       func(t time.Time) any { return t },
		AttrEquals: attrEquals,
		UserSearch: userSearch,
		// An unnamed statement, planned with the search's values.
		PlanWithValues: pgx.QueryExecModeExec,
		Classify:       classify,
	}, nil
}

// keyLock takes a transaction-scoped advisory lock on the tenant's keys.
// The key space is (class, hash): the class keeps it apart from other
// advisory locks, and the schema in the hash keeps schemas that share a
// database (tests) from waiting for each other.
const keyLock = `SELECT pg_advisory_xact_lock(7138, hashtext(current_schema() || '/' || ?))`

// notify announces a change on the schema's channel, as the triggers of
// migration 00015 do (internal/cluster); NOTIFY is transactional.
const notify = `SELECT pg_notify(left('gatehouse:' || current_schema(), 63), ?::text)`

// attrEquals uses containment so the GIN index on attributes serves it; a
// top-level {"key": "value"} matches only the JSON string value.
func attrEquals(key, value string) (string, []any) {
	return `attributes @> jsonb_build_object(?::text, ?::text)`, []any{key, value}
}

// userNameSearch is the expression migration 00040 indexes with pg_trgm:
// keep the two equal, or the planner cannot use the index.
const userNameSearch = `lower(coalesce(profile->>'name', '') || ' ' || coalesce(profile->>'given_name', '') || ' ' ||
            coalesce(profile->>'family_name', '') || ' ' || coalesce(profile->>'nickname', ''))`

// userSearch is a substring match the trigram indexes of migrations 00034
// and 00040 answer. A term under three characters has no trigram: it
// scans, so it matches email and username only, as on SQLite.
func userSearch(_ context.Context, _ sqlstore.QueryFunc, _, term string) (string, []any, error) {
	like := "%" + sqlstore.EscapeLike(term) + "%"
	if utf8.RuneCountInString(term) < 3 {
		return `(id = ? OR email_norm LIKE ? ESCAPE '\' OR username_norm LIKE ? ESCAPE '\')`, []any{term, like, like}, nil
	}
	return `(id = ? OR email_norm LIKE ? ESCAPE '\' OR username_norm LIKE ? ESCAPE '\' OR ` + userNameSearch + ` LIKE ? ESCAPE '\')`,
		[]any{term, like, like, like}, nil
}

func classify(err error) sqlstore.ErrClass {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if unreachable(err) {
			return sqlstore.ErrUnavailable
		}
		return sqlstore.ErrOther
	}
	switch pe.Code[:2] {
	case "08", "57", "53": // connection exception, operator intervention (shutdown), insufficient resources
		if pe.Code != "57014" { // query_canceled: the caller's own deadline or cancel
			return sqlstore.ErrUnavailable
		}
	}
	switch pe.Code {
	case "23505": // unique_violation
		return sqlstore.ErrUnique
	case "23503": // foreign_key_violation
		return sqlstore.ErrForeignKey
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return sqlstore.ErrRetry
	case "22021", "22P05": // character_not_in_repertoire (NUL, invalid UTF-8), untranslatable_character (\u0000 in jsonb)
		return sqlstore.ErrInvalid
	}
	return sqlstore.ErrOther
}

// unreachable reports errors of the connection rather than the statement:
// the server refused or dropped it, or acquiring one timed out.
func unreachable(err error) bool {
	var (
		ce *pgconn.ConnectError
		ne net.Error
	)
	switch {
	case errors.Is(err, errAcquireTimeout):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return false // the caller gave up: not the database's fault
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return true
	}
	return pgconn.SafeToRetry(err)
}

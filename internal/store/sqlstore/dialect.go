package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Dialect is everything that differs between engines. The engine packages
// (sqlite, postgres) fill it in; the repositories never branch on the engine
// name, so both engines run the same SQL text apart from these hooks.
type Dialect struct {
	// Name is what Store.Dialect reports: "sqlite" or "postgres".
	Name string
	// Goose and Migrations select goose's version-table dialect and the
	// embedded migration files (NNNNN_name.sql at the root of the FS).
	Goose      goose.Dialect
	Migrations fs.FS
	// Locker, if set, serialises Migrate across processes (PostgreSQL
	// advisory lock). SQLite's single writer already serialises it.
	Locker lock.SessionLocker
	// KeyLock, if set, is run first in a SigningKeys().Locked transaction
	// with the tenant ID as its one argument, and blocks until this
	// transaction holds the tenant's key lock (a PostgreSQL transaction
	// advisory lock). SQLite's single writer already serialises them.
	KeyLock string
	// Notify, if set, is run in a transaction that changed a row other
	// nodes cache and no trigger announces (connections), with the
	// change as a JSON document (internal/cluster's Event) as its one
	// argument: pg_notify on the schema's channel, sent when the
	// transaction commits. SQLite is one node: nothing to tell.
	Notify string
	// Numbered rewrites ? placeholders to $1, $2, ... (PostgreSQL).
	Numbered bool
	// CacheStatements keeps database/sql prepared statements for queries
	// run outside transactions. SQLite wants it (parsing and planning is a
	// large share of a point lookup); pgx already caches per connection.
	CacheStatements bool
	// ForUpdate is appended to the SELECT that loads a row for Update, so
	// concurrent updaters queue on the row lock (" FOR UPDATE" on
	// PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock).
	ForUpdate string
	// Time turns a timestamp (already UTC, microsecond precision) into a
	// query argument: unix microseconds for SQLite, time.Time for TIMESTAMPTZ.
	Time func(time.Time) any
	// AttrEquals returns a WHERE fragment with ? placeholders, and its
	// arguments, matching users whose top-level custom attribute key is the
	// JSON string value. key has passed validAttrKey; it must still travel
	// as an argument, never as SQL text.
	AttrEquals func(key, value string) (string, []any)
	// UserSearch returns a WHERE fragment with ? placeholders, and its
	// arguments, matching the tenant's users whose email, username or name
	// holds the lower-cased term, or whose ID is the term. Each engine
	// answers it from its own index (SQLite: FTS5 trigrams, probed first
	// through run; PostgreSQL: pg_trgm).
	UserSearch func(ctx context.Context, run QueryFunc, tenantID, term string) (string, []any, error)
	// PlanWithValues, when not nil, leads the arguments of a query whose
	// best plan depends on its values (a search pattern): the driver then
	// plans it with them each time. PostgreSQL's cached generic plan for
	// the user search walks the whole tenant in ID order, ignoring the
	// trigram indexes, once a LIMIT makes that look cheap.
	PlanWithValues any
	// Classify sorts a driver error so the store can map it to a sentinel
	// error or retry it.
	Classify func(error) ErrClass
}

// QueryFunc runs a read query.
type QueryFunc func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

// ErrClass is the store's view of a driver error.
type ErrClass int

const (
	ErrOther       ErrClass = iota
	ErrUnique               // unique or primary key violation -> store.ErrConflict
	ErrForeignKey           // the referenced parent row is missing -> store.ErrNotFound
	ErrRetry                // SQLITE_BUSY, SQLSTATE 40001/40P01: run the transaction again
	ErrInvalid              // text the engine cannot hold (SQLSTATE 22021, 22P05) -> store.ErrInvalidInput
	ErrUnavailable          // the server is unreachable or going away -> store.ErrUnavailable
)

func (d *Dialect) validate() error {
	var missing []string
	if d.Name == "" {
		missing = append(missing, "Name")
	}
	if d.Migrations == nil {
		missing = append(missing, "Migrations")
	}
	if d.Time == nil {
		missing = append(missing, "Time")
	}
	if d.AttrEquals == nil {
		missing = append(missing, "AttrEquals")
	}
	if d.UserSearch == nil {
		missing = append(missing, "UserSearch")
	}
	if d.Classify == nil {
		missing = append(missing, "Classify")
	}
	if len(missing) > 0 {
		return fmt.Errorf("sqlstore: dialect is missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// rebind rewrites ? placeholders to $n. The repositories' SQL never holds a
// literal question mark, so a plain scan is enough.
func rebind(q string) string {
	n := strings.Count(q, "?")
	if n == 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + n*2)
	i := 0
	for _, r := range q {
		if r == '?' {
			i++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mapErr turns driver errors into the store's sentinels, keeping the driver
// error in the chain for logs.
func (c *core) mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	switch c.d.Classify(err) {
	case ErrUnique:
		return fmt.Errorf("%w (%w)", store.ErrConflict, err)
	case ErrForeignKey:
		return fmt.Errorf("%w (%w)", store.ErrNotFound, err)
	case ErrInvalid:
		return fmt.Errorf("%w (%w)", store.ErrInvalidInput, err)
	case ErrUnavailable:
		return fmt.Errorf("%w (%w)", store.ErrUnavailable, err)
	}
	return err
}

// validAttrKey guards the attribute filter: SQLite addresses the key through
// a quoted JSON path ($."key"), so quotes, backslashes and control
// characters are refused rather than escaped.
func validAttrKey(k string) error {
	if k == "" || len(k) > 128 {
		return fmt.Errorf("store: attribute key must be 1-128 bytes, got %d", len(k))
	}
	for _, r := range k {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return fmt.Errorf("store: attribute key %q contains a quote, backslash or control character", k)
		}
	}
	return nil
}

// EscapeLike escapes LIKE wildcards so a user's query matches literally;
// every LIKE in the store uses ESCAPE '\'.
func EscapeLike(s string) string {
	if !strings.ContainsAny(s, `%_\`) {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

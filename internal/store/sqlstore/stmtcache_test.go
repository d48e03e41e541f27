package sqlstore

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// cachingStore is a Store on an in-memory SQLite database with one
// writer connection and statement caching on, as internal/store/sqlite
// runs it.
func cachingStore(t *testing.T) *Store {
	t.Helper()
	db, err := sql.Open("sqlite", "file:stmtcache?mode=memory&cache=shared")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	c := &core{d: Dialect{CacheStatements: true, Classify: func(error) ErrClass { return ErrOther }},
		write: db, read: db, now: time.Now}
	s := &Store{c: c}
	if _, err := s.exec(t.Context(), `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	return s
}

// A statement a transaction runs is prepared once the transaction is
// over, and later transactions run it prepared, inside the transaction:
// what they write is rolled back with them. One writer connection, so a
// statement prepared from within the transaction would hang here.
func TestTransactionStatementsPrepared(t *testing.T) {
	s := cachingStore(t)
	ctx := t.Context()
	const insert = `INSERT INTO t (x) VALUES (?)`
	cached := func() bool {
		_, ok := s.c.stmts.Load(stmtKey{s.c.write, insert})
		return ok
	}
	count := func() (n int) {
		if err := s.queryRow(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	insertIn := func(fail error) error {
		return s.inTx(ctx, func(tx *Store) error {
			if _, err := tx.exec(ctx, insert, 1); err != nil {
				return err
			}
			return fail
		})
	}

	if err := insertIn(nil); err != nil {
		t.Fatal(err)
	}
	if !cached() {
		t.Fatal("the transaction's statement was not prepared after it")
	}
	boom := errors.New("boom")
	if err := insertIn(boom); !errors.Is(err, boom) {
		t.Fatalf("rolled-back transaction: %v", err)
	}
	if n := count(); n != 1 {
		t.Fatalf("after a rolled-back insert by the prepared statement: %d rows, want 1", n)
	}
	if err := insertIn(nil); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Fatalf("after a committed insert by the prepared statement: %d rows, want 2", n)
	}
}

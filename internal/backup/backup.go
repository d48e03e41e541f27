// Package backup copies a SQLite Gatehouse database while it serves, checks
// that a file is a Gatehouse database this binary can run, and restores
// one in place of a stopped server's database. PostgreSQL is backed up with
// its own tools (pg_dump, pg_restore; see PostgresProcedure).
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/gatehouse-iam/gatehouse/internal/rekey"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
)

// PostgresProcedure is what the backup and restore commands print for a
// PostgreSQL database: its own tools make consistent online copies.
const PostgresProcedure = `Back up PostgreSQL with its own tools, with the same URL as GATEHOUSE_DATABASE:

    pg_dump --format=custom --file=gatehouse.dump "$GATEHOUSE_DATABASE"

pg_dump reads one consistent snapshot while the nodes keep serving. Restore into
an empty database, with every node stopped, then start them:

    pg_restore --exit-on-error --no-owner --dbname="$GATEHOUSE_DATABASE" gatehouse.dump

Keep GATEHOUSE_SECRET_KEY with the backup (apart from it): without that key the
stored secrets in a dump cannot be opened.`

// Info describes a checked database file.
type Info struct {
	Path  string
	Bytes int64
	// Version is the highest applied migration; Pending counts the
	// embedded migrations the file lacks (serve applies them).
	Version int64
	Pending int
	Tenants int
	Users   int
	// KeysChecked is set by Restore when every stored secret was found to
	// open with the configured keys (only on a fully migrated backup).
	KeysChecked bool
}

// Errors of Check and Restore.
var (
	ErrNotGatehouse = errors.New("not a Gatehouse database")
	ErrNewer        = errors.New("the database is from a newer Gatehouse")
	ErrInUse        = errors.New("the database is in use by another process")
	ErrWrongKey     = errors.New("the backup's stored secrets do not open with GATEHOUSE_SECRET_KEY (or GATEHOUSE_SECRET_KEY_OLD)")
)

// Create writes a consistent copy of the SQLite database at dbPath to out
// with VACUUM INTO, which reads one snapshot while other connections (a
// serving process) keep reading and writing. out must not exist; it is
// written under a temporary name in its directory, checked, synced and
// then renamed, with mode 0600 (it holds hashes and sealed secrets).
func Create(ctx context.Context, dbPath, out string) (*Info, error) {
	if _, err := os.Lstat(out); err == nil {
		return nil, fmt.Errorf("%s exists; choose a new file", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("database %s: %w", dbPath, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".gatehouse-backup-*") // mode 0600, empty: VACUUM INTO accepts it
	if err != nil {
		return nil, err
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(tmpPath) // after the rename, a no-op
	db, err := openFile(dbPath, false, busyWait)
	if err != nil {
		return nil, err
	}
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, tmpPath)
	_ = db.Close()
	if err != nil {
		return nil, fmt.Errorf("backup of %s: %w", dbPath, err)
	}
	info, err := Check(ctx, tmpPath)
	if err != nil {
		return nil, fmt.Errorf("the copy does not check out: %w", err)
	}
	if err := flush(tmpPath); err != nil {
		return nil, err
	}
	if err := os.Link(tmpPath, out); err != nil { // fails if out appeared meanwhile
		return nil, err
	}
	info.Path = out
	return info, flush(filepath.Dir(out))
}

// Check opens path read-only and reports what it holds, or why it is not a
// database this binary can run: not SQLite or damaged (integrity_check),
// no Gatehouse schema, or migrations newer than this binary knows.
func Check(ctx context.Context, path string) (*Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (not a regular file)", path, ErrNotGatehouse)
	}
	db, err := openFile(path, true, busyWait)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotGatehouse, err)
	}
	if result != "ok" {
		return nil, fmt.Errorf("%s is damaged: integrity_check: %s", path, result)
	}
	applied, err := appliedVersions(ctx, db)
	if err != nil || len(applied) == 0 {
		return nil, fmt.Errorf("%s: %w (no applied Gatehouse migrations)", path, ErrNotGatehouse)
	}
	known, err := knownVersions()
	if err != nil {
		return nil, err
	}
	info := &Info{Path: path, Bytes: st.Size()}
	for _, v := range applied {
		if !known[v] {
			return nil, fmt.Errorf("%s: %w (migration %d is unknown to this binary): restore it with that version or newer", path, ErrNewer, v)
		}
		info.Version = max(info.Version, v)
	}
	info.Pending = len(known) - len(applied)
	for _, c := range []struct {
		table string
		n     *int
	}{{"tenants", &info.Tenants}, {"users", &info.Users}} {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+c.table).Scan(c.n); err != nil {
			return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotGatehouse, err)
		}
	}
	return info, nil
}

// Options of Restore.
type Options struct {
	// From is the backup file, DBPath the database it replaces.
	From, DBPath string
	// Keyring is the keyring the restored server will run with: the backup's
	// stored secrets must open with it.
	Keyring *secret.Keyring
	// Force replaces the database even when another process has it open.
	Force bool
}

// Restore replaces the SQLite database at DBPath with the backup From,
// after checking it (Check), and checking that its stored secrets open
// with Keys. A database another process has open (a running server) is
// refused unless Force. The old file's write-ahead log is removed with it,
// so it cannot be replayed onto the restored database.
func Restore(ctx context.Context, o Options) (*Info, error) {
	info, err := Check(ctx, o.From)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(o.DBPath)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	tmp, err := stage(o.From, dir)
	if err != nil {
		return nil, err
	}
	defer removeDB(tmp) // after the rename, only leftovers
	if info.KeysChecked, err = checkKeys(ctx, tmp, o.Keyring); err != nil {
		return nil, err
	}
	busy, err := inUse(ctx, o.DBPath)
	if err != nil {
		return nil, err
	}
	if busy && !o.Force {
		return nil, fmt.Errorf("%s: %w (a running gatehouse?): stop it first, or pass --force", o.DBPath, ErrInUse)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(o.DBPath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.Rename(tmp, o.DBPath); err != nil {
		return nil, err
	}
	info.Path = o.DBPath
	return info, flush(dir)
}

// stage copies from into dir under a temporary name (mode 0600), synced.
func stage(from, dir string) (string, error) {
	src, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp(dir, ".gatehouse-restore-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(dst.Name())
		return "", err
	}
	return dst.Name(), nil
}

// checkKeys opens the staged copy as a store and checks, without writing a
// sealed value, that every one opens with k. It reports whether it could:
// a backup from before the latest migrations is not checked.
func checkKeys(ctx context.Context, path string, k *secret.Keyring) (bool, error) {
	db, err := storeopen.Open(ctx, "sqlite:"+path, storeopen.Options{})
	if err != nil {
		return false, err
	}
	defer db.Close()
	if db.Ready(ctx) != nil {
		return false, nil // an older schema: serve migrates it, and its tables may be missing here
	}
	if _, err := rekey.LoadCarried(ctx, db.Settings(), k); err != nil {
		if errors.Is(err, rekey.ErrWrongKey) {
			return false, ErrWrongKey
		}
		return false, err
	}
	rep, err := rekey.Rotate(ctx, db, k, true)
	if err != nil {
		if errors.Is(err, rekey.ErrWrongKey) {
			return false, ErrWrongKey
		}
		return false, err
	}
	var failed []string
	for _, c := range rep.Counts {
		for _, f := range c.Failed {
			failed = append(failed, string(c.Kind)+" "+f)
		}
	}
	if len(failed) > 0 {
		return false, fmt.Errorf("%w: %s", ErrWrongKey, strings.Join(failed, ", "))
	}
	return true, nil
}

// inUse reports whether another connection has the database at path open.
// Leaving WAL mode needs the only connection to the file, so a refusal
// ("database is locked") means somebody else holds it; on a file nobody
// holds it succeeds, which is harmless for a file about to be replaced.
func inUse(ctx context.Context, path string) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	db, err := openFile(path, false, 0)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var mode string
	err = db.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode)
	if err != nil {
		if strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "locked") {
			return true, nil
		}
		return false, err
	}
	return mode != "delete", nil
}

// busyWait is how long a backup waits for a lock another connection holds
// (a checkpoint); the in-use check does not wait.
const busyWait = 5 * time.Second

// openFile opens one connection to an existing database file, read-only if
// asked, waiting up to busy for locks held elsewhere.
func openFile(path string, readOnly bool, busy time.Duration) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("mode", "rw") // never create a file
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func appliedVersions(ctx context.Context, db *sql.DB) ([]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT version_id FROM `+goose.DefaultTablename+` WHERE is_applied AND version_id > 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, rows.Err()
}

// knownVersions are the versions of the embedded SQLite migrations
// (NNNNN_name.sql).
func knownVersions() (map[int64]bool, error) {
	names, err := fs.Glob(sqlite.Migrations(), "*.sql")
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, n := range names {
		prefix, _, _ := strings.Cut(n, "_")
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("backup: migration file %s: %w", n, err)
		}
		out[v] = true
	}
	return out, nil
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

// flush flushes a file, or a directory's entries, to disk.
func flush(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

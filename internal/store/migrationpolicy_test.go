package store_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Expand/contract (docs/operations.md, "Upgrades"): during a rolling
// upgrade the previous release serves on the new schema, so a migration's
// Up may only add (tables, nullable or defaulted columns, indexes) or
// change data compatibly. Removing, renaming or narrowing what the
// previous release reads or writes is a contract step: it ships one
// release after the code stopped using it, marked in the file with a
// "-- contract:" comment saying what it removes and which release stopped
// using it, and listed here so review sees it.
var contractSteps = map[string]string{
	// "00042_drop_users_legacy_name.sql": "users.legacy_name, unused since v1.3",
	"00026_erasure_retention.sql": "SQLite only: replaces the audit_events delete trigger (drop and create in one migration); nothing the previous release uses goes",
}

// destructive finds what breaks the previous release in one statement.
var destructive = []struct {
	why string
	re  *regexp.Regexp
}{
	{"drops a table, column or other object the previous release may use", regexp.MustCompile(`(?is)\bDROP\s+(TABLE|COLUMN|VIEW|TYPE|FUNCTION|TRIGGER|SCHEMA)\b`)},
	{"renames (the previous release uses the old name)", regexp.MustCompile(`(?is)\bRENAME\b`)},
	{"changes a column's type", regexp.MustCompile(`(?is)\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b`)},
	{"makes a column NOT NULL (the previous release may write NULL)", regexp.MustCompile(`(?is)\bSET\s+NOT\s+NULL\b`)},
	{"empties a table", regexp.MustCompile(`(?is)^TRUNCATE\b`)},
}

// addNotNullNoDefault: a NOT NULL column without a default fails the
// previous release's INSERTs, which do not name it.
var addColumn = regexp.MustCompile(`(?is)\bADD\s+COLUMN\b`)

func violations(stmt string) []string {
	var out []string
	for _, d := range destructive {
		if d.re.MatchString(stmt) {
			out = append(out, d.why)
		}
	}
	parts := addColumn.Split(stmt, -1)
	for _, col := range parts[1:] {
		u := strings.ToUpper(col)
		if strings.Contains(u, "NOT NULL") && !strings.Contains(u, "DEFAULT") {
			out = append(out, "adds a NOT NULL column without a DEFAULT (the previous release's INSERTs omit it)")
		}
	}
	return out
}

// upStatements returns the statements of a goose file's Up section with
// comments removed.
func upStatements(src string) []string {
	var b strings.Builder
	up := false
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "-- +goose Up"):
			up = true
			continue
		case strings.HasPrefix(t, "-- +goose Down"):
			up = false
			continue
		}
		if !up {
			continue
		}
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line + "\n")
	}
	var out []string
	for _, s := range strings.Split(b.String(), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestMigrationsAreExpandOnly(t *testing.T) {
	seen := 0
	for _, dir := range []string{"sqlite/migrations", "postgres/migrations"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations in %s: %v", dir, err)
		}
		for _, f := range files {
			seen++
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(f)
			_, listed := contractSteps[name]
			marked := strings.Contains(string(raw), "-- contract:")
			if listed != marked {
				t.Errorf("%s: a contract step is both listed in contractSteps and marked with a \"-- contract:\" comment (listed %v, marked %v)", f, listed, marked)
			}
			if listed {
				continue
			}
			for _, stmt := range upStatements(string(raw)) {
				for _, why := range violations(stmt) {
					t.Errorf("%s: %s; the previous release must keep working on this schema (expand/contract, docs/operations.md):\n%s", f, why, stmt)
				}
			}
		}
	}
	t.Logf("%d migration files checked", seen)
}

// The detector itself: what it must catch and what it must let through.
func TestMigrationPolicyDetector(t *testing.T) {
	for stmt, bad := range map[string]bool{
		"ALTER TABLE users DROP COLUMN legacy":                             true,
		"DROP TABLE old_things":                                            true,
		"ALTER TABLE users RENAME COLUMN a TO b":                           true,
		"ALTER TABLE users RENAME TO people":                               true,
		"ALTER TABLE users ALTER COLUMN age TYPE BIGINT":                   true,
		"ALTER TABLE users ALTER COLUMN email SET NOT NULL":                true,
		"ALTER TABLE users ADD COLUMN nick TEXT NOT NULL":                  true,
		"TRUNCATE sessions":                                                true,
		"ALTER TABLE users ADD COLUMN nick TEXT NOT NULL DEFAULT ''":       false,
		"ALTER TABLE users ADD COLUMN seen_at TIMESTAMPTZ":                 false,
		"CREATE TABLE t (id TEXT NOT NULL PRIMARY KEY)":                    false,
		"CREATE INDEX users_email ON users (email)":                        false,
		"DROP INDEX IF EXISTS users_old_idx":                               false,
		"UPDATE sessions SET revoked_at = now() WHERE pending IS NOT NULL": false,
	} {
		if got := len(violations(stmt)) > 0; got != bad {
			t.Errorf("%q: flagged %v, want %v", stmt, got, bad)
		}
	}
	src := "-- drop table in a comment\n-- +goose Up\nCREATE TABLE a (x INT); -- DROP TABLE b\n-- +goose Down\nDROP TABLE a;\n"
	if got := upStatements(src); len(got) != 1 || got[0] != "CREATE TABLE a (x INT)" {
		t.Errorf("upStatements: %q", got)
	}
}

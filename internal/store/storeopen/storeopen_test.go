package storeopen_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
)

func TestOpenSQLite(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	abs := filepath.Join(dir, "abs", "gatehouse.db")
	for _, url := range []string{"sqlite:./data/gatehouse.db", "sqlite:" + abs, "sqlite://" + abs + "2", "sqlite::memory:"} {
		t.Run(url, func(t *testing.T) {
			db, err := storeopen.Open(t.Context(), url, storeopen.Options{AutoMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if db.Dialect() != "sqlite" {
				t.Fatalf("Dialect() = %q", db.Dialect())
			}
			if err := db.Ready(t.Context()); err != nil {
				t.Fatalf("Ready after AutoMigrate: %v", err)
			}
		})
	}
	for _, p := range []string{filepath.Join(dir, "data", "gatehouse.db"), abs, abs + "2"} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("database file not created: %v", err)
		}
	}
}

func TestOpenWithoutAutoMigrate(t *testing.T) {
	db, err := storeopen.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "x.db"), storeopen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(t.Context()); err == nil {
		t.Fatal("Ready succeeded on an unmigrated database")
	}
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestOpenPostgres(t *testing.T) {
	dsn := os.Getenv("GATEHOUSE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("GATEHOUSE_TEST_POSTGRES_DSN not set: skipping PostgreSQL suite")
	}
	// Migrate into a schema of our own, named by search_path in the URL.
	schema := fmt.Sprintf("gh_test_open_%d_%d", os.Getpid(), time.Now().UnixNano())
	admin, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("GATEHOUSE_TEST_POSTGRES_DSN is set but unusable: %v", err)
	}
	ident := pgx.Identifier{schema}.Sanitize()
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+ident+" CASCADE"); err != nil {
			t.Error(err)
		}
		_ = admin.Close(context.Background())
	})
	if _, err := admin.Exec(t.Context(), "CREATE SCHEMA "+ident); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	for i, raw := range []string{u.String(), strings.Replace(u.String(), "postgres://", "postgresql://", 1)} {
		db, err := storeopen.Open(t.Context(), raw, storeopen.Options{AutoMigrate: i == 0})
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() != "postgres" {
			t.Fatalf("Dialect() = %q", db.Dialect())
		}
		if err := db.Ready(t.Context()); err != nil {
			t.Fatalf("Ready: %v", err)
		}
		must(t, db.Close())
	}
}

func TestOpenRejectsUnknownScheme(t *testing.T) {
	for url, want := range map[string]string{
		"mysql://root:secret@localhost/db": `"mysql"`,
		"./data/gatehouse.db":              "no scheme",
		"sqlite:":                          "no path",
	} {
		_, err := storeopen.Open(t.Context(), url, storeopen.Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%q) = %v, want an error mentioning %s", url, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Package pgtest gives tests outside the store packages a PostgreSQL
// database of their own: a URL of the test database whose search_path is a
// fresh schema, dropped when the test ends.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DSNEnv names the test database; unset, PostgreSQL variants are skipped
// (locally they are opt-in; CI sets it).
const DSNEnv = "GATEHOUSE_TEST_POSTGRES_DSN"

var seq atomic.Int64

// SchemaURL returns the URL of a new schema named prefix_<pid>_<time>_<n>.
// A set but unusable DSN fails the test: CI must not pass by skipping.
func SchemaURL(t testing.TB, prefix string) string {
	t.Helper()
	dsn := os.Getenv(DSNEnv)
	if dsn == "" {
		t.Skip(DSNEnv + " not set: skipping the PostgreSQL variant")
	}
	schema := fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano(), seq.Add(1))
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("%s is set but the database is unusable: %v", DSNEnv, err)
	}
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+ident); err != nil {
		_ = conn.Close(context.Background())
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = conn.Close(ctx)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", DSNEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// DatabaseURL returns the URL of a new database named prefix_<pid>_<n> on
// the test server, dropped when the test ends: for tests that need
// separate databases, such as data residency's regions.
func DatabaseURL(t testing.TB, prefix string) string {
	t.Helper()
	dsn := os.Getenv(DSNEnv)
	if dsn == "" {
		t.Skip(DSNEnv + " not set: skipping the PostgreSQL variant")
	}
	name := fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano()%1_000_000_000, seq.Add(1))
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("%s is set but the database is unusable: %v", DSNEnv, err)
	}
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(t.Context(), "CREATE DATABASE "+ident); err != nil {
		_ = conn.Close(context.Background())
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Dropping a database checkpoints, which a loaded machine can make
		// slow; a database left behind only costs disk, so it is logged.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP DATABASE "+ident+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		_ = conn.Close(ctx)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", DSNEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

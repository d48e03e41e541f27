package app_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// GATEHOUSE_HIBP_URL turns on the range lookup for every new password:
// a password the service knows is refused, one it does not is accepted,
// and only a 5-digit prefix is asked for.
func TestHIBPRangeFromConfig(t *testing.T) {
	const breached = "a perfectly unusual passphrase 42"
	sum := sha1.Sum([]byte(breached))
	digest := strings.ToUpper(hex.EncodeToString(sum[:]))
	var asked atomic.Value
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix, _ := strings.CutPrefix(r.URL.Path, "/range/")
		asked.Store(prefix)
		if prefix == digest[:5] {
			fmt.Fprintf(w, "%s:12\r\n", digest[5:])
		}
	}))
	defer fake.Close()

	open := func(hibp string) *app.App {
		dir := t.TempDir()
		env := map[string]string{
			"GATEHOUSE_DATABASE":   "sqlite:" + filepath.Join(dir, "g.db"),
			"GATEHOUSE_DATA_DIR":   dir,
			"GATEHOUSE_SECRET_KEY": "hibp-test-key-0123456789abcdef0123",
			"GATEHOUSE_HIBP_URL":   hibp,
		}
		cfg, err := config.Load(nil, func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Migrate: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = a.Close() })
		return a
	}
	ctx := context.Background()
	u := &identity.User{Email: "h@example.com"}

	a := open(fake.URL)
	err := a.Directory.CheckPassword(ctx, breached, u)
	var ve *identity.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Field != "/password" {
		t.Fatalf("breached password: %v", err)
	}
	if got, _ := asked.Load().(string); got != digest[:5] {
		t.Errorf("asked for %q, want the prefix %q only", got, digest[:5])
	}
	if err := a.Directory.CheckPassword(ctx, "another unusual passphrase 43", u); err != nil {
		t.Fatalf("unknown password: %v", err)
	}

	// Off by default: the same password passes without asking anyone.
	asked.Store("")
	if err := open("").Directory.CheckPassword(ctx, breached, u); err != nil {
		t.Fatalf("without GATEHOUSE_HIBP_URL: %v", err)
	}
	if got, _ := asked.Load().(string); got != "" {
		t.Errorf("lookup without GATEHOUSE_HIBP_URL: %q", got)
	}
}

func TestHIBPURLValidated(t *testing.T) {
	env := map[string]string{"GATEHOUSE_HIBP_URL": "ftp://example.com"}
	if _, err := config.Load(nil, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "GATEHOUSE_HIBP_URL") {
		t.Fatalf("bad GATEHOUSE_HIBP_URL: %v", err)
	}
}

package cli_test

import (
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// `secret-key rotate` re-seals under GATEHOUSE_SECRET_KEY what was sealed
// under GATEHOUSE_SECRET_KEY_OLD and says when the old key may go; the old
// key alone is then refused, and a bad old key is named without being
// echoed. The rotation itself is tested in internal/rekey.
func TestSecretKeyRotate(t *testing.T) {
	const keyB = "cli-test-secret-key-B-0123456789abcdefghij"
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		a := openApp(t, env) // signing keys are made on first use
		sc, err := a.Directory.Resolve(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.SigningKeys.JWKS(t.Context(), sc.Tenant.ID); err != nil {
			t.Fatal(err)
		}
		rows, err := sc.Store.SigningKeys().List(t.Context(), sc.Tenant.ID)
		if err != nil || len(rows) == 0 {
			t.Fatalf("signing keys: %v", err)
		}
		n := strconv.Itoa(len(rows))
		_ = a.Close()

		withKeys := func(key, old string) map[string]string {
			e := maps.Clone(env)
			e["GATEHOUSE_SECRET_KEY"], e["GATEHOUSE_SECRET_KEY_OLD"] = key, old
			return e
		}
		dry := mustRun(t, withKeys(keyB, testSecretKey), "secret-key", "rotate", "--dry-run")
		if !strings.Contains(dry.stdout, "signing_keys:    "+n+" to re-seal") || !strings.Contains(dry.stdout, "Dry run") {
			t.Fatalf("dry run:\n%s", dry)
		}
		r := mustRun(t, withKeys(keyB, testSecretKey), "secret-key", "rotate")
		for _, want := range []string{"signing_keys:    " + n + " re-sealed", "carried keys:    stored under the current key", "Done:"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("rotate: no %q in\n%s", want, r)
			}
		}
		r = mustRun(t, withKeys(keyB, ""), "secret-key", "rotate")
		if !strings.Contains(r.stdout, "GATEHOUSE_SECRET_KEY_OLD is not set") || !strings.Contains(r.stdout, "signing_keys:    0 re-sealed, "+n+" already") {
			t.Errorf("rotate under B alone:\n%s", r)
		}
		if r := run(t, withKeys(testSecretKey, ""), "secret-key", "rotate"); r.code != 1 || !strings.Contains(r.stderr, "wrong key?") {
			t.Errorf("rotate under the retired key:\n%s", r)
		}
		const bad = "too-short-old-key"
		if r := run(t, withKeys(keyB, testSecretKey+","+bad), "secret-key", "rotate"); r.code != 1 ||
			!strings.Contains(r.stderr, "invalid GATEHOUSE_SECRET_KEY_OLD (key 2 of the list)") || strings.Contains(r.stderr+r.stdout, bad) {
			t.Errorf("a bad old key:\n%s", r)
		}
	})
}

// With GATEHOUSE_REGIONS, `secret-key rotate` also re-seals what the
// regional databases hold (a user's data key, in the user's region), and
// says done only when those open with the new key too.
func TestSecretKeyRotateRegions(t *testing.T) {
	const keyB = "cli-test-secret-key-B-0123456789abcdefghij"
	eachEngine(t, func(t *testing.T, env map[string]string) {
		dir := t.TempDir()
		env["GATEHOUSE_REGIONS"] = "eu=sqlite:" + filepath.Join(dir, "eu.db") + ";us=sqlite:" + filepath.Join(dir, "us.db")
		env["GATEHOUSE_DEFAULT_REGION"] = "eu"
		migrated(t, env)
		u := oneJSON(t, mustRun(t, env, "users", "create", "--email", "us@example.com", "--region", "us"))
		id := u["id"].(string)
		a := openApp(t, env)
		sc, err := a.Directory.Resolve(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		// An event about the user seals its address with the user's data
		// key, which lives in the us database.
		if err := a.AuditLog.Record(t.Context(), events.Event{TenantID: sc.Tenant.ID, Type: "login.failed", UserID: id, IP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
		us := a.Regions.RegionStore("us").(store.SealedStore).Sealed()
		if rows, err := us.List(t.Context(), store.SealedUserDataKeys, "", "", 10); err != nil || len(rows) != 1 {
			t.Fatalf("the us database's data keys: %v %d", err, len(rows))
		}
		_ = a.Close()

		withKeys := func(key, old string) map[string]string {
			e := maps.Clone(env)
			e["GATEHOUSE_SECRET_KEY"], e["GATEHOUSE_SECRET_KEY_OLD"] = key, old
			return e
		}
		r := mustRun(t, withKeys(keyB, testSecretKey), "secret-key", "rotate")
		if !strings.Contains(r.stdout, "user_data_keys:  1 re-sealed") || !strings.Contains(r.stdout, "Done:") {
			t.Fatalf("rotate:\n%s", r)
		}
		// Under the new key alone the regional value opens.
		r = mustRun(t, withKeys(keyB, ""), "secret-key", "rotate")
		if !strings.Contains(r.stdout, "user_data_keys:  0 re-sealed, 1 already") || !strings.Contains(r.stdout, "Done:") {
			t.Fatalf("rotate under B alone:\n%s", r)
		}
	})
}

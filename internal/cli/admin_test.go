package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// openApp opens the database of env as the commands do, for checks and
// set-up the command line does not offer.
func openApp(t *testing.T, env map[string]string) *app.App {
	t.Helper()
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// migrated runs `migrate up` and makes sure the default tenant exists.
//
// The default tenant is created by serve (admin.Service.Bootstrap) and by
// nothing else, so the admin commands fail on a database that was only
// migrated; TestAdminCommandsWorkRightAfterMigrateUp pins that bug. Until
// it is fixed, the other tests create the tenant here, as a first serve
// would, so that they test what they are about.
func migrated(t *testing.T, env map[string]string) {
	t.Helper()
	mustRun(t, env, "migrate", "up")
	a := openApp(t, env)
	if _, err := a.Directory.EnsureDefaultTenant(t.Context()); err != nil {
		t.Fatal(err)
	}
	_ = a.Close()
}

// jsonLines decodes stdout as one JSON object per line.
func jsonLines(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func oneJSON(t *testing.T, r result) map[string]any {
	t.Helper()
	objs := jsonLines(t, r.stdout)
	if len(objs) != 1 {
		t.Fatalf("want one JSON object: %v", r)
	}
	return objs[0]
}

func emails(users []map[string]any) string {
	var s []string
	for _, u := range users {
		s = append(s, u["email"].(string))
	}
	return strings.Join(s, ",")
}

// The bug behind the workaround in migrated: on a freshly migrated
// database, `users create` fails with `tenant "default": store: not found`
// until serve has run once. migrate up (or the admin commands, through
// EnsureDefaultTenant for the default slug) should create the tenant.
func TestAdminCommandsWorkRightAfterMigrateUp(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		mustRun(t, env, "migrate", "up")
		u := oneJSON(t, mustRun(t, env, "users", "create", "--email", "first@example.com"))
		if u["email"] != "first@example.com" {
			t.Fatalf("created %v", u)
		}
		mustRun(t, env, "clients", "create", "--name", "svc", "--grant-type", "client_credentials")
	})
}

// Commands that succeed print their result on stdout and nothing on
// stderr, so scripts can treat any stderr output as a problem. (A real
// process: libraries logging through slog's default logger write to the
// process's stderr, which cli.Main's stderr argument does not capture.)
func TestAdminCommandsWriteNothingToStderr(t *testing.T) {
	t.Parallel()
	env := baseEnv(t, sqliteURL(t))
	bin := binary(t)
	for _, args := range [][]string{
		{"migrate", "up"},
		{"migrate", "status"},
		{"users", "create", "--email", "quiet@example.com"},
		{"users", "list"},
		{"clients", "create", "--name", "svc", "--grant-type", "client_credentials"},
		{"clients", "list"},
	} {
		if args[0] == "users" && args[1] == "create" {
			migrated(t, env) // see migrated for why
		}
		cmd := exec.Command(bin, args...)
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || stdout.Len() == 0 || stderr.Len() != 0 {
			t.Errorf("gatehouse %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
	}
}

func TestUsersCreateAndList(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		const pw = "correct horse battery staple"
		r := mustRun(t, env, "users", "create", "--email", "a@example.com", "--password", pw,
			"--given-name", "A", "--family-name", "Smith", "--username", "alice", "--email-verified")
		a := oneJSON(t, r)
		id, _ := a["id"].(string)
		if id == "" || a["email"] != "a@example.com" || a["given_name"] != "A" || a["family_name"] != "Smith" ||
			a["username"] != "alice" || a["email_verified"] != true || a["has_password"] != true || a["disabled"] != false {
			t.Fatalf("created user: %v", a)
		}
		if strings.Contains(r.stdout+r.stderr, pw) {
			t.Fatal("the password is echoed")
		}
		if _, ok := a["password"]; ok {
			t.Fatal("the output has a password field")
		}
		b := oneJSON(t, mustRun(t, env, "users", "create", "--email", "B@Example.com"))
		// The domain is lower-cased; the local part is kept as given.
		if b["email"] != "B@example.com" || b["has_password"] != false || b["email_verified"] != false || b["id"] == id {
			t.Fatalf("second user: %v", b)
		}

		// The password was stored and verifies.
		app := openApp(t, env)
		sc, err := app.Directory.Resolve(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := app.Directory.VerifyPassword(t.Context(), sc, id, pw); !ok || err != nil {
			t.Fatalf("verify the password set by the CLI: %v %v", ok, err)
		}

		r = mustRun(t, env, "users", "list")
		list := jsonLines(t, r.stdout)
		if len(list) != 2 || list[0]["id"] != id || list[1]["id"] != b["id"] || list[0]["has_password"] != true {
			t.Fatalf("list: %v", r)
		}
		if r.stderr != "" {
			t.Fatalf("a complete list says there is more: %v", r)
		}
		if got := emails(jsonLines(t, mustRun(t, env, "users", "list", "--email", "A@EXAMPLE.COM").stdout)); got != "a@example.com" {
			t.Fatalf("--email filter: %s", got)
		}
		if got := emails(jsonLines(t, mustRun(t, env, "users", "list", "--q", "alic").stdout)); got != "a@example.com" {
			t.Fatalf("--q filter: %s", got)
		}

		// Paging: the first page tells how to resume on stderr.
		r = mustRun(t, env, "users", "list", "--limit", "1")
		m := regexp.MustCompile(`^more: --cursor (\S+)\n$`).FindStringSubmatch(r.stderr)
		if got := emails(jsonLines(t, r.stdout)); got != "a@example.com" || m == nil {
			t.Fatalf("first page: %v", r)
		}
		r = mustRun(t, env, "users", "list", "--limit", "1", "--cursor", m[1])
		if got := emails(jsonLines(t, r.stdout)); got != "B@example.com" || r.stderr != "" {
			t.Fatalf("second page: %v", r)
		}
		if r := run(t, env, "users", "list", "--cursor", "bm9wZQ"); r.code != 1 || !strings.Contains(r.stderr, "malformed cursor") {
			t.Fatalf("forged cursor: %v", r)
		}
	})
}

func TestUsersCreateRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--email", "not-an-email"}, "invalid input:\n  email: "},
			{[]string{"--email", "short@example.com", "--password", "short"}, "invalid input:\n  password: "},
			{[]string{"--given-name", "No Email"}, `required flag(s) "email" not set`},
		} {
			r := run(t, env, append([]string{"users", "create"}, c.args...)...)
			if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, c.want) {
				t.Errorf("users create %s: want %q in stderr: %v", c.args, c.want, r)
			}
		}
		if r := mustRun(t, env, "users", "list"); r.stdout != "" {
			t.Fatalf("rejected input created users: %v", r)
		}
	})
}

// A duplicate email (compared case-insensitively) is refused with a
// message that says what is wrong, not the database's constraint name.
func TestUsersCreateDuplicateEmail(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		mustRun(t, env, "users", "create", "--email", "dup@example.com")
		r := run(t, env, "users", "create", "--email", "DUP@example.com")
		if r.code != 1 || r.stdout != "" {
			t.Fatalf("duplicate: %v", r)
		}
		if n := len(jsonLines(t, mustRun(t, env, "users", "list").stdout)); n != 1 {
			t.Fatalf("users after a duplicate: %d", n)
		}
		if want := "gatehouse: already exists (email, username or client ID taken)\n"; r.stderr != want {
			t.Fatalf("duplicate email: stderr %q, want %q", r.stderr, want)
		}
	})
}

func TestUsersUnknownTenant(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		for _, cmd := range [][]string{
			{"users", "create", "--email", "a@example.com", "--tenant", "nope"},
			{"users", "list", "--tenant", "nope"},
			{"clients", "create", "--name", "svc", "--tenant", "nope"},
			{"clients", "list", "--tenant", "nope"},
		} {
			r := run(t, env, cmd...)
			if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, `tenant "nope"`) || !strings.Contains(r.stderr, "not found") {
				t.Errorf("%s: %v", cmd, r)
			}
		}
		if r := mustRun(t, env, "users", "list"); r.stdout != "" {
			t.Fatalf("a failed create wrote to the default tenant: %v", r)
		}
	})
}

// --tenant scopes both commands: users of one tenant are invisible from
// another, and the same email may exist in both.
func TestUsersTenantIsolation(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		a := openApp(t, env)
		acme := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
		if err := a.Directory.CreateTenant(context.Background(), acme); err != nil {
			t.Fatal(err)
		}
		_ = a.Close()

		u := oneJSON(t, mustRun(t, env, "users", "create", "--tenant", "acme", "--email", "wile@acme.test"))
		if u["tenant_id"] != acme.ID {
			t.Fatalf("user in tenant %v, want %s", u["tenant_id"], acme.ID)
		}
		if r := mustRun(t, env, "users", "list"); r.stdout != "" {
			t.Fatalf("the default tenant sees acme's user: %v", r)
		}
		mustRun(t, env, "users", "create", "--email", "wile@acme.test")
		for _, tenant := range []string{"acme", acme.ID} { // slug or ID
			list := jsonLines(t, mustRun(t, env, "users", "list", "--tenant", tenant).stdout)
			if len(list) != 1 || list[0]["id"] != u["id"] {
				t.Fatalf("--tenant %s: %v", tenant, list)
			}
		}
	})
}

func TestClientsCreateAndList(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		r := mustRun(t, env, "clients", "create", "--name", "svc", "--grant-type", "client_credentials", "--scope", "api:read")
		var out struct {
			Client       map[string]any `json:"client"`
			ClientSecret string         `json:"client_secret"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%v: %v", err, r)
		}
		clientID, _ := out.Client["client_id"].(string)
		if clientID == "" || out.ClientSecret == "" || out.Client["client_name"] != "svc" || out.Client["scope"] != "api:read" ||
			out.Client["token_endpoint_auth_method"] != "client_secret_basic" {
			t.Fatalf("created client: %v", r)
		}
		if strings.Contains(r.stderr, out.ClientSecret) {
			t.Fatal("the client secret is logged")
		}
		// The secret printed once is the one stored (as a keyed hash).
		a := openApp(t, env)
		sc, err := a.Directory.Resolve(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		c, err := sc.Store.Clients().Get(t.Context(), sc.Tenant.ID, clientID)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Directory.VerifyClientSecret(c, out.ClientSecret) || a.Directory.VerifyClientSecret(c, out.ClientSecret+"x") {
			t.Fatal("the printed secret does not verify against the stored client")
		}

		// A public client gets no secret.
		pub := oneJSON(t, mustRun(t, env, "clients", "create", "--name", "spa", "--auth-method", "none",
			"--redirect-uri", "https://spa.example.com/cb", "--application-type", "web"))
		if _, ok := pub["client_secret"]; ok {
			t.Fatalf("public client got a secret: %v", pub)
		}
		// Invalid metadata is refused with the field named, and writes nothing.
		bad := run(t, env, "clients", "create", "--name", "bad", "--redirect-uri", "http://evil.example.com/cb")
		if bad.code != 1 || bad.stdout != "" || !strings.Contains(bad.stderr, "invalid input:\n  redirect_uris") {
			t.Fatalf("invalid client: %v", bad)
		}

		r = mustRun(t, env, "clients", "list")
		list := jsonLines(t, r.stdout)
		if len(list) != 2 {
			t.Fatalf("list: %v", r)
		}
		ids := map[any]bool{list[0]["client_id"]: true, list[1]["client_id"]: true}
		if !ids[clientID] || !ids[pub["client"].(map[string]any)["client_id"]] {
			t.Fatalf("list lacks a client: %v", r)
		}
		if strings.Contains(r.stdout, out.ClientSecret) || strings.Contains(r.stdout, "secret\"") {
			t.Fatalf("list shows a secret: %v", r)
		}
		if r := mustRun(t, env, "clients", "list", "--limit", "1"); len(jsonLines(t, r.stdout)) != 1 || !strings.Contains(r.stderr, "more clients exist") {
			t.Fatalf("--limit 1: %v", r)
		}
	})
}

// TestUsersCreateRegion: --region places the user's data in that region's
// database; a region the server does not have is refused and writes
// nothing.
func TestUsersCreateRegion(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		dir := t.TempDir()
		env["GATEHOUSE_REGIONS"] = "eu=sqlite:" + filepath.Join(dir, "eu.db") + ";us=sqlite:" + filepath.Join(dir, "us.db")
		env["GATEHOUSE_DEFAULT_REGION"] = "eu"
		migrated(t, env)
		u := oneJSON(t, mustRun(t, env, "users", "create", "--email", "us@example.com", "--region", "us"))
		if u["region"] != "us" {
			t.Fatalf("--region us: %v", u)
		}
		d := oneJSON(t, mustRun(t, env, "users", "create", "--email", "default@example.com"))
		if d["region"] != "eu" {
			t.Fatalf("no --region: %v", d)
		}
		if r := run(t, env, "users", "create", "--email", "mars@example.com", "--region", "mars"); r.code == 0 || !strings.Contains(r.stderr, "region") {
			t.Fatalf("--region mars: %v", r)
		}
		a := openApp(t, env)
		defer a.Close()
		sc, err := a.Directory.Resolve(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Store.Users().GetByEmail(t.Context(), sc.Tenant.ID, "mars@example.com"); err == nil {
			t.Fatal("a refused --region wrote a user")
		}
		us, err := a.Regions.RegionStore("us").Users().Get(t.Context(), sc.Tenant.ID, u["id"].(string))
		if err != nil || us.Email != "us@example.com" {
			t.Fatalf("the us database lacks the user: %v %v", us, err)
		}
	})
}

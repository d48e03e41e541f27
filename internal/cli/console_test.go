package cli_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// consoleRole reads the console role of the default tenant's user email.
func consoleRole(t *testing.T, env map[string]string, email string) string {
	t.Helper()
	a := openApp(t, env)
	defer a.Close()
	sc, err := a.Directory.Resolve(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	users, _, err := sc.Store.Users().List(t.Context(), sc.Tenant.ID, store.UserFilter{Email: email}, store.Page{Limit: 1}.Norm())
	if err != nil || len(users) != 1 {
		t.Fatalf("user %s: %v %d", email, err, len(users))
	}
	role, err := directory.ConsoleRole(t.Context(), sc, users[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return role
}

// `users create --role` makes a console admin; an unknown role, or
// superadmin outside the default tenant, is refused before anything is
// written.
func TestUsersCreateWithConsoleRole(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		migrated(t, env)
		mustRun(t, env, "users", "create", "--email", "admin@example.com", "--password", "correct horse battery staple",
			"--role", "gatehouse:admin")
		if got := consoleRole(t, env, "admin@example.com"); got != directory.RoleConsoleAdmin {
			t.Fatalf("role %q", got)
		}
		// A second user reuses the role.
		mustRun(t, env, "users", "create", "--email", "viewer@example.com", "--role", "gatehouse:viewer")
		if got := consoleRole(t, env, "viewer@example.com"); got != directory.RoleConsoleViewer {
			t.Fatalf("role %q", got)
		}
		r := run(t, env, "users", "create", "--email", "x@example.com", "--role", "gatehouse:root")
		if r.code == 0 || !strings.Contains(r.stderr, "gatehouse:admin") {
			t.Fatalf("unknown role: %v", r)
		}
		if out := mustRun(t, env, "users", "list", "--email", "x@example.com"); strings.TrimSpace(out.stdout) != "" {
			t.Fatalf("a refused create wrote a user: %s", out.stdout)
		}
	})
}

// GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL/PASSWORD make the first console admin
// on first start, once; setting only one of them is refused.
func TestServeBootstrapConsoleAdmin(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		env = serveEnv(env)
		env["GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL"] = "first@example.com"
		half := map[string]string{}
		for k, v := range env {
			half[k] = v
		}
		p := startServe(t, half)
		if code := p.wait(); code == 0 || !strings.Contains(p.stderr.String(), "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD") {
			t.Fatalf("email without password: exit %d %s", code, p.stderr)
		}
		env["GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD"] = "bootstrap admin password 1"
		for range 2 { // the second start changes nothing
			s := startServe(t, env)
			s.waitReady()
			if code := s.stop(); code != 0 {
				t.Fatalf("exit %d\n%s", code, s.stderr)
			}
			if strings.Contains(s.stdout.String()+s.stderr.String(), "bootstrap admin password 1") {
				t.Fatal("the password was printed")
			}
		}
		if got := consoleRole(t, env, "first@example.com"); got != directory.RoleConsoleAdmin {
			t.Fatalf("role %q", got)
		}
	})
}

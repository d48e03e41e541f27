package cli_test

import (
	"os/exec"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	t.Parallel()
	r := mustRun(t, nil, "version")
	if !strings.HasPrefix(r.stdout, "gatehouse dev") || strings.Count(r.stdout, "\n") != 1 || r.stderr != "" {
		t.Fatalf("version: %v", r)
	}
}

func TestVersionOfReleaseBuild(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(binary(t), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	// -ldflags -X replaces "dev", and no VCS suffix is added to a release version.
	if got, want := string(out), "gatehouse "+testVersion+"\n"; got != want {
		t.Fatalf("version = %q, want %q", got, want)
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "frobnicate")
	if r.code != 1 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) || r.stdout != "" {
		t.Fatalf("unknown command: %v", r)
	}
}

// An invalid setting stops every command before it touches anything, with
// one line that names the variable (or flag) to fix.
func TestInvalidConfigIsOneLinePerSetting(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"addr", map[string]string{"GATEHOUSE_ADDR": "nonsense"}, nil, `invalid GATEHOUSE_ADDR "nonsense" (from GATEHOUSE_ADDR)`},
		{"database scheme", map[string]string{"GATEHOUSE_DATABASE": "mysql://x"}, nil, `invalid GATEHOUSE_DATABASE "mysql://x" (from GATEHOUSE_DATABASE)`},
		{"database without path", map[string]string{"GATEHOUSE_DATABASE": "sqlite:"}, nil, "invalid GATEHOUSE_DATABASE"},
		{"mode", map[string]string{"GATEHOUSE_MODE": "prod"}, nil, "invalid GATEHOUSE_MODE"},
		{"log format", map[string]string{"GATEHOUSE_LOG_FORMAT": "xml"}, nil, "invalid GATEHOUSE_LOG_FORMAT"},
		{"shutdown timeout", map[string]string{"GATEHOUSE_SHUTDOWN_TIMEOUT": "soon"}, nil, "invalid GATEHOUSE_SHUTDOWN_TIMEOUT"},
		{"argon2 memory", map[string]string{"GATEHOUSE_ARGON2_MEMORY_KIB": "1"}, nil, "invalid GATEHOUSE_ARGON2_MEMORY_KIB"},
		{"flag wins and is named", map[string]string{"GATEHOUSE_ADDR": "127.0.0.1:1"}, []string{"--addr", "nonsense"}, `invalid GATEHOUSE_ADDR "nonsense" (from --addr)`},
		{"production needs a secret key", map[string]string{"GATEHOUSE_MODE": "production", "GATEHOUSE_ISSUER": "https://id.example.com", "GATEHOUSE_SECRET_KEY": "", "GATEHOUSE_SMTP_URL": "smtp://127.0.0.1:2525"}, nil, "invalid GATEHOUSE_SECRET_KEY: required when GATEHOUSE_MODE=production"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := baseEnv(t, sqliteURL(t))
			for k, v := range c.env {
				env[k] = v
			}
			for _, cmd := range [][]string{{"migrate", "status"}, {"users", "list"}, {"serve"}} {
				r := run(t, env, append(cmd, c.args...)...)
				if r.code != 1 || r.stdout != "" {
					t.Fatalf("%s: %v", cmd, r)
				}
				if lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); len(lines) != 1 {
					t.Fatalf("%s: want one line on stderr, got %d: %q", cmd, len(lines), r.stderr)
				}
				if !strings.HasPrefix(r.stderr, "gatehouse: ") || !strings.Contains(r.stderr, c.want) {
					t.Fatalf("%s: stderr %q does not contain %q", cmd, r.stderr, c.want)
				}
			}
		})
	}
}

func TestInvalidConfigReportsEverySetting(t *testing.T) {
	t.Parallel()
	env := baseEnv(t, "mysql://x")
	env["GATEHOUSE_ADDR"] = "nonsense"
	env["GATEHOUSE_LOG_LEVEL"] = "loud"
	r := run(t, env, "migrate", "status")
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if r.code != 1 || len(lines) != 3 {
		t.Fatalf("want three error lines: %v", r)
	}
	for i, v := range []string{"GATEHOUSE_ADDR", "GATEHOUSE_DATABASE", "GATEHOUSE_LOG_LEVEL"} {
		if !strings.Contains(lines[i], "invalid "+v+" ") {
			t.Errorf("line %d %q does not name %s", i+1, lines[i], v)
		}
	}
}

// Errors about secret settings name them without echoing their value.
func TestInvalidSecretSettingIsNotEchoed(t *testing.T) {
	t.Parallel()
	const token = "too-short-tkn" // GATEHOUSE_ADMIN_TOKEN needs 16+ characters
	env := baseEnv(t, sqliteURL(t))
	env["GATEHOUSE_ADMIN_TOKEN"] = token
	r := run(t, env, "serve")
	if r.code != 1 || !strings.Contains(r.stderr, `invalid GATEHOUSE_ADMIN_TOKEN "(hidden)"`) {
		t.Fatalf("short admin token: %v", r)
	}
	if strings.Contains(r.stderr+r.stdout, token) {
		t.Fatalf("the admin token is echoed: %v", r)
	}
}

// A database URL may carry a password: a mistyped one (here the scheme)
// must not be echoed with it.
func TestInvalidDatabaseURLDoesNotEchoPassword(t *testing.T) {
	t.Parallel()
	env := baseEnv(t, "postgress://admin:hunter2@db.internal/gatehouse")
	r := run(t, env, "migrate", "status")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid GATEHOUSE_DATABASE") {
		t.Fatalf("mistyped database URL: %v", r)
	}
	if strings.Contains(r.stderr, "hunter2") {
		t.Fatalf("the database password is echoed: %q", r.stderr)
	}
}

func TestMigrateUpAndStatus(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		// A fresh database: every migration pending, and status says so
		// with a non-zero exit for scripts ("is this database ready?").
		r := run(t, env, "migrate", "status")
		if r.code != 1 || !strings.Contains(r.stderr, "pending") {
			t.Fatalf("status on a fresh database: %v", r)
		}
		before := migrationLines(t, r.stdout)
		for _, l := range before {
			if !strings.HasSuffix(l, "pending") {
				t.Fatalf("fresh database, line %q is not pending", l)
			}
		}
		if !strings.Contains(before[0], "00001_init.sql") {
			t.Fatalf("first migration: %q", before[0])
		}

		if r := mustRun(t, env, "migrate", "up"); r.stdout != "migrations applied\n" {
			t.Fatalf("migrate up: %v", r)
		}
		r = mustRun(t, env, "migrate", "status")
		after := migrationLines(t, r.stdout)
		if len(after) != len(before) {
			t.Fatalf("status lists %d migrations after up, %d before", len(after), len(before))
		}
		for i, l := range after {
			if !strings.Contains(l, " applied ") {
				t.Fatalf("after up, line %q is not applied", l)
			}
			if strings.Fields(l)[1] != strings.Fields(before[i])[1] {
				t.Fatalf("line %d names %q, was %q", i, l, before[i])
			}
		}
		// Up again is a no-op.
		mustRun(t, env, "migrate", "up")
		if again := migrationLines(t, mustRun(t, env, "migrate", "status").stdout); strings.Join(again, "\n") != strings.Join(after, "\n") {
			t.Fatalf("second up changed the status:\n%s\nvs\n%s", again, after)
		}
	})
}

func migrationLines(t *testing.T, stdout string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatalf("status lists no migrations: %q", stdout)
	}
	return lines
}

// The admin commands never migrate: on an unmigrated database they fail
// and leave it unmigrated.
func TestAdminCommandsDoNotMigrate(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, env map[string]string) {
		for _, cmd := range [][]string{{"users", "list"}, {"users", "create", "--email", "a@example.com"}, {"clients", "list"}} {
			if r := run(t, env, cmd...); r.code != 1 || r.stdout != "" {
				t.Fatalf("%s on an unmigrated database: %v", cmd, r)
			}
		}
		if r := run(t, env, "migrate", "status"); r.code != 1 || strings.Contains(r.stdout, "applied") {
			t.Fatalf("an admin command migrated the database: %v", r)
		}
	})
}

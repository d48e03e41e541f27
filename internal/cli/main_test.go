package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/cli"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
)

// Shared helpers of the command-line tests: running cli.Main in process,
// database environments for SQLite and PostgreSQL, and the gatehouse binary
// (built once per test run) for the tests that need a real process.

const (
	// testSecretKey is a 40-character GATEHOUSE_SECRET_KEY.
	testSecretKey = "cli-test-secret-key-0123456789abcdefghij"
	// testVersion is linked into the test binary, as a release build would.
	testVersion = "v0.0.0-clitest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// result is what one run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run calls cli.Main with args and env as the only environment.
func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, &out, &errb, func(k string) string { return env[k] })
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// mustRun runs the command and fails the test unless it exits 0.
func mustRun(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := run(t, env, args...)
	if r.code != 0 {
		t.Fatalf("gatehouse %s: %v", strings.Join(args, " "), r)
	}
	return r
}

// baseEnv is a complete configuration for database dbURL with a data dir
// of its own and cheap password hashes.
func baseEnv(t *testing.T, dbURL string) map[string]string {
	return map[string]string{
		"GATEHOUSE_DATABASE":          dbURL,
		"GATEHOUSE_DATA_DIR":          t.TempDir(),
		"GATEHOUSE_SECRET_KEY":        testSecretKey,
		"GATEHOUSE_ARGON2_MEMORY_KIB": "8192",
		"GATEHOUSE_ARGON2_TIME":       "1",
	}
}

func sqliteURL(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "gatehouse.db")
}

// postgresURL returns a URL of the test database whose search_path is a
// schema of this test's own (pgtest); it skips the test when no database
// is configured (locally PostgreSQL is opt-in; CI sets it).
func postgresURL(t *testing.T) string { return pgtest.SchemaURL(t, "gh_cli") }

// eachEngine runs fn as a subtest per database engine, each with a fresh,
// empty database.
func eachEngine(t *testing.T, fn func(t *testing.T, env map[string]string)) {
	t.Helper()
	for _, e := range []struct {
		name string
		url  func(t *testing.T) string
	}{{"sqlite", sqliteURL}, {"postgres", postgresURL}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, baseEnv(t, e.url(t)))
		})
	}
}

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// binary returns the path of a gatehouse binary built from this tree, once
// per test run, with Version set through -ldflags as releases are.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		goTool, err := exec.LookPath("go") // go test puts GOROOT/bin first on PATH
		if err != nil {
			buildErr = fmt.Errorf("the go command is needed to build the binary: %w", err)
			return
		}
		if binDir, err = os.MkdirTemp("", "gatehouse-cli-test-"); err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(binDir, "gatehouse")
		cmd := exec.Command(goTool, "build",
			"-ldflags", "-X github.com/gatehouse-iam/gatehouse/internal/cli.Version="+testVersion,
			"-o", binPath, "github.com/gatehouse-iam/gatehouse/cmd/gatehouse")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

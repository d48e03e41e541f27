package api_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestChangelogCheck runs .ci/api-changelog, the CI step that wants an
// api/CHANGELOG.md entry for every change to the contract, in a scratch
// repository: a contract change without an entry fails it; with one, or
// with no contract change, it passes.
func TestChangelogCheck(t *testing.T) {
	script, err := filepath.Abs("../.ci/api-changelog")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The script runs from the repository it lives in.
	body, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	write(".ci/api-changelog", string(body))
	if err := os.Chmod(filepath.Join(dir, ".ci/api-changelog"), 0o755); err != nil {
		t.Fatal(err)
	}
	check := func(base string) (bool, string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(dir, ".ci/api-changelog"))
		cmd.Env = append(os.Environ(), "GATEHOUSE_API_BASE="+base)
		out, err := cmd.CombinedOutput()
		if _, failed := err.(*exec.ExitError); err != nil && !failed {
			t.Fatal(err)
		}
		return err == nil, string(out)
	}

	git("init", "-q")
	write("api/openapi.yaml", "openapi: 3.1.0\npaths: {}\n")
	write("api/CHANGELOG.md", "# changelog\n")
	git("add", "-A")
	git("commit", "-qm", "first")
	if ok, out := check("HEAD~1"); !ok {
		t.Errorf("no previous commit: want a pass, got %s", out)
	}

	write("README.md", "unrelated\n")
	git("add", "-A")
	git("commit", "-qm", "no contract change")
	if ok, out := check("HEAD~1"); !ok {
		t.Errorf("contract unchanged: want a pass, got %s", out)
	}

	write("api/openapi.yaml", "openapi: 3.1.0\npaths: {/x: {}}\n")
	write("api/CHANGELOG.md", "# changelog\n\n\n")
	git("add", "-A")
	git("commit", "-qm", "contract change, blank lines in the changelog")
	if ok, out := check("HEAD~1"); ok || !strings.Contains(out, "no new entry") {
		t.Errorf("contract changed without an entry: want a failure, got ok=%v %s", ok, out)
	}

	write("api/CHANGELOG.md", "# changelog\n\n- `/x`: new.\n")
	git("add", "-A")
	git("commit", "-qm", "the entry")
	if ok, out := check("HEAD~2"); !ok {
		t.Errorf("contract and changelog changed in the range: want a pass, got %s", out)
	}
	// The work tree counts too, as for .ci/api-breaking.
	write("api/openapi.yaml", "openapi: 3.1.0\npaths: {/y: {}}\n")
	if ok, out := check("HEAD"); ok {
		t.Errorf("uncommitted contract change without an entry: want a failure, got %s", out)
	}
}

package oidc_test

import (
	"os"
	"os/exec"
	"testing"
)

// rpDir is testdata/rp, where the independent node clients (oauth4webapi,
// openid-client) live, once node and the packages (npm ci there) are
// found. Without them the test is skipped, except in CI, which must run
// it (.ci/run installs them).
func rpDir(t *testing.T) string {
	t.Helper()
	dir := "testdata/rp"
	_, errNode := exec.LookPath("node")
	_, errPkg := os.Stat(dir + "/node_modules/oauth4webapi/package.json")
	if errNode != nil || errPkg != nil {
		msg := "oauth4webapi unavailable (node: %v, package: %v): run npm ci in internal/protocol/oidc/testdata/rp"
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, errNode, errPkg)
		}
		t.Skipf(msg, errNode, errPkg)
	}
	return dir
}

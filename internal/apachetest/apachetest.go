// Package apachetest starts Apache httpd on loopback for tests that
// check Gatehouse against an Apache module written independently of it
// (mod_auth_openidc, mod_auth_mellon). Without apache2 or the module the
// test is skipped, except under CI=true, where it fails (.ci/run
// installs them).
package apachetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/testnet"
)

const (
	// Bin is Debian's Apache binary.
	Bin = "/usr/sbin/apache2"
	// Modules is where Debian keeps Apache's modules.
	Modules = "/usr/lib/apache2/modules"
)

// Require skips the test (fails it under CI=true) unless apache2 and the
// module file (e.g. "mod_auth_mellon.so") are installed; pkg names the
// Debian package that has the module.
func Require(t testing.TB, module, pkg string) {
	t.Helper()
	_, errBin := os.Stat(Bin)
	_, errMod := os.Stat(filepath.Join(Modules, module))
	if errBin != nil || errMod != nil {
		msg := "apache2 or " + strings.TrimSuffix(module, ".so") + " unavailable (%v, %v): apt-get install apache2 " + pkg
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, errBin, errMod)
		}
		t.Skipf(msg, errBin, errMod)
	}
}

// Dir makes the server's directory (ServerRoot), with htdocs/protected/
// index.html saying "the protected page", readable by the unprivileged
// children of an Apache started as root.
func Dir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for d := dir; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()) && d != os.TempDir(); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	if err := os.MkdirAll(filepath.Join(dir, "htdocs", "protected"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "htdocs", "protected", "index.html"), []byte("the protected page\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t testing.TB) int { return testnet.FreePort(t) }

// Start runs Apache in the foreground from dir (Dir's) on 127.0.0.1:port
// with the core modules, the module named (e.g. "auth_mellon"), logging
// at logLevel, and conf appended to the configuration; it stops it when
// the test ends (printing its logs if the test failed) and returns its
// base URL once it accepts connections.
func Start(t testing.TB, dir string, port int, module, logLevel, conf string) string {
	t.Helper()
	user := ""
	if os.Geteuid() == 0 {
		user = "User daemon\nGroup daemon\n"
	}
	full := user + fmt.Sprintf(`ServerRoot %[1]s
Listen 127.0.0.1:%[2]d
ServerName 127.0.0.1
PidFile %[1]s/httpd.pid
DefaultRuntimeDir %[1]s
Mutex file:%[1]s default
ErrorLog %[1]s/error.log
LogLevel %[5]s
LoadModule mpm_event_module %[3]s/mod_mpm_event.so
LoadModule authn_core_module %[3]s/mod_authn_core.so
LoadModule authz_core_module %[3]s/mod_authz_core.so
LoadModule authz_user_module %[3]s/mod_authz_user.so
LoadModule %[4]s_module %[3]s/mod_%[4]s.so
DocumentRoot %[1]s/htdocs
`, dir, port, Modules, module, logLevel) + conf
	confPath := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(confPath, []byte(full), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Bin, "-d", dir, "-f", confPath, "-DFOREGROUND")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // stops its children too
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("apache output:\n%s\nerror.log:\n%s", out.String(), log)
		}
	})
	for range 100 {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			_ = c.Close()
			return fmt.Sprintf("http://127.0.0.1:%d", port)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("apache did not start: %s", out.String())
	return ""
}

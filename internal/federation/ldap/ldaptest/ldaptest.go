// Package ldaptest starts a real OpenLDAP server (Debian's slapd) on a
// free loopback port for tests outside internal/federation/ldap (the
// hosted login and the JSON login API against a directory). Without
// slapd the caller's test skips, except in CI (CI=true), where a missing
// slapd is a failure. The directory holds dc=example,dc=org with the
// people alice (alicepw, groups admins and staff), bob (bobpw, staff)
// and mallory (mallorypw), mail addresses @example.org; its root
// cn=admin,dc=example,dc=org has the password "secret".
package ldaptest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Seed is the directory's content.
const Seed = `dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,dc=example,dc=org
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=example,dc=org
objectClass: organizationalUnit
ou: groups

dn: uid=alice,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: alice
cn: Alice Liddell
givenName: Alice
sn: Liddell
mail: alice@example.org
departmentNumber: research
userPassword: alicepw

dn: uid=bob,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: bob
cn: Bob Builder
sn: Builder
mail: bob@example.org
userPassword: bobpw

dn: uid=mallory,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: mallory
cn: Mallory
sn: Mallory
mail: mallory@example.org
userPassword: mallorypw

dn: cn=admins,ou=groups,dc=example,dc=org
objectClass: groupOfNames
cn: admins
member: uid=alice,ou=people,dc=example,dc=org

dn: cn=staff,ou=groups,dc=example,dc=org
objectClass: groupOfNames
cn: staff
member: uid=alice,ou=people,dc=example,dc=org
member: uid=bob,ou=people,dc=example,dc=org
`

// Settings of a connection to the directory (the Admin API's member
// names), BindPassword aside.
const (
	BindDN            = "cn=admin,dc=example,dc=org"
	BindPassword      = "secret"
	UserSearchBase    = "ou=people,dc=example,dc=org"
	UserSearchFilter  = "(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))"
	GroupSearchBase   = "ou=groups,dc=example,dc=org"
	GroupSearchFilter = "(&(objectClass=groupOfNames)(member={dn}))"
)

// Server is a running slapd.
type Server struct {
	URL    string // ldap://127.0.0.1:port
	cmd    *exec.Cmd
	stderr *bytes.Buffer
}

func find() string {
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/slapd"); err == nil {
		return "/usr/sbin/slapd"
	}
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts a seeded directory, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := find()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("slapd is not installed (apt-get install slapd ldap-utils); CI requires it")
		}
		t.Skip("slapd is not installed (apt-get install slapd ldap-utils): skipping the LDAP tests")
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile %[1]s/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 104857600
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw secret
directory %[1]s/db
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
`, dir)
	confPath, seedPath := filepath.Join(dir, "slapd.conf"), filepath.Join(dir, "seed.ldif")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seedPath, []byte(Seed), 0o600); err != nil {
		t.Fatal(err)
	}
	slapadd := filepath.Join(filepath.Dir(bin), "slapadd")
	if out, err := exec.Command(slapadd, "-f", confPath, "-l", seedPath).CombinedOutput(); err != nil {
		t.Fatalf("slapadd: %v\n%s", err, out)
	}
	s := &Server{URL: fmt.Sprintf("ldap://127.0.0.1:%d", freePort(t)), stderr: &bytes.Buffer{}}
	// -d 0 keeps slapd in the foreground, so the test owns the process.
	s.cmd = exec.Command(bin, "-d", "0", "-h", s.URL+"/", "-f", confPath)
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "ldap://"), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd did not start: %s", s.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop kills the server (the directory is then down).
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

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
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/testnet"
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
	URL string // ldap://127.0.0.1:port
	// LDAPSURL and CAPEM are set by StartTLS: ldaps:// on a second port,
	// StartTLS on URL, a self-signed certificate for 127.0.0.1.
	LDAPSURL string
	CAPEM    string
	cmd      *exec.Cmd
	stderr   *bytes.Buffer
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

// Start starts a seeded directory, stopped when the test ends.
func Start(t testing.TB) *Server { t.Helper(); return start(t, false) }

// StartTLS is Start with LDAPS and StartTLS.
func StartTLS(t testing.TB) *Server { t.Helper(); return start(t, true) }

func start(t testing.TB, withTLS bool) *Server {
	t.Helper()
	bin := find()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("slapd is not installed (apt-get install slapd ldap-utils); CI requires it")
		}
		t.Skip("slapd is not installed (apt-get install slapd ldap-utils): skipping the LDAP tests")
	}
	dir := t.TempDir()
	var caPEM string
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
	if withTLS {
		var certPath, keyPath string
		caPEM, certPath, keyPath = WriteCert(t, dir)
		conf = "TLSCertificateFile " + certPath + "\nTLSCertificateKeyFile " + keyPath + "\n" + conf
	}
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
	s := &Server{URL: fmt.Sprintf("ldap://127.0.0.1:%d", testnet.FreePort(t)), stderr: &bytes.Buffer{}}
	listen := s.URL + "/"
	if withTLS {
		s.LDAPSURL, s.CAPEM = fmt.Sprintf("ldaps://127.0.0.1:%d", testnet.FreePort(t)), caPEM
		listen += " " + s.LDAPSURL + "/"
	}
	// -d 0 keeps slapd in the foreground, so the test owns the process.
	s.cmd = exec.Command(bin, "-d", "0", "-h", listen, "-f", confPath)
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

// WriteCert makes a self-signed certificate for 127.0.0.1 and returns it
// as PEM with the paths of the certificate and key files.
func WriteCert(t testing.TB, dir string) (caPEM, certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "slapd test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	caPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, []byte(caPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return caPEM, certPath, keyPath
}

package ldap_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap/ldaptest"
	goldap "github.com/go-ldap/ldap/v3"
)

// A real Active Directory domain controller (Debian's Samba AD DC,
// `samba samba-ad-provision samba-ad-dc`), provisioned by the test into a
// temporary directory and started on 127.0.0.1 (Samba's LDAP ports are
// fixed: 389 and 636 must be free). Without samba the tests skip, except
// in CI (CI=true), where .ci/run installs it and its absence fails.

const (
	adRealm     = "GATEHOUSE.TEST"
	adBase      = "DC=gatehouse,DC=test"
	adAdminPW   = "Passw0rd!Passw0rd"
	adAlicePW   = "Al1ce!Passw0rd"
	adBobPW     = "B0b!Passw0rd-x"
	adServicePW = "Svc!Passw0rd-123"
	adServiceDN = "CN=svc-gatehouse,CN=Users," + adBase
)

type sambaDC struct {
	CAPEM string
	cmd   *exec.Cmd
	out   *bytes.Buffer
	// Provision and Start are how long each took.
	Provision, Start time.Duration
}

func adUnavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI requires the Samba AD DC tests", why)
	}
	t.Skipf("%s: skipping the Active Directory tests", why)
}

func startSamba(t testing.TB) *sambaDC {
	t.Helper()
	tool, err := exec.LookPath("samba-tool")
	if err != nil {
		adUnavailable(t, "samba-tool is not installed (apt-get install samba samba-ad-provision samba-ad-dc)")
	}
	bin := "/usr/sbin/samba"
	if _, err := os.Stat(bin); err != nil {
		adUnavailable(t, "samba is not installed (apt-get install samba samba-ad-dc)")
	}
	if os.Geteuid() != 0 {
		adUnavailable(t, "samba's AD DC must run as root")
	}
	for _, port := range []string{"389", "636"} {
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 200*time.Millisecond); err == nil {
			c.Close()
			adUnavailable(t, "127.0.0.1:"+port+" is taken (Samba's LDAP ports are fixed)")
		}
	}
	dir := t.TempDir()
	caPEM, certPath, keyPath := ldaptest.WriteCert(t, dir)
	target := filepath.Join(dir, "dc")
	start := time.Now()
	out, err := exec.Command(tool, "domain", "provision", "--targetdir="+target, "--realm="+adRealm, "--domain=GH",
		"--server-role=dc", "--dns-backend=NONE", "--use-rfc2307", "--adminpass="+adAdminPW, "--host-ip=127.0.0.1",
		"--option=interfaces = lo", "--option=bind interfaces only = yes", "--option=server services = ldap",
		"--option=tls enabled = yes", "--option=tls keyfile = "+keyPath, "--option=tls certfile = "+certPath,
		"--option=tls cafile = ").CombinedOutput()
	if err != nil {
		t.Fatalf("samba-tool domain provision: %v\n%s", err, out)
	}
	s := &sambaDC{CAPEM: caPEM, out: &bytes.Buffer{}, Provision: time.Since(start)}
	start = time.Now()
	// -i keeps samba in the foreground; -M single keeps it one process.
	s.cmd = exec.Command(bin, "-i", "-M", "single", "-s", filepath.Join(target, "etc", "smb.conf"))
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	deadline := time.Now().Add(90 * time.Second)
	for {
		c, err := tls.Dial("tcp", "127.0.0.1:636", s.tlsConfig())
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("samba did not start: %v\n%s", err, s.out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Start = time.Since(start)
	t.Logf("Samba AD DC: provisioned in %v, started in %v", s.Provision.Round(time.Millisecond), s.Start.Round(time.Millisecond))
	s.seed(t)
	return s
}

func (s *sambaDC) tlsConfig() *tls.Config {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(s.CAPEM))
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

func (s *sambaDC) stop() {
	if s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
}

// unicodePwd is AD's password attribute: the quoted password in UTF-16LE.
func unicodePwd(pw string) string {
	u := utf16.Encode([]rune(`"` + pw + `"`))
	b := make([]byte, 2*len(u))
	for i, r := range u {
		binary.LittleEndian.PutUint16(b[2*i:], r)
	}
	return string(b)
}

// seed adds, as Administrator over LDAPS: the service account, alice
// (in eng, which is in staff: nested) and bob (in staff), and a group
// nobody is in.
func (s *sambaDC) seed(t testing.TB) {
	t.Helper()
	conn, err := goldap.DialURL("ldaps://127.0.0.1:636", goldap.DialWithTLSConfig(s.tlsConfig()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind("Administrator@gatehouse.test", adAdminPW); err != nil {
		t.Fatal(err)
	}
	user := func(cn, sam, pw, mail, given, sn string) {
		r := goldap.NewAddRequest("CN="+cn+",CN=Users,"+adBase, nil)
		r.Attribute("objectClass", []string{"top", "person", "organizationalPerson", "user"})
		r.Attribute("sAMAccountName", []string{sam})
		r.Attribute("userPrincipalName", []string{sam + "@gatehouse.test"})
		r.Attribute("displayName", []string{cn})
		if mail != "" {
			r.Attribute("mail", []string{mail})
		}
		if given != "" {
			r.Attribute("givenName", []string{given})
			r.Attribute("sn", []string{sn})
		}
		r.Attribute("unicodePwd", []string{unicodePwd(pw)})
		r.Attribute("userAccountControl", []string{"512"}) // a normal, enabled account
		if err := conn.Add(r); err != nil {
			t.Fatalf("add %s: %v", cn, err)
		}
	}
	group := func(cn string, members ...string) {
		r := goldap.NewAddRequest("CN="+cn+",CN=Users,"+adBase, nil)
		r.Attribute("objectClass", []string{"top", "group"})
		r.Attribute("sAMAccountName", []string{cn})
		if len(members) > 0 {
			r.Attribute("member", members)
		}
		if err := conn.Add(r); err != nil {
			t.Fatalf("add %s: %v", cn, err)
		}
	}
	user("svc-gatehouse", "svc-gatehouse", adServicePW, "", "", "")
	user("Alice Liddell", "alice", adAlicePW, "alice@corp.test", "Alice", "Liddell")
	user("Bob Builder", "bob", adBobPW, "bob@corp.test", "Bob", "Builder")
	group("eng", "CN=Alice Liddell,CN=Users,"+adBase)
	group("staff", "CN=eng,CN=Users,"+adBase, "CN=Bob Builder,CN=Users,"+adBase)
	group("nobody-here")
}

// guidString asks the DC itself for an entry's objectGUID in its string
// form (the extended DN control, 1.2.840.113556.1.4.529, with flag 1).
func (s *sambaDC) guidString(t testing.TB, sam string) string {
	t.Helper()
	conn, err := goldap.DialURL("ldaps://127.0.0.1:636", goldap.DialWithTLSConfig(s.tlsConfig()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind("Administrator@gatehouse.test", adAdminPW); err != nil {
		t.Fatal(err)
	}
	ctl := goldap.NewControlString("1.2.840.113556.1.4.529", true, string([]byte{0x30, 0x03, 0x02, 0x01, 0x01}))
	res, err := conn.Search(goldap.NewSearchRequest(adBase, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(sAMAccountName=%s)", goldap.EscapeFilter(sam)), []string{"dn"}, []goldap.Control{ctl}))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("extended DN of %s: %v", sam, err)
	}
	dn := res.Entries[0].DN
	i, j := strings.Index(dn, "<GUID="), strings.Index(dn, ">")
	if i < 0 || j < i {
		t.Fatalf("no GUID in %q", dn)
	}
	return strings.ToLower(dn[i+len("<GUID=") : j])
}

// referrals counts the continuation references a subtree search of the
// domain's root returns (what the connector skips).
func (s *sambaDC) referrals(t testing.TB) int {
	t.Helper()
	conn, err := goldap.DialURL("ldaps://127.0.0.1:636", goldap.DialWithTLSConfig(s.tlsConfig()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind(adServiceDN, adServicePW); err != nil {
		t.Fatal(err)
	}
	res, err := conn.Search(goldap.NewSearchRequest(adBase, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		"(sAMAccountName=alice)", []string{"dn"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Referrals)
}

package ldap_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap"
)

func config(url string) federation.Config {
	return federation.Config{
		URL:               url,
		BindDN:            "cn=admin,dc=example,dc=org",
		UserSearchBase:    "ou=people,dc=example,dc=org",
		UserSearchFilter:  "(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))",
		GroupSearchBase:   "ou=groups,dc=example,dc=org",
		GroupSearchFilter: "(&(objectClass=groupOfNames)(member={dn}))",
		Preset:            federation.PresetOpenLDAP,
	}
}

func connector(t testing.TB, url string, timeout time.Duration) *ldap.Connector {
	t.Helper()
	c, err := ldap.New(config(url), federation.Secrets{BindPassword: "secret"},
		map[string]string{"departmentNumber": "attributes.department"}, ldap.Options{Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLDAPAgainstSlapd(t *testing.T) {
	d := startSlapd(t)
	c := connector(t, d.URL, 3*time.Second)
	ctx := t.Context()

	t.Run("sign-in with uid, groups and attributes", func(t *testing.T) {
		id, ok, err := c.Login(ctx, "alice", "alicepw")
		if err != nil || !ok {
			t.Fatalf("Login: ok=%v err=%v", ok, err)
		}
		if len(id.Subject) != 36 || id.Email != "alice@example.org" || id.EmailVerified || id.Name != "Alice Liddell" ||
			id.GivenName != "Alice" || id.FamilyName != "Liddell" || id.PreferredUsername != "alice" {
			t.Fatalf("identity: %+v", id)
		}
		if !slices.Equal(id.Groups, []string{"admins", "staff"}) {
			t.Fatalf("groups: %v", id.Groups)
		}
		if id.Claims["departmentNumber"] != "research" || id.Claims["dn"] != "uid=alice,ou=people,dc=example,dc=org" {
			t.Fatalf("claims: %v", id.Claims)
		}
		// The same person by email has the same stable subject (entryUUID).
		again, ok, err := c.Login(ctx, "alice@example.org", "alicepw")
		if err != nil || !ok || again.Subject != id.Subject {
			t.Fatalf("by mail: ok=%v err=%v %q vs %q", ok, err, again.Subject, id.Subject)
		}
		bob, ok, err := c.Login(ctx, "bob", "bobpw")
		if err != nil || !ok || !slices.Equal(bob.Groups, []string{"staff"}) || bob.Subject == id.Subject {
			t.Fatalf("bob: ok=%v err=%v %+v", ok, err, bob)
		}
	})

	t.Run("wrong password, unknown user", func(t *testing.T) {
		for _, tc := range [][2]string{{"alice", "bobpw"}, {"alice", "alicepw "}, {"nobody", "alicepw"}, {"bob", "alicepw"}} {
			if id, ok, err := c.Login(ctx, tc[0], tc[1]); ok || err != nil || id.Subject != "" {
				t.Errorf("Login(%q, %q) = %v, %v, %v", tc[0], tc[1], id, ok, err)
			}
		}
	})

	t.Run("empty password is refused before any bind", func(t *testing.T) {
		if _, ok, err := c.Login(ctx, "alice", ""); ok || err != nil {
			t.Fatalf("empty password: ok=%v err=%v", ok, err)
		}
		// Pointed at a port where nothing listens, an empty password still
		// gets a plain "no" and not ErrUnavailable: nothing was dialled.
		down := connector(t, "ldap://127.0.0.1:1", time.Second)
		if _, ok, err := down.Login(ctx, "alice", ""); ok || err != nil {
			t.Fatalf("empty password dialled the directory: ok=%v err=%v", ok, err)
		}
		if _, ok, err := down.Login(ctx, "", "alicepw"); ok || err != nil {
			t.Fatalf("empty identifier dialled the directory: ok=%v err=%v", ok, err)
		}
	})

	t.Run("filter injection", func(t *testing.T) {
		for _, name := range []string{"*", "a*", ")(uid=*", "*)(uid=*))(|(uid=*", "alice)(|(uid=*", `alice\2a`, "alice\x00", "(uid=alice)"} {
			for _, pw := range []string{"alicepw", "bobpw", "mallorypw"} {
				if id, ok, err := c.Login(ctx, name, pw); ok || err != nil {
					t.Errorf("Login(%q, %q) = %+v, %v, %v", name, pw, id, ok, err)
				}
			}
		}
	})

	t.Run("directory down", func(t *testing.T) {
		// Nothing listening.
		closed := connector(t, "ldap://127.0.0.1:1", time.Second)
		if _, ok, err := closed.Login(ctx, "alice", "alicepw"); ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("closed port: ok=%v err=%v", ok, err)
		}
		// A directory that accepts connections and never answers: the
		// timeout ends the attempt.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
			}
		}()
		slow := connector(t, "ldap://"+l.Addr().String(), 300*time.Millisecond)
		start := time.Now()
		if _, ok, err := slow.Login(ctx, "alice", "alicepw"); ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("silent directory: ok=%v err=%v", ok, err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Fatalf("the timeout did not apply: %v", took)
		}
		// A cancelled request ends at once too.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := slow.Login(cctx, "alice", "alicepw"); !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("cancelled: %v", err)
		}
		// Stopping the real directory: the next sign-in is unavailable,
		// not a wrong password.
		d.Stop()
		if _, ok, err := c.Login(ctx, "alice", "alicepw"); ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("stopped slapd: ok=%v err=%v", ok, err)
		}
	})
}

func TestLDAPServiceAccountRefused(t *testing.T) {
	d := startSlapd(t)
	c, err := ldap.New(config(d.URL), federation.Secrets{BindPassword: "wrong"}, nil, ldap.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Login(t.Context(), "alice", "alicepw"); ok || !errors.Is(err, federation.ErrUnavailable) {
		t.Fatalf("wrong service password: ok=%v err=%v", ok, err)
	}
}

func TestLDAPNewValidates(t *testing.T) {
	cfg := config("ldap://127.0.0.1:389")
	cfg.UserSearchFilter = "(uid=alice)"
	if _, err := ldap.New(cfg, federation.Secrets{BindPassword: "x"}, nil, ldap.Options{}); err == nil {
		t.Fatal("a filter without {username} was accepted")
	}
	var ve *federation.ValidationError
	cfg = config("https://ldap.example.org")
	if _, err := ldap.New(cfg, federation.Secrets{BindPassword: "x"}, nil, ldap.Options{}); !errors.As(err, &ve) {
		t.Fatalf("an https URL: %v", err)
	}
}

// LDAPS and StartTLS, with the directory's certificate trusted through
// ca_pem; without it, the certificate is refused and the directory is
// unavailable rather than spoken to in the clear.
func TestLDAPOverTLS(t *testing.T) {
	d := startSlapdWith(t, true)
	ctx := t.Context()
	for name, mut := range map[string]func(*federation.Config){
		"ldaps":    func(c *federation.Config) { c.URL = d.LDAPSURL },
		"StartTLS": func(c *federation.Config) { c.StartTLS = new(true) },
	} {
		cfg := config(d.URL)
		mut(&cfg)
		cfg.CAPEM = d.CAPEM
		c, err := ldap.New(cfg, federation.Secrets{BindPassword: "secret"}, nil, ldap.Options{Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if id, ok, err := c.Login(ctx, "alice", "alicepw"); err != nil || !ok || id.Email != "alice@example.org" {
			t.Errorf("%s: ok=%v err=%v", name, ok, err)
		}
		if _, ok, err := c.Login(ctx, "alice", "wrong"); ok || err != nil {
			t.Errorf("%s wrong password: ok=%v err=%v", name, ok, err)
		}
		cfg.CAPEM = ""
		untrusted, err := ldap.New(cfg, federation.Secrets{BindPassword: "secret"}, nil, ldap.Options{Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := untrusted.Login(ctx, "alice", "alicepw"); ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Errorf("%s with an untrusted certificate: ok=%v err=%v", name, ok, err)
		}
	}
}

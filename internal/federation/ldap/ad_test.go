package ldap_test

import (
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap"
)

func adConnector(t testing.TB, dc *sambaDC, url string, startTLS bool) *ldap.Connector {
	t.Helper()
	cfg := federation.Config{
		URL: url, CAPEM: dc.CAPEM, BindDN: adServiceDN,
		// The domain's root: subtree searches there return referrals
		// (to the configuration and DNS partitions), which are skipped.
		UserSearchBase: adBase, GroupSearchBase: adBase, Preset: federation.PresetActiveDirectory,
	}
	if startTLS {
		cfg.StartTLS = &startTLS
	}
	c, err := ldap.New(cfg, federation.Secrets{BindPassword: adServicePW}, nil, ldap.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var guidForm = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestActiveDirectory(t *testing.T) {
	dc := startSamba(t)
	ctx := t.Context()
	ldaps := adConnector(t, dc, "ldaps://127.0.0.1:636", false)
	startTLS := adConnector(t, dc, "ldap://127.0.0.1:389", true)
	aliceGUID := dc.guidString(t, "alice")
	if n := dc.referrals(t); n == 0 {
		t.Fatal("the DC returned no referrals: the test would not show that they are skipped")
	}

	for name, c := range map[string]*ldap.Connector{"LDAPS": ldaps, "StartTLS": startTLS} {
		t.Run(name, func(t *testing.T) {
			for _, ident := range []string{"alice", "alice@gatehouse.test", `GH\alice`, `gh\alice`, "alice@corp.test"} {
				id, ok, err := c.Login(ctx, ident, adAlicePW)
				if err != nil || !ok {
					t.Fatalf("%s: ok=%v err=%v", ident, ok, err)
				}
				// The binary objectGUID, rendered as AD renders it, is the
				// subject, whichever name was used.
				if id.Subject != aliceGUID || !guidForm.MatchString(id.Subject) {
					t.Fatalf("%s: subject %q, the DC says %q", ident, id.Subject, aliceGUID)
				}
				if id.Email != "alice@corp.test" || id.EmailVerified || id.Name != "Alice Liddell" || id.PreferredUsername != "alice" ||
					id.GivenName != "Alice" || id.FamilyName != "Liddell" {
					t.Fatalf("%s: %+v", ident, id)
				}
				// eng directly, staff through eng (LDAP_MATCHING_RULE_IN_CHAIN).
				if !slices.Equal(id.Groups, []string{"eng", "staff"}) {
					t.Fatalf("%s: groups %v", ident, id.Groups)
				}
				if id.Claims["memberOf"] != "CN=eng,CN=Users,"+adBase {
					t.Fatalf("%s: memberOf %v", ident, id.Claims["memberOf"])
				}
			}
			bob, ok, err := c.Login(ctx, "bob", adBobPW)
			if err != nil || !ok || !slices.Equal(bob.Groups, []string{"staff"}) || bob.Subject == aliceGUID {
				t.Fatalf("bob: ok=%v err=%v %+v", ok, err, bob)
			}
			for _, tc := range [][2]string{{"alice", adBobPW}, {"alice", ""}, {"nobody", adAlicePW}, {`GH\bob`, adAlicePW},
				{"*", adAlicePW}, {"alice)(|(sAMAccountName=*", adAlicePW}, {`GH\`, adAlicePW}} {
				if id, ok, err := c.Login(ctx, tc[0], tc[1]); ok || err != nil {
					t.Errorf("Login(%q) = %+v %v %v", tc[0], id, ok, err)
				}
			}
		})
	}

	t.Run("plain simple bind refused by AD", func(t *testing.T) {
		plain := adConnector(t, dc, "ldap://127.0.0.1:389", false)
		_, ok, err := plain.Login(ctx, "alice", adAlicePW)
		t.Logf("refused: %v", err)
		if ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
	t.Run("LDAPS without the CA", func(t *testing.T) {
		c, err := ldap.New(federation.Config{URL: "ldaps://127.0.0.1:636", BindDN: adServiceDN, UserSearchBase: adBase,
			Preset: federation.PresetActiveDirectory}, federation.Secrets{BindPassword: adServicePW}, nil, ldap.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := c.Login(ctx, "alice", adAlicePW); ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
	t.Run("pooled", func(t *testing.T) {
		before := ldaps.Dials()
		for range 10 {
			if _, ok, err := ldaps.Login(ctx, "alice", adAlicePW); !ok || err != nil {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
		}
		if n := ldaps.Dials() - before; n != 0 {
			t.Fatalf("10 sign-ins dialled %d times", n)
		}
	})
	t.Run("sync", func(t *testing.T) {
		ids, err := ldaps.Sync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]federation.Identity{}
		for _, id := range ids {
			got[id.PreferredUsername] = id
		}
		if got["alice"].Subject != aliceGUID || !slices.Equal(got["alice"].Groups, []string{"eng", "staff"}) ||
			!slices.Equal(got["bob"].Groups, []string{"staff"}) || got["Administrator"].Subject == "" {
			t.Fatalf("%d identities: %+v", len(ids), got)
		}
	})
}

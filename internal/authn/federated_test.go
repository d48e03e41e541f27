package authn_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// connection stores a connection of the fixture's tenant.
func (f *fixture) connection(t *testing.T, c store.Connection) *store.Connection {
	t.Helper()
	c.TenantID = f.t.ID
	if c.Type == "" {
		c.Type = federation.TypeOIDC
	}
	if c.Provisioning == "" {
		c.Provisioning = "jit"
	}
	if c.LinkByEmail == "" {
		c.LinkByEmail = "never"
	}
	c.Enabled = true
	if err := f.st.Connections().Create(t.Context(), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func (f *fixture) federated(t *testing.T, c authn.Federated) (*authn.Result, error) {
	t.Helper()
	return f.svc.Authenticate(t.Context(), f.request("198.51.100.7"), c)
}

func TestFederatedJITThenReuse(t *testing.T) {
	for _, risky := range []bool{true, false} {
		var opts []option
		if !risky {
			opts = append(opts, withoutRisk)
		}
		f := newFixture(t, opts...)
		conn := f.connection(t, store.Connection{ID: "upstream", AttributeMapping: map[string]string{"dept": "attributes.department", "grp": "groups"}})
		id := federation.Identity{Subject: "sub-1", Email: "Nia@Upstream.test", EmailVerified: true, Name: "Nia",
			Claims: map[string]any{"dept": "R&D", "grp": []any{"a", "b"}}}
		res, err := f.federated(t, authn.Federated{Conn: conn, Identity: id})
		if err != nil {
			t.Fatalf("risk %v: first sign-in: %v", risky, err)
		}
		u := res.User
		if u.Email != "Nia@upstream.test" || !u.EmailVerified || u.Profile.Name != "Nia" || u.Attributes["department"] != "R&D" {
			t.Fatalf("provisioned user = %+v", u)
		}
		if g, _ := u.Attributes["groups"].([]string); !slices.Equal(g, []string{"a", "b"}) {
			t.Fatalf("groups = %#v", u.Attributes["groups"])
		}
		fi, err := f.st.Connections().IdentityBySubject(t.Context(), f.t.ID, "upstream", "sub-1")
		if err != nil || fi.UserID != u.ID {
			t.Fatalf("identity = %+v, %v", fi, err)
		}
		// The second sign-in reuses the identity, even with a new email.
		id.Email = "nia.new@upstream.test"
		id.Claims["dept"] = "Ops"
		res2, err := f.federated(t, authn.Federated{Conn: conn, Identity: id})
		if err != nil || res2.User.ID != u.ID {
			t.Fatalf("second sign-in = %+v, %v", res2, err)
		}
		if res2.User.Email != "Nia@upstream.test" || res2.User.Attributes["department"] != "Ops" {
			t.Fatalf("second sign-in changed email or did not update: %+v", res2.User)
		}
		fi, _ = f.st.Connections().IdentityBySubject(t.Context(), f.t.ID, "upstream", "sub-1")
		if fi.Email != "nia.new@upstream.test" || fi.LastUsedAt == nil {
			t.Fatalf("identity use not recorded: %+v", fi)
		}
		if n := countUsers(t, f, "nia@upstream.test"); n != 1 {
			t.Fatalf("users = %d", n)
		}
	}
}

func countUsers(t *testing.T, f *fixture, email string) int {
	t.Helper()
	_, err := f.st.Users().GetByEmail(t.Context(), f.t.ID, email)
	if errors.Is(err, store.ErrNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return 1
}

func TestFederatedUnverifiedUpstreamEmailIsNotVerifiedHere(t *testing.T) {
	f := newFixture(t)
	conn := f.connection(t, store.Connection{ID: "up"})
	res, err := f.federated(t, authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "new@x.test"}})
	if err != nil || res.User.EmailVerified {
		t.Fatalf("res = %+v, %v", res, err)
	}
}

func TestFederatedLinkOnlyRefuses(t *testing.T) {
	f := newFixture(t)
	conn := f.connection(t, store.Connection{ID: "partner", Provisioning: "link_only"})
	_, err := f.federated(t, authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "stranger@x.test", EmailVerified: true}})
	if !errors.Is(err, authn.ErrNotLinked) {
		t.Fatalf("err = %v", err)
	}
	if countUsers(t, f, "stranger@x.test") != 0 {
		t.Fatal("link_only created a user")
	}
	if e := f.rec.Last(t); e.Type != events.LoginFailed || e.Data["connection"] != "partner" || e.Data["reason"] != "not_linked" {
		t.Fatalf("event = %+v", e)
	}
}

// TestFederatedPreHijacking: an attacker registers the victim's address
// locally (never verified) and keeps the password; the victim later
// signs in through an upstream that verified the address. The identity
// must not be linked to the attacker's account at once, under any
// setting: with link_by_email never it is refused, with verified the
// person must first sign in to the local account (which only the
// attacker can), and even a connection trusted for the domain does not
// link to an unverified local account.
func TestFederatedPreHijacking(t *testing.T) {
	for _, c := range []store.Connection{
		{ID: "never", LinkByEmail: "never"},
		{ID: "verified", LinkByEmail: "verified"},
		{ID: "trusted", LinkByEmail: "verified", Domains: []string{"example.com"}},
	} {
		f := newFixture(t)
		conn := f.connection(t, c)
		victim := federation.Identity{Subject: "victim", Email: "una@example.com", EmailVerified: true}
		res, err := f.federated(t, authn.Federated{Conn: conn, Identity: victim})
		var lr *authn.LinkRequiredError
		switch c.ID {
		case "never":
			if !errors.Is(err, authn.ErrEmailInUse) {
				t.Fatalf("%s: err = %v", c.ID, err)
			}
		default:
			if !errors.As(err, &lr) || lr.User.ID != f.users["una"].ID {
				t.Fatalf("%s: err = %v", c.ID, err)
			}
		}
		if res != nil && res.User != nil {
			t.Fatalf("%s: signed in as %s", c.ID, res.User.Email)
		}
		if _, err := f.st.Connections().IdentityBySubject(t.Context(), f.t.ID, c.ID, "victim"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("%s: identity linked: %v", c.ID, err)
		}
	}
}

func TestFederatedNeverLinksOnUnverifiedUpstreamEmail(t *testing.T) {
	f := newFixture(t)
	conn := f.connection(t, store.Connection{ID: "t", LinkByEmail: "verified", Domains: []string{"example.com"}})
	// alex's local email is verified; the upstream does not vouch for it.
	_, err := f.federated(t, authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "alex@example.com"}})
	if !errors.Is(err, authn.ErrEmailInUse) {
		t.Fatalf("err = %v", err)
	}
	if ids, _ := f.st.Connections().Identities(t.Context(), f.t.ID, f.users["alex"].ID); len(ids) != 0 {
		t.Fatalf("linked: %+v", ids)
	}
}

func TestFederatedTrustedDomainLinksVerifiedAccount(t *testing.T) {
	f := newFixture(t)
	conn := f.connection(t, store.Connection{ID: "corp", LinkByEmail: "verified", Domains: []string{"example.com"}})
	res, err := f.federated(t, authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "alex@example.com", EmailVerified: true}})
	if err != nil || res.User.ID != f.users["alex"].ID {
		t.Fatalf("res = %+v, %v", res, err)
	}
	// Another domain at the same connection is not trusted.
	conn2 := f.connection(t, store.Connection{ID: "corp2", LinkByEmail: "verified", Domains: []string{"other.test"}})
	_, err = f.federated(t, authn.Federated{Conn: conn2, Identity: federation.Identity{Subject: "s", Email: "alex@example.com", EmailVerified: true}})
	var lr *authn.LinkRequiredError
	if !errors.As(err, &lr) {
		t.Fatalf("err = %v", err)
	}
}

func TestFederatedLinkAfterProof(t *testing.T) {
	f := newFixture(t)
	conn := f.connection(t, store.Connection{ID: "up", LinkByEmail: "verified"})
	fed := authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "alex@example.com", EmailVerified: true}}
	_, err := f.federated(t, fed)
	var lr *authn.LinkRequiredError
	if !errors.As(err, &lr) {
		t.Fatalf("err = %v", err)
	}
	// The person signs in to alex with the password, then links.
	pres, err := f.svc.Authenticate(t.Context(), f.request("198.51.100.7"), authn.Password{Identifier: "alex", Password: pw})
	if err != nil || pres.User.ID != lr.User.ID {
		t.Fatalf("password = %v", err)
	}
	if err := f.svc.Link(t.Context(), f.request("198.51.100.7"), pres.User, fed); err != nil {
		t.Fatal(err)
	}
	res, err := f.federated(t, fed)
	if err != nil || res.User.ID != f.users["alex"].ID {
		t.Fatalf("after link: %+v, %v", res, err)
	}
	// Linking the same identity twice conflicts.
	if err := f.svc.Link(t.Context(), f.request("198.51.100.7"), pres.User, fed); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second link = %v", err)
	}
}

func TestFederatedRefusals(t *testing.T) {
	f := newFixture(t)
	conn := f.connection(t, store.Connection{ID: "up"})
	other := *conn
	other.TenantID = "another-tenant"
	disabled := *conn
	disabled.Enabled = false
	for name, c := range map[string]authn.Federated{
		"another tenant's connection": {Conn: &other, Identity: federation.Identity{Subject: "s", Email: "a@x.test"}},
		"disabled connection":         {Conn: &disabled, Identity: federation.Identity{Subject: "s", Email: "a@x.test"}},
		"no subject":                  {Conn: conn, Identity: federation.Identity{Email: "a@x.test"}},
		"no connection":               {Identity: federation.Identity{Subject: "s"}},
	} {
		if _, err := f.federated(t, c); !errors.Is(err, authn.ErrBadCredentials) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := f.federated(t, authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s"}}); !errors.Is(err, authn.ErrNotLinked) {
		t.Errorf("no email: %v", err)
	}
	// A disabled user linked to an identity cannot sign in through it.
	dora := f.users["dora"]
	if err := f.st.Connections().Link(t.Context(), &store.FederatedIdentity{TenantID: f.t.ID, ConnectionID: "up", Subject: "dora", UserID: dora.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.federated(t, authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "dora", Email: "dora@example.com", EmailVerified: true}}); !errors.Is(err, authn.ErrBadCredentials) {
		t.Errorf("disabled: %v", err)
	}
}

func TestFederatedAMRAndMFA(t *testing.T) {
	f := newFixture(t, func(_ *authn.Deps, ten *identity.Tenant) { ten.MFA.Mode = factor.ModeRequired })
	conn := f.connection(t, store.Connection{ID: "up"})
	fed := authn.Federated{Conn: conn, Identity: federation.Identity{Subject: "s", Email: "m@x.test", EmailVerified: true}, UpstreamMFA: true}
	res, err := f.federated(t, fed)
	if err != nil {
		t.Fatal(err)
	}
	amr := authn.FederatedAMR(f.t, fed)
	st, err := f.svc.Start(t.Context(), f.request("198.51.100.7"), res.User, res.Verdict, amr)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.AMR, []string{"fed"}) || st.ACR != factor.ACRPassword || len(st.Pending) == 0 {
		t.Fatalf("untrusted upstream MFA: %+v", st)
	}
	f.t.MFA.TrustUpstreamMFA = true
	amr = authn.FederatedAMR(f.t, fed)
	st, err = f.svc.Start(t.Context(), f.request("198.51.100.7"), res.User, res.Verdict, amr)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.AMR, []string{"fed", "mfa"}) || st.ACR != factor.ACRMFA || len(st.Pending) != 0 {
		t.Fatalf("trusted upstream MFA: %+v", st)
	}
	fed.UpstreamMFA = false
	if amr := authn.FederatedAMR(f.t, fed); !slices.Equal(amr, []string{"fed"}) {
		t.Fatalf("amr without upstream MFA = %v", amr)
	}
}

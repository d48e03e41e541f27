package federation_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func TestValidate(t *testing.T) {
	ldapOK := federation.Config{URL: "ldaps://ldap.example.com", UserSearchBase: "dc=example,dc=com"}
	for _, tc := range []struct {
		name  string
		typ   string
		cfg   federation.Config
		sec   federation.Secrets
		field string // "" when valid
	}{
		{"oidc", "oidc", federation.Config{Issuer: "https://op.example.com", ClientID: "c"}, federation.Secrets{ClientSecret: "s"}, ""},
		{"oidc on loopback http", "oidc", federation.Config{Issuer: "http://127.0.0.1:8080", ClientID: "c"}, federation.Secrets{}, ""},
		{"unknown type", "kerberos", federation.Config{}, federation.Secrets{}, "/type"},
		{"relative issuer", "oidc", federation.Config{Issuer: "/op", ClientID: "c"}, federation.Secrets{}, "/issuer"},
		{"issuer with credentials", "oidc", federation.Config{Issuer: "https://u:p@op.example.com", ClientID: "c"}, federation.Secrets{}, "/issuer"},
		{"bind password on oidc", "oidc", federation.Config{Issuer: "https://op.example.com", ClientID: "c"}, federation.Secrets{BindPassword: "x"}, "/bind_password"},
		{"private_key_jwt without a key", "oidc", federation.Config{Issuer: "https://op.example.com", ClientID: "c", ClientAuthMethod: "private_key_jwt"}, federation.Secrets{}, "/private_key_pem"},
		{"oauth2 without endpoints", "oauth2", federation.Config{ClientID: "c"}, federation.Secrets{}, "/authorization_endpoint"},
		{"saml with both metadata", "saml", federation.Config{IdPMetadataURL: "https://idp.example.com", IdPMetadataXML: "<x/>"}, federation.Secrets{}, "/idp_metadata_url"},
		{"ldap defaults", "ldap", ldapOK, federation.Secrets{}, ""},
		{"ldap AD preset", "ldap", federation.Config{URL: "ldap://dc.example.com", StartTLS: new(true), UserSearchBase: "dc=x", Preset: "active_directory",
			GroupSearchBase: "dc=x"}, federation.Secrets{}, ""},
		{"ldap StartTLS on ldaps", "ldap", federation.Config{URL: "ldaps://dc", StartTLS: new(true), UserSearchBase: "dc=x"}, federation.Secrets{}, "/start_tls"},
		{"ldap bad preset", "ldap", federation.Config{URL: "ldap://dc", UserSearchBase: "dc=x", Preset: "novell"}, federation.Secrets{}, "/preset"},
		{"ldap filter sans placeholder", "ldap", federation.Config{URL: "ldap://dc", UserSearchBase: "dc=x", UserSearchFilter: "(uid=*)"}, federation.Secrets{}, "/user_search_filter"},
		{"ldap filter unbalanced", "ldap", federation.Config{URL: "ldap://dc", UserSearchBase: "dc=x", UserSearchFilter: "(uid={username}))("}, federation.Secrets{}, "/user_search_filter"},
		{"ldap group filter sans {dn}", "ldap", federation.Config{URL: "ldap://dc", UserSearchBase: "dc=x", GroupSearchBase: "dc=x", GroupSearchFilter: "(cn=x)"}, federation.Secrets{}, "/group_search_filter"},
		{"ldap no base", "ldap", federation.Config{URL: "ldap://dc"}, federation.Secrets{}, "/user_search_base"},
		{"ldap bad CA", "ldap", federation.Config{URL: "ldap://dc", UserSearchBase: "dc=x", CAPEM: "nope"}, federation.Secrets{}, "/ca_pem"},
		{"ldap password without DN", "ldap", ldapOK, federation.Secrets{BindPassword: "x"}, "/bind_password"},
	} {
		err := federation.Validate(tc.typ, tc.cfg, tc.sec)
		var ve *federation.ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && !errors.As(err, &ve):
			t.Errorf("%s: err = %v, want a ValidationError", tc.name, err)
		case tc.field != "" && !strings.Contains(fmt.Sprint(ve.Fields), tc.field+" "):
			t.Errorf("%s: %v, want %s", tc.name, ve.Fields, tc.field)
		}
	}
}

func TestSecrets(t *testing.T) {
	s := federation.Secrets{ClientSecret: "top-secret"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if strings.Contains(fmt.Sprintf(f, s), "top-secret") {
			t.Errorf("%s prints the secret", f)
		}
	}
	k, _ := secret.NewKeyring(make([]byte, 32))
	sealed, err := federation.SealSecrets(k, "t1", "c1", s)
	if err != nil || strings.Contains(string(sealed), "top-secret") {
		t.Fatalf("seal: %v", err)
	}
	got, err := federation.OpenSecrets(k, &store.Connection{TenantID: "t1", ID: "c1", SecretsSealed: sealed})
	if err != nil || got != s {
		t.Fatalf("open: %v", err)
	}
	if _, err := federation.OpenSecrets(k, &store.Connection{TenantID: "t2", ID: "c1", SecretsSealed: sealed}); err == nil {
		t.Fatal("secrets opened for another tenant")
	}
	if none, _ := federation.SealSecrets(k, "t1", "c1", federation.Secrets{}); none != nil {
		t.Fatal("empty secrets sealed")
	}
}

func TestURLsFor(t *testing.T) {
	if u := federation.URLsFor("https://id.example.com/t/acme/", "oidc", "upstream"); u.RedirectURI != "https://id.example.com/t/acme/login/connections/upstream/callback" || u.ACSURL != "" {
		t.Errorf("oidc: %+v", u)
	}
	if u := federation.URLsFor("https://id.example.com", "saml", "okta"); u.ACSURL != "https://id.example.com/login/connections/okta/saml/acs" ||
		u.SPMetadataURL != "https://id.example.com/login/connections/okta/saml/metadata" {
		t.Errorf("saml: %+v", u)
	}
	if u := federation.URLsFor("https://id.example.com", "ldap", "corp"); u != (federation.URLs{}) {
		t.Errorf("ldap: %+v", u)
	}
	if p := federation.NewPKCE(); len(p.Verifier) != 43 || len(p.Challenge) != 43 || p == federation.NewPKCE() {
		t.Errorf("pkce: %+v", p)
	}
}

// Members names each type's settings and secrets (the console's form),
// and the caller's copy cannot change them.
func TestMembers(t *testing.T) {
	settings, secrets := federation.Members(federation.TypeLDAP)
	if !slices.Contains(settings, "url") || !slices.Equal(secrets, []string{"bind_password"}) {
		t.Fatalf("ldap: %v %v", settings, secrets)
	}
	settings[0] = "changed"
	if again, _ := federation.Members(federation.TypeLDAP); again[0] == "changed" {
		t.Fatal("Members hands out its own slice")
	}
	if s, sec := federation.Members("bogus"); s != nil || sec != nil {
		t.Fatalf("unknown type: %v %v", s, sec)
	}
	for _, typ := range federation.Types {
		if _, sec := federation.Members(typ); len(sec) == 0 {
			t.Errorf("%s has no secret member", typ)
		}
	}
}

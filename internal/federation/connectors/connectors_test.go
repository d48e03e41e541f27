package connectors_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/federation/saml"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func TestNew(t *testing.T) {
	k, err := secret.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	conn := func(id, typ, cfg string, sec federation.Secrets) *store.Connection {
		c := &store.Connection{TenantID: "t1", ID: id, Type: typ, Config: json.RawMessage(cfg)}
		if c.SecretsSealed, err = federation.SealSecrets(k, "t1", id, sec); err != nil {
			t.Fatal(err)
		}
		return c
	}
	o := connectors.Options{Keyring: k, Issuer: "https://id.example.com/t/acme"}

	c, err := connectors.New(conn("corp", "ldap", `{"url":"ldap://127.0.0.1:389","user_search_base":"dc=example,dc=org",
		"bind_dn":"cn=admin,dc=example,dc=org"}`, federation.Secrets{BindPassword: "pw"}), o)
	if _, ok := c.(federation.PasswordConnector); err != nil || !ok {
		t.Fatalf("ldap: %T %v", c, err)
	}
	c, err = connectors.New(conn("up", "oidc", `{"issuer":"https://op.example.com","client_id":"c"}`, federation.Secrets{ClientSecret: "s"}), o)
	if _, ok := c.(federation.RedirectConnector); err != nil || !ok {
		t.Fatalf("oidc: %T %v", c, err)
	}
	c, err = connectors.New(conn("g", "google", `{"client_id":"c"}`, federation.Secrets{ClientSecret: "s"}), o)
	if _, ok := c.(federation.RedirectConnector); err != nil || !ok {
		t.Fatalf("google: %T %v", c, err)
	}
	if _, err := connectors.New(conn("s", "saml", `{"idp_metadata_url":"https://idp.example.com/md"}`, federation.Secrets{}), o); err == nil {
		t.Fatal("saml without a replay store")
	}
	o.SAMLReplay = &saml.MemoryReplayStore{}
	c, err = connectors.New(conn("s", "saml", `{"idp_metadata_url":"https://idp.example.com/md"}`, federation.Secrets{}), o)
	if _, ok := c.(federation.RedirectConnector); err != nil || !ok {
		t.Fatalf("saml: %T %v", c, err)
	}
	if _, err := connectors.New(conn("a", "apple", `{"client_id":"c","team_id":"T","key_id":"K"}`, federation.Secrets{}), o); err == nil {
		t.Fatal("apple without a key")
	}
	for typ, cfg := range map[string]string{
		"oauth2":    `{"client_id":"c","authorization_endpoint":"https://up.example/a","token_endpoint":"https://up.example/t","userinfo_endpoint":"https://up.example/u"}`,
		"github":    `{"client_id":"c"}`,
		"microsoft": `{"client_id":"c","allowed_tenants":["11111111-1111-1111-1111-111111111111"]}`,
	} {
		c, err = connectors.New(conn(typ, typ, cfg, federation.Secrets{ClientSecret: "s"}), o)
		if _, ok := c.(federation.RedirectConnector); err != nil || !ok || c.Type() != typ {
			t.Fatalf("%s: %T %v", typ, c, err)
		}
	}
	var ve *federation.ValidationError
	if _, err := connectors.New(conn("bad", "ldap", `{"url":"ldap://x","user_search_base":"dc=x","user_search_filter":"(uid=x)"}`, federation.Secrets{}), o); !errors.As(err, &ve) {
		t.Fatalf("invalid settings: %v", err)
	}
	// Secrets sealed for another connection do not open.
	moved := conn("up", "oidc", `{"issuer":"https://op.example.com","client_id":"c"}`, federation.Secrets{ClientSecret: "s"})
	moved.ID = "other"
	if _, err := connectors.New(moved, o); err == nil {
		t.Fatal("secrets sealed for another connection opened")
	}
}

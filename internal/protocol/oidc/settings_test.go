package oidc_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"golang.org/x/oauth2"
)

// A string audience in the client's settings is the access token's aud
// (it used to be stored, echoed and silently ignored).
func TestAudienceSettingAsString(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", map[string]any{
		"metadata": map[string]any{"audience": "urn:example:api"}})
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read")
	at := o.verifyWithJWKS(t, "", tok.AccessToken)
	if aud := toStrings(at["aud"]); !slices.Equal(aud, []string{"urn:example:api"}) {
		t.Fatalf("aud %v", at["aud"])
	}
}

// A client stored before settings were checked, with a mistyped and an
// unknown key, still works: its valid settings apply, the others keep
// their defaults, and a warning names the client.
func TestStoredClientWithBadSettingsLoads(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	sc, err := o.App.Directory.Resolve(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	// Written past the Admin API, as older versions stored it.
	if _, err := sc.Store.Clients().Update(t.Context(), sc.Tenant.ID, c.ID, 0, func(cl *oauth.Client) error {
		cl.Metadata = map[string]any{"access_token_lifetime": "600", "colour": "blue", "audience": []any{"urn:example:api"}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read")
	at := o.verifyWithJWKS(t, "", tok.AccessToken)
	if aud := toStrings(at["aud"]); !slices.Equal(aud, []string{"urn:example:api"}) {
		t.Fatalf("aud %v", at["aud"])
	}
	if life := at["exp"].(float64) - at["iat"].(float64); life != 3600 {
		t.Fatalf("lifetime %v, want the default", life)
	}
	logs := o.Logs.String()
	if !strings.Contains(logs, "client metadata has invalid settings") || !strings.Contains(logs, c.ID) ||
		!strings.Contains(logs, "/metadata/colour") || !strings.Contains(logs, "/metadata/access_token_lifetime") {
		t.Fatalf("no warning naming the client and its bad keys:\n%s", logs)
	}
}

// Admin changes to a client apply at once on this node, although the
// provider caches clients: a rotated secret replaces the old one, and a
// changed setting is used by the next token.
func TestClientChangesApplyAtOnce(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read") // the client is now cached
	old := c.Secret
	c.Secret = o.admin(t, "POST", "/admin/v1/clients/"+c.ID+"/secret", nil)["client_secret"].(string)
	form := url.Values{"grant_type": {grantClientCred}, "scope": {"api:read"}}
	wantOAuthError(t, o.token(t, "", form, c.ID, old), http.StatusUnauthorized, "invalid_client")
	if res := o.token(t, "", form, c.ID, c.Secret); res.Status != http.StatusOK {
		t.Fatalf("new secret: %d %s", res.Status, res.Raw)
	}
	o.admin(t, "PATCH", "/admin/v1/clients/"+c.ID, map[string]any{"metadata": map[string]any{"audience": "urn:example:new"}})
	at := o.verifyWithJWKS(t, "", o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read").AccessToken)
	if aud := toStrings(at["aud"]); !slices.Equal(aud, []string{"urn:example:new"}) {
		t.Fatalf("aud after the change %v", at["aud"])
	}
}

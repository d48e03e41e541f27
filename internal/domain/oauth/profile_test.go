package oauth

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidateFAPI2Rules(t *testing.T) {
	c := &Client{
		ClientName: "fapi", RedirectURIs: []string{"https://app.example.com/cb"},
		GrantTypes: []string{GrantAuthorizationCode, GrantJWTBearer}, ResponseTypes: []string{"code", "token"},
		TokenEndpointAuthMethod: AuthMethodClientSecretPost, IDTokenSignedResponseAlg: "RS256",
		JWKS:     json.RawMessage(`{"keys":[{"kty":"RSA","alg":"RS256","n":"x","e":"AQAB"}]}`),
		Metadata: map[string]any{ProfileKey: ProfileFAPI2, RequestURIsKey: []any{"http://app.example.com/ro", "https://app.example.com/ro"}},
	}
	err := ValidateClient(c)
	if err == nil {
		t.Fatal("a fapi2 client breaking every rule was accepted")
	}
	for _, want := range []string{"/response_types/1", "/token_endpoint_auth_method", "/id_token_signed_response_alg",
		"/grant_types/1", "/jwks/keys/0/alg", "/request_uris/0", "implicit and hybrid"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %s in %v", want, err)
		}
	}
	// The same client as default profile breaks only the general rules.
	c.Metadata[ProfileKey] = ProfileDefault
	if err := ValidateClient(c); err == nil || strings.Contains(err.Error(), "FAPI") {
		t.Fatalf("default profile: %v", err)
	}
	// A fapi2 client without an ID token algorithm gets ES256.
	d := &Client{Metadata: map[string]any{ProfileKey: ProfileFAPI2}}
	ApplyClientDefaults(d)
	if d.IDTokenSignedResponseAlg != "ES256" {
		t.Fatalf("fapi2 default ID token alg %q", d.IDTokenSignedResponseAlg)
	}
}

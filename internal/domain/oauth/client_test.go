package oauth

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

func TestValidateRedirectURI(t *testing.T) {
	tests := []struct {
		uri, appType string
		ok           bool
	}{
		{"https://app.example.com/callback", "web", true},
		{"https://app.example.com/cb?tenant=1", "", true},
		{"https://app.example.com:8443/cb", "web", true},
		{"http://localhost:3000/cb", "web", true},
		{"http://127.0.0.1/cb", "web", true},
		{"http://[::1]:8080/cb", "web", true},
		{"http://app.example.com/cb", "web", false},
		{"http://localhost.evil.com/cb", "web", false},
		{"http://127.0.0.1.nip.io/cb", "web", false},
		{"com.example.app:/cb", "web", false},
		{"https://app.example.com/cb#frag", "web", false},
		{"https://app.example.com/cb#", "web", false},
		{"/callback", "web", false},
		{"app.example.com/cb", "web", false},
		{"https:///cb", "web", false},
		{"https://user:pw@app.example.com/cb", "web", false},
		{"https://app.example.com/c b", "web", false},
		{"https://app.example.com/cb\n", "web", false},
		{"", "web", false},
		{"https://app.example.com/" + strings.Repeat("a", identity.MaxURILen), "web", false},

		{"com.example.app:/oauth2redirect", "native", true},
		{"com.example.app://callback", "native", true},
		{"http://127.0.0.1:51004/cb", "native", true},
		{"http://[::1]/cb", "native", true},
		{"http://localhost/cb", "native", true},
		{"https://app.example.com/native-cb", "native", true},
		{"myapp://callback", "native", false},
		{"javascript:alert(1)", "native", false},
		{"data:text/html,hi", "native", false},
		{"file:///etc/passwd", "native", false},
		{"http://app.example.com/cb", "native", false},
		{"com.example.app:/cb#x", "native", false},

		{"https://app.example.com/cb", "service", false},
	}
	for _, tt := range tests {
		t.Run(tt.appType+" "+tt.uri, func(t *testing.T) {
			err := ValidateRedirectURI(tt.uri, tt.appType)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestApplyClientDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Client
		want Client
	}{
		{
			"empty",
			Client{},
			Client{GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"},
				TokenEndpointAuthMethod: "client_secret_basic", ApplicationType: "web", IDTokenSignedResponseAlg: "RS256"},
		},
		{
			"client_credentials gets no response type",
			Client{GrantTypes: []string{"client_credentials"}},
			Client{GrantTypes: []string{"client_credentials"},
				TokenEndpointAuthMethod: "client_secret_basic", ApplicationType: "web", IDTokenSignedResponseAlg: "RS256"},
		},
		{
			"set values are kept",
			Client{GrantTypes: []string{"authorization_code", "refresh_token"}, ResponseTypes: []string{"code"},
				TokenEndpointAuthMethod: "none", ApplicationType: "native", IDTokenSignedResponseAlg: "ES256"},
			Client{GrantTypes: []string{"authorization_code", "refresh_token"}, ResponseTypes: []string{"code"},
				TokenEndpointAuthMethod: "none", ApplicationType: "native", IDTokenSignedResponseAlg: "ES256"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			ApplyClientDefaults(&c)
			if !reflect.DeepEqual(c, tt.want) {
				t.Fatalf("got %+v\nwant %+v", c, tt.want)
			}
		})
	}
}

func TestValidateClient(t *testing.T) {
	web := func() *Client {
		return &Client{
			ClientName:   "Acme Web",
			RedirectURIs: []string{"https://acme.example.com/cb"},
			GrantTypes:   []string{"authorization_code", "refresh_token"},
			Scope:        "openid profile email offline_access",
		}
	}
	tests := []struct {
		name string
		c    func() *Client
		want []string
	}{
		{"web defaults", web, nil},
		{"only redirect_uris (RFC 7591 defaults)", func() *Client {
			return &Client{RedirectURIs: []string{"https://a.example.com/cb"}}
		}, nil},
		{"fully specified", func() *Client {
			c := web()
			c.ResponseTypes = []string{"code"}
			c.TokenEndpointAuthMethod = "client_secret_post"
			c.ApplicationType = "web"
			c.IDTokenSignedResponseAlg = "EdDSA"
			c.PostLogoutRedirectURIs = []string{"https://acme.example.com/bye"}
			c.ClientURI, c.LogoURI, c.PolicyURI, c.TosURI = "https://acme.example.com", "https://acme.example.com/l.png", "https://acme.example.com/p", "https://acme.example.com/t"
			c.Contacts = []string{"ops@acme.example.com"}
			c.Metadata = map[string]any{"first_party": true}
			return c
		}, nil},
		{"native public with PKCE", func() *Client {
			return &Client{ApplicationType: "native", TokenEndpointAuthMethod: "none",
				RedirectURIs: []string{"com.acme.app:/cb", "http://127.0.0.1/cb"},
				GrantTypes:   []string{"authorization_code", "refresh_token", GrantDeviceCode}}
		}, nil},
		{"machine to machine", func() *Client {
			return &Client{GrantTypes: []string{"client_credentials"}, SecretHash: []byte{1}}
		}, nil},
		{"device flow public", func() *Client {
			return &Client{GrantTypes: []string{GrantDeviceCode, "refresh_token"}, TokenEndpointAuthMethod: "none", ApplicationType: "native"}
		}, nil},
		{"private_key_jwt with jwks", func() *Client {
			c := web()
			c.TokenEndpointAuthMethod = "private_key_jwt"
			c.JWKS = json.RawMessage(testJWKS)
			return c
		}, nil},
		{"private_key_jwt with jwks_uri", func() *Client {
			c := web()
			c.TokenEndpointAuthMethod = "private_key_jwt"
			c.JWKSURI = "https://acme.example.com/jwks.json"
			return c
		}, nil},

		{"code grant without redirect", func() *Client {
			c := web()
			c.RedirectURIs = nil
			return c
		}, []string{"/redirect_uris"}},
		{"code grant without code response", func() *Client {
			c := web()
			c.ResponseTypes = []string{"token"}
			return c
		}, []string{"/response_types", "/response_types/0"}},
		{"code response without code grant", func() *Client {
			return &Client{GrantTypes: []string{"client_credentials"}, ResponseTypes: []string{"code"}}
		}, []string{"/grant_types"}},
		{"implicit and password grants", func() *Client {
			c := web()
			c.GrantTypes = []string{"authorization_code", "implicit", "password"}
			return c
		}, []string{"/grant_types/1", "/grant_types/2"}},
		{"duplicate grant", func() *Client {
			c := web()
			c.GrantTypes = []string{"authorization_code", "authorization_code"}
			return c
		}, []string{"/grant_types/1"}},
		{"hybrid response type", func() *Client {
			c := web()
			c.ResponseTypes = []string{"code id_token"}
			return c
		}, []string{"/response_types", "/response_types/0"}},
		{"bad redirect URIs", func() *Client {
			c := web()
			c.RedirectURIs = []string{"https://ok.example.com/cb", "http://acme.example.com/cb", "https://acme.example.com/cb#x", "com.acme.app:/cb", "https://ok.example.com/cb"}
			return c
		}, []string{"/redirect_uris/1", "/redirect_uris/2", "/redirect_uris/3", "/redirect_uris/4"}},
		{"bad post-logout URI", func() *Client {
			c := web()
			c.PostLogoutRedirectURIs = []string{"http://acme.example.com/bye"}
			return c
		}, []string{"/post_logout_redirect_uris/0"}},
		{"native custom scheme without a dot", func() *Client {
			return &Client{ApplicationType: "native", TokenEndpointAuthMethod: "none", RedirectURIs: []string{"acme:/cb"}}
		}, []string{"/redirect_uris/0"}},
		{"unknown application type", func() *Client {
			c := web()
			c.ApplicationType = "spa"
			return c
		}, []string{"/application_type"}},
		{"unknown auth method", func() *Client {
			c := web()
			c.TokenEndpointAuthMethod = "tls_client_auth"
			return c
		}, []string{"/token_endpoint_auth_method"}},
		{"public client with client_credentials", func() *Client {
			return &Client{GrantTypes: []string{"refresh_token", "client_credentials"}, TokenEndpointAuthMethod: "none"}
		}, []string{"/grant_types/1"}},
		{"public client with a secret", func() *Client {
			c := web()
			c.TokenEndpointAuthMethod = "none"
			c.SecretHash = []byte("h")
			return c
		}, []string{"/token_endpoint_auth_method"}},
		{"private_key_jwt without keys", func() *Client {
			c := web()
			c.TokenEndpointAuthMethod = "private_key_jwt"
			return c
		}, []string{"/token_endpoint_auth_method"}},
		{"jwks and jwks_uri together", func() *Client {
			c := web()
			c.JWKS = json.RawMessage(testJWKS)
			c.JWKSURI = "https://acme.example.com/jwks.json"
			return c
		}, []string{"/jwks"}},
		{"jwks not a key set", func() *Client {
			c := web()
			c.JWKS = json.RawMessage(`{"kty":"EC"}`)
			return c
		}, []string{"/jwks"}},
		{"jwks key without kty", func() *Client {
			c := web()
			c.JWKS = json.RawMessage(`{"keys":[{"crv":"P-256"}]}`)
			return c
		}, []string{"/jwks"}},
		{"jwks_uri over http", func() *Client {
			c := web()
			c.JWKSURI = "http://acme.example.com/jwks.json"
			return c
		}, []string{"/jwks_uri"}},
		{"unsupported id token alg", func() *Client {
			c := web()
			c.IDTokenSignedResponseAlg = "none"
			return c
		}, []string{"/id_token_signed_response_alg"}},
		{"HS256 id token alg", func() *Client {
			c := web()
			c.IDTokenSignedResponseAlg = "HS256"
			return c
		}, []string{"/id_token_signed_response_alg"}},
		{"bad scope", func() *Client {
			c := web()
			c.Scope = "openid  profile"
			return c
		}, []string{"/scope"}},
		{"scope with quote", func() *Client {
			c := web()
			c.Scope = `openid "x"`
			return c
		}, []string{"/scope"}},
		{"info URLs", func() *Client {
			c := web()
			c.LogoURI = "http://acme.example.com/logo.png"
			c.TosURI = "tos"
			return c
		}, []string{"/logo_uri", "/tos_uri"}},
		{"empty contact", func() *Client {
			c := web()
			c.Contacts = []string{"ops@example.com", " "}
			return c
		}, []string{"/contacts/1"}},
		{"client name with control characters", func() *Client {
			c := web()
			c.ClientName = "Acme\x1b[31m"
			return c
		}, []string{"/client_name"}},
		{"metadata too large", func() *Client {
			c := web()
			c.Metadata = map[string]any{"x": strings.Repeat("a", identity.MaxAttributesSize)}
			return c
		}, []string{"/metadata"}},
		{"unknown and mistyped settings", func() *Client {
			c := web()
			c.Metadata = map[string]any{"first_party": "yes", "audiences": []any{"x"}, "access_token_lifetime": -1,
				"access_token_format": "JWT", "claim_mappings": map[string]any{"dept": 1}, "audience": "urn:example:api"}
			return c
		}, []string{"/metadata/access_token_format", "/metadata/access_token_lifetime", "/metadata/audiences",
			"/metadata/claim_mappings", "/metadata/first_party"}},
		{"CORS origins that are not origins", func() *Client {
			c := web()
			c.Metadata = map[string]any{"allowed_cors_origins": []any{"https://ok.example.com", "https://app.example.com/",
				"https://App.example.com", "https://app.example.com:443", "*", "ftp://x.example.com", "http://localhost:3000"}}
			return c
		}, []string{"/metadata/allowed_cors_origins/1", "/metadata/allowed_cors_origins/2",
			"/metadata/allowed_cors_origins/3", "/metadata/allowed_cors_origins/4", "/metadata/allowed_cors_origins/5"}},
		{"too many contacts", func() *Client {
			c := web()
			c.Contacts = slices.Repeat([]string{"ops@example.com"}, maxContacts+1)
			return c
		}, []string{"/contacts"}},
		{"client name too long", func() *Client {
			c := web()
			c.ClientName = strings.Repeat("x", maxClientNameLen+1)
			return c
		}, []string{"/client_name"}},
		{"more grant types than exist", func() *Client {
			c := web()
			c.GrantTypes = slices.Repeat([]string{"refresh_token"}, len(supportedGrantTypes)+1)
			return c
		}, []string{"/grant_types"}},
		{"too many jwks keys", func() *Client {
			c := web()
			c.TokenEndpointAuthMethod = "private_key_jwt"
			c.JWKS = json.RawMessage(`{"keys":[` + strings.Repeat(`{"kty":"EC"},`, maxJWKSKeys) + `{"kty":"EC"}]}`)
			return c
		}, []string{"/jwks"}},
		{"too many redirect URIs", func() *Client {
			c := web()
			c.RedirectURIs = slices.Repeat([]string{"https://a.example.com/cb"}, maxURIListLen+1)
			return c
		}, []string{"/redirect_uris"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c()
			before := *c
			err := ValidateClient(c)
			got := fields(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("fields = %v, want %v (%v)", got, tt.want, err)
			}
			if !reflect.DeepEqual(*c, before) {
				t.Fatal("ValidateClient modified the client")
			}
			// Defaults are idempotent with validation.
			ApplyClientDefaults(c)
			if got2 := fields(t, ValidateClient(c)); !reflect.DeepEqual(got2, tt.want) {
				t.Fatalf("after ApplyClientDefaults: fields = %v, want %v", got2, tt.want)
			}
		})
	}
}

const testJWKS = `{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`

// fields returns the sorted Field pointers of a *identity.ValidationError, failing
// on any other error type.
func fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	ve, ok := errors.AsType[*identity.ValidationError](err)
	if !ok {
		t.Fatalf("error %T is not *identity.ValidationError: %v", err, err)
	}
	var out []string
	for _, fe := range ve.Errors {
		if fe.Message == "" {
			t.Errorf("empty message for %s", fe.Field)
		}
		out = append(out, fe.Field)
	}
	slices.Sort(out)
	return out
}

package identity

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string // want "" means error
	}{
		{"alice@example.com", "alice@example.com"},
		{"  Alice@Example.COM\n", "Alice@example.com"},
		{"alice+tag@mail.example.co.uk", "alice+tag@mail.example.co.uk"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"root@localhost", "root@localhost"},
		{"ü@Bücher.DE", "ü@bücher.de"},
		{"a@xn--bcher-kva.de", "a@xn--bcher-kva.de"},
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},

		{"", ""},
		{"   ", ""},
		{"alice", ""},
		{"alice@", ""},
		{"@example.com", ""},
		{"Alice <alice@example.com>", ""},
		{"<alice@example.com>", ""},
		{`"alice"@example.com`, ""},
		{`"a b"@example.com`, ""},
		{"alice@example.com (Alice)", ""},
		{"alice@example.com, bob@example.com", ""},
		{"a..b@example.com", ""},
		{"alice@example.com.", ""},
		{"alice@.example.com", ""},
		{"alice@-example.com", ""},
		{"alice@example-.com", ""},
		{"alice@exa_mple.com", ""},
		{"alice@[192.0.2.1]", ""},
		{"alice@192.0.2.1", ""},
		{"alice@example.com\x00", ""},
		{"ali ce@example.com", ""},
		{strings.Repeat("a", 65) + "@example.com", ""},
		{"a@" + strings.Repeat("b", 64) + ".com", ""},
		{"a@" + strings.Repeat(strings.Repeat("b", 60)+".", 5) + "com", ""}, // > 254
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeEmail(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted as %q", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestEmailKey(t *testing.T) {
	a, _ := NormalizeEmail("Alice@Example.com")
	b, _ := NormalizeEmail("alice@EXAMPLE.COM")
	if a == b {
		t.Fatal("local-part case should be preserved by NormalizeEmail")
	}
	if EmailKey(a) != EmailKey(b) || EmailKey(a) != "alice@example.com" {
		t.Fatalf("keys %q, %q", EmailKey(a), EmailKey(b))
	}
}

func TestScalarRules(t *testing.T) {
	tests := []struct {
		name  string
		fn    func(string) error
		valid []string
		bad   []string
	}{
		{
			"username", ValidateUsername,
			[]string{"a", "alice", "Alice.Smith_99-x", strings.Repeat("z", 64)},
			[]string{"", "al ice", "alice@example.com", "älice", "alice\n", strings.Repeat("z", 65)},
		},
		{
			"phone", ValidatePhone,
			[]string{"+14155550123", "+4930123456", "+1234567", "+123456789012345"},
			[]string{"", "14155550123", "+0123456789", "+1 415 555 0123", "+1-415-555-0123", "+123456", "+1234567890123456", "+1415555012x"},
		},
		{
			"slug", ValidateSlug,
			[]string{"a", "default", "acme-corp", "a1", strings.Repeat("a", 63)},
			[]string{"", "-acme", "acme-", "Acme", "acme_corp", "acme.corp", "acme corp", strings.Repeat("a", 64)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.valid {
				if err := tt.fn(s); err != nil {
					t.Errorf("%q rejected: %v", s, err)
				}
			}
			for _, s := range tt.bad {
				if err := tt.fn(s); err == nil {
					t.Errorf("%q accepted", s)
				}
			}
		})
	}
}

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
		{"https://app.example.com/" + strings.Repeat("a", maxURILen), "web", false},

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

// fields returns the sorted Field pointers of a *ValidationError, failing
// on any other error type.
func fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	ve, ok := errors.AsType[*ValidationError](err)
	if !ok {
		t.Fatalf("error %T is not *ValidationError: %v", err, err)
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

func TestValidationError(t *testing.T) {
	ve := &ValidationError{}
	if ve.err() != nil {
		t.Fatal("empty ValidationError must be a nil error")
	}
	ve.add("/email", "is required")
	ve.add("/phone", "must be in E.164 format")
	want := "invalid input: /email: is required; /phone: must be in E.164 format"
	if ve.Error() != want {
		t.Fatalf("Error() = %q", ve.Error())
	}
	if got := pointer("/attributes", "a/b", "c~d"); got != "/attributes/a~1b/c~0d" {
		t.Fatalf("pointer escaping: %q", got)
	}
}

func mustSchema(t *testing.T, s string) *AttributeSchema {
	t.Helper()
	sch, err := CompileAttributeSchema(json.RawMessage(s))
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return sch
}

func TestCompileAttributeSchema(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		ok     bool
		isNil  bool
	}{
		{"empty", "", true, true},
		{"whitespace", "  \n", true, true},
		{"null", "null", true, true},
		{"empty object", "{}", true, false},
		{"typical", `{"type":"object","properties":{"plan":{"enum":["free","pro"]}}}`, true, false},
		{"explicit 2020-12", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}`, true, false},
		{"local $defs ref", `{"$defs":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/s"}}}`, true, false},
		{"metaschema ref is embedded", `{"properties":{"s":{"$ref":"https://json-schema.org/draft/2020-12/schema"}}}`, true, false},

		{"invalid JSON", `{"type":`, false, false},
		{"trailing data", `{} {}`, false, false},
		{"not a schema", `{"type":"nope"}`, false, false},
		{"bad regex", `{"properties":{"a":{"pattern":"("}}}`, false, false},
		{"remote ref", `{"$ref":"https://example.com/schema.json"}`, false, false},
		{"http ref", `{"properties":{"a":{"$ref":"http://169.254.169.254/latest"}}}`, false, false},
		{"file ref", `{"$ref":"file:///etc/passwd"}`, false, false},
		{"relative ref", `{"$ref":"other.json"}`, false, false},
		{"ref via $id base", `{"$id":"https://example.com/s.json","$ref":"t.json"}`, false, false},
		{"other draft", `{"$schema":"http://json-schema.org/draft-07/schema#"}`, false, false},
		{"remote metaschema", `{"$schema":"https://example.com/meta"}`, false, false},
		{"too deep", strings.Repeat(`{"items":`, maxSchemaDepth+1) + "{}" + strings.Repeat("}", maxSchemaDepth+1), false, false},
		{"too large", `{"description":"` + strings.Repeat("x", maxSchemaSize) + `"}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch, err := CompileAttributeSchema(json.RawMessage(tt.schema))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (sch == nil) != tt.isNil {
				t.Fatalf("schema nil = %v, want %v", sch == nil, tt.isNil)
			}
		})
	}
}

func TestAttributeSchemaValidate(t *testing.T) {
	sch := mustSchema(t, `{
		"type": "object",
		"properties": {
			"plan":     {"enum": ["free", "pro"]},
			"seats":    {"type": "integer", "minimum": 1},
			"billing":  {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}, "required": ["email"]},
			"tags":     {"type": "array", "items": {"type": "string"}, "maxItems": 3},
			"a/b":      {"type": "string"}
		},
		"required": ["plan"],
		"additionalProperties": false
	}`)
	deep := map[string]any{}
	cur := deep
	for range MaxAttributesDepth + 1 {
		next := map[string]any{}
		cur["n"] = next
		cur = next
	}
	tests := []struct {
		name   string
		schema *AttributeSchema
		attrs  map[string]any
		want   []string
	}{
		{"valid", sch, map[string]any{"plan": "pro", "seats": 5, "tags": []string{"a"}, "billing": map[string]any{"email": "b@example.com"}}, nil},
		{"Go int and float types", sch, map[string]any{"plan": "free", "seats": int64(3)}, nil},
		{"missing required", sch, map[string]any{}, []string{"/attributes/plan"}},
		{"nil map is {}", sch, nil, []string{"/attributes/plan"}},
		{"wrong enum", sch, map[string]any{"plan": "gold"}, []string{"/attributes/plan"}},
		{"wrong type", sch, map[string]any{"plan": "pro", "seats": "five"}, []string{"/attributes/seats"}},
		{"float is not integer", sch, map[string]any{"plan": "pro", "seats": 1.5}, []string{"/attributes/seats"}},
		{"below minimum", sch, map[string]any{"plan": "pro", "seats": 0}, []string{"/attributes/seats"}},
		{"nested required", sch, map[string]any{"plan": "pro", "billing": map[string]any{}}, []string{"/attributes/billing/email"}},
		{"format asserted", sch, map[string]any{"plan": "pro", "billing": map[string]any{"email": "nope"}}, []string{"/attributes/billing/email"}},
		{"array item", sch, map[string]any{"plan": "pro", "tags": []any{"a", 2}}, []string{"/attributes/tags/1"}},
		{"too many items", sch, map[string]any{"plan": "pro", "tags": []string{"a", "b", "c", "d"}}, []string{"/attributes/tags"}},
		{"additional property", sch, map[string]any{"plan": "pro", "x": 1, "y": 2}, []string{"/attributes/x", "/attributes/y"}},
		{"pointer escaping", sch, map[string]any{"plan": "pro", "a/b": 1}, []string{"/attributes/a~1b"}},
		{"several errors", sch, map[string]any{"seats": 0, "tags": 1}, []string{"/attributes/plan", "/attributes/seats", "/attributes/tags"}},
		{"nil schema accepts anything", nil, map[string]any{"anything": []any{1, "x", nil}}, nil},
		{"nil schema still caps size", nil, map[string]any{"x": strings.Repeat("a", MaxAttributesSize)}, []string{"/attributes"}},
		{"nil schema still caps depth", nil, deep, []string{"/attributes"}},
		{"not JSON", nil, map[string]any{"ch": make(chan int)}, []string{"/attributes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fields(t, tt.schema.Validate(tt.attrs))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("fields = %v, want %v (err: %v)", got, tt.want, tt.schema.Validate(tt.attrs))
			}
		})
	}
}

func validUser() *User {
	return &User{
		Email:    "alice@example.com",
		Username: "alice",
		Phone:    "+14155550123",
		Profile: Profile{
			Name: "Alice Example", Picture: "https://cdn.example.com/a.png", Website: "http://alice.example",
			Birthdate: "1990-04-01", Locale: "en-US", Zoneinfo: "Europe/Paris",
			Address: &Address{StreetAddress: "1 Main St\nApt 2", Country: "FR"},
		},
		Attributes: map[string]any{"plan": "pro"},
	}
}

func TestValidateUser(t *testing.T) {
	sch := mustSchema(t, `{"properties":{"plan":{"enum":["free","pro"]}},"required":["plan"]}`)
	tests := []struct {
		name   string
		mutate func(u *User)
		want   []string
	}{
		{"valid", func(u *User) {}, nil},
		{"minimal", func(u *User) { *u = User{Email: "bob@example.com", Attributes: map[string]any{"plan": "free"}} }, nil},
		{"un-normalised email is fine", func(u *User) { u.Email = " Bob@EXAMPLE.com " }, nil},
		{"birthdate without year", func(u *User) { u.Profile.Birthdate = "0000-02-29" }, nil},
		{"birth year only", func(u *User) { u.Profile.Birthdate = "1990" }, nil},
		{"locale with underscore", func(u *User) { u.Profile.Locale = "en_US" }, nil},
		{"missing email", func(u *User) { u.Email = "" }, []string{"/email"}},
		{"bad email", func(u *User) { u.Email = "Alice <alice@example.com>" }, []string{"/email"}},
		{"bad username", func(u *User) { u.Username = "alice smith" }, []string{"/username"}},
		{"bad phone", func(u *User) { u.Phone = "555-0123" }, []string{"/phone_number"}},
		{"verified without phone", func(u *User) { u.Phone = ""; u.PhoneVerified = true }, []string{"/phone_number_verified"}},
		{"bad birthdate", func(u *User) { u.Profile.Birthdate = "1990-02-30" }, []string{"/birthdate"}},
		{"bad locale", func(u *User) { u.Profile.Locale = "not a locale" }, []string{"/locale"}},
		{"picture not a URL", func(u *User) { u.Profile.Picture = "a.png" }, []string{"/picture"}},
		{"javascript website", func(u *User) { u.Profile.Website = "javascript:alert(1)" }, []string{"/website"}},
		{"control characters in name", func(u *User) { u.Profile.GivenName = "Al\x00ice" }, []string{"/given_name"}},
		{"name too long", func(u *User) { u.Profile.FamilyName = strings.Repeat("x", maxNameLen+1) }, []string{"/family_name"}},
		{"gender too long", func(u *User) { u.Profile.Gender = strings.Repeat("x", maxShortTextLen+1) }, []string{"/gender"}},
		{"multi-line street address", func(u *User) { u.Profile.Address.StreetAddress = "1 Main St\r\nApt 2" }, nil},
		{"address control chars", func(u *User) { u.Profile.Address.Locality = "Pa\x07ris" }, []string{"/address/locality"}},
		{"attributes", func(u *User) { u.Attributes = map[string]any{"plan": "gold"} }, []string{"/attributes/plan"}},
		{"everything at once", func(u *User) {
			u.Email = "x"
			u.Username = "!"
			u.Phone = "1"
			u.Attributes = nil
		}, []string{"/attributes/plan", "/email", "/phone_number", "/username"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := validUser()
			tt.mutate(u)
			before := *u
			got := fields(t, ValidateUser(u, sch))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("fields = %v, want %v (%v)", got, tt.want, ValidateUser(u, sch))
			}
			if u.Email != before.Email {
				t.Fatal("ValidateUser modified the user")
			}
		})
	}
	if err := ValidateUser(&User{Email: "a@example.com", Attributes: map[string]any{"x": 1}}, nil); err != nil {
		t.Fatalf("nil schema: %v", err)
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

const testJWKS = `{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`

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
			c.Metadata = map[string]any{"x": strings.Repeat("a", MaxAttributesSize)}
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

func TestAttributesRejectNUL(t *testing.T) {
	for _, attrs := range []map[string]any{
		{"a": "x\x00y"},
		{"a\x00": "x"},
		{"a": []any{"ok", map[string]any{"b": "\x00"}}},
	} {
		var s *AttributeSchema
		if err := s.Validate(attrs); err == nil {
			t.Errorf("accepted %q", attrs)
		}
	}
}

func TestValidateOnboarding(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    Onboarding
		field string // "" means valid
	}{
		{"zero value (defaults)", Onboarding{}, ""},
		{"all set", Onboarding{RegistrationDisabled: true, RequireVerifiedEmail: true, TermsVersion: "2026-05.1", TermsURI: "https://acme.example/terms"}, ""},
		{"version without URI", Onboarding{TermsVersion: "v1"}, ""},
		{"URI without version", Onboarding{TermsURI: "https://acme.example/terms"}, "/onboarding/terms_version"},
		{"plain http URI", Onboarding{TermsVersion: "v1", TermsURI: "http://acme.example/terms"}, "/onboarding/terms_uri"},
		{"script URI", Onboarding{TermsVersion: "v1", TermsURI: "javascript:alert(1)"}, "/onboarding/terms_uri"},
		{"version with space", Onboarding{TermsVersion: "v 1"}, "/onboarding/terms_version"},
		{"version too long", Onboarding{TermsVersion: strings.Repeat("a", 65)}, "/onboarding/terms_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateOnboarding(&tc.in)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			ve, ok := err.(*ValidationError)
			if !ok || len(ve.Errors) == 0 || ve.Errors[0].Field != tc.field {
				t.Fatalf("got %v, want an error on %s", err, tc.field)
			}
		})
	}
}

// Users may set only the top-level properties the schema declares and
// does not mark readOnly; undeclared and readOnly attributes are the
// Admin API's. $ref and allOf count as declarations, and a readOnly
// anywhere on the property's way makes it read-only.
func TestUserWritable(t *testing.T) {
	sch := mustSchema(t, `{
	  "type": "object",
	  "properties": {
	    "department": {"type": "string"},
	    "plan": {"type": "string", "readOnly": true},
	    "tier": {"$ref": "#/$defs/admin"},
	    "nick": {"$ref": "#/$defs/text"}
	  },
	  "allOf": [
	    {"properties": {"team": {"type": "string"}, "department": {"maxLength": 40}}},
	    {"$ref": "#/$defs/more"}
	  ],
	  "$defs": {
	    "admin": {"type": "string", "readOnly": true},
	    "text": {"type": "string"},
	    "more": {"properties": {"roles": {"type": "array", "readOnly": true}, "loop": {"$ref": "#/$defs/more"}}, "allOf": [{"$ref": "#"}]}
	  }
	}`)
	for name, want := range map[string]bool{
		"department": true, "team": true, "nick": true, "loop": true,
		"plan": false, "tier": false, "roles": false, "undeclared": false, "": false,
	} {
		if got := sch.UserWritable(name); got != want {
			t.Errorf("UserWritable(%q) = %v, want %v", name, got, want)
		}
	}
	var none *AttributeSchema
	if none.UserWritable("department") {
		t.Error("without a schema an attribute is user-writable")
	}

	// The payload: only department is the user's.
	err := sch.CheckUserWritable(map[string]any{"department": "sales", "roles": []any{"admin"}, "plan": "enterprise", "extra": 1})
	ve, ok := errors.AsType[*ValidationError](err)
	if !ok {
		t.Fatalf("err = %v, want a ValidationError", err)
	}
	var fields []string
	for _, fe := range ve.Errors {
		fields = append(fields, fe.Field)
	}
	if want := []string{"/attributes/extra", "/attributes/plan", "/attributes/roles"}; !slices.Equal(fields, want) {
		t.Errorf("refused %v, want %v", fields, want)
	}
	if err := sch.CheckUserWritable(map[string]any{"department": "sales", "team": "red"}); err != nil {
		t.Errorf("user-writable attributes refused: %v", err)
	}
	if err := sch.CheckUserWritable(nil); err != nil {
		t.Errorf("no attributes refused: %v", err)
	}
	if err := none.CheckUserWritable(map[string]any{"a/b": 1}); err == nil || !strings.Contains(err.Error(), "/attributes/a~1b") {
		t.Errorf("without a schema: %v, want /attributes/a~1b refused", err)
	}
}

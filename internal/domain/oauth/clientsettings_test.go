package oauth

import (
	"reflect"
	"testing"
)

func TestParseClientSettings(t *testing.T) {
	s, err := ParseClientSettings(map[string]any{
		"first_party": true, "access_token_format": "opaque", "access_token_lifetime": float64(600),
		"audience": "urn:example:api", "token_exchange_audiences": []any{"https://a.example", "https://b.example"},
		"claim_mappings": map[string]any{"dept": "department"}, "allowed_cors_origins": []any{"https://spa.example.com"},
		"id_token_lifetime": nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := ClientSettings{
		FirstParty: true, AccessTokenFormat: AccessTokenOpaque, AccessTokenLifetime: 600,
		Audience: []string{"urn:example:api"}, TokenExchangeAudiences: []string{"https://a.example", "https://b.example"},
		ClaimMappings: map[string]string{"dept": "department"}, AllowedCORSOrigins: []string{"https://spa.example.com"},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got %+v\nwant %+v", s, want)
	}

	// A client stored before settings were checked still gets its valid
	// keys; the bad ones keep their defaults and are reported.
	s, err = ParseClientSettings(map[string]any{"first_party": "yes", "audience": []any{"urn:a"}, "colour": "blue"})
	if got := fields(t, err); !reflect.DeepEqual(got, []string{"/metadata/colour", "/metadata/first_party"}) {
		t.Fatalf("fields %v (%v)", got, err)
	}
	if s.FirstParty || !reflect.DeepEqual(s.Audience, []string{"urn:a"}) {
		t.Fatalf("lenient settings %+v", s)
	}

	for _, bad := range []any{"", []any{"a", ""}, []any{1}, map[string]any{}, true} {
		if _, err := ParseClientSettings(map[string]any{"audience": bad}); err == nil {
			t.Errorf("audience %#v accepted", bad)
		}
	}
	for _, bad := range []any{1.5, "60", float64(-1), 1e300} {
		if _, err := ParseClientSettings(map[string]any{"refresh_token_lifetime": bad}); err == nil {
			t.Errorf("lifetime %#v accepted", bad)
		}
	}
}

func TestValidateOrigin(t *testing.T) {
	for _, ok := range []string{"https://app.example.com", "http://localhost:3000", "https://[::1]:8443", "http://127.0.0.1"} {
		if err := ValidateOrigin(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "null", "*", "https://*.example.com", "https://app.example.com/", "https://app.example.com/x",
		"https://App.Example.com", "https://app.example.com:443", "http://app.example.com:80", "https://app.example.com:",
		"https://user@app.example.com", "https://app.example.com?", "https://app.example.com#", "app.example.com",
		"ftp://app.example.com", "https://"} {
		if err := ValidateOrigin(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

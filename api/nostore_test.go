package api_test

import (
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatehouse-iam/gatehouse/api"
)

// secretMembers are response members that carry a secret shown once: a
// client secret, an API key or webhook signing key, a TOTP secret (also
// inside its otpauth URL and QR code), recovery codes, and the login API's
// redirect_to (the authorization code).
var secretMembers = []string{"client_secret", "secret", "token", "otpauth_url", "qr_code", "codes", "redirect_to"}

// Every operation whose successful response can carry a secret is marked
// x-gatehouse-no-store (the server then forbids caching it), and no other
// one is: a new secret-bearing operation cannot forget the mark.
func TestSecretResponsesAreMarkedNoStore(t *testing.T) {
	marked := 0
	for _, o := range operations(spec(t)) {
		var found []string
		for code, r := range o.op.Responses.Map() {
			if code[0] != '2' || r.Value == nil {
				continue
			}
			for _, mt := range r.Value.Content {
				if mt.Schema != nil {
					members(mt.Schema.Value, map[*openapi3.Schema]bool{}, func(name string) {
						if slices.Contains(secretMembers, name) && !slices.Contains(found, name) {
							found = append(found, name)
						}
					})
				}
			}
		}
		switch noStore := api.NoStore(o.op); {
		case noStore:
			marked++
			if len(found) == 0 {
				t.Errorf("%s %s (%s) is marked %s but returns none of %v", o.method, o.path, o.op.OperationID, api.NoStoreExtension, secretMembers)
			}
		case len(found) > 0:
			t.Errorf("%s %s (%s) returns %v: mark it %s: true", o.method, o.path, o.op.OperationID, found, api.NoStoreExtension)
		}
	}
	if marked == 0 {
		t.Fatal("no operation is marked")
	}
}

// members calls fn with the name of every property of s, at any depth.
func members(s *openapi3.Schema, seen map[*openapi3.Schema]bool, fn func(string)) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for name, p := range s.Properties {
		fn(name)
		members(p.Value, seen, fn)
	}
	for _, l := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
		for _, r := range l {
			members(r.Value, seen, fn)
		}
	}
	if s.Items != nil {
		members(s.Items.Value, seen, fn)
	}
	if s.AdditionalProperties.Schema != nil {
		members(s.AdditionalProperties.Schema.Value, seen, fn)
	}
}

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
	if ve.Err() != nil {
		t.Fatal("empty ValidationError must be a nil error")
	}
	ve.Add("/email", "is required")
	ve.Add("/phone", "must be in E.164 format")
	want := "invalid input: /email: is required; /phone: must be in E.164 format"
	if ve.Error() != want {
		t.Fatalf("Error() = %q", ve.Error())
	}
	if got := Pointer("/attributes", "a/b", "c~d"); got != "/attributes/a~1b/c~0d" {
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

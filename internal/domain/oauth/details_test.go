package oauth_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

const paymentSchema = `{"type":"object","required":["type","instructedAmount"],"properties":{
	"type":{"const":"payment_initiation"},
	"instructedAmount":{"type":"object","required":["currency","amount"],"properties":{
		"currency":{"type":"string","pattern":"^[A-Z]{3}$"},"amount":{"type":"string"}},"additionalProperties":false},
	"creditorName":{"type":"string","maxLength":70}},"additionalProperties":false}`

func TestParseDetails(t *testing.T) {
	ds, err := oauth.ParseDetails(` [ {"type":"payment_initiation","b":1.10,"a":{"y":2,"x":12345678901234567890}} ] `)
	if err != nil {
		t.Fatal(err)
	}
	// Keys sorted, numbers kept as written: equal details compare equal.
	if want := `[{"a":{"x":12345678901234567890,"y":2},"b":1.10,"type":"payment_initiation"}]`; ds.JSON() != want {
		t.Fatalf("JSON() = %s, want %s", ds.JSON(), want)
	}
	for _, bad := range []string{`{}`, `[]`, `[1]`, `[{"type":""}]`, `[{"type":7}]`, `[{"type":"a"}] x`, `[{"type":"a"}][]`,
		`[{"type":"a","n":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}]`, strings.Repeat(" ", oauth.MaxDetailsBytes+1)} {
		if _, err := oauth.ParseDetails(bad); err == nil && strings.TrimSpace(bad) != "" {
			t.Errorf("%.40q parsed", bad)
		} else if err != nil && !errors.As(err, new(*oauth.DetailsError)) {
			t.Errorf("%.40q: %T %v", bad, err, err)
		}
	}
	if ds, err := oauth.ParseDetails(""); ds != nil || err != nil {
		t.Fatalf("empty: %v %v", ds, err)
	}
}

func TestDetailSchema(t *testing.T) {
	s, err := oauth.CompileDetailSchema(json.RawMessage(paymentSchema))
	if err != nil {
		t.Fatal(err)
	}
	ok, _ := oauth.ParseDetails(`[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"1"}}]`)
	if err := s.Validate(0, ok[0]); err != nil {
		t.Fatal(err)
	}
	bad, _ := oauth.ParseDetails(`[{"type":"payment_initiation","instructedAmount":{"currency":"eur","amount":"1"}}]`)
	err = s.Validate(0, bad[0])
	if err == nil || !strings.Contains(err.Error(), "/instructedAmount/currency") {
		t.Fatalf("Validate = %v", err)
	}
	for _, sch := range []string{`{"type":12}`, `[]`, `true`, `{"$ref":"https://example.com/x"}`, `{"$ref":"file:///etc/passwd"}`,
		`{"$schema":"http://json-schema.org/draft-07/schema#"}`, `{`, `{"description":"` + strings.Repeat("x", oauth.MaxDetailSchemaLen) + `"}`} {
		if _, err := oauth.CompileDetailSchema(json.RawMessage(sch)); err == nil {
			t.Errorf("schema %.40q compiled", sch)
		}
	}
}

func TestDetailsWithin(t *testing.T) {
	granted, _ := oauth.ParseDetails(`[{"type":"a","n":1},{"type":"b"}]`)
	sub, _ := oauth.ParseDetails(`[{"n":1,"type":"a"}]`)
	other, _ := oauth.ParseDetails(`[{"type":"a","n":2}]`)
	if err := sub.Within(granted); err != nil {
		t.Fatal(err)
	}
	if err := other.Within(granted); err == nil {
		t.Fatal("a detail that was not granted is within the grant")
	}
}

// FuzzAuthorizationDetails feeds the parser and the validator arbitrary
// authorization_details: they refuse with a *DetailsError or accept, and
// what they accept re-parses to the same canonical form.
func FuzzAuthorizationDetails(f *testing.F) {
	for _, seed := range []string{
		`[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"1"}}]`,
		`[{"type":"payment_initiation","instructedAmount":{"currency":"eur","amount":1}}]`,
		`[{"type":"a"},{"type":"b","locations":["https://x"],"actions":["read"]}]`,
		`[{"type":"a","n":1e400}]`, `[{"type":"a","s":"\ud800"}]`, `[]`, `{}`, `[{"type":"a"}`, `null`, `[null]`,
		`[{"type":"a","type":"b"}]`, `[{"type":"a","x":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}]`,
	} {
		f.Add(seed)
	}
	schema, err := oauth.CompileDetailSchema(json.RawMessage(paymentSchema))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ds, err := oauth.ParseDetails(raw)
		if err != nil {
			if !errors.As(err, new(*oauth.DetailsError)) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(ds) > oauth.MaxDetails {
			t.Fatalf("%d details accepted", len(ds))
		}
		again, err := oauth.ParseStoredDetails(ds.JSON())
		if err != nil || again.JSON() != ds.JSON() {
			t.Fatalf("canonical form does not round-trip: %q -> %q (%v)", ds.JSON(), again.JSON(), err)
		}
		if err := again.Within(ds); err != nil {
			t.Fatal(err)
		}
		for i, d := range ds {
			if err := schema.Validate(i, d); err != nil && !errors.As(err, new(*oauth.DetailsError)) {
				t.Fatalf("validate: %T %v", err, err)
			}
		}
	})
}

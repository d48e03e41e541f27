package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Rich authorization requests (RFC 9396): a client asks for
// authorization_details, a JSON array of objects each with a `type` that
// an API of the tenant declares together with a JSON Schema. This file
// parses and canonicalises the parameter, compiles the types' schemas and
// validates details against them; which API declares a type, and whether
// the client may use it, is the protocol's business.

// Limits on what a client may send and an API may declare.
const (
	MaxDetailsBytes    = 8 << 10  // the raw authorization_details parameter
	MaxDetails         = 10       // entries in one request
	MaxDetailsDepth    = 16       // nesting of one entry
	MaxDetailSchemaLen = 16 << 10 // one type's schema, compact JSON
	maxSchemaDepth     = 32
)

// DetailsError is a refusal of authorization_details: RFC 9396's
// invalid_authorization_details. Its message is safe to show the client.
type DetailsError struct{ Msg string }

func (e *DetailsError) Error() string { return e.Msg }

func detailsErr(format string, args ...any) error {
	return &DetailsError{Msg: fmt.Sprintf(format, args...)}
}

// Detail is one authorization details object, parsed.
type Detail struct {
	Type string
	// Value is the object as jsonschema validates it (numbers are
	// json.Number, so nothing is rounded).
	Value map[string]any
	// Canonical is the object re-encoded with sorted keys: two requests
	// for the same detail compare equal byte for byte.
	Canonical string
}

// Details are the parsed authorization_details of a request.
type Details []Detail

// ParseDetails parses an authorization_details parameter: a JSON array
// (at most MaxDetails entries, MaxDetailsBytes in all, valid UTF-8) of
// objects, each with a non-empty string `type`. "" parses to nil.
// Anything else is a *DetailsError.
func ParseDetails(raw string) (Details, error) {
	return parseDetails(raw, MaxDetailsBytes)
}

// ParseStoredDetails parses details that ParseDetails accepted and JSON
// re-encoded (a request's, a token's): the canonical form may be longer
// than what the client sent (U+2028 is escaped), so the size limit is
// wider; everything else is checked again.
func ParseStoredDetails(raw string) (Details, error) {
	return parseDetails(raw, 4*MaxDetailsBytes)
}

func parseDetails(raw string, limit int) (Details, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	if len(raw) > limit {
		return nil, detailsErr("authorization_details is larger than %d bytes", MaxDetailsBytes)
	}
	if !utf8.ValidString(raw) {
		return nil, detailsErr("authorization_details is not valid UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var arr []any
	if err := dec.Decode(&arr); err != nil {
		return nil, detailsErr("authorization_details must be a JSON array of objects")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, detailsErr("authorization_details must be a single JSON array")
	}
	if len(arr) == 0 {
		return nil, detailsErr("authorization_details must not be empty")
	}
	if len(arr) > MaxDetails {
		return nil, detailsErr("at most %d authorization_details entries are allowed", MaxDetails)
	}
	out := make(Details, 0, len(arr))
	for i, v := range arr {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, detailsErr("authorization_details[%d] is not an object", i)
		}
		typ, ok := obj["type"].(string)
		if !ok || typ == "" {
			return nil, detailsErr("authorization_details[%d] has no type", i)
		}
		if depth(obj, 0) > MaxDetailsDepth {
			return nil, detailsErr("authorization_details[%d] is nested too deeply", i)
		}
		b, err := canonical(obj)
		if err != nil {
			return nil, detailsErr("authorization_details[%d] cannot be encoded", i)
		}
		out = append(out, Detail{Type: typ, Value: obj, Canonical: b})
	}
	return out, nil
}

// canonical encodes v with sorted keys and without HTML escaping (which
// would make the stored form of "<" six bytes).
func canonical(v any) (string, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func depth(v any, d int) int {
	max := d
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			max = maxInt(max, depth(e, d+1))
		}
	case []any:
		for _, e := range x {
			max = maxInt(max, depth(e, d+1))
		}
	}
	return max
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// JSON is the details as a canonical JSON array; "" for none.
func (ds Details) JSON() string {
	if len(ds) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range ds {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d.Canonical)
	}
	b.WriteByte(']')
	return b.String()
}

// Canonicals are the details' canonical forms (for consent).
func (ds Details) Canonicals() []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Canonical
	}
	return out
}

// Within returns ds when every detail is one of granted (a narrowing, or
// the same), else a *DetailsError naming the first that is not.
func (ds Details) Within(granted Details) error {
	g := granted.Canonicals()
	for i, d := range ds {
		if !slices.Contains(g, d.Canonical) {
			return detailsErr("authorization_details[%d] (type %s) was not granted", i, d.Type)
		}
	}
	return nil
}

// DetailSchema is a compiled authorization details type schema.
type DetailSchema struct{ s *jsonschema.Schema }

// noLoader refuses external references: compiling an API's schema never
// touches the network or the file system (the draft metaschemas are
// embedded in the library).
type noLoader struct{}

func (noLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("external reference %q is not allowed; put definitions in $defs", u)
}

const detailSchemaURL = "urn:gatehouse:authorization-details-type"

// CompileDetailSchema compiles a type's JSON Schema (draft 2020-12, the
// default when $schema is absent), at most MaxDetailSchemaLen bytes and
// without external references. Formats are asserted.
func CompileDetailSchema(raw json.RawMessage) (*DetailSchema, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New("a schema is required")
	}
	if len(raw) > MaxDetailSchemaLen {
		return nil, fmt.Errorf("the schema is larger than %d bytes", MaxDetailSchemaLen)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, errors.New("the schema is not valid JSON")
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errors.New("the schema must be a JSON object")
	}
	if depth(doc, 0) > maxSchemaDepth {
		return nil, errors.New("the schema is nested too deeply")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noLoader{})
	c.AssertFormat()
	if err := c.AddResource(detailSchemaURL, doc); err != nil {
		return nil, fmt.Errorf("the schema is invalid: %v", err)
	}
	sch, err := c.Compile(detailSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("the schema is invalid: %v", err)
	}
	if sch.DraftVersion != 2020 {
		return nil, errors.New("$schema must be https://json-schema.org/draft/2020-12/schema")
	}
	return &DetailSchema{s: sch}, nil
}

// Validate checks d against the schema; the error is a *DetailsError
// whose message says where the detail fails (never the schema's text).
func (s *DetailSchema) Validate(i int, d Detail) error {
	err := s.s.Validate(d.Value)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		leaf := ve
		for len(leaf.Causes) > 0 {
			leaf = leaf.Causes[0]
		}
		where := "/" + strings.Join(leaf.InstanceLocation, "/")
		return detailsErr("authorization_details[%d] (type %s) does not match its schema at %s", i, d.Type, where)
	}
	return detailsErr("authorization_details[%d] (type %s) does not match its schema", i, d.Type)
}

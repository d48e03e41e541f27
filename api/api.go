// Package api holds the Admin API contract, openapi.yaml, and serves it.
//
// openapi.yaml is the source of truth: package gen is generated from it
// (go generate ./api/...), the server validates requests against it, and
// internal/apitest checks every response the tests see against it. The
// document is embedded, so the binary always serves the contract it was built
// with.
package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	_ "embed"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"go.yaml.in/yaml/v3"
)

//go:embed openapi.yaml
var specYAML []byte

// YAML returns the OpenAPI document as written. The slice is shared: callers
// must not modify it.
func YAML() []byte { return specYAML }

var specJSON = sync.OnceValue(func() []byte {
	b, err := yamlToJSON(specYAML)
	if err != nil {
		// The document is embedded and TestSpec loads it, so this cannot
		// happen in a tested build.
		panic("api: openapi.yaml does not convert to JSON: " + err.Error())
	}
	return b
})

// JSON returns the OpenAPI document as JSON, with members in the order of
// openapi.yaml. It is converted once. The slice is shared: callers must not
// modify it.
func JSON() []byte { return specJSON() }

var spec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("api: load openapi.yaml: %w", err)
	}
	// Checking every example costs more than the rest of start-up together;
	// TestSpecExamplesAreValid does it in the test suite instead.
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("api: openapi.yaml is invalid: %w", err)
	}
	return doc, nil
})

// SchemaOptions are the validation options every check against this
// contract uses. kin-openapi enforces no "email" format unless told to;
// the contract's emails must be checked where requests are validated, so a
// bad address is a field error on /email rather than a decoding failure.
// The options are built once: compiling the email regexp on every request
// cost more than the rest of a small request's validation. The slice is
// shared; callers must not modify it.
func SchemaOptions() []openapi3.SchemaValidationOption { return schemaOptions() }

var schemaOptions = sync.OnceValue(func() []openapi3.SchemaValidationOption {
	var opts []openapi3.SchemaValidationOption
	for name, v := range StringFormats() {
		opts = append(opts, openapi3.WithStringFormatValidator(name, v))
	}
	return opts
})

// StringFormats are the string formats SchemaOptions enforces beyond
// kin-openapi's defaults (openapi3.SchemaStringFormats), by name, for
// validators that apply the contract without kin's options
// (internal/apicontract). The map is shared; callers must not modify it.
func StringFormats() map[string]openapi3.StringFormatValidator { return stringFormats() }

var stringFormats = sync.OnceValue(func() map[string]openapi3.StringFormatValidator {
	return map[string]openapi3.StringFormatValidator{
		"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
	}
})

// Spec returns the OpenAPI document loaded and validated with kin-openapi.
// It is loaded once; the returned document is shared, so callers must not
// modify it (copy the struct to change top-level fields such as Servers).
func Spec() (*openapi3.T, error) { return spec() }

var router = sync.OnceValues(func() (routers.Router, error) {
	doc, err := Spec()
	if err != nil {
		return nil, err
	}
	// Match on method and path alone: the server may be reached under any
	// scheme, host and port, so drop the document's servers.
	d := *doc
	d.Servers = nil
	r, err := gorillamux.NewRouter(&d)
	if err != nil {
		return nil, fmt.Errorf("api: build router: %w", err)
	}
	return r, nil
})

// Router returns a router that finds the operation of a request by method
// and path, whatever its host. Use it with openapi3filter to validate
// requests and responses. It is built once and is safe for concurrent use.
func Router() (routers.Router, error) { return router() }

// NoStoreExtension marks an operation whose successful response carries a
// secret shown once; its responses must not be cached (NoStore).
const NoStoreExtension = "x-gatehouse-no-store"

// NoStore reports whether op is marked with NoStoreExtension: the server
// sends its responses with Cache-Control: no-store and Pragma: no-cache.
func NoStore(op *openapi3.Operation) bool {
	if op == nil {
		return false
	}
	v, _ := op.Extensions[NoStoreExtension].(bool)
	return v
}

// yamlToJSON converts a YAML document to JSON, keeping the order of mapping
// keys (encoding/json would sort them) and not escaping <, > and &.
func yamlToJSON(in []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(in, &root); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, &root); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return fmt.Errorf("line %d: want one document, have %d", n.Line, len(n.Content))
		}
		return writeJSON(buf, n.Content[0])
	case yaml.AliasNode:
		return writeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: mapping key is not a scalar", k.Line)
			}
			if k.Tag == "!!merge" {
				return fmt.Errorf("line %d: merge keys (<<) are not supported", k.Line)
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeValue(buf, k.Value); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := writeJSON(buf, v); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case yaml.ScalarNode:
		if n.Tag == "!!timestamp" { // JSON has no dates: keep the text
			return writeValue(buf, n.Value)
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		return writeValue(buf, v)
	default:
		return fmt.Errorf("line %d: unexpected YAML node kind %v", n.Line, n.Kind)
	}
}

func writeValue(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
	return nil
}

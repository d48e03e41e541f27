package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// servedFromFiles are the operations whose bodies are files of this
// repository (the contract itself, the docs page and its script, the
// changelog): `gatehouse mock` serves those files, so an example would only
// repeat them.
var servedFromFiles = []string{"getOpenAPIJSON", "getOpenAPIYAML", "getDocs", "getDocsScript", "getChangelog"}

// TestEveryOperationHasExamples is the examples lint: every request body and
// every success response body of every operation has at least one named
// example (gatehouse mock answers with them, the docs page shows them), and
// every header a response must carry has one. TestSpecExamplesAreValid
// checks each example against its schema.
func TestEveryOperationHasExamples(t *testing.T) {
	doc := spec(t)
	for _, o := range operations(doc) {
		op := o.op
		if slices.Contains(servedFromFiles, op.OperationID) {
			continue
		}
		if rb := op.RequestBody; rb != nil {
			for ct, mt := range rb.Value.Content {
				if !hasExample(mt) {
					t.Errorf("%s: request body %s has no example", op.OperationID, ct)
				}
			}
		}
		for code, r := range op.Responses.Map() {
			if !strings.HasPrefix(code, "2") && code != "503" {
				continue // error responses come from components/responses, with their examples
			}
			for ct, mt := range r.Value.Content {
				if !hasExample(mt) {
					t.Errorf("%s: %s response %s has no example", op.OperationID, code, ct)
				}
			}
		}
		for code, r := range op.Responses.Map() {
			for name, h := range r.Value.Headers {
				if h.Value.Required && h.Value.Example == nil && (h.Value.Schema == nil || h.Value.Schema.Value.Example == nil) {
					t.Errorf("%s: %s response header %s is required but has no example", op.OperationID, code, name)
				}
			}
		}
	}
}

func hasExample(mt *openapi3.MediaType) bool {
	return mt.Example != nil || len(mt.Examples) > 0
}

// TestExamplesAreUsed keeps components/examples free of examples no
// operation refers to (they would be checked, but shown nowhere).
func TestExamplesAreUsed(t *testing.T) {
	doc := spec(t)
	used := map[string]bool{}
	mark := func(c openapi3.Content) {
		for _, mt := range c {
			for _, ex := range mt.Examples {
				used[strings.TrimPrefix(ex.Ref, "#/components/examples/")] = true
			}
		}
	}
	for _, o := range operations(doc) {
		if rb := o.op.RequestBody; rb != nil {
			mark(rb.Value.Content)
		}
		for _, r := range o.op.Responses.Map() {
			mark(r.Value.Content)
		}
	}
	for name := range doc.Components.Examples {
		if !used[name] {
			t.Errorf("components/examples/%s is not used by any operation", name)
		}
	}
}

package api_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/api/gen"
)

func spec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

type operation struct {
	method, path string
	op           *openapi3.Operation
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			ops = append(ops, operation{method, path, op})
		}
	}
	return ops
}

func TestSpecLoads(t *testing.T) {
	doc := spec(t)
	if got := doc.OpenAPI; got != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", got)
	}
	if n := len(operations(doc)); n != 281 {
		t.Errorf("%d operations, want 281 (update this test when adding some)", n)
	}
	if _, err := api.Router(); err != nil {
		t.Fatal(err)
	}
}

// The conventions of api/openapi.yaml, checked so that edits keep them.
func TestSpecConventions(t *testing.T) {
	doc := spec(t)
	scopes := []string{"tenants:read", "tenants:write", "users:read", "users:write",
		"clients:read", "clients:write", "api_keys:read", "api_keys:write", "keys:read", "keys:write",
		"events:read", "webhooks:read", "webhooks:write"}
	seen := map[string]string{}
	for _, o := range operations(doc) {
		op := o.op
		name := o.method + " " + o.path
		t.Run(name, func(t *testing.T) {
			if op.OperationID == "" || op.Summary == "" || len(op.Tags) == 0 {
				t.Fatalf("needs operationId, summary and tags")
			}
			if prev, dup := seen[op.OperationID]; dup {
				t.Errorf("operationId %s also used by %s", op.OperationID, prev)
			}
			seen[op.OperationID] = name
			for _, tag := range op.Tags {
				if doc.Tags.Get(tag) == nil {
					t.Errorf("tag %q is not declared", tag)
				}
			}
			// The account API (users' access tokens) follows the admin
			// conventions but for its security scheme.
			account := slices.Contains(op.Tags, "account")
			if !strings.HasPrefix(o.path, "/admin/") && !account {
				if op.Security == nil || len(*op.Security) != 0 {
					t.Errorf("operations endpoints declare security: []")
				}
				return
			}

			// Security: one bearerAuth requirement naming one known scope,
			// or for the account API accountAuth with the account scope.
			switch {
			case account:
				if op.Security == nil || len(*op.Security) != 2 || !slices.Equal((*op.Security)[0]["accountAuth"], []string{"account"}) ||
					(*op.Security)[1]["sessionCookie"] == nil || !strings.Contains(o.path+"/", "/v1/me/") {
					t.Errorf("security = %v, want [{accountAuth: [account]}, {sessionCookie: []}] on a /v1/me path", op.Security)
				}
			case op.Security == nil || len(*op.Security) != 1 || len((*op.Security)[0]["bearerAuth"]) != 1 ||
				!slices.Contains(scopes, (*op.Security)[0]["bearerAuth"][0]):
				t.Errorf("security = %v, want [{bearerAuth: [<one scope>]}]", op.Security)
			}

			// Error responses, all problem+json from components/responses.
			want := []int{400, 401, 403, 429, 500}
			if strings.Contains(o.path, "{") {
				want = append(want, 404)
			}
			creates := op.Responses.Status(201) != nil
			if creates || o.method == "PATCH" {
				want = append(want, 409)
			}
			if o.method == "PATCH" {
				want = append(want, 412)
				if !hasParam(op, "header", "If-Match") {
					t.Errorf("PATCH takes If-Match")
				}
			}
			if creates && !hasParam(op, "header", "Idempotency-Key") {
				t.Errorf("creating POST takes Idempotency-Key")
			}
			if op.RequestBody != nil {
				want = append(want, 413, 415)
			}
			for _, code := range want {
				if op.Responses.Status(code) == nil {
					t.Errorf("missing %d response", code)
				}
			}
			for code, r := range op.Responses.Map() {
				if n, _ := strconv.Atoi(code); n >= 400 {
					if r.Ref == "" || r.Value.Content.Get("application/problem+json") == nil {
						t.Errorf("%s: errors reference a problem+json response in components", code)
					}
				}
			}

			// Request bodies are closed objects.
			if rb := op.RequestBody; rb != nil {
				for ct, mt := range rb.Value.Content {
					if s := mt.Schema.Value; s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
						t.Errorf("%s body %s: want additionalProperties: false", ct, mt.Schema.Ref)
					}
				}
				if o.method == "PATCH" && (rb.Value.Content.Get("application/merge-patch+json") == nil || rb.Value.Content.Get("application/json") == nil) {
					t.Errorf("PATCH accepts application/merge-patch+json and application/json")
				}
			}

			// Lists are paged.
			if o.method == "GET" && strings.HasPrefix(op.OperationID, "list") &&
				(!hasParam(op, "query", "limit") || !hasParam(op, "query", "cursor")) {
				t.Errorf("lists take limit and cursor")
			}

			// A versioned resource in a success response comes with its ETag.
			for _, code := range []int{200, 201} {
				r := op.Responses.Status(code)
				if r == nil || r.Value.Content.Get("application/json") == nil {
					continue
				}
				if hasProperty(r.Value.Content.Get("application/json").Schema, "version") {
					if h := r.Value.Headers["ETag"]; h == nil || !h.Value.Required {
						t.Errorf("%d returns a versioned resource: want a required ETag header", code)
					}
				}
			}
		})
	}
}

func hasParam(op *openapi3.Operation, in, name string) bool {
	return op.Parameters.GetByInAndName(in, name) != nil
}

func hasProperty(s *openapi3.SchemaRef, name string) bool {
	if s == nil || s.Value == nil {
		return false
	}
	if s.Value.Properties[name] != nil {
		return true
	}
	for _, sub := range s.Value.AllOf {
		if hasProperty(sub, name) {
			return true
		}
	}
	return false
}

// The generated strict server has one method per operation.
func TestStrictServerInterface(t *testing.T) {
	doc := spec(t)
	var ids []string
	for _, o := range operations(doc) {
		ids = append(ids, o.op.OperationID)
	}
	iface := reflect.TypeFor[gen.StrictServerInterface]()
	var methods []string
	for i := range iface.NumMethod() {
		methods = append(methods, iface.Method(i).Name)
	}
	if len(methods) != len(ids) {
		t.Errorf("StrictServerInterface has %d methods, the spec %d operations", len(methods), len(ids))
	}
	for _, id := range ids {
		if !slices.ContainsFunc(methods, func(m string) bool { return strings.EqualFold(m, id) }) {
			t.Errorf("no StrictServerInterface method for %s", id)
		}
	}
}

func TestJSONMatchesYAML(t *testing.T) {
	js := api.JSON()
	if !json.Valid(js) {
		t.Fatal("JSON() is not valid JSON")
	}
	if !bytes.HasPrefix(js, []byte(`{"openapi":"3.1.0"`)) {
		t.Errorf("JSON() should keep the document's order and start with openapi, starts with %.40s", js)
	}
	if bytes.Contains(js, []byte(`\u003c`)) {
		t.Errorf("JSON() escapes <")
	}
	fromJSON, err := openapi3.NewLoader().LoadFromData(js)
	if err != nil {
		t.Fatal(err)
	}
	a, err := json.Marshal(spec(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("the JSON and YAML forms describe different documents")
	}
}

// TestSpecExamplesAreValid runs the full validation that start-up skips.
func TestSpecExamplesAreValid(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.YAML())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
}

// SchemaOptions runs for every validated request: it must not rebuild its
// validators (it compiled the email regexp each time).
func TestSchemaOptionsBuiltOnce(t *testing.T) {
	api.SchemaOptions()
	if n := testing.AllocsPerRun(100, func() { api.SchemaOptions() }); n != 0 {
		t.Errorf("SchemaOptions allocates %.0f times per call", n)
	}
}

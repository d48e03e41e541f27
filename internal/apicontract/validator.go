package apicontract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatehouse-iam/gatehouse/api"
)

// Validator applies one contract to requests as ValidateRequest does, at a
// fraction of the cost for the requests it accepts.
//
// kin-openapi 0.153 validates every value of an OpenAPI 3.1 document with a
// JSON Schema 2020-12 validator that it compiles again for each value (about
// 3 ms for a UserCreate body, most of a small GET's cost for one query
// parameter; docs/benchmarks.md section 11). Validator compiles each
// operation's schemas once, on the operation's first request, and decides
// with them whether the request is valid. It answers yes only when
// kin-openapi would, so a valid request skips kin's per-value compiles;
// anything else (a violation, a parameter style or body it does not model)
// goes through ValidateRequest, whose error RequestProblem maps, so every
// problem is exactly kin's.
//
// A value is accepted when each validator kin-openapi might pick accepts it:
// kin's own (OpenAPI 3.0) visitor, which kin falls back to for schemas with
// component references and no 2020-12 keywords, and the compiled 2020-12
// schema for the others, compiled as kin compiles it (the same document
// with the same format checks) but with references resolved in the whole
// contract instead of copied into $defs.
type Validator struct {
	doc *openapi3.T
	// fast is false for a document before OpenAPI 3.1, which kin validates
	// without compiling anything: ValidateRequest is already cheap.
	fast     bool
	compiler func() (*schemaCompiler, error)
	plans    sync.Map // *openapi3.Operation → func() *plan
}

// NewValidator returns a Validator for the operations of doc; routes given
// to Validate must come from doc (or a copy sharing its operations).
func NewValidator(doc *openapi3.T) *Validator {
	v := &Validator{doc: doc, fast: doc.IsOpenAPI31OrLater()}
	v.compiler = sync.OnceValues(func() (*schemaCompiler, error) { return newSchemaCompiler(doc) })
	return v
}

// Validate checks r's parameters and body against the operation of route
// (params are its path parameters), leaving authentication to the caller,
// with the result ValidateRequest would give.
func (v *Validator) Validate(r *http.Request, route *routers.Route, params map[string]string) error {
	if v.fast {
		if p := v.plan(route); p != nil && p.accepts(r, params) {
			return nil
		}
	}
	return ValidateRequest(r, route, params)
}

func (v *Validator) plan(route *routers.Route) *plan {
	f, ok := v.plans.Load(route.Operation)
	if !ok {
		f, _ = v.plans.LoadOrStore(route.Operation, sync.OnceValue(func() *plan { return v.newPlan(route) }))
	}
	return f.(func() *plan)()
}

// plan is what Validator checks for one operation. A nil plan means the
// operation has something the fast path does not model: every request
// takes ValidateRequest.
type plan struct {
	params []paramCheck
	body   *openapi3.RequestBody
	media  map[*openapi3.MediaType]*schemaCheck
}

type paramCheck struct {
	param   *openapi3.Parameter
	integer bool // decoded as kin does, to an int64; otherwise a string
	check   *schemaCheck
}

// schemaCheck validates values against one schema.
type schemaCheck struct {
	schema *openapi3.Schema
	opts   []openapi3.SchemaValidationOption
	// compiled is the 2020-12 validator; nil when kin-openapi uses its own
	// visitor for this schema, whatever the value.
	compiled *jsonschema.Schema
}

func (v *Validator) newPlan(route *routers.Route) *plan {
	c, err := v.compiler()
	if err != nil {
		return nil
	}
	op := route.Operation
	if !securityDeclared(route) {
		return nil // kin answers with an error whatever the request
	}
	p := &plan{}
	// As kin: the path item's parameters, unless the operation overrides
	// them, then the operation's.
	var all []*openapi3.Parameter
	for _, ref := range route.PathItem.Parameters {
		if op.Parameters == nil || op.Parameters.GetByInAndName(ref.Value.In, ref.Value.Name) == nil {
			all = append(all, ref.Value)
		}
	}
	for _, ref := range op.Parameters {
		all = append(all, ref.Value)
	}
	paramOpts := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, api.SchemaOptions()...)
	for _, param := range all {
		pc, ok := simpleParam(param)
		if !ok {
			return nil
		}
		if pc.check, ok = c.check(param.Schema.Value, paramOpts); !ok {
			return nil
		}
		p.params = append(p.params, pc)
	}
	if op.RequestBody == nil {
		return p
	}
	p.body = op.RequestBody.Value
	p.media = map[*openapi3.MediaType]*schemaCheck{}
	bodyOpts := append([]openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.MultiErrors()}, api.SchemaOptions()...)
	for _, mt := range p.body.Content {
		if mt.Schema == nil || mt.Schema.Value == nil || len(mt.Encoding) != 0 ||
			mt.Schema.Value.Type.Is("string") || mt.Schema.Value.ContentMediaType != "" {
			continue // not a JSON document: requests of this type take ValidateRequest
		}
		if sc, ok := c.check(mt.Schema.Value, bodyOpts); ok {
			p.media[mt] = sc
		}
	}
	return p
}

// securityDeclared reports whether kin-openapi's security check passes with
// NoopAuthenticationFunc, as ValidateRequest runs it: when the operation
// needs nothing, or one of its requirements names only declared schemes.
func securityDeclared(route *routers.Route) bool {
	sec := route.Operation.Security
	if sec == nil {
		sec = &route.Spec.Security
	}
	if len(*sec) == 0 {
		return true
	}
	var schemes openapi3.SecuritySchemes
	if route.Spec.Components != nil {
		schemes = route.Spec.Components.SecuritySchemes
	}
	for _, req := range *sec {
		declared := true
		for name := range req {
			if ref := schemes[name]; ref == nil || ref.Value == nil {
				declared = false
			}
		}
		if declared {
			return true
		}
	}
	return false
}

// simpleParam reports whether param is of the one shape the contract uses:
// a string or integer in a path, query or header, serialised the default
// way, decoded by kin-openapi exactly as accepts does.
func simpleParam(param *openapi3.Parameter) (paramCheck, bool) {
	if param.Content != nil || param.Schema == nil || param.Schema.Value == nil ||
		param.Style != "" || param.Explode != nil || param.AllowEmptyValue {
		return paramCheck{}, false
	}
	switch param.In {
	case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInHeader:
	default:
		return paramCheck{}, false
	}
	s := param.Schema.Value
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) != 0 || s.Not != nil || len(s.Type.Slice()) != 1 {
		return paramCheck{}, false
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		return paramCheck{param: param}, true
	case s.Type.Is(openapi3.TypeInteger) && s.Format != "int32":
		return paramCheck{param: param, integer: true}, true
	}
	return paramCheck{}, false
}

// accepts reports whether r is valid, when it can tell cheaply; false means
// "not known valid". It leaves r's body readable, as kin does.
func (p *plan) accepts(r *http.Request, pathParams map[string]string) bool {
	var query map[string][]string
	for _, pc := range p.params {
		raw, found := "", false
		switch pc.param.In {
		case openapi3.ParameterInPath:
			raw, found = pathParams[pc.param.Name]
			found = found && raw != ""
		case openapi3.ParameterInQuery:
			if query == nil {
				query = r.URL.Query()
			}
			values := query[pc.param.Name]
			if len(values) > 1 {
				return false // kin picks among them
			}
			if found = len(values) == 1; found {
				raw = values[0]
			}
		case openapi3.ParameterInHeader:
			values, ok := r.Header[http.CanonicalHeaderKey(pc.param.Name)]
			if ok && len(values) == 0 {
				return false
			}
			if found = ok; found {
				raw = values[0]
			}
		}
		if !found {
			if pc.param.Required {
				return false
			}
			continue
		}
		var value any = raw
		if pc.integer {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return false
			}
			value = n
		}
		if !pc.check.accepts(value) {
			return false
		}
	}
	if p.body == nil {
		return true
	}
	return p.acceptsBody(r)
}

// acceptsBody reads the body as kin-openapi's ValidateRequestBody does and
// puts it back the same way, also when it then answers false.
func (p *plan) acceptsBody(r *http.Request) bool {
	var data []byte
	if r.Body != http.NoBody && r.Body != nil {
		var err error
		data, err = io.ReadAll(r.Body)
		if err != nil {
			// Let kin read what was read and meet the same error.
			r.Body = readCloser{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
			return false
		}
		r.Body.Close()
		r.Body = nil
		if r.GetBody != nil {
			if r.Body, err = r.GetBody(); err != nil {
				r.Body = nil
			}
		}
		if r.Body == nil {
			r.ContentLength = int64(len(data))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
			r.Body, _ = r.GetBody()
		}
	}
	if len(data) == 0 {
		return !p.body.Required
	}
	if len(p.body.Content) == 0 {
		return true
	}
	mt := p.body.Content.Get(r.Header.Get("Content-Type"))
	if mt == nil {
		return false
	}
	if mt.Schema == nil {
		return true
	}
	sc := p.media[mt]
	if sc == nil {
		return false
	}
	mediaType, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	decode := openapi3filter.RegisteredBodyDecoder(mediaType)
	if decode == nil && strings.HasSuffix(mediaType, "+json") {
		decode = openapi3filter.RegisteredBodyDecoder("application/json")
	}
	if decode == nil {
		return false
	}
	value, err := decode(bytes.NewReader(data), r.Header, mt.Schema, func(string) *openapi3.Encoding { return nil })
	if err != nil {
		return false
	}
	return sc.accepts(value)
}

type readCloser struct {
	io.Reader
	io.Closer
}

// accepts runs the compiled validator first: kin's visitor may write
// defaults into value.
func (sc *schemaCheck) accepts(value any) bool {
	if sc.compiled != nil && sc.compiled.Validate(value) != nil {
		return false
	}
	return sc.schema.VisitJSON(value, sc.opts...) == nil
}

// schemaCompiler compiles schemas of one document. A jsonschema.Compiler is
// not safe for concurrent use; the schemas it compiles are.
type schemaCompiler struct {
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	n        int
}

const contractURL = "urn:gatehouse:contract"

func newSchemaCompiler(doc *openapi3.T) (*schemaCompiler, error) {
	whole, err := decodedJSON(doc)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(contractURL, whole); err != nil {
		return nil, err
	}
	// As kin-openapi: every format named in the schemas is checked with
	// kin's validators (and ours, api.StringFormats), none with the
	// library's own.
	formats := map[string]bool{}
	collectFormats(whole, formats)
	for name := range formats {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: formatCheck(name)})
	}
	c.AssertFormat()
	return &schemaCompiler{compiler: c}, nil
}

// check prepares s for accepts the way kin-openapi's VisitJSON picks a
// validator on a 3.1 document, or reports false when the fast path should
// leave s alone.
func (c *schemaCompiler) check(s *openapi3.Schema, opts []openapi3.SchemaValidationOption) (*schemaCheck, bool) {
	sc := &schemaCheck{schema: s, opts: opts}
	features, nullable := false, false
	_ = openapi3.NewSchemaRef("", s).WalkSubtree(func(_ string, ref *openapi3.SchemaRef) error {
		features = features || uses2020Keywords(ref.Value)
		// kin's fallback visitor ignores nullable on 3.1 documents, ours
		// (called without EnableJSONSchema2020) would not.
		nullable = nullable || ref.Value.Nullable
		return nil
	})
	if nullable {
		return nil, false
	}
	doc, err := decodedJSON(s)
	if err != nil {
		return nil, false
	}
	if hasComponentRef(doc) && !features {
		return sc, true // kin validates it with its visitor
	}
	rebaseRefs(doc)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	url := fmt.Sprintf("urn:gatehouse:schema:%d", c.n)
	if err := c.compiler.AddResource(url, doc); err != nil {
		return nil, false
	}
	if sc.compiled, err = c.compiler.Compile(url); err != nil {
		return nil, false
	}
	return sc, true
}

// decodedJSON is v as encoding/json decodes its JSON into an any, as
// kin-openapi hands a schema to the 2020-12 compiler.
func decodedJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// uses2020Keywords is kin-openapi's test for a schema it must not validate
// with its 3.0 visitor.
func uses2020Keywords(s *openapi3.Schema) bool {
	return s.Const != nil ||
		len(s.PrefixItems) != 0 || s.Contains != nil ||
		len(s.PatternProperties) != 0 ||
		len(s.DependentSchemas) != 0 || s.PropertyNames != nil ||
		s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil ||
		s.UnevaluatedProperties.Has != nil || s.UnevaluatedProperties.Schema != nil ||
		s.If != nil || s.Then != nil || s.Else != nil ||
		len(s.DependentRequired) != 0 || len(s.Defs) != 0 ||
		s.ContentSchema != nil
}

// walkJSON calls f on every object of a decoded JSON document.
func walkJSON(node any, f func(map[string]any)) {
	switch node := node.(type) {
	case map[string]any:
		f(node)
		for _, v := range node {
			walkJSON(v, f)
		}
	case []any:
		for _, v := range node {
			walkJSON(v, f)
		}
	}
}

func hasComponentRef(doc any) bool {
	found := false
	walkJSON(doc, func(m map[string]any) {
		ref, ok := m["$ref"].(string)
		found = found || ok && strings.HasPrefix(ref, "#/components/schemas/")
	})
	return found
}

// rebaseRefs points a schema's references into the contract.
func rebaseRefs(doc any) {
	walkJSON(doc, func(m map[string]any) {
		if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#/") {
			m["$ref"] = contractURL + ref
		}
	})
}

func collectFormats(doc any, formats map[string]bool) {
	walkJSON(doc, func(m map[string]any) {
		if f, ok := m["format"].(string); ok && f != "" {
			formats[f] = true
		}
	})
}

// formatCheck checks a format as kin-openapi's 2020-12 validator does.
func formatCheck(name string) func(any) error {
	return func(value any) error {
		var n float64
		switch value := value.(type) {
		case string:
			f, ok := api.StringFormats()[name]
			if !ok {
				if f, ok = openapi3.SchemaStringFormats[name]; !ok {
					return nil
				}
			}
			return f.Validate(value)
		case json.Number:
			var err error
			if n, err = value.Float64(); err != nil {
				return nil
			}
		case float64:
			n = value
		case int64:
			n = float64(value)
		default:
			return nil
		}
		if n == math.Trunc(n) && !math.IsInf(n, 0) {
			if f, ok := openapi3.SchemaIntegerFormats[name]; ok {
				return f.Validate(int64(n))
			}
		}
		if f, ok := openapi3.SchemaNumberFormats[name]; ok {
			return f.Validate(n)
		}
		return nil
	}
}

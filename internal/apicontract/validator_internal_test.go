package apicontract

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
)

// probeValues replace a parameter or a member of a body: the right and
// wrong types, bounds, formats and patterns the contract uses.
var probeValues = []any{
	nil, true, false, 0, 1, -1, 50, 200, 201, 1.5, 1e30, "", "x", "default", "Not_A_Slug",
	"jane@example.com", "not-an-address", "2026-12-07T10:00:00Z", "yesterday",
	"https://app.example.com/cb", "javascript:alert(1)", "en", "verification", "allow",
	strings.Repeat("a", 65), strings.Repeat("a", 300), strings.Repeat("a", 1025),
	[]any{}, []any{"x"}, []any{1}, map[string]any{}, map[string]any{"a": 1},
}

// TestValidatorAcceptsOnlyWhatKinAccepts is the fast path's contract: over
// every operation of api/openapi.yaml, each documented request body and
// each variant of it with one member replaced (and each parameter replaced
// by the probe values), Validate's fast path accepts a request only when
// kin-openapi's full validation (ValidateRequest) does, so every problem
// still comes from kin; and it accepts every documented example kin
// accepts, so valid requests do not pay kin's compiles.
func TestValidatorAcceptsOnlyWhatKinAccepts(t *testing.T) {
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	router, err := api.Router()
	if err != nil {
		t.Fatal(err)
	}
	v := NewValidator(doc)
	var fastAccepted, checked int
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			name := method + " " + path
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			base := map[string]string{} // a valid value per parameter, "in:name"
			for _, ref := range params {
				p := ref.Value
				if p.In == openapi3.ParameterInPath || p.Required {
					base[p.In+":"+p.Name] = validParam(p)
				}
			}
			// Parameters, one at a time.
			for _, ref := range params {
				p := ref.Value
				if p.In == openapi3.ParameterInCookie {
					continue
				}
				for _, probe := range append([]any{absent{}}, probeValues...) {
					s, ok := probe.(string)
					if !ok {
						b, _ := json.Marshal(probe)
						s = string(b)
					}
					vals := clone(base)
					vals[p.In+":"+p.Name] = s
					if probe == (absent{}) {
						delete(vals, p.In+":"+p.Name)
					}
					r := request(method, path, vals, "", nil)
					if r == nil {
						continue
					}
					checked++
					if accepted(t, v, router, r) {
						fastAccepted++
					}
				}
			}
			// Bodies: every example, then variants.
			if op.RequestBody == nil {
				continue
			}
			checked++
			if accepted(t, v, router, request(method, path, base, "application/json", nil)) {
				fastAccepted++
			}
			for mt, media := range op.RequestBody.Value.Content {
				for exName, ex := range media.Examples {
					if ex.Value == nil {
						continue
					}
					body, _ := json.Marshal(ex.Value.Value)
					r := request(method, path, base, mt, body)
					if r == nil {
						continue
					}
					checked++
					if accepted(t, v, router, r) {
						fastAccepted++
					} else if kinAccepts(t, router, request(method, path, base, mt, body)) {
						t.Errorf("%s: example %s is valid but takes the slow path", name, exName)
					}
					for _, variant := range variants(ex.Value.Value) {
						body, _ := json.Marshal(variant)
						checked++
						if accepted(t, v, router, request(method, path, base, mt, body)) {
							fastAccepted++
						}
					}
				}
			}
		}
	}
	t.Logf("%d requests, %d accepted by the fast path (each confirmed by kin)", checked, fastAccepted)
	if fastAccepted == 0 {
		t.Fatal("the fast path accepted nothing")
	}
}

// absent stands for a parameter left out.
type absent struct{}

// accepted runs r through the fast path and, when it accepts, checks that
// kin-openapi accepts the same request too.
func accepted(t *testing.T, v *Validator, router routers.Router, r *http.Request) bool {
	t.Helper()
	body, _ := readAll(r)
	route, params, err := router.FindRoute(r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.URL, err)
	}
	p := v.plan(route)
	if p == nil || !p.accepts(r, params) {
		return false
	}
	again := r.Clone(r.Context())
	again.Body = readCloser{bytes.NewReader(body), http.NoBody}
	if err := ValidateRequest(again, route, params); err != nil {
		t.Errorf("%s %s %s: the fast path accepted what kin refuses: %v", r.Method, r.URL, body, err)
	}
	return true
}

func kinAccepts(t *testing.T, router routers.Router, r *http.Request) bool {
	route, params, err := router.FindRoute(r)
	if err != nil {
		t.Fatal(err)
	}
	return ValidateRequest(r, route, params) == nil
}

// readAll reads r's body and puts it back.
func readAll(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	r.Body = readCloser{bytes.NewReader(b.Bytes()), http.NoBody}
	return b.Bytes(), err
}

// validParam is a valid value for p.
func validParam(p *openapi3.Parameter) string {
	if p.Example != nil {
		if s, ok := p.Example.(string); ok {
			return s
		}
	}
	if s := p.Schema.Value; s != nil && len(s.Enum) > 0 {
		if e, ok := s.Enum[0].(string); ok {
			return e
		}
	}
	switch {
	case p.Schema.Value.Type.Is(openapi3.TypeInteger):
		return "1"
	case p.Name == "tenant":
		return "default"
	}
	return "x1"
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// request builds a request for an operation, with parameters keyed
// "in:name"; nil when a path parameter cannot be put in the path.
func request(method, path string, vals map[string]string, contentType string, body []byte) *http.Request {
	q := url.Values{}
	h := http.Header{}
	for k, v := range vals {
		in, name, _ := strings.Cut(k, ":")
		switch in {
		case openapi3.ParameterInPath:
			if v == "" || strings.ContainsAny(v, "/?#%") {
				return nil
			}
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
		case openapi3.ParameterInQuery:
			q.Set(name, v)
		case openapi3.ParameterInHeader:
			h.Set(name, v)
		}
	}
	target := path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	for k, v := range h {
		r.Header[k] = v
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// variants are value with one member (at any depth) replaced by each probe
// value or removed, plus one unknown member per object.
func variants(value any) []any {
	var out []any
	switch value := value.(type) {
	case map[string]any:
		for k := range value {
			for _, sub := range append(variants(value[k]), probeValues...) {
				c := copyMap(value)
				c[k] = sub
				out = append(out, c)
			}
			c := copyMap(value)
			delete(c, k)
			out = append(out, c)
		}
		c := copyMap(value)
		c["zz_unknown"] = 1
		out = append(out, c)
	case []any:
		for i := range value {
			for _, sub := range append(variants(value[i]), probeValues...) {
				c := append([]any(nil), value...)
				c[i] = sub
				out = append(out, c)
			}
		}
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

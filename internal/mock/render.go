package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// canned is one response, rendered when the mock starts.
type canned struct {
	name        string // the example's name; "" for a lone `example`
	status      int
	contentType string // "" for no body
	body        []byte
	// problem is set for problem+json bodies, whose instance and
	// request_id are the request's, as on the server.
	problem map[string]any
	// header holds the headers documented with an example, and ETag
	// from the body's version.
	header http.Header
	// location is the created resource's key (slug, client_id or id),
	// appended to the request path for Location.
	location string
}

// renderResponse renders every example of a documented response, the
// first media type's first example first. A response without a body
// renders once, empty; one with a body but no example not at all.
func renderResponse(status int, resp *openapi3.Response, order []mediaOrder) ([]*canned, error) {
	header := http.Header{}
	for name, h := range resp.Headers {
		if ex := headerExample(h.Value); ex != nil {
			header.Set(name, fmt.Sprint(ex))
		} else if h.Value.Required && name != "ETag" {
			return nil, fmt.Errorf("header %s is required and has no example", name)
		}
	}
	_, wantsLocation := resp.Headers["Location"]
	if len(resp.Content) == 0 {
		return []*canned{{status: status, header: header}}, nil
	}
	var out []*canned
	for _, mo := range mediaInOrder(resp.Content, order) {
		mt := resp.Content.Get(mo.contentType)
		values := map[string]any{}
		names := mo.examples
		for name, ex := range mt.Examples {
			values[name] = ex.Value.Value
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		if mt.Example != nil {
			values[""] = mt.Example
			names = append([]string{""}, names...)
		}
		for _, name := range names {
			c, err := render(status, mo.contentType, name, values[name], header)
			if err != nil {
				return nil, fmt.Errorf("%s example %q: %w", mo.contentType, name, err)
			}
			if wantsLocation {
				c.location = resourceKey(values[name])
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// mediaInOrder lists the media types as the document writes them (kin
// keeps them in a map); any the order missed come last, sorted.
func mediaInOrder(content openapi3.Content, order []mediaOrder) []mediaOrder {
	var out []mediaOrder
	for _, mo := range order {
		if content.Get(mo.contentType) != nil {
			out = append(out, mo)
		}
	}
	var rest []string
	for ct := range content {
		if !slices.ContainsFunc(out, func(mo mediaOrder) bool { return mo.contentType == ct }) {
			rest = append(rest, ct)
		}
	}
	slices.Sort(rest)
	for _, ct := range rest {
		out = append(out, mediaOrder{contentType: ct})
	}
	return out
}

func headerExample(h *openapi3.Header) any {
	if h.Example != nil {
		return h.Example
	}
	if h.Schema != nil && h.Schema.Value != nil && h.Schema.Value.Example != nil {
		return h.Schema.Value.Example
	}
	return nil
}

func render(status int, contentType, name string, value any, header http.Header) (*canned, error) {
	c := &canned{name: name, status: status, contentType: contentType, header: header.Clone()}
	if !isJSON(contentType) {
		s, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("a %s example must be a string", contentType)
		}
		c.body = []byte(s)
		return c, nil
	}
	body, err := encode(value)
	if err != nil {
		return nil, err
	}
	c.body = body
	if obj, ok := value.(map[string]any); ok {
		// A documented ETag is the body's version, as on the server.
		if v, ok := obj["version"].(float64); ok && c.header.Get("ETag") != "" {
			c.header.Set("ETag", fmt.Sprintf(`"%d"`, int64(v)))
		}
		if contentType == "application/problem+json" {
			c.problem = obj
		}
	}
	return c, nil
}

// resourceKey is what a created resource's path ends with.
func resourceKey(v any) string {
	obj, _ := v.(map[string]any)
	for _, k := range []string{"slug", "client_id", "id"} {
		if s, ok := obj[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func isJSON(contentType string) bool {
	return contentType == "application/json" || strings.HasSuffix(contentType, "+json")
}

// encode is JSON as the server writes it: no HTML escaping, one newline.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// problemMap is p as the example map of a problem+json response.
func problemMap(p *httpx.Problem) map[string]any {
	return map[string]any{"type": p.Type, "title": p.Title, "status": p.Status, "detail": p.Detail}
}

func (c *canned) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	if c.location != "" {
		h.Set("Location", strings.TrimSuffix(r.URL.EscapedPath(), "/")+"/"+c.location)
	}
	body := c.body
	if c.problem != nil {
		p := make(map[string]any, len(c.problem)+2)
		for k, v := range c.problem {
			p[k] = v
		}
		p["instance"] = r.URL.Path
		p["request_id"] = httpx.RequestID(r.Context())
		body, _ = encode(p)
		h.Set("Cache-Control", "no-store")
	}
	if c.contentType != "" {
		h["Content-Type"] = []string{c.contentType}
	}
	w.WriteHeader(c.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

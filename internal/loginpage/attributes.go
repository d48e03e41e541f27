package loginpage

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The tenant's required custom attributes on the registration page: one
// input per top-level required property of its attribute schema whose
// type a form can carry (string, number, integer, boolean, or an enum of
// those) and that users may set (not readOnly), labelled by the
// property's title (else its name) with its description as help. The
// server-side check is the schema itself (internal/accounts, which also
// refuses attributes users may not set); the page only collects and
// converts the values of its own inputs: other posted fields are ignored.

// AttrPrefix prefixes attribute inputs' names (attributes.<property>).
const AttrPrefix = "attributes."

// AttrField is one attribute input.
type AttrField struct {
	Name    string // the property
	Input   string // the input's name
	Label   string
	Help    string
	Kind    string // text, number, integer, checkbox or select
	Options []string
	Value   string
	Checked bool
	Errors  []string

	enum []any
}

type schemaProperty struct {
	Type        any    `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Enum        []any  `json:"enum"`
	ReadOnly    bool   `json:"readOnly"`
}

// AttributeFields lists the inputs for schema's required properties, in
// the order of "required".
func AttributeFields(schema json.RawMessage) []AttrField {
	var s struct {
		Properties map[string]schemaProperty `json:"properties"`
		Required   []string                  `json:"required"`
	}
	if len(schema) == 0 || json.Unmarshal(schema, &s) != nil {
		return nil
	}
	var out []AttrField
	for _, name := range slices.Compact(s.Required) {
		p, ok := s.Properties[name]
		if !ok || p.ReadOnly {
			continue // the Admin API's to set
		}
		f := AttrField{Name: name, Input: AttrPrefix + name, Label: p.Title, Help: p.Description}
		if f.Label == "" {
			f.Label = name
		}
		switch {
		case len(p.Enum) > 0:
			f.Kind, f.enum = "select", p.Enum
			for _, v := range p.Enum {
				f.Options = append(f.Options, enumText(v))
			}
		case p.Type == "string":
			f.Kind = "text"
		case p.Type == "number" || p.Type == "integer":
			f.Kind = p.Type.(string)
		case p.Type == "boolean":
			f.Kind = "checkbox"
		default:
			continue // objects and arrays have no form input
		}
		out = append(out, f)
	}
	return out
}

func enumText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// ReadAttributes converts the posted values of fields into attributes,
// echoing them into fields. An empty input is left out, so the schema
// reports the property as missing; a value that is not a number is a
// field error here.
func ReadAttributes(form url.Values, fields []AttrField, errs map[string][]string) map[string]any {
	attrs := map[string]any{}
	for i := range fields {
		f := &fields[i]
		raw := strings.TrimSpace(form.Get(f.Input))
		f.Value = raw
		switch f.Kind {
		case "checkbox":
			f.Checked = raw != ""
			attrs[f.Name] = f.Checked
		case "select":
			if j := slices.Index(f.Options, raw); j >= 0 {
				attrs[f.Name] = f.enum[j]
			} else if raw != "" {
				errs[f.Input] = append(errs[f.Input], "must be one of the listed values")
			}
		case "number", "integer":
			if raw == "" {
				continue
			}
			var err error
			if f.Kind == "integer" {
				var n int64
				n, err = strconv.ParseInt(raw, 10, 64)
				attrs[f.Name] = n
			} else {
				var x float64
				x, err = strconv.ParseFloat(raw, 64)
				attrs[f.Name] = x
			}
			if err != nil {
				delete(attrs, f.Name)
				errs[f.Input] = append(errs[f.Input], fmt.Sprintf("must be a%s", map[string]string{"number": " number", "integer": "n integer"}[f.Kind]))
			}
		default:
			if raw != "" {
				attrs[f.Name] = raw
			}
		}
	}
	return attrs
}

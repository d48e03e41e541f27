package mock

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// docOrder is what the loaded contract forgets: kin-openapi keeps media
// types and examples in maps, but the mock answers with the first of each
// as written. It maps "METHOD /path" to response status, then to media types
// in order, each with its example names in order.
type docOrder map[string]map[string][]mediaOrder

type mediaOrder struct {
	contentType string
	examples    []string
}

// readOrder walks the document's YAML (JSON is YAML too) for the order of
// the responses' media types and examples, following $ref to
// components/responses.
func readOrder(spec []byte) (docOrder, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(spec, &root); err != nil {
		return nil, err
	}
	if len(root.Content) != 1 {
		return nil, fmt.Errorf("want one YAML document")
	}
	doc := root.Content[0]
	responses := child(child(doc, "components"), "responses")
	out := docOrder{}
	paths := child(doc, "paths")
	for i := 0; paths != nil && i+1 < len(paths.Content); i += 2 {
		path, item := paths.Content[i].Value, paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			method := strings.ToUpper(item.Content[j].Value)
			byStatus := map[string][]mediaOrder{}
			rs := child(item.Content[j+1], "responses")
			for k := 0; rs != nil && k+1 < len(rs.Content); k += 2 {
				r := rs.Content[k+1]
				if ref := child(r, "$ref"); ref != nil {
					r = child(responses, strings.TrimPrefix(ref.Value, "#/components/responses/"))
				}
				byStatus[rs.Content[k].Value] = mediaOf(child(r, "content"))
			}
			out[method+" "+path] = byStatus
		}
	}
	return out, nil
}

func mediaOf(content *yaml.Node) []mediaOrder {
	var out []mediaOrder
	for i := 0; content != nil && i+1 < len(content.Content); i += 2 {
		m := mediaOrder{contentType: content.Content[i].Value}
		ex := child(content.Content[i+1], "examples")
		for j := 0; ex != nil && j+1 < len(ex.Content); j += 2 {
			m.examples = append(m.examples, ex.Content[j].Value)
		}
		out = append(out, m)
	}
	return out
}

// child is the value of key in mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

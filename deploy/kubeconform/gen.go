//go:build ignore

// gen writes the JSON schemas kubeconform validates the Helm chart with,
// so that CI needs no network (kubeconform downloads schemas by default).
// It reads the Kubernetes OpenAPI document and the prometheus-operator
// CRDs from Go modules (the module cache, or the module proxy once) and
// writes, for each kind the chart renders, a stand-alone strict schema
// like those of yannh/kubernetes-json-schema: references inlined,
// additionalProperties false on every object that lists its properties,
// int-or-string and quantities accepting both forms, descriptions dropped.
//
//	go run deploy/kubeconform/gen.go
//
// Bump the versions below to validate against newer APIs.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

const (
	kubernetes = "k8s.io/kubernetes@v1.30.14" // the oldest version the chart supports (Chart.yaml kubeVersion)
	operator   = "github.com/prometheus-operator/prometheus-operator@v0.85.0"
	out        = "deploy/kubeconform/schemas"
)

// kinds are the built-in kinds the chart renders, by OpenAPI definition.
var kinds = []string{
	"io.k8s.api.apps.v1.Deployment",
	"io.k8s.api.core.v1.Service",
	"io.k8s.api.core.v1.ServiceAccount",
	"io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
	"io.k8s.api.policy.v1.PodDisruptionBudget",
	"io.k8s.api.batch.v1.Job",
}

// crds are the prometheus-operator CRDs the chart renders.
var crds = []string{"monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_prometheusrules.yaml"}

func main() {
	log.SetFlags(0)
	if err := os.MkdirAll(out, 0o755); err != nil {
		log.Fatal(err)
	}
	var swagger struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	read(filepath.Join(moduleDir(kubernetes), "api/openapi-spec/swagger.json"), &swagger, json.Unmarshal)
	for _, name := range kinds {
		def := swagger.Definitions[name]
		gvk := def["x-kubernetes-group-version-kind"].([]any)[0].(map[string]any)
		group, version, kind := gvk["group"].(string), gvk["version"].(string), gvk["kind"].(string)
		s := expand(def, swagger.Definitions, 0).(map[string]any)
		pinKind(s, group, version, kind)
		write(kind, group, version, s)
	}
	for _, f := range crds {
		var crd struct {
			Spec struct {
				Group    string                `yaml:"group"`
				Names    struct{ Kind string } `yaml:"names"`
				Versions []struct {
					Name   string `yaml:"name"`
					Schema struct {
						OpenAPIV3Schema map[string]any `yaml:"openAPIV3Schema"`
					} `yaml:"schema"`
				} `yaml:"versions"`
			} `yaml:"spec"`
		}
		read(filepath.Join(moduleDir(operator), "example/prometheus-operator-crd", f), &crd, yaml.Unmarshal)
		for _, v := range crd.Spec.Versions {
			s := expand(v.Schema.OpenAPIV3Schema, nil, 0).(map[string]any)
			pinKind(s, crd.Spec.Group, v.Name, crd.Spec.Names.Kind)
			write(crd.Spec.Names.Kind, crd.Spec.Group, v.Name, s)
		}
	}
}

// moduleDir downloads (or finds in the cache) a module and returns its directory.
func moduleDir(mod string) string {
	b, err := exec.Command("go", "mod", "download", "-json", mod).Output()
	if err != nil {
		log.Fatalf("go mod download %s: %v", mod, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(b, &m); err != nil || m.Dir == "" {
		log.Fatalf("go mod download %s: %s", mod, b)
	}
	return m.Dir
}

func read(path string, v any, unmarshal func([]byte, any) error) {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := unmarshal(b, v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

// expand returns schema with references inlined and made strict.
func expand(schema any, defs map[string]map[string]any, depth int) any {
	if depth > 64 {
		log.Fatal("references nest too deep (a cycle?)")
	}
	switch s := schema.(type) {
	case map[string]any:
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/definitions/")
			def, ok := defs[name]
			if !ok {
				log.Fatalf("unknown reference %s", ref)
			}
			return expand(def, defs, depth+1)
		}
		if s["format"] == "int-or-string" || s["x-kubernetes-int-or-string"] == true {
			return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
		}
		out := map[string]any{}
		for k, v := range s {
			switch {
			case k == "description" || strings.HasPrefix(k, "x-kubernetes-"):
			case k == "properties":
				props := map[string]any{}
				for name, p := range v.(map[string]any) {
					props[name] = expand(p, defs, depth+1)
				}
				out[k] = props
			default:
				out[k] = expand(v, defs, depth+1)
			}
		}
		if _, open := out["additionalProperties"]; !open && out["properties"] != nil {
			out["additionalProperties"] = false
		}
		return out
	case []any:
		out := make([]any, len(s))
		for i, v := range s {
			out[i] = expand(v, defs, depth+1)
		}
		return out
	}
	return schema
}

// pinKind makes apiVersion and kind the ones this schema is for, and
// quantities (resources) accept numbers as well as strings.
func pinKind(s map[string]any, group, version, kind string) {
	apiVersion := version
	if group != "" {
		apiVersion = group + "/" + version
	}
	props := s["properties"].(map[string]any)
	props["apiVersion"] = map[string]any{"type": "string", "enum": []any{apiVersion}}
	props["kind"] = map[string]any{"type": "string", "enum": []any{kind}}
	s["required"] = mergeRequired(s["required"], "apiVersion", "kind")
	s["$schema"] = "http://json-schema.org/draft-07/schema#"
}

func mergeRequired(have any, names ...string) []any {
	set := map[string]bool{}
	if list, ok := have.([]any); ok {
		for _, n := range list {
			set[n.(string)] = true
		}
	}
	for _, n := range names {
		set[n] = true
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	res := make([]any, len(out))
	for i, n := range out {
		res[i] = n
	}
	return res
}

// write stores the schema under kubeconform's file name for the kind:
// {kind}-{group's first label}-{version}.json, or {kind}-{version}.json
// for the core group.
func write(kind, group, version string, s map[string]any) {
	suffix := "-" + version
	if group != "" {
		suffix = "-" + strings.Split(group, ".")[0] + suffix
	}
	name := filepath.Join(out, strings.ToLower(kind)+suffix+".json")
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println(name)
}

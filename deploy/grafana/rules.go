//go:build ignore

// rules prints the dashboard's queries as a Prometheus rule file, one
// recording rule each, with Grafana's variables replaced by values, so
// that promtool check rules parses every query (.ci/run):
//
//	go run deploy/grafana/rules.go deploy/grafana/gatehouse.json > /tmp/dashboard-rules.yaml
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 {
		log.Fatal("usage: go run deploy/grafana/rules.go DASHBOARD.json")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var d struct {
		Panels []struct {
			ID      int `json:"id"`
			Targets []struct {
				RefID string `json:"refId"`
				Expr  string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		log.Fatal(err)
	}
	vars := strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$job", ".*", "$instance", ".*")
	type rule struct {
		Record string `yaml:"record"`
		Expr   string `yaml:"expr"`
	}
	var rules []rule
	for _, p := range d.Panels {
		for _, t := range p.Targets {
			rules = append(rules, rule{Record: fmt.Sprintf("dashboard:panel_%d_%s", p.ID, strings.ToLower(t.RefID)), Expr: vars.Replace(t.Expr)})
		}
	}
	out := map[string]any{"groups": []any{map[string]any{"name": "dashboard", "rules": rules}}}
	if err := yaml.NewEncoder(os.Stdout).Encode(out); err != nil {
		log.Fatal(err)
	}
}

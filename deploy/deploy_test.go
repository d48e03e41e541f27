// Package deploy_test checks the deployment files against the server:
// every metric the Grafana dashboard and the Prometheus alerts query is
// one Gatehouse exports. (promtool checks the rules' syntax and behaviour
// in CI; helm and kubeconform check the chart.)
package deploy_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// exported returns the names of the series a fresh server exports, after
// one request, one recorded sign-in and the first signing keys.
func exported(t *testing.T) map[string]bool {
	s := testserver.New(t, testserver.Options{})
	s.App.EventMetrics.Logins().WithLabelValues("failed", "none").Inc()
	sc, err := s.App.Directory.Resolve(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.App.SigningKeys.JWKS(t.Context(), sc.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(s.URL + "/healthz"); err == nil {
		resp.Body.Close()
	}
	resp, err := http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	names := map[string]bool{"up": true} // Prometheus's own, per target
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		f := strings.Fields(lines.Text())
		if len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			names[f[2]] = true
			switch f[3] {
			case "histogram":
				names[f[2]+"_bucket"], names[f[2]+"_sum"], names[f[2]+"_count"] = true, true, true
			case "summary":
				names[f[2]+"_sum"], names[f[2]+"_count"] = true, true
			}
		}
	}
	if !names["gatehouse_http_requests_total"] || !names["gatehouse_logins_total"] || !names["gatehouse_webhook_deliveries_pending"] {
		t.Fatalf("the scrape lacks Gatehouse's metrics: %v", names)
	}
	return names
}

var metricName = regexp.MustCompile(`\b(?:gatehouse|go|process)_[a-z0-9_]+\b|\bup\b`)

// dashboardExprs returns every query of the dashboard, checking the shape
// Grafana needs on the way.
func dashboardExprs(t *testing.T) []string {
	raw, err := os.ReadFile("grafana/gatehouse.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID    string `json:"uid"`
		Panels []struct {
			ID         int    `json:"id"`
			Type       string `json:"type"`
			Title      string `json:"title"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			GridPos struct{ X, W int } `json:"gridPos"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	ids := map[int]bool{}
	var exprs []string
	for _, p := range d.Panels {
		if ids[p.ID] || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q: duplicate id %d or wider than the grid", p.Title, p.ID)
		}
		ids[p.ID] = true
		if p.Type == "row" {
			continue
		}
		if p.Datasource.UID != "${datasource}" || len(p.Targets) == 0 {
			t.Errorf("panel %q: datasource %q, %d queries", p.Title, p.Datasource.UID, len(p.Targets))
		}
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	if d.UID != "gatehouse" || len(exprs) < 20 {
		t.Fatalf("dashboard uid %q with %d queries", d.UID, len(exprs))
	}
	return exprs
}

func alertExprs(t *testing.T) []string {
	raw, err := os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			exprs = append(exprs, r.Expr)
		}
	}
	return exprs
}

func TestQueriesUseExportedMetrics(t *testing.T) {
	names := exported(t)
	unknown := map[string]bool{}
	for _, e := range append(dashboardExprs(t), alertExprs(t)...) {
		for _, m := range metricName.FindAllString(e, -1) {
			if !names[m] {
				unknown[m] = true
			}
		}
	}
	if len(unknown) > 0 {
		var list []string
		for m := range unknown {
			list = append(list, m)
		}
		sort.Strings(list)
		t.Errorf("queried but not exported: %s", strings.Join(list, ", "))
	}
}

// The Helm chart's copy of the alerts is the same file (helm cannot read
// outside the chart).
func TestChartAlertsAreTheSame(t *testing.T) {
	a, err := os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("helm/gatehouse/files/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	if string(a) != string(b) {
		t.Error("deploy/helm/gatehouse/files/alerts.yaml differs from deploy/prometheus/alerts.yaml: copy it")
	}
}

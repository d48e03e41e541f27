package console

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"
)

// The dashboard: one chart per metric over the chosen period, drawn as
// SVG on the server (no script), each with its numbers in a table (what
// a screen reader reads) and a link to the list behind it.

// period is a dashboard period and the bucket it is drawn in.
type period struct {
	Key      string
	Span     time.Duration
	Interval string
}

var periods = []period{
	{"24h", 24 * time.Hour, "hour"},
	{"7d", 7 * 24 * time.Hour, "day"},
	{"30d", 30 * 24 * time.Hour, "day"},
}

// metric is a chart of the dashboard and the list behind it.
type metric struct {
	Key  string
	Link string // console path of the list behind the chart
}

var metrics = []metric{
	{"signups", Prefix + "/users"},
	{"signins", Prefix + "/events?type=login.succeeded"},
	{"active_users", Prefix + "/users"},
	{"mfa_adoption", Prefix + "/users"},
	{"risk_decisions", Prefix + "/events?type=login.challenged"},
	{"token_issuance", Prefix + "/clients"},
}

// chart is one rendered chart.
type chart struct {
	Key, Title, Link string
	Total            int64
	SVG              template.HTML
	Rows             []seriesRow
	Err              bool
}

type seriesRow struct {
	Label string
	Class string
	Total int64
}

type dashboardPage struct {
	Configured bool
	Period     string
	Periods    []string
	Charts     []chart
	// Backlog is the webhooks' pending deliveries (default tenant only).
	Backlog                int
	BacklogMore, BacklogOn bool
}

func (c *Console) dashboard(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "dashboard")
	v.Notice = noticeOf(r, v.L)
	p := periods[1]
	for _, pp := range periods {
		if pp.Key == r.URL.Query().Get("period") {
			p = pp
		}
	}
	page := dashboardPage{Configured: c.d.Analytics != nil, Period: p.Key}
	for _, pp := range periods {
		page.Periods = append(page.Periods, pp.Key)
	}
	if c.d.Analytics != nil {
		to := c.d.Now().UTC().Truncate(time.Hour).Add(time.Hour)
		from := to.Add(-p.Span)
		for _, m := range metrics {
			ch := chart{Key: m.Key, Title: v.L["metric_"+m.Key], Link: m.Link}
			series, err := c.d.Analytics.Query(r.Context(), s.scope.ID, m.Key, from, to, p.Interval)
			if err != nil {
				c.d.Log.WarnContext(r.Context(), "console: analytics query failed", "metric", m.Key, "err", err)
				ch.Err = true
			} else {
				ch.SVG, ch.Rows, ch.Total = drawChart(ch.Title, series, from, to)
			}
			page.Charts = append(page.Charts, ch)
		}
	}
	page.Backlog, page.BacklogMore, page.BacklogOn = c.webhookBacklog(r, s)
	v.Page = page
	c.render(w, r, http.StatusOK, "dashboard", v)
}

// seriesLabel names a series by its group ("outcome=success"), or
// "total".
func seriesLabel(g map[string]string) string {
	if len(g) == 0 {
		return "total"
	}
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + g[k]
	}
	return strings.Join(parts, ", ")
}

const (
	chartW, chartH = 600, 160
	palette        = 6
)

// drawChart draws the series as SVG: bars for one series, lines for
// several. Colours come from the stylesheet (classes s0…s5), so the
// markup carries no style attribute.
func drawChart(title string, series []ChartSeries, from, to time.Time) (template.HTML, []seriesRow, int64) {
	var rows []seriesRow
	var total, peak int64
	for i, s := range series {
		row := seriesRow{Label: seriesLabel(s.Group), Class: fmt.Sprintf("s%d", i%palette)}
		for _, p := range s.Points {
			row.Total += p.Value
			peak = max(peak, p.Value)
		}
		total += row.Total
		rows = append(rows, row)
	}
	if peak == 0 {
		peak = 1
	}
	// Buckets start at their time: the last one starts a step before to.
	last := to
	for _, s := range series {
		if n := len(s.Points); n >= 2 {
			last = to.Add(-s.Points[n-1].At.Sub(s.Points[n-2].At))
			break
		}
	}
	span := max(last.Sub(from).Seconds(), 1)
	bars := len(series) == 1
	x := func(t time.Time) float64 {
		f := min(max(t.Sub(from).Seconds()/span, 0), 1)
		if bars { // leave room for the last bar
			return 4 + f*(chartW-8)*0.9
		}
		return 4 + f*(chartW-8)
	}
	y := func(v int64) float64 { return chartH - 4 - float64(v)/float64(peak)*(chartH-12) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" focusable="false">`,
		chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<line class="axis" x1="0" y1="%d" x2="%d" y2="%d"></line>`, chartH-4, chartW, chartH-4)
	if bars {
		pts := series[0].Points
		bw := (chartW - 8) * 0.9 / float64(max(len(pts), 1)) * 0.8
		for _, p := range pts {
			fmt.Fprintf(&b, `<rect class="s0" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d</title></rect>`,
				x(p.At), y(p.Value), bw, float64(chartH-4)-y(p.Value), p.At.UTC().Format("2006-01-02 15:04"), p.Value)
		}
	} else {
		for i, s := range series {
			var pts []string
			for _, p := range s.Points {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(p.At), y(p.Value)))
			}
			fmt.Fprintf(&b, `<polyline class="line s%d" points="%s"><title>%s</title></polyline>`,
				i%palette, strings.Join(pts, " "), template.HTMLEscapeString(seriesLabel(s.Group)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), rows, total //nolint:gosec // built from numbers and escaped labels
}

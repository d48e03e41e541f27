package httpx

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// counted returns gatehouse_http_requests_total for one label set.
func counted(t *testing.T, reg *prometheus.Registry, route, method, status string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "gatehouse_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["route"] == route && labels["method"] == method && labels["status"] == status {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func TestRequestIDs(t *testing.T) {
	var seen string
	h := RequestIDs(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestID(r.Context()) }))
	serve := func(inbound string) (echoed, inContext string) {
		req := httptest.NewRequest("GET", "/", nil)
		if inbound != "" {
			req.Header.Set("X-Request-ID", inbound)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Header().Get("X-Request-ID"), seen
	}
	for _, id := range []string{"abcdefgh", "0f8e2a1c-5b7d-4e3f-9a6b-1c2d3e4f5a6b", "A.b_C-d.0123", strings.Repeat("x", 64)} {
		if echoed, ctx := serve(id); echoed != id || ctx != id {
			t.Errorf("well-formed inbound %q: echoed %q, context %q", id, echoed, ctx)
		}
	}
	ids := map[string]bool{}
	for _, id := range []string{"", "short", strings.Repeat("x", 65), "has space ok", "inject\nx=1", "quote\"quote", "ünïcødé-id"} {
		echoed, ctx := serve(id)
		if echoed == id || echoed != ctx || !validRequestID(echoed) || len(echoed) != 24 {
			t.Errorf("inbound %q: echoed %q, context %q; want a new 24-character ID", id, echoed, ctx)
		}
		if ids[echoed] {
			t.Errorf("request ID %q issued twice", echoed)
		}
		ids[echoed] = true
	}
}

func TestObserveLogsAndCountsEveryRequest(t *testing.T) {
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetRoute(r.Context(), "GET /things/{id}")
		Log(r.Context()).InfoContext(r.Context(), "inside")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("short and stout"))
	}), RequestIDs, Logging(NewLogger(&logs, "json", slog.LevelInfo)), m.Observe, Recover)

	req := httptest.NewRequest("GET", "/things/42?code=secret", nil)
	req.Header.Set("X-Request-ID", "req-12345678")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if got := counted(t, reg, "GET /things/{id}", "GET", "418"); got != 1 {
		t.Errorf("requests_total{route,GET,418} = %v, want 1", got)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the handler's line and the access line, got:\n%s", logs.String())
	}
	for _, want := range []string{`"msg":"inside"`, `"request_id":"req-12345678"`} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("handler line lacks %s: %s", want, lines[0])
		}
	}
	for _, want := range []string{`"msg":"http request"`, `"method":"GET"`, `"path":"/things/42"`, `"route":"GET /things/{id}"`,
		`"status":418`, `"bytes":15`, `"request_id":"req-12345678"`, `"duration":`, `"remote":`} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("access line lacks %s: %s", want, lines[1])
		}
	}
	if strings.Contains(logs.String(), "secret") {
		t.Errorf("the query string was logged: %s", logs.String())
	}
}

func TestObserveLogsPanicsAsErrors(t *testing.T) {
	var logs bytes.Buffer
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		RequestIDs, Logging(NewLogger(&logs, "json", slog.LevelWarn)), NewMetrics(prometheus.NewRegistry()).Observe, Recover)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), rec.Header().Get("X-Request-ID")) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), `"msg":"panic"`) || !strings.Contains(logs.String(), `"level":"ERROR","msg":"http request"`) {
		t.Errorf("want the panic and an error-level access line:\n%s", logs.String())
	}
}

func TestSecurityHeadersCanBeChanged(t *testing.T) {
	h := SecurityHeaders(true)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-Frame-Options", "SAMEORIGIN") // appending to one header must not touch the next
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	want := map[string][]string{
		"X-Content-Type-Options":     {"nosniff"},
		"X-Frame-Options":            {"DENY", "SAMEORIGIN"},
		"Referrer-Policy":            {"no-referrer"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
		"Content-Security-Policy":    {"default-src 'self'"},
		"Strict-Transport-Security":  {"max-age=63072000; includeSubDomains"},
	}
	for k, v := range want {
		if got := rec.Header().Values(k); strings.Join(got, "|") != strings.Join(v, "|") {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestLogOutsideARequest(t *testing.T) {
	if Log(t.Context()) != slog.Default() || RequestID(t.Context()) != "" {
		t.Fatal("outside a request: want slog's default logger and no request ID")
	}
	l := slog.New(slog.DiscardHandler)
	if Log(WithLogger(t.Context(), l)) != l || RequestID(WithRequestID(t.Context(), "abc")) != "abc" {
		t.Fatal("WithLogger/WithRequestID not read back")
	}
}

// Only standard methods are labels; KnownMethods refuses the methods no
// route serves before the handler runs, and Observe counts them as OTHER.
func TestUnknownMethods(t *testing.T) {
	for m, want := range map[string]string{"GET": "GET", "PATCH": "PATCH", "TRACE": "TRACE", "get": "OTHER",
		"PROPFIND": "OTHER", strings.Repeat("X", 2048): "OTHER", "": "OTHER"} {
		if got := MethodLabel(m); got != want {
			t.Errorf("MethodLabel(%.20q) = %q, want %q", m, got, want)
		}
	}
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	reached := 0
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ }),
		RequestIDs, Logging(NewLogger(&logs, "json", slog.LevelInfo)), NewMetrics(reg).Observe, Recover, KnownMethods)
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(m, "/", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d", m, rec.Code)
		}
	}
	long := "X" + strings.Repeat("Y", 2047)
	for _, m := range []string{"TRACE", "CONNECT", "PROPFIND", long} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(m, "/", nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") == "" ||
			!strings.Contains(rec.Body.String(), TypeMethodNotAllowed) {
			t.Errorf("%.20s: %d %v %s", m, rec.Code, rec.Header(), rec.Body)
		}
	}
	if reached != 7 {
		t.Errorf("the handler ran %d times, want 7", reached)
	}
	if got := counted(t, reg, "unmatched", "OTHER", "405"); got != 2 { // TRACE and CONNECT keep their names
		t.Errorf("requests_total{unmatched,OTHER,405} = %v, want 2", got)
	}
	if strings.Contains(logs.String(), "YYYY") {
		t.Error("the raw method was logged")
	}
}

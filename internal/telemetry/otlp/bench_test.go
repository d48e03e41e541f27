package otlp

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// BenchmarkClientCredentials is the token endpoint's hot path in process
// (provider.BenchmarkClientCredentials) with tracing off, on with every
// request sampled, and on with 10 % sampled; spans go to a loopback
// collector that discards them. docs/benchmarks.md has the numbers.
func BenchmarkClientCredentials(b *testing.B) {
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer collector.Close()
	for _, tc := range []struct{ name, sampler, arg string }{
		{"tracing=off", "", ""},
		{"tracing=on", "parentbased_always_on", ""},
		{"tracing=on,sampled=10%", "parentbased_traceidratio", "0.1"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if tc.sampler != "" {
				b.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
				b.Setenv("OTEL_TRACES_SAMPLER", tc.sampler)
				b.Setenv("OTEL_TRACES_SAMPLER_ARG", tc.arg)
				shutdown, err := Setup(context.Background(), func(k string) string {
					return map[string]string{
						"OTEL_EXPORTER_OTLP_ENDPOINT": collector.URL}[k]
				}, "bench", slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				defer func() { _ = shutdown(context.Background()) }()
			}
			s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
			r, err := s.Admin.CreateClientWithResponse(context.Background(), nil, gen.ClientCreate{
				ClientName: "bench", GrantTypes: &[]gen.GrantType{"client_credentials"}, Scope: ptr("read")})
			if err != nil || r.JSON201 == nil {
				b.Fatalf("%v %s", err, r.Body)
			}
			id, secret := r.JSON201.ClientID, *r.JSON201.ClientSecret
			form := "grant_type=client_credentials&scope=read"
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
				rec := httptest.NewRecorder()
				s.Handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

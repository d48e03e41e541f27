// Package otlp turns tracing on from the standard OpenTelemetry
// environment: spans are batched and exported over OTLP/HTTP (protobuf) to
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, with
// the exporter's other OTEL_EXPORTER_OTLP_* settings (headers, timeout,
// compression, certificates), OTEL_TRACES_SAMPLER(_ARG), OTEL_BSP_*,
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, all read by the
// OpenTelemetry SDK itself. Without an endpoint (or with
// OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true) nothing is
// installed and the API's no-op tracer stays.
package otlp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// Enabled reports whether getenv asks for tracing, or why the settings
// cannot be followed: only OTLP over HTTP with protobuf is built in.
func Enabled(getenv func(string) string) (bool, error) {
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return false, nil
	}
	switch exp := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")); exp {
	case "none":
		return false, nil
	case "", "otlp":
		for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
			if p := strings.TrimSpace(getenv(v)); p != "" {
				if p != "http/protobuf" {
					return false, fmt.Errorf("invalid %s %q: Gatehouse exports traces over OTLP/HTTP only (http/protobuf)", v, p)
				}
				break
			}
		}
		if exp == "otlp" {
			return true, nil
		}
		return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "", nil
	default:
		return false, fmt.Errorf("invalid OTEL_TRACES_EXPORTER %q: want otlp or none", exp)
	}
}

// endpoint is where spans go, for the log: the traces endpoint if set, and
// without a password in it.
func endpoint(getenv func(string) string) string {
	e := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if e == "" {
		e = getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	}
	if u, err := url.Parse(e); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// Setup installs the exporting tracer provider if getenv asks for tracing
// (see Enabled), the W3C trace-context and baggage propagators, and a
// client span (and traceparent) on every request sent through
// http.DefaultTransport: webhook deliveries, the breached-password range
// API, the SMS webhook. The exporter reads os.Getenv itself. The returned
// shutdown flushes the spans still buffered; call it before exiting.
func Setup(ctx context.Context, getenv func(string) string, version string, log *slog.Logger) (shutdown func(context.Context) error, err error) {
	on, err := Enabled(getenv)
	if err != nil || !on {
		return func(context.Context) error { return nil }, err
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: OTLP exporter: %w", err)
	}
	// Later options win: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
	// override the defaults.
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("service.name", "gatehouse"), attribute.String("service.version", version)),
		resource.WithHost(),
		resource.WithProcessPID(),
		resource.WithFromEnv(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("tracing: export failed", "err", err)
	}))
	base := http.DefaultTransport
	// The exporter has a transport of its own, so exports are not traced.
	http.DefaultTransport = otelhttp.NewTransport(base)
	telemetry.SetEnabled(true)
	log.Info("tracing on: exporting spans over OTLP/HTTP", "endpoint", endpoint(getenv))
	return func(ctx context.Context) error {
		telemetry.SetEnabled(false)
		http.DefaultTransport = base
		otel.SetTracerProvider(noop.NewTracerProvider())
		return tp.Shutdown(ctx)
	}, nil
}

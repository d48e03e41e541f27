package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/gateway"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry/otlp"
)

// GatewayConfigEnv names the gateway's configuration file when --config is not given.
const GatewayConfigEnv = "GATEHOUSE_GATEWAY_CONFIG"

// gatewayCmd runs the API gateway as its own stateless process: no
// database, only the issuer's public endpoints and, when
// GATEHOUSE_REDIS_URL is set, the shared rate-limit store.
func (e *env) gatewayCmd() *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "gateway",
		Short: "Run the API gateway and forward-auth endpoint (docs/gateway.md)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if path == "" {
				path = e.getenv(GatewayConfigEnv)
			}
			if path == "" {
				return errors.New("gateway: --config FILE or " + GatewayConfigEnv + " is required")
			}
			return e.runGateway(cmd.Context(), path)
		},
	}
	cmd.Flags().StringVar(&path, "config", "", "the gateway's YAML file (env "+GatewayConfigEnv+")")
	return cmd
}

func (e *env) runGateway(ctx context.Context, path string) error {
	level := slog.LevelInfo
	if v := e.getenv("GATEHOUSE_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return fmt.Errorf("GATEHOUSE_LOG_LEVEL: %w", err)
		}
	}
	format := e.getenv("GATEHOUSE_LOG_FORMAT")
	if format == "" {
		format = "json"
	}
	log := slog.New(telemetry.LogHandler(httpx.NewLogger(e.stderr, format, level).Handler()))
	cfg, err := gateway.LoadFile(path)
	if err != nil {
		return err
	}
	// Spans as serve makes them, from the same OTEL_* environment.
	stopTracing, err := otlp.Setup(ctx, e.getenv, Version, log)
	if err != nil {
		return err
	}
	defer flushTraces(stopTracing, log)
	trusted, err := clientip.ParseCIDRs(e.getenv("GATEHOUSE_TRUSTED_PROXIES"))
	if err != nil {
		return fmt.Errorf("GATEHOUSE_TRUSTED_PROXIES: %w", err)
	}
	var limiter ratelimit.Store
	if u := e.getenv("GATEHOUSE_REDIS_URL"); u != "" {
		shared, err := ratelimit.Open(u)
		if err != nil {
			return err
		}
		mode := ratelimit.FailOpen
		if e.getenv("GATEHOUSE_REDIS_FAILURE") == string(ratelimit.FailClosed) {
			mode = ratelimit.FailClosed
		}
		limiter = ratelimit.NewFailover(shared, mode, log, time.Now)
	} else {
		limiter = ratelimit.NewMemory(time.Now)
	}
	defer limiter.Close()
	g, err := gateway.New(cfg, gateway.Options{Limiter: limiter, TrustedProxies: trusted, Log: log})
	if err != nil {
		return err
	}
	defer g.Close()
	if err := g.Warm(ctx); err != nil { // the issuer may come up later: say so, and serve
		log.Warn("gateway: issuer not reachable yet", "issuer", cfg.Issuer, "err", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go g.Watch(wctx, path, hup, time.Second)
	log.Info("gateway listening", "addr", ln.Addr().String(), "issuer", cfg.Issuer, "routes", len(cfg.Routes),
		"shared_rate_limits", e.getenv("GATEHOUSE_REDIS_URL") != "")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// withForwardAuth serves GET /forward-auth (and Envoy's /forward-auth/…)
// of the gateway configured in path in front of next, reloading the file
// on change like the gateway does.
func withForwardAuth(ctx context.Context, next http.Handler, path string, limiter ratelimit.Limiter, trusted []netip.Prefix, log *slog.Logger) (http.Handler, error) {
	cfg, err := gateway.LoadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := gateway.New(cfg, gateway.Options{Limiter: limiter, TrustedProxies: trusted, Log: log})
	if err != nil {
		return nil, err
	}
	go g.Watch(ctx, path, nil, time.Second)
	go func() { <-ctx.Done(); g.Close() }()
	log.Info("forward-auth enabled", "path", gateway.ForwardAuthPath, "config", path, "routes", len(cfg.Routes))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == gateway.ForwardAuthPath || strings.HasPrefix(r.URL.Path, gateway.ForwardAuthPath+"/") {
			g.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	}), nil
}

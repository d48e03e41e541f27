package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/server"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry/otlp"
)

func (e *env) serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the Gatehouse server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			cfg, log, err := e.load(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			slog.SetDefault(log) // libraries (the OIDC engine) log through slog's default
			stopTracing, err := otlp.Setup(ctx, e.getenv, Version, log)
			if err != nil {
				return err
			}
			defer flushTraces(stopTracing, log)
			// Listen first: a taken port fails before anything is touched.
			ln, err := net.Listen("tcp", cfg.Addr)
			if err != nil {
				return fmt.Errorf("invalid GATEHOUSE_ADDR %q: %w", cfg.Addr, err)
			}
			defer ln.Close()
			var opsLn net.Listener
			if cfg.OpsAddr != "" {
				if opsLn, err = net.Listen("tcp", cfg.OpsAddr); err != nil {
					return fmt.Errorf("invalid GATEHOUSE_OPS_ADDR %q: %w", cfg.OpsAddr, err)
				}
				defer opsLn.Close()
			}
			if cfg.IssuerFromAddr {
				// The address it listens on: a port of 0 is the one it got.
				cfg.Issuer = config.IssuerForAddr(ln.Addr().String())
			}
			a, err := app.Open(ctx, cfg, log, app.Options{Migrate: cfg.AutoMigrate})
			if err != nil {
				return err
			}
			defer a.Close()
			if err := ensureMigrated(ctx, a); err != nil {
				return err
			}
			auth, generated, err := a.Directory.Bootstrap(ctx, cfg.AdminToken)
			if err != nil {
				return fmt.Errorf("bootstrap: %w", err)
			}
			if err := bootstrapAdmin(ctx, a, cfg, log); err != nil {
				return fmt.Errorf("bootstrap admin: %w", err)
			}
			// Keys are generated on first use; do it now rather than in
			// the first token request.
			if def, err := a.Directory.Resolve(ctx, ""); err == nil {
				if _, _, err := a.SigningKeys.JWKS(ctx, def.Tenant.ID); err != nil {
					return fmt.Errorf("signing keys: %w", err)
				}
			}
			// Background work stops, and a.Close waits for it, before the
			// database closes (defers run last-in first-out).
			bg, stop := context.WithCancel(ctx)
			defer stop()
			hs, err := a.Handlers(bg, auth)
			if err != nil {
				return err
			}
			a.Go(func() { a.RunMaintenance(bg, 10*time.Minute) })
			a.Go(func() { a.Webhooks.Run(bg) })
			a.Go(func() { a.RunCluster(bg, nil) })
			if generated != "" {
				// Printed once, to the console and not to the log: only its
				// hash is stored, so it cannot be shown again.
				fmt.Fprintf(e.stdout, "\n%s\nGenerated the bootstrap admin token (shown only this once; set GATEHOUSE_ADMIN_TOKEN to choose your own):\n\n    %s\n\n%s\n\n",
					strings.Repeat("=", 72), generated, strings.Repeat("=", 72))
			}
			main := hs.Main
			if path := e.getenv(GatewayConfigEnv); path != "" {
				// The gateway's forward-auth on the server's own listener,
				// for proxies that ask Gatehouse directly (docs/gateway.md).
				if main, err = withForwardAuth(bg, main, path, a.RateLimits, cfg.TrustedProxies, log); err != nil {
					return err
				}
			}
			listeners := []server.Listener{{Ln: ln, Handler: main}}
			opsAddr := ""
			if opsLn != nil {
				listeners = append(listeners, server.Listener{Ln: opsLn, Handler: hs.Ops})
				opsAddr = opsLn.Addr().String()
			}
			log.Info("gatehouse ready", "addr", ln.Addr().String(), "ops_addr", opsAddr, "issuer", cfg.Issuer, "issuer_from", cfg.IssuerSource,
				"database", a.DB.Dialect(), "mode", cfg.Mode, "startup", time.Since(start).Round(time.Microsecond))
			return server.ServeAll(ctx, cfg.ShutdownTimeout, log, listeners...)
		},
	}
}

// flushTraces exports the spans still buffered, for a few seconds at most.
func flushTraces(stop func(context.Context) error, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := stop(ctx); err != nil {
		log.Warn("tracing: flushing spans at exit failed", "err", err)
	}
}

// ensureMigrated turns "no such table" into advice.
func ensureMigrated(ctx context.Context, a *app.App) error {
	if err := a.DB.Ready(ctx); err != nil {
		return fmt.Errorf("the database is not ready (%v): run `gatehouse migrate up`, or serve with GATEHOUSE_AUTO_MIGRATE=true", err)
	}
	return nil
}

// bootstrapAdmin makes the first admin console user from
// GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL/PASSWORD (directory.BootstrapConsoleAdmin).
func bootstrapAdmin(ctx context.Context, a *app.App, cfg *config.Config, log *slog.Logger) error {
	if cfg.BootstrapAdminEmail == "" {
		return nil
	}
	id, err := a.Directory.BootstrapConsoleAdmin(ctx, cfg.BootstrapAdminEmail, cfg.BootstrapAdminPassword)
	if err != nil {
		return describe(err)
	}
	if id != "" {
		log.Info("created the bootstrap admin console user", "user_id", id, "role", directory.RoleConsoleAdmin)
	}
	return nil
}

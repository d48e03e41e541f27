package cli

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/server"
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
			a, err := app.Open(ctx, cfg, log, app.Options{Migrate: cfg.AutoMigrate})
			if err != nil {
				return err
			}
			defer a.Close()
			auth, generated, err := a.Admin.Bootstrap(ctx, cfg.AdminToken)
			if err != nil {
				return fmt.Errorf("bootstrap: %w", err)
			}
			if generated != "" {
				// Printed once, to the console and not to the log: only its
				// hash is stored, so it cannot be shown again.
				fmt.Fprintf(e.stdout, "\n%s\nGenerated the bootstrap admin token (shown only this once; set GATEHOUSE_ADMIN_TOKEN to choose your own):\n\n    %s\n\n%s\n\n",
					strings.Repeat("=", 72), generated, strings.Repeat("=", 72))
			}
			h, err := server.Handler(ctx, server.Deps{
				Admin:        a.Admin,
				Auth:         auth,
				Ready:        a.DB,
				MaxBodyBytes: cfg.MaxBodyBytes,
				HSTS:         strings.HasPrefix(cfg.Issuer, "https://"),
				Log:          log,
			})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", cfg.Addr)
			if err != nil {
				return fmt.Errorf("invalid GATEHOUSE_ADDR %q: %w", cfg.Addr, err)
			}
			log.Info("gatehouse ready", "addr", ln.Addr().String(), "issuer", cfg.Issuer,
				"database", a.DB.Dialect(), "mode", cfg.Mode, "startup", time.Since(start).Round(time.Microsecond))
			return server.Serve(ctx, ln, h, cfg.ShutdownTimeout, log)
		},
	}
}

// Package cli implements the gatehouse command line: serve, migrate,
// version and the admin commands. Commands only parse flags and print; the
// work is done by the same services the HTTP API uses.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = "dev"

// env bundles what commands need from the outside world, for tests.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	root := &cobra.Command{
		Use:           "gatehouse",
		Short:         "Gatehouse: customer identity and access management",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	config.RegisterFlags(root.PersistentFlags())
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.AddCommand(e.serveCmd(), e.gatewayCmd(), e.mockCmd(), e.migrateCmd(), e.versionCmd(), e.usersCmd(), e.clientsCmd(), e.auditCmd(), e.regionsCmd())

	root.AddCommand(e.opsCmds()...)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// The first signal starts the drain; a second one ends the process at
	// once (the default action), for an operator who will not wait.
	go func() { <-ctx.Done(); stop() }()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	return 0
}

// load reads the configuration and builds the logger.
func (e *env) load(cmd *cobra.Command) (*config.Config, *slog.Logger, error) {
	cfg, err := config.Load(cmd.Flags(), e.getenv)
	if err != nil {
		return nil, nil, err
	}
	// Records logged inside a traced request carry its trace and span IDs.
	return cfg, slog.New(telemetry.LogHandler(httpx.NewLogger(e.stderr, cfg.LogFormat, cfg.LogLevel).Handler())), nil
}

// open loads configuration and opens the app (without migrating).
func (e *env) open(cmd *cobra.Command) (*app.App, error) {
	cfg, log, err := e.load(cmd)
	if err != nil {
		return nil, err
	}
	return app.Open(cmd.Context(), cfg, log, app.Options{})
}

// withApp opens the app on a migrated database, runs fn and closes it.
func (e *env) withApp(cmd *cobra.Command, fn func(a *app.App) error) error {
	a, err := e.open(cmd)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := ensureMigrated(cmd.Context(), a); err != nil {
		return err
	}
	return fn(a)
}

func (e *env) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := Version
			if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						v += "+" + s.Value
					}
				}
			}
			fmt.Fprintln(e.stdout, "gatehouse", v)
			return nil
		},
	}
}

func (e *env) migrateCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "migrate", Short: "Database migrations"}
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply all pending migrations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := e.open(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.DB.Migrate(cmd.Context()); err != nil {
				return err
			}
			// And every regional database (GATEHOUSE_REGIONS).
			if a.Regions != nil {
				for _, name := range a.Regions.Regions() {
					m, ok := a.Regions.RegionStore(name).(interface{ Migrate(context.Context) error })
					if !ok {
						return fmt.Errorf("region %s: its database cannot be migrated", name)
					}
					if err := m.Migrate(cmd.Context()); err != nil {
						return fmt.Errorf("region %s: %w", name, err)
					}
				}
			}
			// A migrated database is ready for the admin commands.
			if _, err := a.Directory.EnsureDefaultTenant(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "migrations applied")
			return nil
		},
	}, &cobra.Command{
		Use:   "status",
		Short: "List migrations and whether each is applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := e.open(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			st, err := a.DB.MigrationStatus(cmd.Context())
			if err != nil {
				return err
			}
			pending := 0
			for _, m := range st {
				state := "pending"
				if m.Applied {
					state = "applied " + m.AppliedAt.Format("2006-01-02 15:04:05Z07:00")
				} else {
					pending++
				}
				fmt.Fprintf(e.stdout, "%5d  %-40s %s\n", m.Version, m.Name, state)
			}
			if pending > 0 {
				return errors.New(fmt.Sprint(pending, " migration(s) pending"))
			}
			return nil
		},
	})
	return cmd
}

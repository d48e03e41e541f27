package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/backup"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/rekey"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

// opsCmds are the operations commands: secret-key rotation, backup and
// restore.
func (e *env) opsCmds() []*cobra.Command {
	return []*cobra.Command{e.secretKeyCmd(), e.backupCmd(), e.restoreCmd()}
}

// sqliteFile loads the configuration and returns the database file of a
// sqlite: GATEHOUSE_DATABASE, or an error that says what to do instead:
// PostgreSQL has its own tools, and an in-memory database has nothing to
// keep. flag and value are the command's required file flag.
func (e *env) sqliteFile(cmd *cobra.Command, flag, value string) (*config.Config, *slog.Logger, string, error) {
	cfg, log, err := e.load(cmd)
	if err != nil {
		return nil, nil, "", err
	}
	path := strings.TrimPrefix(cfg.SQLitePath(), "//")
	switch {
	case path == "":
		return nil, nil, "", fmt.Errorf("GATEHOUSE_DATABASE is PostgreSQL: gatehouse backs up and restores SQLite only.\n\n%s", backup.PostgresProcedure)
	case path == sqlite.Memory:
		return nil, nil, "", errors.New("GATEHOUSE_DATABASE is an in-memory database: there is nothing to back up or restore")
	case value == "":
		return nil, nil, "", fmt.Errorf("--%s FILE is required", flag)
	}
	return cfg, log, path, nil
}

func (e *env) backupCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Copy the SQLite database to FILE while the server keeps serving (PostgreSQL: pg_dump)",
		Long: `Writes a consistent copy of the SQLite database (GATEHOUSE_DATABASE) to FILE,
which must not exist, while servers keep reading and writing it (VACUUM INTO
reads one snapshot). The copy is checked before it is kept, and has mode 0600.
Keep GATEHOUSE_SECRET_KEY apart from it: the stored secrets open only with it.
For PostgreSQL the command prints the pg_dump procedure instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, _, path, err := e.sqliteFile(cmd, "out", out)
			if err != nil {
				return err
			}
			info, err := backup.Create(cmd.Context(), path, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "backed up %s to %s: %d bytes, schema version %d, %d tenant(s), %d user(s)\n",
				path, info.Path, info.Bytes, info.Version, info.Tenants, info.Users)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "backup file to write (must not exist)")
	return cmd
}

func (e *env) restoreCmd() *cobra.Command {
	var from string
	var force bool
	cmd := &cobra.Command{
		Use:   "restore --from FILE",
		Short: "Replace the SQLite database with a backup (stop the server first; PostgreSQL: pg_restore)",
		Long: `Checks that FILE is a Gatehouse SQLite database this binary can run (integrity,
known migrations) and that its stored secrets open with GATEHOUSE_SECRET_KEY,
then puts it in place of GATEHOUSE_DATABASE. A database that another process
has open (a running server) is refused unless --force. An older backup is
migrated by the next serve.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, path, err := e.sqliteFile(cmd, "from", from)
			if err != nil {
				return err
			}
			keys, err := app.Keyring(cfg, log)
			if err != nil {
				return err
			}
			info, err := backup.Restore(cmd.Context(), backup.Options{From: from, DBPath: path, Keyring: keys, Force: force})
			if errors.Is(err, backup.ErrWrongKey) {
				return fmt.Errorf("%w: set the key of the installation the backup comes from (in dev mode, its data directory's secret.key)", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "restored %s from %s: schema version %d, %d tenant(s), %d user(s)\n",
				info.Path, from, info.Version, info.Tenants, info.Users)
			if !info.KeysChecked {
				fmt.Fprintf(e.stdout, "The backup lacks %d migration(s): the next serve applies them; its stored secrets were not checked.\n", info.Pending)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "backup file made by gatehouse backup")
	cmd.Flags().BoolVar(&force, "force", false, "replace the database even if another process has it open (its writes after this are lost)")
	return cmd
}

func (e *env) secretKeyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "secret-key", Short: "Master key (GATEHOUSE_SECRET_KEY) operations"}
	var dryRun bool
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Re-seal every stored secret under GATEHOUSE_SECRET_KEY (previous keys in GATEHOUSE_SECRET_KEY_OLD)",
		Long: `Re-seals signing keys, webhook secrets, TOTP secrets and stored idempotent
responses that were sealed under a key listed in GATEHOUSE_SECRET_KEY_OLD so
that they open with GATEHOUSE_SECRET_KEY alone, and stores the keys of the
hashes that must survive the rotation (client secrets, API keys, the admin
token, recovery codes, remembered devices, the SMS webhook secret) sealed
under it. With GATEHOUSE_REGIONS, the regional databases' sealed values are
re-sealed too.
Safe to run while nodes serve, and to run again. When it reports done,
remove GATEHOUSE_SECRET_KEY_OLD and restart the nodes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(cmd, func(a *app.App) error { return e.rotate(cmd, a, dryRun) })
		},
	}
	rotate.Flags().BoolVar(&dryRun, "dry-run", false, "only count what would be re-sealed")
	cmd.AddCommand(rotate)
	return cmd
}

// rotate runs the rotation and prints what it did.
func (e *env) rotate(cmd *cobra.Command, a *app.App, dryRun bool) error {
	if a.Keyring.Previous() == 0 {
		fmt.Fprintln(e.stdout, "GATEHOUSE_SECRET_KEY_OLD is not set: checking that everything opens with GATEHOUSE_SECRET_KEY.")
	}
	// The regional databases' sealed values too (GATEHOUSE_REGIONS).
	var regions []store.SealedRepo
	if a.Regions != nil {
		for _, name := range a.Regions.Regions() {
			s, ok := a.Regions.RegionStore(name).(store.SealedStore)
			if !ok {
				return fmt.Errorf("region %s: its database holds no sealed values", name)
			}
			regions = append(regions, s.Sealed())
		}
	}
	rep, err := rekey.Rotate(cmd.Context(), a.DB, a.Keyring, dryRun, regions...)
	if err != nil {
		return err
	}
	verb := "re-sealed"
	if dryRun {
		verb = "to re-seal"
	}
	var failed []string
	for _, c := range rep.Counts {
		fmt.Fprintf(e.stdout, "%-16s %d %s, %d already under the current key\n", c.Kind+":", c.Resealed, verb, c.Current)
		for _, f := range c.Failed {
			failed = append(failed, string(c.Kind)+" "+f)
		}
	}
	if rep.CarriedStored {
		what := "stored"
		if dryRun {
			what = "to store"
		}
		fmt.Fprintf(e.stdout, "%-16s %s under the current key\n", "carried keys:", what)
	}
	switch {
	case len(failed) > 0:
		return fmt.Errorf("%d stored value(s) open with no configured key: %s", len(failed), strings.Join(failed, ", "))
	case dryRun:
		fmt.Fprintln(e.stdout, "Dry run: nothing was written.")
	case rep.Done:
		fmt.Fprintln(e.stdout, "Done: every stored secret opens with GATEHOUSE_SECRET_KEY alone. Remove GATEHOUSE_SECRET_KEY_OLD and restart the nodes.")
	default:
		return errors.New("values kept changing while they were re-sealed; run the command again")
	}
	return nil
}

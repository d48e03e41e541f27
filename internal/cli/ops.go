package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/rekey"
)

// opsCmds are the operations commands: secret-key rotation, backup and
// restore.
func (e *env) opsCmds() []*cobra.Command {
	return []*cobra.Command{e.secretKeyCmd()}
}

func (e *env) secretKeyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "secret-key", Short: "Master key (GATEHOUSE_SECRET_KEY) operations"}
	var dryRun bool
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Re-seal every stored secret under GATEHOUSE_SECRET_KEY (previous keys in GATEHOUSE_SECRET_KEY_OLD)",
		Long: `Re-seals signing keys, webhook secrets and TOTP secrets that were sealed
under a key listed in GATEHOUSE_SECRET_KEY_OLD so that they open with
GATEHOUSE_SECRET_KEY alone, and stores the keys of the hashes that must
survive the rotation (client secrets, API keys, the admin token, recovery
codes, remembered devices, the SMS webhook secret) sealed under it.
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
	if a.Keys.Previous() == 0 {
		fmt.Fprintln(e.stdout, "GATEHOUSE_SECRET_KEY_OLD is not set: checking that everything opens with GATEHOUSE_SECRET_KEY.")
	}
	rep, err := rekey.Rotate(cmd.Context(), a.DB, a.Keys, dryRun)
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

package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
)

func (e *env) auditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Inspect the audit log"}
	cmd.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Check every tenant's audit hash chain; exit 1 at the first broken link",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(cmd, func(a *app.App) error {
				rep, err := audit.Verify(cmd.Context(), a.DB)
				if err != nil {
					return fmt.Errorf("audit verify: %w", err)
				}
				if b := rep.Break; b != nil {
					fmt.Fprintf(e.stdout, "BROKEN %s\n", b)
					fmt.Fprintf(e.stdout, "tenant=%s position=%d record=%s field=%s expected=%s found=%s\n",
						b.TenantID, b.Seq, b.RecordID, b.Field, b.Expected, b.Found)
					return errors.New("the audit log has been tampered with")
				}
				fmt.Fprintf(e.stdout, "OK: %d chain(s), %d record(s) verified\n", rep.Chains, rep.Records)
				return nil
			})
		},
	})
	return cmd
}

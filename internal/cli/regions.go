package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/regional"
)

// regionsCmd: data residency maintenance (GATEHOUSE_REGIONS).
func (e *env) regionsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "regions", Short: "Data residency: the regional databases of GATEHOUSE_REGIONS"}
	var region, tenant string
	var dryRun bool
	migrate := &cobra.Command{
		Use:   "migrate",
		Short: "Move the users created before GATEHOUSE_REGIONS was set from the main database into a region",
		Long: `Moves every user whose personal data is still in the main database (created before
GATEHOUSE_REGIONS was set) into --region (default GATEHOUSE_DEFAULT_REGION), one user per
unit of work: copy, read back and compare, reduce the main row to a skeleton, write the
directory. Their sessions and tokens end. Running it again resumes; --dry-run only counts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(cmd, func(a *app.App) error {
				rt := a.Regions
				if rt == nil {
					return errors.New("GATEHOUSE_REGIONS is not set: there is no region to migrate users into")
				}
				to := region
				if to == "" {
					to = rt.Default()
				}
				if !rt.Has(to) {
					return fmt.Errorf("--region %q: not a region of GATEHOUSE_REGIONS (%v)", to, rt.Regions())
				}
				for _, n := range rt.Regions() {
					if err := rt.RegionStore(n).Ready(cmd.Context()); err != nil {
						return fmt.Errorf("region %s is not ready (%v): run `gatehouse migrate up`", n, err)
					}
				}
				var tenants []identity.Tenant
				if tenant != "" {
					t, err := rt.Main().Tenants().GetBySlug(cmd.Context(), tenant)
					if err != nil {
						return fmt.Errorf("tenant %q: %w", tenant, err)
					}
					tenants = append(tenants, *t)
				} else {
					for p := (store.Page{Limit: store.MaxLimit}); ; {
						items, next, err := rt.Main().Tenants().List(cmd.Context(), p)
						if err != nil {
							return err
						}
						tenants = append(tenants, items...)
						if next == "" {
							break
						}
						p.After = next
					}
				}
				verb := "moved"
				if dryRun {
					verb = "to move"
				}
				var total, failed int
				for _, t := range tenants {
					n, f, err := e.migrateTenant(cmd, rt, t, to, dryRun)
					if err != nil {
						return err
					}
					total, failed = total+n, failed+f
					if n > 0 || f > 0 {
						fmt.Fprintf(e.stdout, "tenant %s: %d users %s to %s\n", t.Slug, n, verb, to)
					}
				}
				fmt.Fprintf(e.stdout, "%d users %s to %s\n", total, verb, to)
				if failed > 0 {
					return fmt.Errorf("%d users could not be moved (see above); run the command again to retry them", failed)
				}
				return nil
			})
		},
	}
	f := migrate.Flags()
	f.StringVar(&region, "region", "", "region to move the users into (default: GATEHOUSE_DEFAULT_REGION)")
	f.StringVar(&tenant, "tenant", "", "only this tenant's users (slug; default: every tenant)")
	f.BoolVar(&dryRun, "dry-run", false, "count the users to move and change nothing")
	cmd.AddCommand(migrate)
	return cmd
}

// migrateTenant moves (or counts) one tenant's legacy users; a user that
// cannot be moved (an email taken by a user created in a region since) is
// reported and skipped.
func (e *env) migrateTenant(cmd *cobra.Command, rt *regional.Router, t identity.Tenant, to string, dryRun bool) (moved, failed int, err error) {
	for p := (store.Page{Limit: store.MaxLimit}); ; {
		ids, next, err := rt.Legacy(cmd.Context(), t.ID, p)
		if err != nil {
			return moved, failed, err
		}
		for _, id := range ids {
			if dryRun {
				moved++
				continue
			}
			if _, err := rt.Migrate(cmd.Context(), t.ID, id, to); err != nil {
				failed++
				fmt.Fprintf(e.stderr, "tenant %s: user %s: %v\n", t.Slug, id, err)
				continue
			}
			moved++
		}
		if next == "" {
			return moved, failed, nil
		}
		p.After = next
	}
}

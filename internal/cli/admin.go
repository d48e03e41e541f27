package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/adminapi"
	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The admin commands open the database directly and call the same service
// as the Admin API; output is the API's JSON, one object per line for lists.

func (e *env) printJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, string(b))
	return err
}

// withScope opens the app and resolves the --tenant flag.
func (e *env) withScope(cmd *cobra.Command, fn func(svc *directory.Service, sc *tenancy.Tenant) error) error {
	return e.withApp(cmd, func(a *app.App) error {
		tenant, _ := cmd.Flags().GetString("tenant")
		sc, err := a.Directory.Resolve(cmd.Context(), tenant)
		if err != nil {
			return fmt.Errorf("tenant %q: %w", tenant, err)
		}
		return fn(a.Directory, sc)
	})
}

func (e *env) usersCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Manage users"}
	cmd.PersistentFlags().String("tenant", identity.DefaultTenantSlug, "tenant slug")

	var u identity.User
	var pw string
	var roles []string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a user",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withScope(cmd, func(svc *directory.Service, sc *tenancy.Tenant) error {
				var p *string
				if cmd.Flags().Changed("password") {
					p = &pw
				}
				for _, r := range roles {
					if !slices.Contains(directory.ConsoleRoles, r) || (r == directory.RoleConsoleSuperadmin && sc.Tenant.Slug != identity.DefaultTenantSlug) {
						return fmt.Errorf("--role %q: want %s (superadmin only in the default tenant)", r, strings.Join(directory.ConsoleRoles, ", "))
					}
				}
				if err := svc.CreateUser(cmd.Context(), sc, &u, p); err != nil {
					return describe(err)
				}
				for _, r := range roles {
					if err := svc.GrantConsoleRole(cmd.Context(), sc, u.ID, r); err != nil {
						return fmt.Errorf("user %s created, but granting %s failed: %w", u.ID, r, err)
					}
				}
				return e.printJSON(restapi.UserJSON(&u, p != nil))
			})
		},
	}
	f := create.Flags()
	f.StringVar(&u.Email, "email", "", "email address (required)")
	f.StringVar(&pw, "password", "", "initial password (prefer setting it through the API: flags land in shell history)")
	f.BoolVar(&u.EmailVerified, "email-verified", false, "mark the email as verified")
	f.StringVar(&u.Username, "username", "", "optional username")
	f.StringVar(&u.Profile.GivenName, "given-name", "", "given name")
	f.StringVar(&u.Profile.FamilyName, "family-name", "", "family name")
	f.StringArrayVar(&roles, "role", nil, "admin console role to grant (repeatable): gatehouse:admin, gatehouse:viewer, gatehouse:superadmin (default tenant only)")
	f.StringVar(&u.Region, "region", "", "region of GATEHOUSE_REGIONS to hold the user's data (default: the tenant's residency policy, else GATEHOUSE_DEFAULT_REGION)")
	_ = create.MarkFlagRequired("email")

	var limit int
	var cursor, email, query string
	list := &cobra.Command{
		Use:   "list",
		Short: "List users (one JSON object per line)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withScope(cmd, func(svc *directory.Service, sc *tenancy.Tenant) error {
				after := ""
				if cursor != "" {
					var err error
					if after, err = restapi.DecodeCursor(cursor); err != nil {
						return err
					}
				}
				items, next, err := sc.Store.Users().List(cmd.Context(), sc.Tenant.ID,
					store.UserFilter{Email: email, Query: query}, store.Page{Limit: limit, After: after}.Norm())
				if err != nil {
					return err
				}
				for i := range items {
					has, err := svc.HasPassword(cmd.Context(), sc, items[i].ID)
					if err != nil {
						return err
					}
					if err := e.printJSON(restapi.UserJSON(&items[i], has)); err != nil {
						return err
					}
				}
				if next != "" {
					fmt.Fprintln(e.stderr, "more: --cursor", restapi.EncodeCursor(next))
				}
				return nil
			})
		},
	}
	list.Flags().IntVar(&limit, "limit", store.DefaultLimit, "page size (max 200)")
	list.Flags().StringVar(&cursor, "cursor", "", "resume after this cursor")
	list.Flags().StringVar(&email, "email", "", "exact email")
	list.Flags().StringVar(&query, "q", "", "substring of email or username")
	cmd.AddCommand(create, list)
	return cmd
}

func (e *env) clientsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "clients", Short: "Manage OAuth clients"}
	cmd.PersistentFlags().String("tenant", identity.DefaultTenantSlug, "tenant slug")

	var c oauth.Client
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a client; prints it with its secret (shown once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withScope(cmd, func(svc *directory.Service, sc *tenancy.Tenant) error {
				secret, err := svc.CreateClient(cmd.Context(), sc, &c)
				if err != nil {
					return describe(err)
				}
				out := map[string]any{"client": adminapi.ClientJSON(&c)}
				if secret != "" {
					out["client_secret"] = secret
				}
				return e.printJSON(out)
			})
		},
	}
	f := create.Flags()
	f.StringVar(&c.ClientName, "name", "", "client_name (required)")
	f.StringSliceVar(&c.RedirectURIs, "redirect-uri", nil, "redirect URI (repeatable)")
	f.StringSliceVar(&c.GrantTypes, "grant-type", nil, "grant type (repeatable; default authorization_code)")
	f.StringVar(&c.TokenEndpointAuthMethod, "auth-method", "", "token_endpoint_auth_method (default client_secret_basic; none for public clients)")
	f.StringVar(&c.Scope, "scope", "", "space-separated scopes")
	f.StringVar(&c.ApplicationType, "application-type", "", "web or native")
	_ = create.MarkFlagRequired("name")

	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List clients (one JSON object per line)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withScope(cmd, func(_ *directory.Service, sc *tenancy.Tenant) error {
				items, next, err := sc.Store.Clients().List(cmd.Context(), sc.Tenant.ID, store.Page{Limit: limit}.Norm())
				if err != nil {
					return err
				}
				for i := range items {
					if err := e.printJSON(adminapi.ClientJSON(&items[i])); err != nil {
						return err
					}
				}
				if next != "" {
					fmt.Fprintln(e.stderr, "more clients exist: raise --limit or use the API's cursor")
				}
				return nil
			})
		},
	}
	list.Flags().IntVar(&limit, "limit", store.MaxLimit, "page size (max 200)")
	cmd.AddCommand(create, list)
	return cmd
}

// describe turns validation errors into one readable line per field.
func describe(err error) error {
	var ve *identity.ValidationError
	if errors.As(err, &ve) {
		var lines []string
		for _, f := range ve.Errors {
			lines = append(lines, strings.TrimPrefix(f.Field, "/")+": "+f.Message)
		}
		return fmt.Errorf("invalid input:\n  %s", strings.Join(lines, "\n  "))
	}
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("already exists (email, username or client ID taken)")
	}
	return err
}

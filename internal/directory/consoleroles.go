package directory

import (
	"context"
	"errors"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The roles that open the admin console (internal/console), ordinary
// roles of the tenant (issue 14's model) found by name: admin may do
// everything in its tenant, viewer only read, and superadmin (held in
// the default tenant only) acts on every tenant.
const (
	RoleConsoleAdmin      = "gatehouse:admin"
	RoleConsoleViewer     = "gatehouse:viewer"
	RoleConsoleSuperadmin = "gatehouse:superadmin"
)

// ConsoleRoles lists the console roles, strongest first.
var ConsoleRoles = []string{RoleConsoleSuperadmin, RoleConsoleAdmin, RoleConsoleViewer}

var consoleRoleText = map[string]string{
	RoleConsoleSuperadmin: "Admin console: every tenant (default tenant only)",
	RoleConsoleAdmin:      "Admin console: everything in this tenant",
	RoleConsoleViewer:     "Admin console: read only",
}

// ErrNotConsoleRole: the name is not one of ConsoleRoles, or superadmin
// outside the default tenant.
var ErrNotConsoleRole = errors.New("directory: not a console role of this tenant")

// GrantConsoleRole gives the user the console role name, creating the
// role in the tenant when it does not exist yet (the CLI's `users create
// --role` and the bootstrap admin).
func (s *Service) GrantConsoleRole(ctx context.Context, sc *tenancy.Tenant, userID, name string) error {
	if !slices.Contains(ConsoleRoles, name) || (name == RoleConsoleSuperadmin && sc.Tenant.Slug != identity.DefaultTenantSlug) {
		return ErrNotConsoleRole
	}
	id, err := roleID(ctx, sc, name)
	if errors.Is(err, store.ErrNotFound) {
		r := &store.Role{TenantID: sc.Tenant.ID, Name: name, Description: consoleRoleText[name]}
		err = sc.Store.Roles().Create(ctx, r)
		if errors.Is(err, store.ErrConflict) { // created meanwhile
			id, err = roleID(ctx, sc, name)
		} else {
			id = r.ID
		}
	}
	if err != nil {
		return err
	}
	return sc.Store.Roles().Assign(ctx, sc.Tenant.ID, userID, []string{id})
}

// roleID finds a role of the tenant by name; store.ErrNotFound if none.
func roleID(ctx context.Context, sc *tenancy.Tenant, name string) (string, error) {
	p := store.Page{Limit: 200}
	for {
		items, next, err := sc.Store.Roles().List(ctx, sc.Tenant.ID, p)
		if err != nil {
			return "", err
		}
		for _, r := range items {
			if r.Name == name {
				return r.ID, nil
			}
		}
		if next == "" {
			return "", store.ErrNotFound
		}
		p.After = next
	}
}

// ConsoleRole returns the strongest console role the user holds in the
// tenant ("" for none). Superadmin counts only in the default tenant.
func ConsoleRole(ctx context.Context, sc *tenancy.Tenant, userID string) (string, error) {
	held := map[string]bool{}
	p := store.Page{Limit: 200}
	for {
		items, next, err := sc.Store.Roles().ListForUser(ctx, sc.Tenant.ID, userID, p)
		if err != nil {
			return "", err
		}
		for _, r := range items {
			held[r.Name] = true
		}
		if next == "" {
			break
		}
		p.After = next
	}
	for _, name := range ConsoleRoles {
		if held[name] && (name != RoleConsoleSuperadmin || sc.Tenant.Slug == identity.DefaultTenantSlug) {
			return name, nil
		}
	}
	return "", nil
}

// BootstrapConsoleAdmin makes the first admin console user
// (GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL/PASSWORD): a verified user of the
// default tenant with the role gatehouse:admin, when no user has that
// email; then it changes nothing, so a changed password or a removed
// role stays as the admins left it. It returns the new user's ID, "" when
// there was one already.
func (s *Service) BootstrapConsoleAdmin(ctx context.Context, email, password string) (string, error) {
	sc, err := s.Resolve(ctx, "")
	if err != nil {
		return "", err
	}
	items, _, err := sc.Store.Users().List(ctx, sc.Tenant.ID, store.UserFilter{Email: email}, store.Page{Limit: 1}.Norm())
	if err != nil || len(items) > 0 {
		return "", err
	}
	u := identity.User{Email: email, EmailVerified: true}
	if err := s.CreateUser(ctx, sc, &u, &password); err != nil {
		return "", err
	}
	return u.ID, s.GrantConsoleRole(ctx, sc, u.ID, RoleConsoleAdmin)
}

package storetest

import (
	"errors"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var authzTests = []test{
	{"APICRUD", testAPICRUD},
	{"APIScopesInUse", testAPIScopesInUse},
	{"ClientGrants", testClientGrants},
	{"RoleCRUD", testRoleCRUD},
	{"UserRolesAndPermissions", testUserRolesAndPermissions},
	{"AuthzIsolation", testAuthzIsolation},
	{"AuthorizationDetails", testAuthorizationDetails}, // rar.go
}

func mkAPI(t testing.TB, s store.Store, tenantID string, scopes ...string) *store.API {
	t.Helper()
	a := &store.API{TenantID: tenantID, Identifier: "https://api.example.com/" + uniq("api"), Name: "Billing",
		AccessTokenLifetime: 900, TokenFormat: "jwt", RBAC: true, PermissionsInToken: true}
	for _, v := range scopes {
		a.Scopes = append(a.Scopes, store.APIScope{Value: v, Description: "may " + v})
	}
	must(t, s.APIs().Create(t.Context(), a))
	return a
}

func mkRole(t testing.TB, s store.Store, tenantID string, perms ...store.Permission) *store.Role {
	t.Helper()
	r := &store.Role{TenantID: tenantID, Name: uniq("role"), Description: "d", Permissions: perms}
	must(t, s.Roles().Create(t.Context(), r))
	return r
}

func testAPICRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	a := mkAPI(t, s, tn.ID, "invoices:read", "invoices:write")
	got, err := s.APIs().Get(ctx, tn.ID, a.ID)
	must(t, err)
	equal(t, *got, *a, "Get")
	got, err = s.APIs().GetByIdentifier(ctx, tn.ID, a.Identifier)
	must(t, err)
	equal(t, *got, *a, "GetByIdentifier")

	dup := &store.API{TenantID: tn.ID, Identifier: a.Identifier, Name: "again", AccessTokenLifetime: 60, TokenFormat: "jwt"}
	wantErr(t, s.APIs().Create(ctx, dup), store.ErrConflict, "duplicate identifier")
	dupScope := &store.API{TenantID: tn.ID, Identifier: a.Identifier + "/x", Name: "x", AccessTokenLifetime: 60, TokenFormat: "jwt",
		Scopes: []store.APIScope{{Value: "a"}, {Value: "a"}}}
	wantErr(t, s.APIs().Create(ctx, dupScope), store.ErrConflict, "duplicate scope")
	if _, err := s.APIs().GetByIdentifier(ctx, tn.ID, dupScope.Identifier); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a failed create left the API behind: %v", err)
	}

	up, err := s.APIs().Update(ctx, tn.ID, a.ID, a.Version, func(x *store.API) error {
		x.Identifier = "https://evil.example.com" // ignored: immutable
		x.Name, x.RBAC, x.AccessTokenLifetime = "Billing v2", false, 300
		x.Scopes = []store.APIScope{{Value: "invoices:write", Description: "changed"}, {Value: "invoices:pay"}}
		return nil
	})
	must(t, err)
	if up.Identifier != a.Identifier || up.Version != a.Version+1 || up.Name != "Billing v2" || up.RBAC || up.AccessTokenLifetime != 300 {
		t.Fatalf("Update = %+v", up)
	}
	got, err = s.APIs().Get(ctx, tn.ID, a.ID)
	must(t, err)
	equal(t, got.Scopes, []store.APIScope{{Value: "invoices:write", Description: "changed"}, {Value: "invoices:pay"}}, "scopes after update")
	_, err = s.APIs().Update(ctx, tn.ID, a.ID, a.Version, func(*store.API) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "stale update")

	b := mkAPI(t, s, tn.ID)
	items, next, err := s.APIs().List(ctx, tn.ID, store.Page{Limit: 1})
	must(t, err)
	if len(items) != 1 || items[0].ID != a.ID || next == "" {
		t.Fatalf("List page 1 = %v %q", items, next)
	}
	items, next, err = s.APIs().List(ctx, tn.ID, store.Page{Limit: 1, After: next})
	must(t, err)
	if len(items) != 1 || items[0].ID != b.ID || next != "" || items[0].Scopes == nil {
		t.Fatalf("List page 2 = %v %q", items, next)
	}
	must(t, s.APIs().Delete(ctx, tn.ID, b.ID, false))
	wantErr(t, s.APIs().Delete(ctx, tn.ID, b.ID, false), store.ErrNotFound, "second delete")
}

func testAPIScopesInUse(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	a := mkAPI(t, s, tn.ID, "read", "write")
	r := mkRole(t, s, tn.ID, store.Permission{API: a.Identifier, Scope: "write"})
	u := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	must(t, s.Roles().Assign(ctx, tn.ID, u.ID, []string{r.ID}))

	// Removing a scope a role uses is refused, naming the role.
	_, err := s.APIs().Update(ctx, tn.ID, a.ID, 0, func(x *store.API) error {
		x.Scopes = x.Scopes[:1]
		return nil
	})
	var inUse *store.InUseError
	if !errors.As(err, &inUse) || !errors.Is(err, store.ErrConflict) || len(inUse.Roles) != 1 || inUse.Roles[0].ID != r.ID || inUse.Roles[0].Name != r.Name {
		t.Fatalf("Update removing a used scope: %v", err)
	}
	// Removing an unused one is fine.
	_, err = s.APIs().Update(ctx, tn.ID, a.ID, 0, func(x *store.API) error {
		x.Scopes = x.Scopes[1:]
		return nil
	})
	must(t, err)

	err = s.APIs().Delete(ctx, tn.ID, a.ID, false)
	if !errors.As(err, &inUse) || len(inUse.Roles) != 1 {
		t.Fatalf("Delete of a used API: %v", err)
	}
	if _, err := s.APIs().Get(ctx, tn.ID, a.ID); err != nil {
		t.Fatalf("a refused delete removed the API: %v", err)
	}
	must(t, s.APIs().Delete(ctx, tn.ID, a.ID, true))
	got, err := s.Roles().Get(ctx, tn.ID, r.ID)
	must(t, err)
	equal(t, got.Permissions, []store.Permission{}, "permissions after cascade")
	perms, err := s.Roles().Permissions(ctx, tn.ID, u.ID, a.ID)
	must(t, err)
	if len(perms) != 0 {
		t.Fatalf("permissions after cascade = %v", perms)
	}
}

func testClientGrants(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	a := mkAPI(t, s, tn.ID, "read", "write")
	c := mkClient(t, s, tn.ID, "svc")

	_, err := s.APIs().SetClientGrant(ctx, tn.ID, c.ID, a.ID, []string{"read", "admin"})
	var se *store.ScopeError
	if !errors.As(err, &se) || se.Index != 1 || se.Scope != "admin" {
		t.Fatalf("grant of an undefined scope: %v", err)
	}
	_, err = s.APIs().SetClientGrant(ctx, tn.ID, "nobody", a.ID, []string{"read"})
	wantErr(t, err, store.ErrNotFound, "grant to an unknown client")
	_, err = s.APIs().SetClientGrant(ctx, tn.ID, c.ID, "nothing", []string{"read"})
	wantErr(t, err, store.ErrNotFound, "grant of an unknown API")

	// Before any grant the API is known and the client has nothing.
	api, scopes, err := s.APIs().ClientAccess(ctx, tn.ID, c.ID, a.Identifier)
	must(t, err)
	if api.ID != a.ID || scopes != nil || len(api.Scopes) != 2 || api.Scopes[0].Value != "read" {
		t.Fatalf("ClientAccess before a grant = %+v %v", api, scopes)
	}
	g, err := s.APIs().SetClientGrant(ctx, tn.ID, c.ID, a.ID, []string{"read", "read"})
	must(t, err)
	equal(t, *g, store.ClientGrant{TenantID: tn.ID, ClientID: c.ID, APIID: a.ID, Identifier: a.Identifier, Scopes: []string{"read"}}, "grant")
	g, err = s.APIs().SetClientGrant(ctx, tn.ID, c.ID, a.ID, []string{"write", "read"})
	must(t, err)
	_, scopes, err = s.APIs().ClientAccess(ctx, tn.ID, c.ID, a.Identifier)
	must(t, err)
	equal(t, scopes, []string{"write", "read"}, "ClientAccess scopes")
	_, _, err = s.APIs().ClientAccess(ctx, tn.ID, c.ID, "https://unknown.example.com")
	wantErr(t, err, store.ErrNotFound, "ClientAccess of an unknown API")

	items, next, err := s.APIs().ListClientGrants(ctx, tn.ID, c.ID, store.Page{})
	must(t, err)
	if len(items) != 1 || next != "" {
		t.Fatalf("ListClientGrants = %v", items)
	}
	equal(t, items[0], *g, "listed grant")
	must(t, s.APIs().DeleteClientGrant(ctx, tn.ID, c.ID, a.ID))
	wantErr(t, s.APIs().DeleteClientGrant(ctx, tn.ID, c.ID, a.ID), store.ErrNotFound, "second revoke")

	// Deleting the client or the API drops its grants.
	_, err = s.APIs().SetClientGrant(ctx, tn.ID, c.ID, a.ID, []string{"read"})
	must(t, err)
	must(t, s.Clients().Delete(ctx, tn.ID, c.ID))
	items, _, err = s.APIs().ListClientGrants(ctx, tn.ID, c.ID, store.Page{})
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("grants outlived their client: %v", items)
	}
}

func testRoleCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	a := mkAPI(t, s, tn.ID, "read", "write")
	b := mkAPI(t, s, tn.ID, "x")
	r := mkRole(t, s, tn.ID, store.Permission{API: b.Identifier, Scope: "x"}, store.Permission{API: a.Identifier, Scope: "write"},
		store.Permission{API: a.Identifier, Scope: "read"}, store.Permission{API: a.Identifier, Scope: "read"})
	want := []store.Permission{{API: a.Identifier, Scope: "read"}, {API: a.Identifier, Scope: "write"}, {API: b.Identifier, Scope: "x"}}
	equal(t, r.Permissions, want, "created permissions")
	got, err := s.Roles().Get(ctx, tn.ID, r.ID)
	must(t, err)
	equal(t, *got, *r, "Get")

	dup := &store.Role{TenantID: tn.ID, Name: r.Name}
	wantErr(t, s.Roles().Create(ctx, dup), store.ErrConflict, "duplicate name")
	bad := &store.Role{TenantID: tn.ID, Name: uniq("role"), Permissions: []store.Permission{{API: a.Identifier, Scope: "read"}, {API: a.Identifier, Scope: "nope"}}}
	err = s.Roles().Create(ctx, bad)
	var se *store.ScopeError
	if !errors.As(err, &se) || se.Index != 1 || !errors.Is(err, store.ErrUnknownScope) {
		t.Fatalf("role with an unknown scope: %v", err)
	}
	bad.Permissions = []store.Permission{{API: "https://unknown.example.com", Scope: "read"}}
	err = s.Roles().Create(ctx, bad)
	if !errors.As(err, &se) || se.Scope != "" {
		t.Fatalf("role with an unknown API: %v", err)
	}
	items, _, err := s.Roles().List(ctx, tn.ID, store.Page{})
	must(t, err)
	if len(items) != 1 {
		t.Fatalf("failed creates left roles behind: %v", items)
	}

	// An update that names an unknown scope writes nothing.
	_, err = s.Roles().Update(ctx, tn.ID, r.ID, r.Version, func(x *store.Role) error {
		x.Name = "renamed"
		x.Permissions = []store.Permission{{API: a.Identifier, Scope: "nope"}}
		return nil
	})
	if !errors.As(err, &se) {
		t.Fatalf("update with an unknown scope: %v", err)
	}
	got, err = s.Roles().Get(ctx, tn.ID, r.ID)
	must(t, err)
	equal(t, *got, *r, "role after a failed update")
	up, err := s.Roles().Update(ctx, tn.ID, r.ID, r.Version, func(x *store.Role) error {
		x.Name = "accountant"
		x.Permissions = []store.Permission{{API: a.Identifier, Scope: "read"}}
		return nil
	})
	must(t, err)
	if up.Name != "accountant" || up.Version != r.Version+1 || len(up.Permissions) != 1 {
		t.Fatalf("Update = %+v", up)
	}
	_, err = s.Roles().Update(ctx, tn.ID, r.ID, r.Version, func(*store.Role) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "stale update")
	must(t, s.Roles().Delete(ctx, tn.ID, r.ID))
	wantErr(t, s.Roles().Delete(ctx, tn.ID, r.ID), store.ErrNotFound, "second delete")
}

func testUserRolesAndPermissions(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	a := mkAPI(t, s, tn.ID, "read", "write", "pay")
	other := mkAPI(t, s, tn.ID, "read")
	r1 := mkRole(t, s, tn.ID, store.Permission{API: a.Identifier, Scope: "read"}, store.Permission{API: other.Identifier, Scope: "read"})
	r2 := mkRole(t, s, tn.ID, store.Permission{API: a.Identifier, Scope: "write"}, store.Permission{API: a.Identifier, Scope: "read"})
	u := mkUser(t, s, tn.ID, uniq("u")+"@example.com")

	wantErr(t, s.Roles().Assign(ctx, tn.ID, u.ID, []string{r1.ID, "missing"}), store.ErrNotFound, "assign an unknown role")
	items, _, err := s.Roles().ListForUser(ctx, tn.ID, u.ID, store.Page{})
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("a failed assignment assigned %v", items)
	}
	wantErr(t, s.Roles().Assign(ctx, tn.ID, "nobody", []string{r1.ID}), store.ErrNotFound, "assign to an unknown user")
	must(t, s.Roles().Assign(ctx, tn.ID, u.ID, []string{r1.ID, r2.ID}))
	must(t, s.Roles().Assign(ctx, tn.ID, u.ID, []string{r1.ID})) // held already: no change
	items, next, err := s.Roles().ListForUser(ctx, tn.ID, u.ID, store.Page{Limit: 1})
	must(t, err)
	if len(items) != 1 || items[0].ID != r1.ID || next == "" || len(items[0].Permissions) != 2 {
		t.Fatalf("ListForUser = %+v %q", items, next)
	}
	perms, err := s.Roles().Permissions(ctx, tn.ID, u.ID, a.ID)
	must(t, err)
	equal(t, perms, []string{"read", "write"}, "effective permissions")

	must(t, s.Roles().Unassign(ctx, tn.ID, u.ID, r2.ID))
	wantErr(t, s.Roles().Unassign(ctx, tn.ID, u.ID, r2.ID), store.ErrNotFound, "second unassign")
	perms, err = s.Roles().Permissions(ctx, tn.ID, u.ID, a.ID)
	must(t, err)
	equal(t, perms, []string{"read"}, "permissions after unassign")

	must(t, s.Roles().Delete(ctx, tn.ID, r1.ID))
	perms, err = s.Roles().Permissions(ctx, tn.ID, u.ID, a.ID)
	must(t, err)
	if len(perms) != 0 {
		t.Fatalf("permissions after the role's deletion = %v", perms)
	}
	must(t, s.Roles().Assign(ctx, tn.ID, u.ID, []string{r2.ID}))
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	items, _, err = s.Roles().ListForUser(ctx, tn.ID, u.ID, store.Page{})
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("roles outlived their user: %v", items)
	}
}

// Tenant B sees nothing of tenant A's APIs, grants and roles, and cannot
// name them, even with the same identifier.
func testAuthzIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	ta, tb := mkTenant(t, s), mkTenant(t, s)
	a := mkAPI(t, s, ta.ID, "read")
	r := mkRole(t, s, ta.ID, store.Permission{API: a.Identifier, Scope: "read"})
	c := mkClient(t, s, ta.ID, "svc")
	_, err := s.APIs().SetClientGrant(ctx, ta.ID, c.ID, a.ID, []string{"read"})
	must(t, err)
	ua := mkUser(t, s, ta.ID, uniq("u")+"@example.com")
	must(t, s.Roles().Assign(ctx, ta.ID, ua.ID, []string{r.ID}))
	ub := mkUser(t, s, tb.ID, uniq("u")+"@example.com")
	cb := mkClient(t, s, tb.ID, "svc")

	_, err = s.APIs().Get(ctx, tb.ID, a.ID)
	wantErr(t, err, store.ErrNotFound, "Get across tenants")
	_, err = s.APIs().GetByIdentifier(ctx, tb.ID, a.Identifier)
	wantErr(t, err, store.ErrNotFound, "GetByIdentifier across tenants")
	_, _, err = s.APIs().ClientAccess(ctx, tb.ID, c.ID, a.Identifier)
	wantErr(t, err, store.ErrNotFound, "ClientAccess across tenants")
	items, _, err := s.APIs().List(ctx, tb.ID, store.Page{})
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("List across tenants = %v", items)
	}
	_, err = s.APIs().Update(ctx, tb.ID, a.ID, 0, func(*store.API) error { return nil })
	wantErr(t, err, store.ErrNotFound, "Update across tenants")
	wantErr(t, s.APIs().Delete(ctx, tb.ID, a.ID, true), store.ErrNotFound, "Delete across tenants")
	_, err = s.APIs().SetClientGrant(ctx, tb.ID, cb.ID, a.ID, []string{"read"})
	wantErr(t, err, store.ErrNotFound, "grant of another tenant's API")
	grants, _, err := s.APIs().ListClientGrants(ctx, tb.ID, c.ID, store.Page{})
	must(t, err)
	if len(grants) != 0 {
		t.Fatalf("ListClientGrants across tenants = %v", grants)
	}

	// The same identifier is free in tenant B, and B's role cannot name A's API.
	b := &store.API{TenantID: tb.ID, Identifier: a.Identifier, Name: "B's", AccessTokenLifetime: 60, TokenFormat: "jwt"}
	must(t, s.APIs().Create(ctx, b))
	err = s.Roles().Create(ctx, &store.Role{TenantID: tb.ID, Name: "x", Permissions: []store.Permission{{API: a.Identifier, Scope: "read"}}})
	wantErr(t, err, store.ErrUnknownScope, "role naming a scope B's API lacks")

	_, err = s.Roles().Get(ctx, tb.ID, r.ID)
	wantErr(t, err, store.ErrNotFound, "role Get across tenants")
	roles, _, err := s.Roles().List(ctx, tb.ID, store.Page{})
	must(t, err)
	if len(roles) != 0 {
		t.Fatalf("role List across tenants = %v", roles)
	}
	wantErr(t, s.Roles().Assign(ctx, tb.ID, ub.ID, []string{r.ID}), store.ErrNotFound, "assign another tenant's role")
	wantErr(t, s.Roles().Assign(ctx, ta.ID, ub.ID, []string{r.ID}), store.ErrNotFound, "assign to another tenant's user")
	wantErr(t, s.Roles().Delete(ctx, tb.ID, r.ID), store.ErrNotFound, "role Delete across tenants")
	wantErr(t, s.Roles().Unassign(ctx, tb.ID, ua.ID, r.ID), store.ErrNotFound, "Unassign across tenants")
	perms, err := s.Roles().Permissions(ctx, tb.ID, ua.ID, a.ID)
	must(t, err)
	if len(perms) != 0 {
		t.Fatalf("Permissions across tenants = %v", perms)
	}
	perms, err = s.Roles().Permissions(ctx, ta.ID, ua.ID, a.ID)
	must(t, err)
	equal(t, perms, []string{"read"}, "tenant A's permissions are intact")
}

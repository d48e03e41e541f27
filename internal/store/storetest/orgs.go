package storetest

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var orgTests = []test{
	{"OrganizationCRUD", testOrganizationCRUD},
	{"OrganizationMembers", testOrganizationMembers},
	{"OrganizationMemberRoles", testOrganizationMemberRoles},
	{"OrganizationIsolation", testOrganizationIsolation},
}

func mkOrg(t testing.TB, s store.Store, tenantID string) *store.Organization {
	t.Helper()
	o := &store.Organization{TenantID: tenantID, Name: uniq("org"), DisplayName: "Acme Corp",
		LogoURI: "https://acme.example/logo.svg", PrimaryColor: "#0f766e", Domains: []string{"acme.example"}}
	must(t, s.Organizations().Create(t.Context(), o))
	return o
}

func testOrganizationCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	o := mkOrg(t, s, tn.ID)
	got, err := s.Organizations().Get(ctx, tn.ID, o.ID)
	must(t, err)
	equal(t, *got, *o, "Get")
	got, err = s.Organizations().GetByName(ctx, tn.ID, o.Name)
	must(t, err)
	equal(t, *got, *o, "GetByName")
	wantErr(t, s.Organizations().Create(ctx, &store.Organization{TenantID: tn.ID, Name: o.Name}), store.ErrConflict, "duplicate name")

	c := mkConnection(t, s, tn.ID, uniq("conn"))
	up, err := s.Organizations().Update(ctx, tn.ID, o.ID, o.Version, func(x *store.Organization) error {
		x.DisplayName, x.Connections, x.Domains, x.LogoURI = "Acme", []string{c.ID}, nil, ""
		return nil
	})
	must(t, err)
	if up.Version != o.Version+1 || up.DisplayName != "Acme" || up.Name != o.Name || up.LogoURI != "" {
		t.Fatalf("Update = %+v", up)
	}
	got, err = s.Organizations().Get(ctx, tn.ID, o.ID)
	must(t, err)
	equal(t, *got, *up, "Get after Update")
	_, err = s.Organizations().Update(ctx, tn.ID, o.ID, o.Version, func(*store.Organization) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "stale update")
	o2 := mkOrg(t, s, tn.ID)
	_, err = s.Organizations().Update(ctx, tn.ID, o2.ID, 0, func(x *store.Organization) error { x.Name = o.Name; return nil })
	wantErr(t, err, store.ErrConflict, "rename onto a taken name")

	items, next, err := s.Organizations().List(ctx, tn.ID, store.Page{Limit: 1})
	must(t, err)
	if len(items) != 1 || items[0].ID != o.ID || next == "" {
		t.Fatalf("List page 1 = %v %q", items, next)
	}
	items, next, err = s.Organizations().List(ctx, tn.ID, store.Page{Limit: 1, After: next})
	must(t, err)
	if len(items) != 1 || items[0].ID != o2.ID || next != "" {
		t.Fatalf("List page 2 = %v %q", items, next)
	}
	must(t, s.Organizations().Delete(ctx, tn.ID, o.ID))
	_, err = s.Organizations().Get(ctx, tn.ID, o.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	wantErr(t, s.Organizations().Delete(ctx, tn.ID, o.ID), store.ErrNotFound, "Delete twice")
}

func testOrganizationMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	o, o2 := mkOrg(t, s, tn.ID), mkOrg(t, s, tn.ID)
	u1 := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	u2 := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	m, err := s.Organizations().AddMember(ctx, tn.ID, o.ID, u1.ID)
	must(t, err)
	if m.UserID != u1.ID || m.OrgID != o.ID || m.CreatedAt.IsZero() {
		t.Fatalf("AddMember = %+v", m)
	}
	_, err = s.Organizations().AddMember(ctx, tn.ID, o.ID, u1.ID)
	wantErr(t, err, store.ErrConflict, "member twice")
	_, err = s.Organizations().AddMember(ctx, tn.ID, o.ID, "nobody")
	wantErr(t, err, store.ErrNotFound, "unknown user")
	_, err = s.Organizations().AddMember(ctx, tn.ID, "nothing", u1.ID)
	wantErr(t, err, store.ErrNotFound, "unknown organization")
	_, err = s.Organizations().AddMember(ctx, tn.ID, o.ID, u2.ID)
	must(t, err)
	_, err = s.Organizations().AddMember(ctx, tn.ID, o2.ID, u1.ID)
	must(t, err)

	got, err := s.Organizations().GetMember(ctx, tn.ID, o.ID, u1.ID)
	must(t, err)
	equal(t, *got, *m, "GetMember")
	members, next, err := s.Organizations().ListMembers(ctx, tn.ID, o.ID, store.Page{Limit: 1})
	must(t, err)
	if len(members) != 1 || next == "" {
		t.Fatalf("ListMembers page 1 = %v %q", members, next)
	}
	more, next, err := s.Organizations().ListMembers(ctx, tn.ID, o.ID, store.Page{Limit: 1, After: next})
	must(t, err)
	if len(more) != 1 || next != "" || more[0].UserID == members[0].UserID {
		t.Fatalf("ListMembers page 2 = %v %q", more, next)
	}
	orgs, _, err := s.Organizations().ListForUser(ctx, tn.ID, u1.ID, store.Page{})
	must(t, err)
	if len(orgs) != 2 {
		t.Fatalf("ListForUser = %v", orgs)
	}

	must(t, s.Organizations().RemoveMember(ctx, tn.ID, o.ID, u1.ID))
	_, err = s.Organizations().GetMember(ctx, tn.ID, o.ID, u1.ID)
	wantErr(t, err, store.ErrNotFound, "GetMember after RemoveMember")
	wantErr(t, s.Organizations().RemoveMember(ctx, tn.ID, o.ID, u1.ID), store.ErrNotFound, "RemoveMember twice")
	// Deleting the organization ends its memberships.
	must(t, s.Organizations().Delete(ctx, tn.ID, o2.ID))
	orgs, _, err = s.Organizations().ListForUser(ctx, tn.ID, u1.ID, store.Page{})
	must(t, err)
	if len(orgs) != 0 {
		t.Fatalf("ListForUser after removal and delete = %v", orgs)
	}
}

func testOrganizationMemberRoles(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	a := mkAPI(t, s, tn.ID, "invoices:read", "invoices:write")
	reader := mkRole(t, s, tn.ID, store.Permission{API: a.Identifier, Scope: "invoices:read"})
	writer := mkRole(t, s, tn.ID, store.Permission{API: a.Identifier, Scope: "invoices:write"}, store.Permission{API: a.Identifier, Scope: "invoices:read"})
	o, o2 := mkOrg(t, s, tn.ID), mkOrg(t, s, tn.ID)
	u := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	outsider := mkUser(t, s, tn.ID, uniq("u")+"@example.com")
	for _, org := range []*store.Organization{o, o2} {
		_, err := s.Organizations().AddMember(ctx, tn.ID, org.ID, u.ID)
		must(t, err)
	}
	wantErr(t, s.Organizations().AssignMemberRoles(ctx, tn.ID, o.ID, outsider.ID, []string{reader.ID}), store.ErrNotFound, "roles for a non-member")
	wantErr(t, s.Organizations().AssignMemberRoles(ctx, tn.ID, o.ID, u.ID, []string{reader.ID, "nope"}), store.ErrNotFound, "unknown role")
	roles, _, err := s.Organizations().ListMemberRoles(ctx, tn.ID, o.ID, u.ID, store.Page{})
	must(t, err)
	if len(roles) != 0 {
		t.Fatalf("a failed assignment left %v", roles)
	}
	must(t, s.Organizations().AssignMemberRoles(ctx, tn.ID, o.ID, u.ID, []string{reader.ID, writer.ID}))
	must(t, s.Organizations().AssignMemberRoles(ctx, tn.ID, o.ID, u.ID, []string{reader.ID})) // held already
	must(t, s.Organizations().AssignMemberRoles(ctx, tn.ID, o2.ID, u.ID, []string{reader.ID}))

	perms, err := s.Organizations().MemberPermissions(ctx, tn.ID, o.ID, u.ID, a.ID)
	must(t, err)
	equal(t, perms, []string{"invoices:read", "invoices:write"}, "permissions in o")
	perms, err = s.Organizations().MemberPermissions(ctx, tn.ID, o2.ID, u.ID, a.ID)
	must(t, err)
	equal(t, perms, []string{"invoices:read"}, "permissions in o2")
	// Organization roles are not the user's tenant-wide roles.
	perms, err = s.Roles().Permissions(ctx, tn.ID, u.ID, a.ID)
	must(t, err)
	if len(perms) != 0 {
		t.Fatalf("tenant-wide permissions from org roles: %v", perms)
	}
	names, err := s.Organizations().MemberRoleNames(ctx, tn.ID, o.ID, u.ID)
	must(t, err)
	want := []string{reader.Name, writer.Name}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	equal(t, names, want, "role names")
	roles, next, err := s.Organizations().ListMemberRoles(ctx, tn.ID, o.ID, u.ID, store.Page{Limit: 1})
	must(t, err)
	if len(roles) != 1 || next == "" || len(roles[0].Permissions) == 0 {
		t.Fatalf("ListMemberRoles = %v %q", roles, next)
	}

	must(t, s.Organizations().UnassignMemberRole(ctx, tn.ID, o.ID, u.ID, writer.ID))
	wantErr(t, s.Organizations().UnassignMemberRole(ctx, tn.ID, o.ID, u.ID, writer.ID), store.ErrNotFound, "unassign twice")
	perms, err = s.Organizations().MemberPermissions(ctx, tn.ID, o.ID, u.ID, a.ID)
	must(t, err)
	equal(t, perms, []string{"invoices:read"}, "permissions after unassign")
	// Leaving the organization drops the roles held in it, and only there.
	must(t, s.Organizations().RemoveMember(ctx, tn.ID, o.ID, u.ID))
	_, err = s.Organizations().AddMember(ctx, tn.ID, o.ID, u.ID)
	must(t, err)
	perms, err = s.Organizations().MemberPermissions(ctx, tn.ID, o.ID, u.ID, a.ID)
	must(t, err)
	if len(perms) != 0 {
		t.Fatalf("roles survived leaving: %v", perms)
	}
	// Deleting a role removes it from members.
	must(t, s.Roles().Delete(ctx, tn.ID, reader.ID))
	perms, err = s.Organizations().MemberPermissions(ctx, tn.ID, o2.ID, u.ID, a.ID)
	must(t, err)
	if len(perms) != 0 {
		t.Fatalf("deleted role still grants %v", perms)
	}
}

func testOrganizationIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	ta, tb := mkTenant(t, s), mkTenant(t, s)
	o := mkOrg(t, s, ta.ID)
	ua := mkUser(t, s, ta.ID, uniq("u")+"@example.com")
	_, err := s.Organizations().AddMember(ctx, ta.ID, o.ID, ua.ID)
	must(t, err)
	ub := mkUser(t, s, tb.ID, uniq("u")+"@example.com")
	rb := mkRole(t, s, tb.ID)

	_, err = s.Organizations().Get(ctx, tb.ID, o.ID)
	wantErr(t, err, store.ErrNotFound, "Get across tenants")
	_, err = s.Organizations().GetByName(ctx, tb.ID, o.Name)
	wantErr(t, err, store.ErrNotFound, "GetByName across tenants")
	items, _, err := s.Organizations().List(ctx, tb.ID, store.Page{})
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("List across tenants = %v", items)
	}
	_, err = s.Organizations().Update(ctx, tb.ID, o.ID, 0, func(*store.Organization) error { return nil })
	wantErr(t, err, store.ErrNotFound, "Update across tenants")
	wantErr(t, s.Organizations().Delete(ctx, tb.ID, o.ID), store.ErrNotFound, "Delete across tenants")
	_, err = s.Organizations().AddMember(ctx, tb.ID, o.ID, ub.ID)
	wantErr(t, err, store.ErrNotFound, "B's user into A's organization")
	_, err = s.Organizations().AddMember(ctx, ta.ID, o.ID, ub.ID)
	wantErr(t, err, store.ErrNotFound, "B's user named in tenant A")
	_, err = s.Organizations().GetMember(ctx, tb.ID, o.ID, ua.ID)
	wantErr(t, err, store.ErrNotFound, "GetMember across tenants")
	members, _, err := s.Organizations().ListMembers(ctx, tb.ID, o.ID, store.Page{})
	must(t, err)
	if len(members) != 0 {
		t.Fatalf("ListMembers across tenants = %v", members)
	}
	wantErr(t, s.Organizations().AssignMemberRoles(ctx, ta.ID, o.ID, ua.ID, []string{rb.ID}), store.ErrNotFound, "B's role in A's organization")
	wantErr(t, s.Organizations().RemoveMember(ctx, tb.ID, o.ID, ua.ID), store.ErrNotFound, "RemoveMember across tenants")
	// The same name is free in tenant B.
	must(t, s.Organizations().Create(ctx, &store.Organization{TenantID: tb.ID, Name: o.Name}))
}

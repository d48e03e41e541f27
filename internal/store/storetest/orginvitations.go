package storetest

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var orgInvitationTests = []test{
	{"OrgInvitationLifecycle", testOrgInvitationLifecycle},
	{"OrgInvitationIsolation", testOrgInvitationIsolation},
}

func mkOrgInvitation(t testing.TB, s store.Store, tenantID, orgID string, expires time.Time, roles ...string) *store.OrgInvitation {
	t.Helper()
	h := sha256.Sum256([]byte(uniq("token")))
	inv := &store.OrgInvitation{TenantID: tenantID, OrgID: orgID, Email: uniq("p") + "@example.com", RoleIDs: roles,
		TokenHash: h[:], ExpiresAt: expires}
	must(t, s.OrgInvitations().Create(t.Context(), inv))
	return inv
}

func testOrgInvitationLifecycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	o := mkOrg(t, s, tn.ID)
	keep, gone := mkRole(t, s, tn.ID), mkRole(t, s, tn.ID)
	now := time.Now().UTC().Truncate(time.Second)
	inv := mkOrgInvitation(t, s, tn.ID, o.ID, now.Add(time.Hour), keep.ID, gone.ID)
	expired := mkOrgInvitation(t, s, tn.ID, o.ID, now.Add(-time.Minute))

	got, err := s.OrgInvitations().GetByHash(ctx, tn.ID, inv.TokenHash)
	must(t, err)
	equal(t, *got, *inv, "GetByHash")
	wantErr(t, s.OrgInvitations().Create(ctx, &store.OrgInvitation{TenantID: tn.ID, OrgID: o.ID, Email: "x@example.com",
		TokenHash: inv.TokenHash, ExpiresAt: now.Add(time.Hour)}), store.ErrConflict, "duplicate hash")
	wantErr(t, s.OrgInvitations().Create(ctx, &store.OrgInvitation{TenantID: tn.ID, OrgID: "missing", Email: "x@example.com",
		TokenHash: []byte("other"), ExpiresAt: now.Add(time.Hour)}), store.ErrNotFound, "missing organization")
	items, _, err := s.OrgInvitations().ListPending(ctx, tn.ID, o.ID, now, store.Page{})
	must(t, err)
	if len(items) != 1 || items[0].ID != inv.ID {
		t.Fatalf("ListPending = %v, want only the open one", items)
	}

	// Accepting makes the user a member with the roles that still exist,
	// once; an expired invitation is not accepted.
	u := mkUser(t, s, tn.ID, inv.Email)
	must(t, s.Roles().Delete(ctx, tn.ID, gone.ID))
	acc, err := s.OrgInvitations().Accept(ctx, tn.ID, inv.ID, u.ID, now)
	must(t, err)
	if acc.AcceptedAt == nil || !acc.AcceptedAt.Equal(now) || acc.AcceptedBy != u.ID {
		t.Fatalf("Accept = %+v", acc)
	}
	_, err = s.Organizations().GetMember(ctx, tn.ID, o.ID, u.ID)
	must(t, err)
	roles, _, err := s.Organizations().ListMemberRoles(ctx, tn.ID, o.ID, u.ID, store.Page{})
	must(t, err)
	if len(roles) != 1 || roles[0].ID != keep.ID {
		t.Fatalf("member roles = %v, want only %s", roles, keep.ID)
	}
	_, err = s.OrgInvitations().Accept(ctx, tn.ID, inv.ID, u.ID, now)
	wantErr(t, err, store.ErrNotFound, "accepted twice")
	_, err = s.OrgInvitations().Accept(ctx, tn.ID, expired.ID, u.ID, now)
	wantErr(t, err, store.ErrNotFound, "expired")
	if items, _, _ := s.OrgInvitations().ListPending(ctx, tn.ID, o.ID, now, store.Page{}); len(items) != 0 {
		t.Fatalf("ListPending after accepting = %v", items)
	}
	// A member already keeps the membership and gains the roles.
	again := mkOrgInvitation(t, s, tn.ID, o.ID, now.Add(time.Hour), keep.ID)
	_, err = s.OrgInvitations().Accept(ctx, tn.ID, again.ID, u.ID, now)
	must(t, err)

	open := mkOrgInvitation(t, s, tn.ID, o.ID, now.Add(time.Hour))
	must(t, s.OrgInvitations().Delete(ctx, tn.ID, o.ID, open.ID))
	wantErr(t, s.OrgInvitations().Delete(ctx, tn.ID, o.ID, open.ID), store.ErrNotFound, "delete twice")
	_, err = s.OrgInvitations().GetByHash(ctx, tn.ID, open.TokenHash)
	wantErr(t, err, store.ErrNotFound, "deleted")

	// Deleting the organization deletes its invitations.
	last := mkOrgInvitation(t, s, tn.ID, o.ID, now.Add(time.Hour))
	must(t, s.Organizations().Delete(ctx, tn.ID, o.ID))
	_, err = s.OrgInvitations().GetByHash(ctx, tn.ID, last.TokenHash)
	wantErr(t, err, store.ErrNotFound, "organization deleted")
}

func testOrgInvitationIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	ta, tb := mkTenant(t, s), mkTenant(t, s)
	o := mkOrg(t, s, ta.ID)
	now := time.Now().UTC()
	inv := mkOrgInvitation(t, s, ta.ID, o.ID, now.Add(time.Hour))
	ub := mkUser(t, s, tb.ID, inv.Email)

	_, err := s.OrgInvitations().GetByHash(ctx, tb.ID, inv.TokenHash)
	wantErr(t, err, store.ErrNotFound, "GetByHash across tenants")
	items, _, err := s.OrgInvitations().ListPending(ctx, tb.ID, o.ID, now, store.Page{})
	must(t, err)
	if len(items) != 0 {
		t.Fatalf("ListPending across tenants = %v", items)
	}
	wantErr(t, s.OrgInvitations().Delete(ctx, tb.ID, o.ID, inv.ID), store.ErrNotFound, "Delete across tenants")
	_, err = s.OrgInvitations().Accept(ctx, tb.ID, inv.ID, ub.ID, now)
	wantErr(t, err, store.ErrNotFound, "Accept across tenants")
	_, err = s.OrgInvitations().Accept(ctx, ta.ID, inv.ID, ub.ID, now)
	wantErr(t, err, store.ErrNotFound, "B's user accepting A's invitation")
	if _, err := s.OrgInvitations().GetByHash(ctx, ta.ID, inv.TokenHash); err != nil {
		t.Fatalf("the failed accept must leave the invitation open: %v", err)
	}
	if got, _ := s.OrgInvitations().GetByHash(ctx, ta.ID, inv.TokenHash); got.AcceptedAt != nil {
		t.Fatal("the failed accept marked the invitation accepted")
	}
	wantErr(t, s.OrgInvitations().Create(ctx, &store.OrgInvitation{TenantID: tb.ID, OrgID: o.ID, Email: "x@example.com",
		TokenHash: []byte("b"), ExpiresAt: now.Add(time.Hour)}), store.ErrNotFound, "B inviting into A's organization")
}

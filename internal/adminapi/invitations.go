package adminapi

import (
	"context"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Invitations (internal/accounts, invite.go): the link in the mail
// points at the tenant's hosted login, {issuer}/invite.

func invitationJSON(in *accounts.Invitation) gen.Invitation {
	id := in.ID
	return gen.Invitation{ID: &id, Email: openapi_types.Email(in.Email), CreatedAt: in.CreatedAt.UTC(), ExpiresAt: in.ExpiresAt.UTC()}
}

// inviteTarget is where the tenant's invitation links point.
func (a *Invitations) inviteTarget(ctx context.Context, sc *tenancy.Tenant) (accounts.Target, string, error) {
	if a.accounts == nil {
		return accounts.Target{}, "", httpx.Internal(errNoOnboarding)
	}
	name := sc.Tenant.DisplayName
	if name == "" {
		name = sc.Tenant.Slug
	}
	return accounts.Target{Scope: sc, Name: name}, sc.Issuer + "/invite", nil
}

type errString string

func (e errString) Error() string { return string(e) }

const errNoOnboarding = errString("adminapi: no accounts service configured (Deps.Accounts)")

func (a *Invitations) listInvitations(ctx context.Context, limit *int, cursor *string) (gen.InvitationList, error) {
	sc := tenancy.From(ctx)
	if a.accounts == nil {
		return gen.InvitationList{}, httpx.Internal(errNoOnboarding)
	}
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.InvitationList{}, err
	}
	items, next, err := a.accounts.PendingInvitations(ctx, sc, pg)
	if err != nil {
		return gen.InvitationList{}, err
	}
	out := gen.InvitationList{Items: make([]gen.Invitation, 0, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items = append(out.Items, invitationJSON(&items[i]))
	}
	return out, nil
}

func (a *Invitations) createInvitation(ctx context.Context, in *gen.InvitationCreate) (gen.Invitation, error) {
	sc := tenancy.From(ctx)
	if in == nil {
		return gen.Invitation{}, httpx.Validation("A request body is required.")
	}
	tg, pageURL, err := a.inviteTarget(ctx, sc)
	if err != nil {
		return gen.Invitation{}, err
	}
	inv, err := a.accounts.Invite(ctx, tg, pageURL, accounts.Invitee{
		Email: string(in.Email), GivenName: restapi.Val(in.GivenName), FamilyName: restapi.Val(in.FamilyName),
		TTL: time.Duration(restapi.Val(in.ExpiresIn)) * time.Second,
	})
	if err != nil {
		return gen.Invitation{}, err
	}
	return invitationJSON(inv), nil
}

func (a *Invitations) revokeInvitation(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	if a.accounts == nil {
		return httpx.Internal(errNoOnboarding)
	}
	return a.accounts.RevokeInvitation(ctx, sc, id)
}

// --- default tenant ---

func (a *Invitations) ListInvitations(ctx context.Context, r gen.ListInvitationsRequestObject) (gen.ListInvitationsResponseObject, error) {
	out, err := a.listInvitations(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListInvitations200JSONResponse(out), nil
}

func (a *Invitations) CreateInvitation(ctx context.Context, r gen.CreateInvitationRequestObject) (gen.CreateInvitationResponseObject, error) {
	out, err := a.createInvitation(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := "/admin/v1/invitations/" + *out.ID
	return gen.CreateInvitation201JSONResponse{Body: out, Headers: gen.CreateInvitation201ResponseHeaders{Location: &loc}}, nil
}

func (a *Invitations) RevokeInvitation(ctx context.Context, r gen.RevokeInvitationRequestObject) (gen.RevokeInvitationResponseObject, error) {
	if err := a.revokeInvitation(ctx, r.InvitationID); err != nil {
		return nil, err
	}
	return gen.RevokeInvitation204Response{}, nil
}

// --- named tenant ---

func (a *Invitations) ListTenantInvitations(ctx context.Context, r gen.ListTenantInvitationsRequestObject) (gen.ListTenantInvitationsResponseObject, error) {
	out, err := a.listInvitations(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantInvitations200JSONResponse(out), nil
}

func (a *Invitations) CreateTenantInvitation(ctx context.Context, r gen.CreateTenantInvitationRequestObject) (gen.CreateTenantInvitationResponseObject, error) {
	out, err := a.createInvitation(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := "/admin/v1/tenants/" + r.Tenant + "/invitations/" + *out.ID
	return gen.CreateTenantInvitation201JSONResponse{Body: out, Headers: gen.CreateTenantInvitation201ResponseHeaders{Location: &loc}}, nil
}

func (a *Invitations) RevokeTenantInvitation(ctx context.Context, r gen.RevokeTenantInvitationRequestObject) (gen.RevokeTenantInvitationResponseObject, error) {
	if err := a.revokeInvitation(ctx, r.InvitationID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantInvitation204Response{}, nil
}

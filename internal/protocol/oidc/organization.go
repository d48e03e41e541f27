package oidc

import (
	"context"
	"errors"
	"net/url"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Organizations (B2B, issue 14): /authorize takes organization={ID or
// name}; the sign-in is then scoped to it (the authorization request
// keeps its ID), only its members complete it, and their tokens carry
// org_id and org_name with the permissions of their roles in it. A
// refresh checks the membership again.

// ErrNotMember: the signed-in user is not a member of the organization
// the authorization request is scoped to. The hosted login shows it as a
// page; the request stays open for another account.
var ErrNotMember = errors.New("provider: the user is not a member of the organization")

type orgKey struct{}

// orgFrom is the organization ID authorizeOrganization left in the
// context, for CreateAuthRequest.
func orgFrom(ctx context.Context) string {
	s, _ := ctx.Value(orgKey{}).(string)
	return s
}

// FindOrganization finds the tenant's organization by ID, else by name.
func FindOrganization(ctx context.Context, t *tenancy.Tenant, idOrName string) (*store.Organization, error) {
	o, err := t.Store.Organizations().Get(ctx, t.ID, idOrName)
	if errors.Is(err, store.ErrNotFound) {
		o, err = t.Store.Organizations().GetByName(ctx, t.ID, idOrName)
	}
	return o, err
}

// authorizeOrganization resolves the organization an authorization
// request names (unknown: invalid_request) and returns the context that
// carries its ID to the stored request.
func (p *Provider) authorizeOrganization(ctx context.Context, form url.Values, clientID string) (context.Context, error) {
	v := form.Get("organization")
	if v == "" {
		return ctx, nil
	}
	t := tenancy.From(ctx)
	if t == nil {
		return nil, oidc.ErrServerError().WithDescription("no tenant")
	}
	if len(v) > 128 {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown organization")
	}
	o, err := FindOrganization(ctx, t, v)
	if errors.Is(err, store.ErrNotFound) {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown organization")
	}
	if err != nil {
		return nil, p.serverError(ctx, t, clientID, "authorize: organization lookup", err)
	}
	return context.WithValue(ctx, orgKey{}, o.ID), nil
}

// checkMember refuses a sign-in scoped to an organization for a user who
// is not its member (ErrNotMember).
func checkMember(ctx context.Context, t *tenancy.Tenant, orgID, userID string) error {
	if orgID == "" {
		return nil
	}
	_, err := t.Store.Organizations().GetMember(ctx, t.ID, orgID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotMember
	}
	return err
}

// orgGrant scopes g, a user's grant, to the organization orgID ("" for
// none): it names the organization, and the user must still be a member
// (invalid_grant otherwise: a removed member's code or refresh token
// stops working).
func (p *Provider) orgGrant(ctx context.Context, t *tenancy.Tenant, clientID, orgID string, g *tokens.Grant) error {
	if orgID == "" {
		return nil
	}
	o, err := t.Store.Organizations().Get(ctx, t.ID, orgID)
	if err == nil {
		err = checkMember(ctx, t, orgID, g.UserID)
	}
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, ErrNotMember):
		return oidc.ErrInvalidGrant().WithDescription("the user is no longer a member of the organization")
	case err != nil:
		return p.serverError(ctx, t, clientID, "organization membership", err)
	}
	g.OrgID, g.OrgName = o.ID, o.Name
	return nil
}

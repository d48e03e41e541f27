package oidc

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
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

// The client's organization_usage (oauth.ClientSettings) without
// organization= at /authorize: a "required" client's sign-in is for the
// user's one organization, or the one they pick; a user in none is
// refused (ErrNoOrganization). An "optional" client lets a member of
// organizations pick one, or none.
var (
	// ErrNoOrganization: the client requires an organization and the
	// user is a member of none.
	ErrNoOrganization = errors.New("provider: the client requires an organization and the user is a member of none")
	// ErrChooseOrganization: the client requires an organization and the
	// user, a member of several, has not picked one (ChooseOrganization).
	ErrChooseOrganization = errors.New("provider: the user must choose an organization")
)

// MaxOrganizationChoices bounds the organizations a picker offers.
const MaxOrganizationChoices = store.MaxLimit

// loadOrg loads the organization the request is scoped to. A request
// whose organization was deleted since is no longer answerable.
func (in *Interaction) loadOrg(ctx context.Context) error {
	in.Org = nil
	if in.Request.OrgID == "" {
		return nil
	}
	o, err := in.Tenant.Store.Organizations().Get(ctx, in.Tenant.ID, in.Request.OrgID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrUnknownRequest
	}
	if err != nil {
		return err
	}
	in.Org = o
	return nil
}

// ConnectionAllowed reports whether the sign-in may use the federation
// connection id: any of the tenant's, unless the request is scoped to an
// organization that lists its connections.
func (in *Interaction) ConnectionAllowed(id string) bool {
	return in.Org == nil || len(in.Org.Connections) == 0 || slices.Contains(in.Org.Connections, id)
}

// OrganizationChoices returns the organizations the user should pick
// from before the request completes, nil when there is nothing to pick:
// the request is scoped already, the client does not use organizations,
// or (required) the user is in exactly one, which the code then gets
// silently. ErrNoOrganization when the client requires one and the user
// is in none. An optional client's picker also offers "no organization".
func (p *Provider) OrganizationChoices(ctx context.Context, in *Interaction, userID string) ([]store.Organization, error) {
	if in.Request.OrgID != "" || (in.OrganizationUsage != oauth.OrganizationRequired && in.OrganizationUsage != oauth.OrganizationOptional) {
		return nil, nil
	}
	items, _, err := in.Tenant.Store.Organizations().ListForUser(ctx, in.Tenant.ID, userID, store.Page{Limit: MaxOrganizationChoices})
	if err != nil {
		return nil, err
	}
	if in.OrganizationUsage == oauth.OrganizationRequired {
		switch len(items) {
		case 0:
			return nil, ErrNoOrganization
		case 1:
			return nil, nil
		}
	}
	return items, nil
}

// ChooseOrganization scopes the request to orgID, which the user picked:
// only a request not scoped yet, and only to an organization of the
// tenant the user is a member of (ErrNotMember otherwise).
func (p *Provider) ChooseOrganization(ctx context.Context, in *Interaction, userID, orgID string) error {
	if in.Request.OrgID != "" || in.OrganizationUsage == "" || in.OrganizationUsage == oauth.OrganizationNone {
		return ErrUnknownRequest
	}
	if orgID == "" || len(orgID) > 64 {
		return ErrNotMember
	}
	if err := checkMember(ctx, in.Tenant, orgID, userID); err != nil {
		return err
	}
	ar, err := in.Tenant.Store.AuthRequests().Update(ctx, in.Tenant.ID, in.Request.ID, func(a *oauth.AuthRequest) error {
		if a.CodeHash != nil || a.OrgID != "" {
			return ErrUnknownRequest
		}
		a.OrgID = orgID
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return ErrUnknownRequest
	}
	if err != nil {
		return err
	}
	in.Request = ar
	return in.loadOrg(ctx)
}

// organizationFor is the organization the code for userID is scoped to:
// the request's (the user must be a member), else for a client that
// requires one the user's only organization (ErrNoOrganization for none,
// ErrChooseOrganization for several), else none.
func (p *Provider) organizationFor(ctx context.Context, in *Interaction, userID string) (string, error) {
	if in.Request.OrgID != "" {
		return in.Request.OrgID, checkMember(ctx, in.Tenant, in.Request.OrgID, userID)
	}
	if in.OrganizationUsage != oauth.OrganizationRequired {
		return "", nil
	}
	items, _, err := in.Tenant.Store.Organizations().ListForUser(ctx, in.Tenant.ID, userID, store.Page{Limit: 2})
	if err != nil {
		return "", err
	}
	switch len(items) {
	case 0:
		return "", ErrNoOrganization
	case 1:
		return items[0].ID, nil
	}
	return "", ErrChooseOrganization
}

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

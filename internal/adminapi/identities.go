package adminapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// A user's federated identities (the identities part of the users
// resource); connections themselves are served by fedapi.

// withIdentities adds the user's federated identities (getUser).
func withIdentities(ctx context.Context, u gen.User) (gen.User, error) {
	sc := tenancy.From(ctx)
	ids, err := sc.Store.Connections().Identities(ctx, sc.Tenant.ID, u.ID)
	if err != nil || len(ids) == 0 {
		return u, err
	}
	out := make([]gen.FederatedIdentity, len(ids))
	for i := range ids {
		out[i] = restapi.FederatedIdentityJSON(&ids[i])
	}
	u.Identities = &out
	return u, nil
}

func (a *Users) unlinkIdentity(ctx context.Context, userID, connectionID string) error {
	sc := tenancy.From(ctx)
	err := sc.Store.Connections().Unlink(ctx, sc.Tenant.ID, userID, connectionID)
	return a.audited(ctx, err, sc.Tenant.ID, "user.identity_unlinked", userID, map[string]any{"connection_id": connectionID})
}

func (a *Users) UnlinkUserIdentity(ctx context.Context, r gen.UnlinkUserIdentityRequestObject) (gen.UnlinkUserIdentityResponseObject, error) {
	if err := a.unlinkIdentity(ctx, r.UserID, r.ConnectionID); err != nil {
		return nil, err
	}
	return gen.UnlinkUserIdentity204Response{}, nil
}

func (a *Users) UnlinkTenantUserIdentity(ctx context.Context, r gen.UnlinkTenantUserIdentityRequestObject) (gen.UnlinkTenantUserIdentityResponseObject, error) {
	if err := a.unlinkIdentity(ctx, r.UserID, r.ConnectionID); err != nil {
		return nil, err
	}
	return gen.UnlinkTenantUserIdentity204Response{}, nil
}

package management

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ConsentJSON renders a consent; clientName may be empty.
func ConsentJSON(c *oauth.Consent, clientName string) gen.Consent {
	return gen.Consent{
		ClientID: c.ClientID, ClientName: ptr(clientName), Scopes: nonNil(c.Scopes),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

func (a *API) listConsents(ctx context.Context, tenant, userID string, limit *int, cursor *string) (gen.ConsentList, error) {
	sc, err := a.scope(ctx, tenant)
	if err != nil {
		return gen.ConsentList{}, err
	}
	pg, err := page(limit, cursor)
	if err != nil {
		return gen.ConsentList{}, err
	}
	if err := requireUser(ctx, sc, userID); err != nil {
		return gen.ConsentList{}, err
	}
	items, next, err := sc.Store.Consents().ListByUser(ctx, sc.Tenant.ID, userID, pg)
	if err != nil {
		return gen.ConsentList{}, err
	}
	out := gen.ConsentList{Items: make([]gen.Consent, len(items)), NextCursor: nextCursor(next)}
	for i := range items {
		name, err := clientName(ctx, sc, items[i].ClientID)
		if err != nil {
			return gen.ConsentList{}, err
		}
		out.Items[i] = ConsentJSON(&items[i], name)
	}
	return out, nil
}

// clientName returns a client's display name, or "" if the client is gone
// (its consents go with it, but a listing may race a deletion).
func clientName(ctx context.Context, sc *directory.Scope, clientID string) (string, error) {
	c, err := sc.Store.Clients().Get(ctx, sc.Tenant.ID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return c.ClientName, nil
}

func (a *API) revokeConsent(ctx context.Context, tenant, userID, clientID string) error {
	sc, t, err := a.oauthScope(ctx, tenant)
	if err != nil {
		return err
	}
	if err := requireUser(ctx, sc, userID); err != nil {
		return err
	}
	return a.audited(ctx, a.provider.RevokeConsent(ctx, t, userID, clientID), sc.Tenant.ID, "consent.withdrawn", userID, map[string]any{"client_id": clientID})
}

func (a *API) ListUserConsents(ctx context.Context, r gen.ListUserConsentsRequestObject) (gen.ListUserConsentsResponseObject, error) {
	out, err := a.listConsents(ctx, "", r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListUserConsents200JSONResponse(out), nil
}

func (a *API) RevokeUserConsent(ctx context.Context, r gen.RevokeUserConsentRequestObject) (gen.RevokeUserConsentResponseObject, error) {
	if err := a.revokeConsent(ctx, "", r.UserID, r.ClientID); err != nil {
		return nil, err
	}
	return gen.RevokeUserConsent204Response{}, nil
}

func (a *API) ListTenantUserConsents(ctx context.Context, r gen.ListTenantUserConsentsRequestObject) (gen.ListTenantUserConsentsResponseObject, error) {
	out, err := a.listConsents(ctx, r.Tenant, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUserConsents200JSONResponse(out), nil
}

func (a *API) RevokeTenantUserConsent(ctx context.Context, r gen.RevokeTenantUserConsentRequestObject) (gen.RevokeTenantUserConsentResponseObject, error) {
	if err := a.revokeConsent(ctx, r.Tenant, r.UserID, r.ClientID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantUserConsent204Response{}, nil
}

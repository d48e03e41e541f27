package adminapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

func (a *Consents) listConsents(ctx context.Context, userID string, limit *int, cursor *string) (gen.ConsentList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
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
	out := gen.ConsentList{Items: make([]gen.Consent, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		name, err := restapi.ClientName(ctx, sc, items[i].ClientID)
		if err != nil {
			return gen.ConsentList{}, err
		}
		out.Items[i] = restapi.ConsentJSON(&items[i], name)
	}
	return out, nil
}

func (a *Consents) revokeConsent(ctx context.Context, userID, clientID string) error {
	t := tenancy.From(ctx)
	if err := requireUser(ctx, t, userID); err != nil {
		return err
	}
	return a.audited(ctx, a.tokens.RevokeConsent(ctx, t, userID, clientID), t.Tenant.ID, "consent.withdrawn", userID, map[string]any{"client_id": clientID})
}

func (a *Consents) ListUserConsents(ctx context.Context, r gen.ListUserConsentsRequestObject) (gen.ListUserConsentsResponseObject, error) {
	out, err := a.listConsents(ctx, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListUserConsents200JSONResponse(out), nil
}

func (a *Consents) RevokeUserConsent(ctx context.Context, r gen.RevokeUserConsentRequestObject) (gen.RevokeUserConsentResponseObject, error) {
	if err := a.revokeConsent(ctx, r.UserID, r.ClientID); err != nil {
		return nil, err
	}
	return gen.RevokeUserConsent204Response{}, nil
}

func (a *Consents) ListTenantUserConsents(ctx context.Context, r gen.ListTenantUserConsentsRequestObject) (gen.ListTenantUserConsentsResponseObject, error) {
	out, err := a.listConsents(ctx, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUserConsents200JSONResponse(out), nil
}

func (a *Consents) RevokeTenantUserConsent(ctx context.Context, r gen.RevokeTenantUserConsentRequestObject) (gen.RevokeTenantUserConsentResponseObject, error) {
	if err := a.revokeConsent(ctx, r.UserID, r.ClientID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantUserConsent204Response{}, nil
}

package adminapi

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

func (a *APIKeys) listAPIKeys(ctx context.Context, limit *int, cursor *string) (gen.APIKeyList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.APIKeyList{}, err
	}
	items, next, err := a.svc.Stores.Control().APIKeys().List(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return gen.APIKeyList{}, err
	}
	out := gen.APIKeyList{Items: make([]gen.APIKey, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = APIKeyJSON(&items[i])
	}
	return out, nil
}

func (a *APIKeys) createAPIKey(ctx context.Context, in *gen.APIKeyCreate) (gen.APIKeyWithToken, error) {
	sc := tenancy.From(ctx)
	scopes := stringsOf(in.Scopes)
	// No escalation: a caller can only hand out scopes it holds itself.
	p := principalFrom(ctx)
	for i, s := range scopes {
		if !p.HasScope(s) {
			return gen.APIKeyWithToken{}, httpx.Forbidden("You cannot grant the scope " + s + ", which you do not hold.").
				WithFields(httpx.FieldError{Field: "/scopes/" + strconv.Itoa(i), Message: "not held by the caller"})
		}
	}
	k, token, err := a.svc.CreateAPIKey(ctx, sc, in.Name, scopes, in.ExpiresAt)
	if err != nil {
		return gen.APIKeyWithToken{}, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "api_key.created", "", map[string]any{"api_key_id": k.ID, "scopes": scopes})
	var out gen.APIKeyWithToken
	b, err := json.Marshal(APIKeyJSON(k))
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	out.Token = token
	return out, err
}

func (a *APIKeys) revokeAPIKey(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	return a.audited(ctx, a.svc.Stores.Control().APIKeys().Revoke(ctx, sc.Tenant.ID, id, time.Now().UTC()),
		sc.Tenant.ID, "api_key.revoked", "", map[string]any{"api_key_id": id})
}

func (a *APIKeys) ListAPIKeys(ctx context.Context, r gen.ListAPIKeysRequestObject) (gen.ListAPIKeysResponseObject, error) {
	out, err := a.listAPIKeys(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListAPIKeys200JSONResponse(out), nil
}

func (a *APIKeys) CreateAPIKey(ctx context.Context, r gen.CreateAPIKeyRequestObject) (gen.CreateAPIKeyResponseObject, error) {
	k, err := a.createAPIKey(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := "/admin/v1/api-keys/" + k.ID
	return gen.CreateAPIKey201JSONResponse{Body: k, Headers: gen.CreateAPIKey201ResponseHeaders{Location: &loc}}, nil
}

func (a *APIKeys) RevokeAPIKey(ctx context.Context, r gen.RevokeAPIKeyRequestObject) (gen.RevokeAPIKeyResponseObject, error) {
	if err := a.revokeAPIKey(ctx, r.KeyID); err != nil {
		return nil, err
	}
	return gen.RevokeAPIKey204Response{}, nil
}

func (a *APIKeys) ListTenantAPIKeys(ctx context.Context, r gen.ListTenantAPIKeysRequestObject) (gen.ListTenantAPIKeysResponseObject, error) {
	out, err := a.listAPIKeys(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantAPIKeys200JSONResponse(out), nil
}

func (a *APIKeys) CreateTenantAPIKey(ctx context.Context, r gen.CreateTenantAPIKeyRequestObject) (gen.CreateTenantAPIKeyResponseObject, error) {
	k, err := a.createAPIKey(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := "/admin/v1/tenants/" + r.Tenant + "/api-keys/" + k.ID
	return gen.CreateTenantAPIKey201JSONResponse{Body: k, Headers: gen.CreateTenantAPIKey201ResponseHeaders{Location: &loc}}, nil
}

func (a *APIKeys) RevokeTenantAPIKey(ctx context.Context, r gen.RevokeTenantAPIKeyRequestObject) (gen.RevokeTenantAPIKeyResponseObject, error) {
	if err := a.revokeAPIKey(ctx, r.KeyID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantAPIKey204Response{}, nil
}

package adminapi

import (
	"context"
	"encoding/json"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// InitialAccessTokens manages the initial access tokens of dynamic client
// registration (RFC 7591 §3); the registration endpoint itself is the
// protocol package's (internal/protocol/oidc/dcr.go).
type InitialAccessTokens struct{ *base }

// applyDCR merges a tenant patch's registration settings; validation is
// the directory's (identity.ValidateDCRPolicy).
func applyDCR(dst *identity.DCRPolicy, mode *gen.DCRMode, require *bool, jwks nullable.Nullable[gen.Jwks]) error {
	if mode != nil {
		dst.Mode = string(*mode)
	}
	if require != nil {
		dst.RequireSoftwareStatement = *require
	}
	if jwks.IsSpecified() {
		dst.SoftwareStatementJWKS = nil
		if !jwks.IsNull() {
			j, _ := jwks.Get()
			b, err := json.Marshal(j)
			if err != nil {
				return err
			}
			dst.SoftwareStatementJWKS = b
		}
	}
	return nil
}

// dcrJSON renders a tenant's registration settings into out.
func dcrJSON(out *gen.Tenant, p *identity.DCRPolicy) {
	mode := gen.DCRMode(p.EffectiveMode())
	out.Dcr = &mode
	out.DcrRequireSoftwareStatement = &p.RequireSoftwareStatement
	out.DcrSoftwareStatementJwks = nullable.NewNullNullable[gen.Jwks]()
	if len(p.SoftwareStatementJWKS) > 0 {
		var j gen.Jwks
		if err := json.Unmarshal(p.SoftwareStatementJWKS, &j); err == nil {
			out.DcrSoftwareStatementJwks = nullable.NewNullableWithValue(j)
		}
	}
}

// InitialAccessTokenJSON renders a token without its secret.
func InitialAccessTokenJSON(t *oauth.InitialAccessToken) gen.InitialAccessToken {
	out := gen.InitialAccessToken{ID: t.ID, MaxUses: t.MaxUses, Uses: t.Uses, CreatedAt: t.CreatedAt}
	if t.ExpiresAt != nil {
		out.ExpiresAt = nullable.NewNullableWithValue(*t.ExpiresAt)
	}
	return out
}

func (a *InitialAccessTokens) list(ctx context.Context, limit *int, cursor *string) (gen.InitialAccessTokenList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.InitialAccessTokenList{}, err
	}
	items, next, err := sc.Store.InitialAccessTokens().List(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return gen.InitialAccessTokenList{}, err
	}
	out := gen.InitialAccessTokenList{Items: make([]gen.InitialAccessToken, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = InitialAccessTokenJSON(&items[i])
	}
	return out, nil
}

func (a *InitialAccessTokens) create(ctx context.Context, in *gen.InitialAccessTokenCreate) (gen.InitialAccessTokenWithToken, error) {
	sc := tenancy.From(ctx)
	var expiresIn time.Duration
	if in != nil && in.ExpiresIn != nil {
		expiresIn = time.Duration(*in.ExpiresIn) * time.Second
	}
	var maxUses int
	if in != nil && in.MaxUses != nil {
		maxUses = *in.MaxUses
	}
	t, token, err := a.svc.CreateInitialAccessToken(ctx, sc, expiresIn, maxUses)
	if err != nil {
		return gen.InitialAccessTokenWithToken{}, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "initial_access_token.created", "", map[string]any{"token_id": t.ID, "max_uses": maxUses})
	j := InitialAccessTokenJSON(t)
	return gen.InitialAccessTokenWithToken{ID: j.ID, ExpiresAt: j.ExpiresAt, MaxUses: j.MaxUses, Uses: j.Uses,
		CreatedAt: j.CreatedAt, Token: token}, nil
}

func (a *InitialAccessTokens) delete(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	return a.audited(ctx, sc.Store.InitialAccessTokens().Delete(ctx, sc.Tenant.ID, id),
		sc.Tenant.ID, "initial_access_token.deleted", "", map[string]any{"token_id": id})
}

func (a *InitialAccessTokens) ListInitialAccessTokens(ctx context.Context, r gen.ListInitialAccessTokensRequestObject) (gen.ListInitialAccessTokensResponseObject, error) {
	out, err := a.list(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListInitialAccessTokens200JSONResponse(out), nil
}

func (a *InitialAccessTokens) CreateInitialAccessToken(ctx context.Context, r gen.CreateInitialAccessTokenRequestObject) (gen.CreateInitialAccessTokenResponseObject, error) {
	out, err := a.create(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.CreateInitialAccessToken201JSONResponse(out), nil
}

func (a *InitialAccessTokens) DeleteInitialAccessToken(ctx context.Context, r gen.DeleteInitialAccessTokenRequestObject) (gen.DeleteInitialAccessTokenResponseObject, error) {
	if err := a.delete(ctx, r.TokenID); err != nil {
		return nil, err
	}
	return gen.DeleteInitialAccessToken204Response{}, nil
}

func (a *InitialAccessTokens) ListTenantInitialAccessTokens(ctx context.Context, r gen.ListTenantInitialAccessTokensRequestObject) (gen.ListTenantInitialAccessTokensResponseObject, error) {
	out, err := a.list(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantInitialAccessTokens200JSONResponse(out), nil
}

func (a *InitialAccessTokens) CreateTenantInitialAccessToken(ctx context.Context, r gen.CreateTenantInitialAccessTokenRequestObject) (gen.CreateTenantInitialAccessTokenResponseObject, error) {
	out, err := a.create(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.CreateTenantInitialAccessToken201JSONResponse(out), nil
}

func (a *InitialAccessTokens) DeleteTenantInitialAccessToken(ctx context.Context, r gen.DeleteTenantInitialAccessTokenRequestObject) (gen.DeleteTenantInitialAccessTokenResponseObject, error) {
	if err := a.delete(ctx, r.TokenID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantInitialAccessToken204Response{}, nil
}

// Package authzapi serves the Admin API's authorization resources:
// APIs (resource servers) and clients' grants to them (apis.go), roles
// and their assignment to users (roles.go). adminapi.API embeds their
// handler types.
package authzapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// APIs serves the tenant's APIs (resource servers) and the clients'
// grants to them (issue 14).
type APIs struct{ *resource.Base }

// defaultAPITokenLifetime applies when a new API names none (seconds).
const defaultAPITokenLifetime = 3600

// APIJSON renders an API.
func APIJSON(a *store.API) gen.API {
	scopes := make([]gen.APIScope, len(a.Scopes))
	for i, s := range a.Scopes {
		scopes[i] = gen.APIScope{Value: s.Value, Description: resource.OptStr(s.Description)}
	}
	return gen.API{ID: a.ID, Identifier: a.Identifier, Name: a.Name, Scopes: scopes,
		AccessTokenLifetimeSeconds: a.AccessTokenLifetime, TokenFormat: gen.APITokenFormat(a.TokenFormat),
		Rbac: a.RBAC, PermissionsInToken: a.PermissionsInToken, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version,
		AuthorizationDetailsTypes: detailTypesJSON(a.AuthorizationDetailsTypes)} // detailtypes.go
}

// CheckAPIIdentifier accepts an absolute URI without a fragment (RFC 8707
// section 2), with no spaces or control characters.
func CheckAPIIdentifier(raw string) error {
	bad := func(msg string) error {
		return httpx.Validation("The API identifier is not allowed.", httpx.FieldError{Field: "/identifier", Message: msg})
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return bad("must not contain spaces or control characters")
	}
	if strings.Contains(raw, "#") {
		return bad("must not have a fragment")
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || (u.Host == "" && u.Opaque == "") {
		return bad("must be an absolute URI, such as https://api.example.com/billing")
	}
	return nil
}

// apiScopes converts and checks the scopes of a request: each value once.
func apiScopes(in []gen.APIScope) ([]store.APIScope, error) {
	out := make([]store.APIScope, len(in))
	seen := map[string]bool{}
	for i, s := range in {
		if seen[s.Value] {
			return nil, httpx.Validation("A scope is listed twice.",
				httpx.FieldError{Field: fmt.Sprintf("/scopes/%d/value", i), Message: "duplicate scope " + s.Value})
		}
		seen[s.Value] = true
		out[i] = store.APIScope{Value: s.Value, Description: restapi.Val(s.Description)}
	}
	return out, nil
}

// authzProblem maps the refusals of the API and role repositories; field
// is the JSON pointer of the list a *store.ScopeError indexes.
func authzProblem(err error, field string) error {
	var se *store.ScopeError
	var inUse *store.InUseError
	switch {
	case errors.As(err, &se):
		msg := "the API defines no scope " + se.Scope
		if se.Scope == "" {
			msg = "no API with the identifier " + se.API + " in this tenant"
		}
		return httpx.Validation("A scope is unknown.", httpx.FieldError{Field: fmt.Sprintf("%s/%d", field, se.Index), Message: msg})
	case errors.As(err, &inUse):
		names := make([]string, len(inUse.Roles))
		errs := make([]httpx.FieldError, len(inUse.Roles))
		for i, r := range inUse.Roles {
			names[i] = fmt.Sprintf("%s (%s)", r.Name, r.ID)
			errs[i] = httpx.FieldError{Field: "role:" + r.ID, Message: "role " + r.Name + " uses the API's scopes"}
		}
		p := httpx.Conflict("Roles use this API's scopes: " + strings.Join(names, ", ") +
			". Remove the permissions from the roles first, or delete with cascade=true.")
		p.Errors = errs
		return p
	case errors.Is(err, store.ErrConflict):
		return httpx.Conflict("An API with this identifier already exists in the tenant.")
	}
	return err
}

func (a *APIs) listAPIs(ctx context.Context, limit *int, cursor *string) (gen.APIList, error) {
	items, next, err := listed(ctx, limit, cursor, func(sc *tenancy.Tenant, pg store.Page) ([]store.API, string, error) {
		return sc.Store.APIs().List(ctx, sc.Tenant.ID, pg)
	}, APIJSON)
	return gen.APIList{Items: items, NextCursor: next}, err
}

func (a *APIs) createAPI(ctx context.Context, in *gen.APICreate) (gen.API, error) {
	sc := tenancy.From(ctx)
	if err := CheckAPIIdentifier(in.Identifier); err != nil {
		return gen.API{}, err
	}
	scopes, err := apiScopes(restapi.Val(in.Scopes))
	if err != nil {
		return gen.API{}, err
	}
	types, err := detailTypes(ctx, sc, "", restapi.Val(in.AuthorizationDetailsTypes)) // detailtypes.go
	if err != nil {
		return gen.API{}, err
	}
	api := &store.API{TenantID: sc.Tenant.ID, Identifier: in.Identifier, Name: in.Name, Scopes: scopes, AuthorizationDetailsTypes: types,
		AccessTokenLifetime: defaultAPITokenLifetime, TokenFormat: string(gen.APITokenFormatJwt),
		RBAC: restapi.Val(in.Rbac), PermissionsInToken: restapi.Val(in.PermissionsInToken)}
	if in.AccessTokenLifetimeSeconds != nil {
		api.AccessTokenLifetime = *in.AccessTokenLifetimeSeconds
	}
	if in.TokenFormat != nil {
		api.TokenFormat = string(*in.TokenFormat)
	}
	if err := sc.Store.APIs().Create(ctx, api); err != nil {
		return gen.API{}, authzProblem(err, "/scopes")
	}
	a.Provider.APIsChanged(sc.Tenant.ID) // a cached "no such API"
	a.RecordAdmin(ctx, sc.Tenant.ID, "api.created", "", map[string]any{"api_id": api.ID, "identifier": api.Identifier})
	return APIJSON(api), nil
}

func (a *APIs) getAPI(ctx context.Context, id string) (gen.API, error) {
	return got(ctx, func(sc *tenancy.Tenant) (*store.API, error) { return sc.Store.APIs().Get(ctx, sc.Tenant.ID, id) }, APIJSON)
}

func (a *APIs) updateAPI(ctx context.Context, id string, ifm *string, in1, in2 *gen.APIPatch) (gen.API, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.API{}, err
	}
	var scopes []store.APIScope
	if in.Scopes != nil {
		if scopes, err = apiScopes(*in.Scopes); err != nil {
			return gen.API{}, err
		}
	}
	var types []store.AuthorizationDetailsType
	if in.AuthorizationDetailsTypes != nil {
		if types, err = detailTypes(ctx, sc, id, *in.AuthorizationDetailsTypes); err != nil { // detailtypes.go
			return gen.API{}, err
		}
	}
	api, err := sc.Store.APIs().Update(ctx, sc.Tenant.ID, id, version, func(x *store.API) error {
		if in.AuthorizationDetailsTypes != nil {
			x.AuthorizationDetailsTypes = types
		}
		if in.Name != nil {
			x.Name = *in.Name
		}
		if in.Scopes != nil {
			x.Scopes = scopes
		}
		if in.AccessTokenLifetimeSeconds != nil {
			x.AccessTokenLifetime = *in.AccessTokenLifetimeSeconds
		}
		if in.TokenFormat != nil {
			x.TokenFormat = string(*in.TokenFormat)
		}
		if in.Rbac != nil {
			x.RBAC = *in.Rbac
		}
		if in.PermissionsInToken != nil {
			x.PermissionsInToken = *in.PermissionsInToken
		}
		return nil
	})
	if err != nil {
		return gen.API{}, authzProblem(err, "/scopes")
	}
	a.Provider.APIsChanged(sc.Tenant.ID)
	a.RecordAdmin(ctx, sc.Tenant.ID, "api.updated", "", map[string]any{"api_id": id})
	return APIJSON(api), nil
}

func (a *APIs) deleteAPI(ctx context.Context, id string, cascade *bool) error {
	sc := tenancy.From(ctx)
	c := restapi.Val(cascade)
	api, err := sc.Store.APIs().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		return err
	}
	isDefault := api.Identifier == sc.Tenant.DefaultAPI
	if isDefault && !c {
		return httpx.Conflict("This API is the tenant's default API. Set the tenant's default_api to another API or null first, or delete with cascade=true.")
	}
	err = sc.Store.InTx(ctx, func(tx store.Store) error {
		if err := tx.APIs().Delete(ctx, sc.Tenant.ID, id, c); err != nil {
			return err
		}
		if !isDefault {
			return nil
		}
		_, err := tx.Tenants().Update(ctx, sc.Tenant.ID, 0, func(t *identity.Tenant) error {
			if t.DefaultAPI == api.Identifier {
				t.DefaultAPI = ""
			}
			return nil
		})
		return err
	})
	if err != nil {
		return authzProblem(err, "")
	}
	if isDefault {
		a.Provider.InvalidateTenant(sc.Tenant.Slug)
	}
	a.Provider.APIsChanged(sc.Tenant.ID)
	a.RecordAdmin(ctx, sc.Tenant.ID, "api.deleted", "", map[string]any{"api_id": id, "cascade": c})
	return nil
}

func grantJSON(g *store.ClientGrant) gen.ClientAPIGrant {
	return gen.ClientAPIGrant{APIID: g.APIID, Identifier: g.Identifier, Scopes: restapi.NonNil(g.Scopes)}
}

func (a *APIs) listGrants(ctx context.Context, clientID string, limit *int, cursor *string) (gen.ClientAPIGrantList, error) {
	items, next, err := listedUnder(ctx, limit, cursor,
		func(sc *tenancy.Tenant) error { return exists(sc.Store.Clients().Get(ctx, sc.Tenant.ID, clientID)) },
		func(sc *tenancy.Tenant, pg store.Page) ([]store.ClientGrant, string, error) {
			return sc.Store.APIs().ListClientGrants(ctx, sc.Tenant.ID, clientID, pg)
		}, grantJSON)
	return gen.ClientAPIGrantList{Items: items, NextCursor: next}, err
}

func (a *APIs) grant(ctx context.Context, clientID, apiID string, in *gen.ClientAPIGrantPut) (gen.ClientAPIGrant, error) {
	sc := tenancy.From(ctx)
	g, err := sc.Store.APIs().SetClientGrant(ctx, sc.Tenant.ID, clientID, apiID, in.Scopes)
	if err != nil {
		return gen.ClientAPIGrant{}, authzProblem(err, "/scopes")
	}
	a.Provider.APIsChanged(sc.Tenant.ID)
	a.RecordAdmin(ctx, sc.Tenant.ID, "api.client_granted", "", map[string]any{"api_id": apiID, "client_id": clientID, "scopes": g.Scopes})
	return grantJSON(g), nil
}

func (a *APIs) revoke(ctx context.Context, clientID, apiID string) error {
	return audited(ctx, a.Base, "api.client_revoked", "", map[string]any{"api_id": apiID, "client_id": clientID}, func(sc *tenancy.Tenant) error {
		err := sc.Store.APIs().DeleteClientGrant(ctx, sc.Tenant.ID, clientID, apiID)
		a.Provider.APIsChanged(sc.Tenant.ID)
		return err
	})
}

func (a *APIs) ListApis(ctx context.Context, r gen.ListApisRequestObject) (gen.ListApisResponseObject, error) {
	return answer(func(out gen.APIList) gen.ListApisResponseObject { return gen.ListApis200JSONResponse(out) })(a.listAPIs(ctx, r.Params.Limit, r.Params.Cursor))
}

func (a *APIs) CreateAPI(ctx context.Context, r gen.CreateAPIRequestObject) (gen.CreateAPIResponseObject, error) {
	return answer(func(out gen.API) gen.CreateAPIResponseObject {
		loc := location("", "apis") + out.ID
		return gen.CreateAPI201JSONResponse{Body: out, Headers: gen.CreateAPI201ResponseHeaders{ETag: restapi.ETag(out.Version), Location: &loc}}
	})(a.createAPI(ctx, r.Body))
}

func (a *APIs) GetAPI(ctx context.Context, r gen.GetAPIRequestObject) (gen.GetAPIResponseObject, error) {
	return answer(func(out gen.API) gen.GetAPIResponseObject {
		return gen.GetAPI200JSONResponse{Body: out, Headers: gen.GetAPI200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.getAPI(ctx, r.APIID))
}

func (a *APIs) UpdateAPI(ctx context.Context, r gen.UpdateAPIRequestObject) (gen.UpdateAPIResponseObject, error) {
	return answer(func(out gen.API) gen.UpdateAPIResponseObject {
		return gen.UpdateAPI200JSONResponse{Body: out, Headers: gen.UpdateAPI200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.updateAPI(ctx, r.APIID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody))
}

func (a *APIs) DeleteAPI(ctx context.Context, r gen.DeleteAPIRequestObject) (gen.DeleteAPIResponseObject, error) {
	return done[gen.DeleteAPIResponseObject](gen.DeleteAPI204Response{}, a.deleteAPI(ctx, r.APIID, r.Params.Cascade))
}

func (a *APIs) ListClientApis(ctx context.Context, r gen.ListClientApisRequestObject) (gen.ListClientApisResponseObject, error) {
	return answer(func(out gen.ClientAPIGrantList) gen.ListClientApisResponseObject {
		return gen.ListClientApis200JSONResponse(out)
	})(a.listGrants(ctx, r.ClientID, r.Params.Limit, r.Params.Cursor))
}

func (a *APIs) GrantClientAPI(ctx context.Context, r gen.GrantClientAPIRequestObject) (gen.GrantClientAPIResponseObject, error) {
	return answer(func(out gen.ClientAPIGrant) gen.GrantClientAPIResponseObject {
		return gen.GrantClientAPI200JSONResponse(out)
	})(a.grant(ctx, r.ClientID, r.APIID, r.Body))
}

func (a *APIs) RevokeClientAPI(ctx context.Context, r gen.RevokeClientAPIRequestObject) (gen.RevokeClientAPIResponseObject, error) {
	return done[gen.RevokeClientAPIResponseObject](gen.RevokeClientAPI204Response{}, a.revoke(ctx, r.ClientID, r.APIID))
}

func (a *APIs) ListTenantApis(ctx context.Context, r gen.ListTenantApisRequestObject) (gen.ListTenantApisResponseObject, error) {
	return answer(func(out gen.APIList) gen.ListTenantApisResponseObject { return gen.ListTenantApis200JSONResponse(out) })(a.listAPIs(ctx, r.Params.Limit, r.Params.Cursor))
}

func (a *APIs) CreateTenantAPI(ctx context.Context, r gen.CreateTenantAPIRequestObject) (gen.CreateTenantAPIResponseObject, error) {
	return answer(func(out gen.API) gen.CreateTenantAPIResponseObject {
		loc := location(r.Tenant, "apis") + out.ID
		return gen.CreateTenantAPI201JSONResponse{Body: out, Headers: gen.CreateTenantAPI201ResponseHeaders{ETag: restapi.ETag(out.Version), Location: &loc}}
	})(a.createAPI(ctx, r.Body))
}

func (a *APIs) GetTenantAPI(ctx context.Context, r gen.GetTenantAPIRequestObject) (gen.GetTenantAPIResponseObject, error) {
	return answer(func(out gen.API) gen.GetTenantAPIResponseObject {
		return gen.GetTenantAPI200JSONResponse{Body: out, Headers: gen.GetTenantAPI200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.getAPI(ctx, r.APIID))
}

func (a *APIs) UpdateTenantAPI(ctx context.Context, r gen.UpdateTenantAPIRequestObject) (gen.UpdateTenantAPIResponseObject, error) {
	return answer(func(out gen.API) gen.UpdateTenantAPIResponseObject {
		return gen.UpdateTenantAPI200JSONResponse{Body: out, Headers: gen.UpdateTenantAPI200ResponseHeaders{ETag: restapi.ETag(out.Version)}}
	})(a.updateAPI(ctx, r.APIID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody))
}

func (a *APIs) DeleteTenantAPI(ctx context.Context, r gen.DeleteTenantAPIRequestObject) (gen.DeleteTenantAPIResponseObject, error) {
	return done[gen.DeleteTenantAPIResponseObject](gen.DeleteTenantAPI204Response{}, a.deleteAPI(ctx, r.APIID, r.Params.Cascade))
}

func (a *APIs) ListTenantClientApis(ctx context.Context, r gen.ListTenantClientApisRequestObject) (gen.ListTenantClientApisResponseObject, error) {
	return answer(func(out gen.ClientAPIGrantList) gen.ListTenantClientApisResponseObject {
		return gen.ListTenantClientApis200JSONResponse(out)
	})(a.listGrants(ctx, r.ClientID, r.Params.Limit, r.Params.Cursor))
}

func (a *APIs) GrantTenantClientAPI(ctx context.Context, r gen.GrantTenantClientAPIRequestObject) (gen.GrantTenantClientAPIResponseObject, error) {
	return answer(func(out gen.ClientAPIGrant) gen.GrantTenantClientAPIResponseObject {
		return gen.GrantTenantClientAPI200JSONResponse(out)
	})(a.grant(ctx, r.ClientID, r.APIID, r.Body))
}

func (a *APIs) RevokeTenantClientAPI(ctx context.Context, r gen.RevokeTenantClientAPIRequestObject) (gen.RevokeTenantClientAPIResponseObject, error) {
	return done[gen.RevokeTenantClientAPIResponseObject](gen.RevokeTenantClientAPI204Response{}, a.revoke(ctx, r.ClientID, r.APIID))
}

package adminapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

func clientsPath(tenant string) string {
	if tenant == "" {
		return "/admin/v1/clients/"
	}
	return "/admin/v1/tenants/" + tenant + "/clients/"
}

// withSecret adds the once-shown secret to a client rendering.
func withSecret(c gen.Client, secret string) (gen.ClientWithSecret, error) {
	var out gen.ClientWithSecret
	b, err := json.Marshal(c)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, err
	}
	if secret != "" {
		out.ClientSecret = &secret
	}
	return out, nil
}

// Bridge clients (oidc.IsBridgeClient: bridge:saml:{sp_id}) are rows the
// SAML identity provider keeps for its sign-ins; they are managed through
// their saml-service-providers resource, so the clients resource neither
// lists them nor reads, changes or deletes them (404).
func notBridge(id string) error {
	if oidc.IsBridgeClient(id) {
		return store.ErrNotFound
	}
	return nil
}

func (a *Clients) listClients(ctx context.Context, limit *int, cursor *string) (gen.ClientList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.ClientList{}, err
	}
	items, next, err := sc.Store.Clients().List(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return gen.ClientList{}, err
	}
	out := gen.ClientList{Items: make([]gen.Client, 0, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		if !oidc.IsBridgeClient(items[i].ID) {
			out.Items = append(out.Items, ClientJSON(&items[i]))
		}
	}
	return out, nil
}

func (a *Clients) createClient(ctx context.Context, in *gen.ClientCreate) (gen.ClientWithSecret, int64, error) {
	sc := tenancy.From(ctx)
	c, err := clientFromCreate(in)
	if err != nil {
		return gen.ClientWithSecret{}, 0, httpx.Validation(err.Error())
	}
	if err := checkRequiredPurposes(ctx, sc, c); err != nil {
		return gen.ClientWithSecret{}, 0, err
	}
	secret, err := a.svc.CreateClient(ctx, sc, c)
	if err != nil {
		return gen.ClientWithSecret{}, 0, err
	}
	a.provider.ClientChanged(ctx, sc.Tenant.ID, c.ID, c)
	a.recordAdmin(ctx, sc.Tenant.ID, "client.created", "", map[string]any{"client_id": c.ID})
	out, err := withSecret(ClientJSON(c), secret)
	return out, c.Version, err
}

func (a *Clients) getClient(ctx context.Context, id string) (gen.Client, error) {
	sc := tenancy.From(ctx)
	if err := notBridge(id); err != nil {
		return gen.Client{}, err
	}
	c, err := sc.Store.Clients().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		return gen.Client{}, err
	}
	return ClientJSON(c), nil
}

func (a *Clients) updateClient(ctx context.Context, id string, ifm *string, in1, in2 *gen.ClientPatch) (gen.Client, error) {
	sc := tenancy.From(ctx)
	if err := notBridge(id); err != nil {
		return gen.Client{}, err
	}
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.Client{}, err
	}
	c, _, err := a.svc.UpdateClient(ctx, sc, id, version, func(c *oauth.Client) error {
		if c.Public() && in.TokenEndpointAuthMethod != nil && *in.TokenEndpointAuthMethod != "none" {
			// A secret is only ever shown once, at creation or rotation: turning a
			// public client confidential needs the rotate operation afterwards.
			return httpx.Validation("A public client cannot become confidential by PATCH; create a new client.",
				httpx.FieldError{Field: "/token_endpoint_auth_method", Message: "cannot change from none"})
		}
		if err := applyClientPatch(c, in); err != nil {
			return err
		}
		if in.RequiredPurposes.IsSpecified() {
			return checkRequiredPurposes(ctx, sc, c)
		}
		return nil
	})
	if err != nil {
		return gen.Client{}, err
	}
	a.provider.ClientChanged(ctx, sc.Tenant.ID, id, c)
	a.recordAdmin(ctx, sc.Tenant.ID, "client.updated", "", map[string]any{"client_id": id})
	return ClientJSON(c), nil
}

func (a *Clients) deleteClient(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	if err := notBridge(id); err != nil {
		return err
	}
	err := sc.Store.Clients().Delete(ctx, sc.Tenant.ID, id)
	if err == nil {
		a.provider.ClientChanged(ctx, sc.Tenant.ID, id, nil)
	}
	return a.audited(ctx, err, sc.Tenant.ID, "client.deleted", "", map[string]any{"client_id": id})
}

func (a *Clients) rotateSecret(ctx context.Context, id string) (gen.ClientSecret, error) {
	sc := tenancy.From(ctx)
	if err := notBridge(id); err != nil {
		return gen.ClientSecret{}, err
	}
	c, secret, err := a.svc.RotateClientSecret(ctx, sc, id)
	if err != nil {
		var ve *identity.ValidationError
		if errors.As(err, &ve) {
			return gen.ClientSecret{}, httpx.Conflict("A public client has no secret to rotate.")
		}
		return gen.ClientSecret{}, err
	}
	a.provider.ClientChanged(ctx, sc.Tenant.ID, id, c)
	a.recordAdmin(ctx, sc.Tenant.ID, "client.secret_rotated", "", map[string]any{"client_id": id})
	out := gen.ClientSecret{ClientID: c.ID, ClientSecret: secret}
	if c.SecretExpiresAt != nil {
		out.ClientSecretExpiresAt = c.SecretExpiresAt.Unix()
	}
	return out, nil
}

func (a *Clients) ListClients(ctx context.Context, r gen.ListClientsRequestObject) (gen.ListClientsResponseObject, error) {
	out, err := a.listClients(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListClients200JSONResponse(out), nil
}

func (a *Clients) CreateClient(ctx context.Context, r gen.CreateClientRequestObject) (gen.CreateClientResponseObject, error) {
	c, v, err := a.createClient(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := clientsPath("") + c.ClientID
	return gen.CreateClient201JSONResponse{Body: c, Headers: gen.CreateClient201ResponseHeaders{ETag: restapi.ETag(v), Location: &loc}}, nil
}

func (a *Clients) GetClient(ctx context.Context, r gen.GetClientRequestObject) (gen.GetClientResponseObject, error) {
	c, err := a.getClient(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	return gen.GetClient200JSONResponse{Body: c, Headers: gen.GetClient200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Clients) UpdateClient(ctx context.Context, r gen.UpdateClientRequestObject) (gen.UpdateClientResponseObject, error) {
	c, err := a.updateClient(ctx, r.ClientID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateClient200JSONResponse{Body: c, Headers: gen.UpdateClient200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Clients) DeleteClient(ctx context.Context, r gen.DeleteClientRequestObject) (gen.DeleteClientResponseObject, error) {
	if err := a.deleteClient(ctx, r.ClientID); err != nil {
		return nil, err
	}
	return gen.DeleteClient204Response{}, nil
}

func (a *Clients) RotateClientSecret(ctx context.Context, r gen.RotateClientSecretRequestObject) (gen.RotateClientSecretResponseObject, error) {
	s, err := a.rotateSecret(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	return gen.RotateClientSecret200JSONResponse(s), nil
}

func (a *Clients) ListTenantClients(ctx context.Context, r gen.ListTenantClientsRequestObject) (gen.ListTenantClientsResponseObject, error) {
	out, err := a.listClients(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantClients200JSONResponse(out), nil
}

func (a *Clients) CreateTenantClient(ctx context.Context, r gen.CreateTenantClientRequestObject) (gen.CreateTenantClientResponseObject, error) {
	c, v, err := a.createClient(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := clientsPath(r.Tenant) + c.ClientID
	return gen.CreateTenantClient201JSONResponse{Body: c, Headers: gen.CreateTenantClient201ResponseHeaders{ETag: restapi.ETag(v), Location: &loc}}, nil
}

func (a *Clients) GetTenantClient(ctx context.Context, r gen.GetTenantClientRequestObject) (gen.GetTenantClientResponseObject, error) {
	c, err := a.getClient(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantClient200JSONResponse{Body: c, Headers: gen.GetTenantClient200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Clients) UpdateTenantClient(ctx context.Context, r gen.UpdateTenantClientRequestObject) (gen.UpdateTenantClientResponseObject, error) {
	c, err := a.updateClient(ctx, r.ClientID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateTenantClient200JSONResponse{Body: c, Headers: gen.UpdateTenantClient200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Clients) DeleteTenantClient(ctx context.Context, r gen.DeleteTenantClientRequestObject) (gen.DeleteTenantClientResponseObject, error) {
	if err := a.deleteClient(ctx, r.ClientID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantClient204Response{}, nil
}

func (a *Clients) RotateTenantClientSecret(ctx context.Context, r gen.RotateTenantClientSecretRequestObject) (gen.RotateTenantClientSecretResponseObject, error) {
	s, err := a.rotateSecret(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	return gen.RotateTenantClientSecret200JSONResponse(s), nil
}

// checkRequiredPurposes refuses a client whose required_purposes names a
// purpose the tenant does not have.
func checkRequiredPurposes(ctx context.Context, sc *tenancy.Tenant, c *oauth.Client) error {
	var fe []httpx.FieldError
	for i, id := range c.RequiredPurposes() {
		_, err := sc.Store.Privacy().GetPurpose(ctx, sc.Tenant.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			fe = append(fe, httpx.FieldError{Field: fmt.Sprintf("/required_purposes/%d", i), Message: "no such privacy purpose"})
			continue
		}
		if err != nil {
			return err
		}
	}
	if fe != nil {
		return httpx.Validation("A required purpose is not a privacy purpose of the tenant.", fe...)
	}
	return nil
}

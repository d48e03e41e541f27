// Package fedapi serves the Admin API's federation resources:
// connections to upstream identity providers (connections.go) and the
// SAML service providers of a tenant's identity provider (samlsps.go).
// adminapi.API embeds their handler types.
package fedapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Connections serves the connections resource (federation, issue 12):
// upstream identity providers and directories. Type-specific settings
// travel as federation.Config, whose JSON names are the contract's, and
// secrets as federation.Secrets, sealed before they are stored and never
// rendered, logged or put in audit events.
type Connections struct{ *resource.Base }

func connectionsPath(tenant string) string {
	if tenant == "" {
		return "/admin/v1/connections/"
	}
	return "/admin/v1/tenants/" + tenant + "/connections/"
}

// ConnectionJSON renders a connection (never its secrets) with the URLs
// to register at the upstream, under issuer.
func ConnectionJSON(c *store.Connection, cfg federation.Config, sec federation.Secrets, issuer string) (gen.Connection, error) {
	var out gen.Connection
	b, err := json.Marshal(cfg)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, err
	}
	out.ID, out.Type, out.DisplayName, out.Enabled, out.ShowOnLogin = c.ID, gen.ConnectionType(c.Type), c.DisplayName, c.Enabled, c.ShowOnLogin
	out.Domains = c.Domains
	if out.Domains == nil {
		out.Domains = []string{}
	}
	out.AttributeMapping = gen.ConnectionAttributeMapping(c.AttributeMapping)
	if out.AttributeMapping == nil {
		out.AttributeMapping = gen.ConnectionAttributeMapping{}
	}
	out.Provisioning, out.LinkByEmail = gen.ConnectionProvisioning(c.Provisioning), gen.ConnectionLinkByEmail(c.LinkByEmail)
	out.CreatedAt, out.UpdatedAt, out.Version = c.CreatedAt, c.UpdatedAt, c.Version
	urls := federation.URLsFor(issuer, c.Type, c.ID)
	out.RedirectURI, out.SpMetadataURL, out.AcsURL = resource.OptStr(urls.RedirectURI), resource.OptStr(urls.SPMetadataURL), resource.OptStr(urls.ACSURL)
	if names := sec.Names(); len(names) > 0 {
		set := make([]gen.ConnectionSecretsSet, len(names))
		for i, n := range names {
			set[i] = gen.ConnectionSecretsSet(n)
		}
		out.SecretsSet = &set
	}
	return out, nil
}

// connectionCommon are the members every type has.
var connectionCommon = []string{"id", "type", "display_name", "enabled", "show_on_login", "domains", "provisioning",
	"link_by_email", "attribute_mapping"}

// splitConnection separates a request body's members into the type's
// settings and its secrets.
func splitConnection(body any) (federation.Config, federation.Secrets, error) {
	var cfg federation.Config
	var sec federation.Secrets
	b, err := json.Marshal(body)
	if err != nil {
		return cfg, sec, err
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return cfg, sec, err
	}
	return cfg, sec, json.Unmarshal(b, &sec)
}

// validConnection maps federation's validation to a 400 problem.
func validConnection(typ string, cfg federation.Config, sec federation.Secrets) error {
	err := federation.Validate(typ, cfg, sec)
	var ve *federation.ValidationError
	if errors.As(err, &ve) {
		fields := make([]httpx.FieldError, len(ve.Fields))
		for i, f := range ve.Fields {
			fields[i] = httpx.FieldError{Field: f.Field, Message: f.Message}
		}
		return httpx.Validation("The connection's settings are not valid for its type.", fields...)
	}
	return err
}

func checkMapping(m map[string]string) error {
	for k, v := range m {
		if k == "" || v == "" {
			return httpx.Validation("Attribute mapping entries need a name and a target.",
				httpx.FieldError{Field: "/attribute_mapping", Message: "empty name or target"})
		}
	}
	return nil
}

func newConnectionID(typ string) (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return typ + "-" + hex.EncodeToString(b), nil
}

func (a *Connections) render(ctx context.Context, c *store.Connection) (gen.Connection, error) {
	cfg, err := federation.ParseConfig(c)
	if err != nil {
		return gen.Connection{}, err
	}
	sec, err := federation.OpenSecrets(a.Svc.Keyring, c)
	if err != nil {
		return gen.Connection{}, err
	}
	return ConnectionJSON(c, cfg, sec, tenancy.From(ctx).Issuer)
}

func (a *Connections) listConnections(ctx context.Context, limit *int, cursor *string) (gen.ConnectionList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.ConnectionList{}, err
	}
	items, next, err := sc.Store.Connections().List(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return gen.ConnectionList{}, err
	}
	out := gen.ConnectionList{Items: make([]gen.Connection, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		if out.Items[i], err = a.render(ctx, &items[i]); err != nil {
			return gen.ConnectionList{}, err
		}
	}
	return out, nil
}

// connectionSettings are the common members create and patch set on a
// connection; each one given (not nil) is set.
type connectionSettings struct {
	displayName          *string
	enabled, showOnLogin *bool
	domains              *gen.ConnectionDomains
	provisioning         *gen.ConnectionProvisioning
	linkByEmail          *gen.ConnectionLinkByEmail
	attributeMapping     *gen.ConnectionAttributeMapping
}

func (in connectionSettings) apply(c *store.Connection) {
	if in.displayName != nil {
		c.DisplayName = *in.displayName
	}
	if in.enabled != nil {
		c.Enabled = *in.enabled
	}
	if in.showOnLogin != nil {
		c.ShowOnLogin = *in.showOnLogin
	}
	if in.domains != nil {
		c.Domains = *in.domains
	}
	if in.provisioning != nil {
		c.Provisioning = string(*in.provisioning)
	}
	if in.linkByEmail != nil {
		c.LinkByEmail = string(*in.linkByEmail)
	}
	if in.attributeMapping != nil {
		c.AttributeMapping = *in.attributeMapping
	}
}

func (a *Connections) createConnection(ctx context.Context, in *gen.ConnectionCreate) (gen.Connection, error) {
	sc := tenancy.From(ctx)
	typ := string(in.Type)
	cfg, sec, err := splitConnection(in)
	if err != nil {
		return gen.Connection{}, err
	}
	if err := validConnection(typ, cfg, sec); err != nil {
		return gen.Connection{}, err
	}
	c := &store.Connection{TenantID: sc.Tenant.ID, Type: typ, DisplayName: in.DisplayName,
		Enabled: in.Enabled == nil || *in.Enabled, ShowOnLogin: federation.ShowOnLoginDefault(typ),
		Domains: restapi.Val(in.Domains), Provisioning: "jit", LinkByEmail: "never"}
	if in.ID != nil {
		c.ID = string(*in.ID)
	} else if c.ID, err = newConnectionID(typ); err != nil {
		return gen.Connection{}, err
	}
	if in.AttributeMapping != nil {
		if err := checkMapping(*in.AttributeMapping); err != nil {
			return gen.Connection{}, err
		}
	}
	connectionSettings{showOnLogin: in.ShowOnLogin, provisioning: in.Provisioning, linkByEmail: in.LinkByEmail,
		attributeMapping: in.AttributeMapping}.apply(c)
	if c.Config, err = cfg.JSON(); err != nil {
		return gen.Connection{}, err
	}
	if c.SecretsSealed, err = federation.SealSecrets(a.Svc.Keyring, c.TenantID, c.ID, sec); err != nil {
		return gen.Connection{}, err
	}
	if err := sc.Store.Connections().Create(ctx, c); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return gen.Connection{}, httpx.Conflict("The tenant has a connection with that ID.")
		}
		return gen.Connection{}, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "connection.created", "", map[string]any{"connection_id": c.ID, "type": c.Type})
	return ConnectionJSON(c, cfg, sec, tenancy.From(ctx).Issuer)
}

func (a *Connections) getConnection(ctx context.Context, id string) (gen.Connection, error) {
	sc := tenancy.From(ctx)
	c, err := sc.Store.Connections().Get(ctx, sc.Tenant.ID, id)
	if err != nil {
		return gen.Connection{}, err
	}
	return a.render(ctx, c)
}

func (a *Connections) updateConnection(ctx context.Context, id string, ifm *string, in1, in2 *gen.ConnectionPatch) (gen.Connection, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return gen.Connection{}, err
	}
	// The patch's settings and secrets, by member, laid over the stored
	// ones (an empty string clears a setting).
	raw, err := json.Marshal(in)
	if err != nil {
		return gen.Connection{}, err
	}
	var patch map[string]json.RawMessage
	if err := json.Unmarshal(raw, &patch); err != nil {
		return gen.Connection{}, err
	}
	changed := slices.Sorted(maps.Keys(patch)) // member names only, never values
	for _, k := range append(connectionCommon, "client_secret", "bind_password", "private_key_pem") {
		delete(patch, k)
	}
	_, patchSec, err := splitConnection(in)
	if err != nil {
		return gen.Connection{}, err
	}
	if in.AttributeMapping != nil {
		if err := checkMapping(*in.AttributeMapping); err != nil {
			return gen.Connection{}, err
		}
	}
	var cfg federation.Config
	var sec federation.Secrets
	c, err := sc.Store.Connections().Update(ctx, sc.Tenant.ID, id, version, func(c *store.Connection) error {
		merged := map[string]json.RawMessage{}
		if len(c.Config) > 0 {
			if err := json.Unmarshal(c.Config, &merged); err != nil {
				return err
			}
		}
		maps.Copy(merged, patch)
		b, _ := json.Marshal(merged) // raw messages always encode
		cfg = federation.Config{}
		if err := json.Unmarshal(b, &cfg); err != nil {
			return httpx.Validation("The connection's settings are not valid for its type.")
		}
		old, err := federation.OpenSecrets(a.Svc.Keyring, c)
		if err != nil {
			return err
		}
		sec = old
		if patchSec.ClientSecret != "" {
			sec.ClientSecret = patchSec.ClientSecret
		}
		if patchSec.BindPassword != "" {
			sec.BindPassword = patchSec.BindPassword
		}
		if patchSec.PrivateKeyPEM != "" {
			sec.PrivateKeyPEM = patchSec.PrivateKeyPEM
		}
		if _, ok := patch["bind_dn"]; ok && cfg.BindDN == "" {
			sec.BindPassword = "" // no service account: its password goes with it
		}
		if err := validConnection(c.Type, cfg, sec); err != nil {
			return err
		}
		connectionSettings{displayName: in.DisplayName, enabled: in.Enabled, showOnLogin: in.ShowOnLogin, domains: in.Domains,
			provisioning: in.Provisioning, linkByEmail: in.LinkByEmail, attributeMapping: in.AttributeMapping}.apply(c)
		if c.Config, err = cfg.JSON(); err != nil {
			return err
		}
		c.SecretsSealed, err = federation.SealSecrets(a.Svc.Keyring, c.TenantID, c.ID, sec)
		return err
	})
	if err != nil {
		return gen.Connection{}, err
	}
	// This node's built connector goes now; other nodes' go when the
	// change is announced (cluster.ConnectionChanged).
	a.Connectors.Forget(sc.Tenant.ID, id)
	a.RecordAdmin(ctx, sc.Tenant.ID, "connection.updated", "", map[string]any{"connection_id": id, "changed": changed})
	return ConnectionJSON(c, cfg, sec, tenancy.From(ctx).Issuer)
}

func (a *Connections) deleteConnection(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	err := sc.Store.Connections().Delete(ctx, sc.Tenant.ID, id)
	if err == nil {
		a.Connectors.Forget(sc.Tenant.ID, id)
	}
	return a.Audited(ctx, err, sc.Tenant.ID, "connection.deleted", "", map[string]any{"connection_id": id})
}

func (a *Connections) ListConnections(ctx context.Context, r gen.ListConnectionsRequestObject) (gen.ListConnectionsResponseObject, error) {
	out, err := a.listConnections(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListConnections200JSONResponse(out), nil
}

func (a *Connections) CreateConnection(ctx context.Context, r gen.CreateConnectionRequestObject) (gen.CreateConnectionResponseObject, error) {
	c, err := a.createConnection(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := connectionsPath("") + c.ID
	return gen.CreateConnection201JSONResponse{Body: c, Headers: gen.CreateConnection201ResponseHeaders{ETag: restapi.ETag(c.Version), Location: &loc}}, nil
}

func (a *Connections) GetConnection(ctx context.Context, r gen.GetConnectionRequestObject) (gen.GetConnectionResponseObject, error) {
	c, err := a.getConnection(ctx, r.ConnectionID)
	if err != nil {
		return nil, err
	}
	return gen.GetConnection200JSONResponse{Body: c, Headers: gen.GetConnection200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Connections) UpdateConnection(ctx context.Context, r gen.UpdateConnectionRequestObject) (gen.UpdateConnectionResponseObject, error) {
	c, err := a.updateConnection(ctx, r.ConnectionID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateConnection200JSONResponse{Body: c, Headers: gen.UpdateConnection200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Connections) DeleteConnection(ctx context.Context, r gen.DeleteConnectionRequestObject) (gen.DeleteConnectionResponseObject, error) {
	if err := a.deleteConnection(ctx, r.ConnectionID); err != nil {
		return nil, err
	}
	return gen.DeleteConnection204Response{}, nil
}

func (a *Connections) ListTenantConnections(ctx context.Context, r gen.ListTenantConnectionsRequestObject) (gen.ListTenantConnectionsResponseObject, error) {
	out, err := a.listConnections(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantConnections200JSONResponse(out), nil
}

func (a *Connections) CreateTenantConnection(ctx context.Context, r gen.CreateTenantConnectionRequestObject) (gen.CreateTenantConnectionResponseObject, error) {
	c, err := a.createConnection(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := connectionsPath(r.Tenant) + c.ID
	return gen.CreateTenantConnection201JSONResponse{Body: c, Headers: gen.CreateTenantConnection201ResponseHeaders{ETag: restapi.ETag(c.Version), Location: &loc}}, nil
}

func (a *Connections) GetTenantConnection(ctx context.Context, r gen.GetTenantConnectionRequestObject) (gen.GetTenantConnectionResponseObject, error) {
	c, err := a.getConnection(ctx, r.ConnectionID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantConnection200JSONResponse{Body: c, Headers: gen.GetTenantConnection200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Connections) UpdateTenantConnection(ctx context.Context, r gen.UpdateTenantConnectionRequestObject) (gen.UpdateTenantConnectionResponseObject, error) {
	c, err := a.updateConnection(ctx, r.ConnectionID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateTenantConnection200JSONResponse{Body: c, Headers: gen.UpdateTenantConnection200ResponseHeaders{ETag: restapi.ETag(c.Version)}}, nil
}

func (a *Connections) DeleteTenantConnection(ctx context.Context, r gen.DeleteTenantConnectionRequestObject) (gen.DeleteTenantConnectionResponseObject, error) {
	if err := a.deleteConnection(ctx, r.ConnectionID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantConnection204Response{}, nil
}

package fedapi

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	samlprotocol "github.com/gatehouse-iam/gatehouse/internal/protocol/saml"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The saml-service-providers resource: SAML 2.0 service providers
// registered with a tenant's identity provider. The rules (metadata,
// endpoints, certificates) are internal/samlidp's.
type SAMLServiceProviders struct{ *resource.Base }

func samlSPsPath(tenant string) string {
	if tenant == "" {
		return "/admin/v1/saml-service-providers/"
	}
	return "/admin/v1/tenants/" + tenant + "/saml-service-providers/"
}

// SAMLServiceProviderJSON renders a service provider.
func SAMLServiceProviderJSON(sp *store.SAMLServiceProvider) gen.SamlServiceProvider {
	out := gen.SamlServiceProvider{ID: sp.ID, Name: sp.Name, EntityID: sp.EntityID, AcsUrls: sp.ACSURLs,
		SigningCertificates: sp.SigningCerts, NameIDFormat: gen.SamlNameIDFormat(sp.NameIDFormat),
		Attributes: sp.Attributes, SignResponse: sp.SignResponse, SignAssertion: sp.SignAssertion,
		EncryptAssertion: sp.EncryptAssertion, RequireSignedRequests: sp.RequireSignedRequests,
		AllowIdpInitiated: sp.AllowIdPInitiated, SessionLifetimeSeconds: int32(sp.SessionLifetime / time.Second),
		CreatedAt: sp.CreatedAt, UpdatedAt: sp.UpdatedAt, Version: sp.Version}
	if out.AcsUrls == nil {
		out.AcsUrls = []string{}
	}
	if out.SigningCertificates == nil {
		out.SigningCertificates = []string{}
	}
	if out.Attributes == nil {
		out.Attributes = gen.SamlAttributeMapping{}
	}
	for _, f := range []struct {
		v   string
		dst interface {
			Set(string)
			SetNull()
		}
	}{{sp.SLOURL, &out.SloURL}, {sp.SOAPSLOURL, &out.SoapSloURL}, {sp.MetadataURL, &out.MetadataURL}, {sp.EncryptionCert, &out.EncryptionCertificate}} {
		if f.v == "" {
			f.dst.SetNull()
		} else {
			f.dst.Set(f.v)
		}
	}
	return out
}

// samlInvalid turns the service's *samlidp.InvalidError into a 400.
func samlInvalid(err error) error {
	var ie *samlidp.InvalidError
	if errors.As(err, &ie) {
		return httpx.Validation("The SAML service provider is not valid.", httpx.FieldError{Field: ie.Field, Message: ie.Message})
	}
	return err
}

// samlMetadata reads the metadata given as XML or by URL, if any.
func (a *SAMLServiceProviders) samlMetadata(ctx context.Context, xmlDoc, metadataURL *string) (*samlidp.SPMetadata, error) {
	switch {
	case xmlDoc != nil:
		return samlidp.ParseMetadata([]byte(*xmlDoc), "/metadata_xml")
	case metadataURL != nil:
		doc, err := (&samlidp.Fetcher{}).Fetch(ctx, *metadataURL)
		if err != nil {
			return nil, err
		}
		return samlidp.ParseMetadata(doc, "/metadata_url")
	}
	return nil, nil
}

// explicitWithMetadata names an endpoint or certificate member given
// together with metadata, which provides them.
func explicitWithMetadata(entityID *string, acs *[]string, slo bool, certs *[]string, enc bool) string {
	switch {
	case entityID != nil:
		return "/entity_id"
	case acs != nil:
		return "/acs_urls"
	case slo:
		return "/slo_url"
	case certs != nil:
		return "/signing_certificates"
	case enc:
		return "/encryption_certificate"
	}
	return ""
}

func (a *SAMLServiceProviders) listSAMLSPs(ctx context.Context, limit *int, cursor *string) (gen.SamlServiceProviderList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.SamlServiceProviderList{}, err
	}
	items, next, err := sc.Store.SAMLServiceProviders().List(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return gen.SamlServiceProviderList{}, err
	}
	out := gen.SamlServiceProviderList{Items: make([]gen.SamlServiceProvider, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = SAMLServiceProviderJSON(&items[i])
	}
	return out, nil
}

func (a *SAMLServiceProviders) createSAMLSP(ctx context.Context, in *gen.SamlServiceProviderCreate) (*store.SAMLServiceProvider, error) {
	sc := tenancy.From(ctx)
	sources := 0
	for _, given := range []bool{in.MetadataXML != nil, in.MetadataURL != nil, in.EntityID != nil} {
		if given {
			sources++
		}
	}
	if sources != 1 {
		return nil, httpx.Validation("Give exactly one of metadata_xml, metadata_url, or entity_id with acs_urls.")
	}
	md, err := a.samlMetadata(ctx, in.MetadataXML, in.MetadataURL)
	if err != nil {
		return nil, samlInvalid(err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	sp := &store.SAMLServiceProvider{TenantID: sc.Tenant.ID, ID: id.String(), NameIDFormat: samlidp.DefaultNameIDFormat,
		SignResponse: true, SignAssertion: true, SessionLifetime: samlidp.DefaultSessionLifetime}
	if md != nil {
		if f := explicitWithMetadata(nil, in.AcsUrls, in.SloURL != nil, in.SigningCertificates, in.EncryptionCertificate != nil); f != "" {
			return nil, httpx.Validation("The metadata provides this member; leave it out.", httpx.FieldError{Field: f, Message: "given with metadata"})
		}
		samlidp.ApplyMetadata(sp, md)
		sp.MetadataURL = restapi.Val(in.MetadataURL)
	} else {
		if in.AcsUrls == nil {
			return nil, httpx.Validation("acs_urls is required with entity_id.", httpx.FieldError{Field: "/acs_urls", Message: "required"})
		}
		sp.EntityID, sp.ACSURLs, sp.SLOURL = *in.EntityID, *in.AcsUrls, restapi.Val(in.SloURL)
		sp.SigningCerts, sp.EncryptionCert = restapi.Val(in.SigningCertificates), restapi.Val(in.EncryptionCertificate)
	}
	sp.Name = restapi.Val(in.Name)
	if sp.Name == "" {
		sp.Name = sp.EntityID
	}
	spSettings{in.NameIDFormat, in.Attributes, in.SignResponse, in.SignAssertion, in.EncryptAssertion,
		in.RequireSignedRequests, in.AllowIdpInitiated, in.SessionLifetimeSeconds}.apply(sp)
	if err := samlidp.Check(sp); err != nil {
		return nil, samlInvalid(err)
	}
	if err := sc.Store.SAMLServiceProviders().Create(ctx, sp); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, errEntityIDTaken()
		}
		return nil, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "saml_service_provider.created", "", map[string]any{"sp_id": sp.ID, "entity_id": sp.EntityID})
	return sp, nil
}

// spSettings are the members create and patch share beyond the SP's
// identity and endpoints; each one given (not nil) is set.
type spSettings struct {
	nameIDFormat                                                                            *gen.SamlNameIDFormat
	attributes                                                                              *gen.SamlAttributeMapping
	signResponse, signAssertion, encryptAssertion, requireSignedRequests, allowIdPInitiated *bool
	sessionLifetimeSeconds                                                                  *int32
}

func (in spSettings) apply(sp *store.SAMLServiceProvider) {
	if in.nameIDFormat != nil {
		sp.NameIDFormat = string(*in.nameIDFormat)
	}
	if in.attributes != nil {
		sp.Attributes = *in.attributes
	}
	setBool(&sp.SignResponse, in.signResponse)
	setBool(&sp.SignAssertion, in.signAssertion)
	setBool(&sp.EncryptAssertion, in.encryptAssertion)
	setBool(&sp.RequireSignedRequests, in.requireSignedRequests)
	setBool(&sp.AllowIdPInitiated, in.allowIdPInitiated)
	if in.sessionLifetimeSeconds != nil {
		sp.SessionLifetime = time.Duration(*in.sessionLifetimeSeconds) * time.Second
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func errEntityIDTaken() error {
	return httpx.Conflict("A service provider with this entity ID is registered in the tenant.")
}

func (a *SAMLServiceProviders) getSAMLSP(ctx context.Context, id string) (*store.SAMLServiceProvider, error) {
	sc := tenancy.From(ctx)
	return sc.Store.SAMLServiceProviders().Get(ctx, sc.Tenant.ID, id)
}

func (a *SAMLServiceProviders) updateSAMLSP(ctx context.Context, id string, ifm *string, in1, in2 *gen.SamlServiceProviderPatch) (*store.SAMLServiceProvider, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(ifm, in1, in2)
	if err != nil {
		return nil, err
	}
	if in.MetadataXML != nil && in.MetadataURL != nil {
		return nil, httpx.Validation("Give metadata_xml or metadata_url, not both.")
	}
	// Metadata is fetched before the row is locked.
	md, err := a.samlMetadata(ctx, in.MetadataXML, in.MetadataURL)
	if err != nil {
		return nil, samlInvalid(err)
	}
	if md != nil {
		if f := explicitWithMetadata(in.EntityID, in.AcsUrls, in.SloURL.IsSpecified(), in.SigningCertificates, in.EncryptionCertificate.IsSpecified()); f != "" {
			return nil, httpx.Validation("The metadata provides this member; leave it out.", httpx.FieldError{Field: f, Message: "given with metadata"})
		}
	}
	sp, err := sc.Store.SAMLServiceProviders().Update(ctx, sc.Tenant.ID, id, version, func(sp *store.SAMLServiceProvider) error {
		if md != nil {
			samlidp.ApplyMetadata(sp, md)
			sp.MetadataURL = restapi.Val(in.MetadataURL) // pasted metadata came from no URL
		}
		if in.Name != nil {
			sp.Name = *in.Name
		}
		if in.EntityID != nil {
			sp.EntityID = *in.EntityID
		}
		if in.AcsUrls != nil {
			sp.ACSURLs = *in.AcsUrls
		}
		restapi.PatchString(&sp.SLOURL, in.SloURL)
		if in.SigningCertificates != nil {
			sp.SigningCerts = *in.SigningCertificates
		}
		restapi.PatchString(&sp.EncryptionCert, in.EncryptionCertificate)
		spSettings{in.NameIDFormat, in.Attributes, in.SignResponse, in.SignAssertion, in.EncryptAssertion,
			in.RequireSignedRequests, in.AllowIdpInitiated, in.SessionLifetimeSeconds}.apply(sp)
		return samlInvalid(samlidp.Check(sp))
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, errEntityIDTaken()
	}
	if err != nil {
		return nil, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "saml_service_provider.updated", "", map[string]any{"sp_id": sp.ID, "entity_id": sp.EntityID})
	return sp, nil
}

func (a *SAMLServiceProviders) deleteSAMLSP(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	err := sc.Store.SAMLServiceProviders().Delete(ctx, sc.Tenant.ID, id)
	if err == nil {
		// The SP's bridge client row (stored at its first sign-in, hidden
		// from the clients API) goes with it, with whatever hangs on it.
		err = sc.Store.Clients().Delete(ctx, sc.Tenant.ID, samlprotocol.BridgeClientID(id))
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	}
	return a.Audited(ctx, err, sc.Tenant.ID, "saml_service_provider.deleted", "", map[string]any{"sp_id": id})
}

func (a *SAMLServiceProviders) ListSamlServiceProviders(ctx context.Context, r gen.ListSamlServiceProvidersRequestObject) (gen.ListSamlServiceProvidersResponseObject, error) {
	out, err := a.listSAMLSPs(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListSamlServiceProviders200JSONResponse(out), nil
}

func (a *SAMLServiceProviders) CreateSamlServiceProvider(ctx context.Context, r gen.CreateSamlServiceProviderRequestObject) (gen.CreateSamlServiceProviderResponseObject, error) {
	sp, err := a.createSAMLSP(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := samlSPsPath("") + sp.ID
	return gen.CreateSamlServiceProvider201JSONResponse{Body: SAMLServiceProviderJSON(sp),
		Headers: gen.CreateSamlServiceProvider201ResponseHeaders{ETag: restapi.ETag(sp.Version), Location: &loc}}, nil
}

func (a *SAMLServiceProviders) GetSamlServiceProvider(ctx context.Context, r gen.GetSamlServiceProviderRequestObject) (gen.GetSamlServiceProviderResponseObject, error) {
	sp, err := a.getSAMLSP(ctx, r.SpID)
	if err != nil {
		return nil, err
	}
	return gen.GetSamlServiceProvider200JSONResponse{Body: SAMLServiceProviderJSON(sp),
		Headers: gen.GetSamlServiceProvider200ResponseHeaders{ETag: restapi.ETag(sp.Version)}}, nil
}

func (a *SAMLServiceProviders) UpdateSamlServiceProvider(ctx context.Context, r gen.UpdateSamlServiceProviderRequestObject) (gen.UpdateSamlServiceProviderResponseObject, error) {
	sp, err := a.updateSAMLSP(ctx, r.SpID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateSamlServiceProvider200JSONResponse{Body: SAMLServiceProviderJSON(sp),
		Headers: gen.UpdateSamlServiceProvider200ResponseHeaders{ETag: restapi.ETag(sp.Version)}}, nil
}

func (a *SAMLServiceProviders) DeleteSamlServiceProvider(ctx context.Context, r gen.DeleteSamlServiceProviderRequestObject) (gen.DeleteSamlServiceProviderResponseObject, error) {
	if err := a.deleteSAMLSP(ctx, r.SpID); err != nil {
		return nil, err
	}
	return gen.DeleteSamlServiceProvider204Response{}, nil
}

func (a *SAMLServiceProviders) ListTenantSamlServiceProviders(ctx context.Context, r gen.ListTenantSamlServiceProvidersRequestObject) (gen.ListTenantSamlServiceProvidersResponseObject, error) {
	out, err := a.listSAMLSPs(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantSamlServiceProviders200JSONResponse(out), nil
}

func (a *SAMLServiceProviders) CreateTenantSamlServiceProvider(ctx context.Context, r gen.CreateTenantSamlServiceProviderRequestObject) (gen.CreateTenantSamlServiceProviderResponseObject, error) {
	sp, err := a.createSAMLSP(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := samlSPsPath(r.Tenant) + sp.ID
	return gen.CreateTenantSamlServiceProvider201JSONResponse{Body: SAMLServiceProviderJSON(sp),
		Headers: gen.CreateTenantSamlServiceProvider201ResponseHeaders{ETag: restapi.ETag(sp.Version), Location: &loc}}, nil
}

func (a *SAMLServiceProviders) GetTenantSamlServiceProvider(ctx context.Context, r gen.GetTenantSamlServiceProviderRequestObject) (gen.GetTenantSamlServiceProviderResponseObject, error) {
	sp, err := a.getSAMLSP(ctx, r.SpID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantSamlServiceProvider200JSONResponse{Body: SAMLServiceProviderJSON(sp),
		Headers: gen.GetTenantSamlServiceProvider200ResponseHeaders{ETag: restapi.ETag(sp.Version)}}, nil
}

func (a *SAMLServiceProviders) UpdateTenantSamlServiceProvider(ctx context.Context, r gen.UpdateTenantSamlServiceProviderRequestObject) (gen.UpdateTenantSamlServiceProviderResponseObject, error) {
	sp, err := a.updateSAMLSP(ctx, r.SpID, r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	return gen.UpdateTenantSamlServiceProvider200JSONResponse{Body: SAMLServiceProviderJSON(sp),
		Headers: gen.UpdateTenantSamlServiceProvider200ResponseHeaders{ETag: restapi.ETag(sp.Version)}}, nil
}

func (a *SAMLServiceProviders) DeleteTenantSamlServiceProvider(ctx context.Context, r gen.DeleteTenantSamlServiceProviderRequestObject) (gen.DeleteTenantSamlServiceProviderResponseObject, error) {
	if err := a.deleteSAMLSP(ctx, r.SpID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantSamlServiceProvider204Response{}, nil
}

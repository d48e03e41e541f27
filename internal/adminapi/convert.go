package adminapi

import (
	"encoding/json"
	"maps"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
)

func userFromCreate(in *gen.UserCreate) *identity.User {
	u := &identity.User{
		Email:         string(in.Email),
		EmailVerified: restapi.Val(in.EmailVerified),
		Username:      restapi.Val(in.Username),
		Phone:         restapi.Val(in.PhoneNumber),
		PhoneVerified: restapi.Val(in.PhoneNumberVerified),
		Disabled:      restapi.Val(in.Disabled),
		Region:        restapi.Val(in.Region),
		Profile: identity.Profile{
			Name: restapi.Val(in.Name), GivenName: restapi.Val(in.GivenName), FamilyName: restapi.Val(in.FamilyName),
			MiddleName: restapi.Val(in.MiddleName), Nickname: restapi.Val(in.Nickname), PreferredUsername: restapi.Val(in.PreferredUsername),
			Profile: restapi.Val(in.Profile), Picture: restapi.Val(in.Picture), Website: restapi.Val(in.Website), Gender: restapi.Val(in.Gender),
			Birthdate: restapi.Val(in.Birthdate), Zoneinfo: restapi.Val(in.Zoneinfo), Locale: restapi.Val(in.Locale),
		},
		Attributes: map[string]any{},
	}
	if in.Attributes != nil {
		u.Attributes = map[string]any(*in.Attributes)
	}
	if a := in.Address; a != nil {
		u.Profile.Address = &identity.Address{
			Formatted: restapi.Val(a.Formatted), StreetAddress: restapi.Val(a.StreetAddress), Locality: restapi.Val(a.Locality),
			Region: restapi.Val(a.Region), PostalCode: restapi.Val(a.PostalCode), Country: restapi.Val(a.Country),
		}
	}
	return u
}

// TenantJSON renders a tenant as the contract's Tenant.
func TenantJSON(t *identity.Tenant) gen.Tenant {
	out := gen.Tenant{
		ID: t.ID, Slug: t.Slug, DisplayName: t.DisplayName, Region: t.Region,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version,
		AttributeSchema: nullable.NewNullNullable[gen.AttributeSchema](),
		Branding:        gen.Branding{LogoURI: restapi.Ptr(t.Branding.LogoURI), PrimaryColor: restapi.Ptr(t.Branding.PrimaryColor)},
		Onboarding: gen.Onboarding{
			RegistrationEnabled:   boolPtr(!t.Onboarding.RegistrationDisabled),
			AllowUnverifiedSignIn: boolPtr(!t.Onboarding.RequireVerifiedEmail),
			TermsVersion:          restapi.Ptr(t.Onboarding.TermsVersion),
			TermsURI:              restapi.Ptr(t.Onboarding.TermsURI),
		},
		Mfa:       MFAPolicyJSON(&t.MFA),
		Retention: RetentionJSON(&t.Retention),
	}
	out.DefaultAPI = nullable.NewNullNullable[string]()
	if t.DefaultAPI != "" {
		out.DefaultAPI = nullable.NewNullableWithValue(t.DefaultAPI)
	}
	dcrJSON(&out, &t.DCR)
	out.Residency = residencyJSON(&t.Residency)
	if len(t.AttributeSchema) > 0 {
		var m gen.AttributeSchema
		if err := json.Unmarshal(t.AttributeSchema, &m); err == nil {
			out.AttributeSchema = nullable.NewNullableWithValue(m)
		}
	}
	return out
}

func stringsOf[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func typed[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func optSlice(s []string) *[]string {
	if len(s) == 0 {
		return nil
	}
	return &s
}

// ClientJSON renders a client as the contract's Client.
func ClientJSON(c *oauth.Client) gen.Client {
	out := gen.Client{
		ClientID:                c.ID,
		ClientName:              c.ClientName,
		ClientIDIssuedAt:        c.CreatedAt.Unix(),
		RedirectUris:            restapi.NonNil(c.RedirectURIs),
		PostLogoutRedirectUris:  optSlice(c.PostLogoutRedirectURIs),
		GrantTypes:              typed[gen.GrantType](c.GrantTypes),
		ResponseTypes:           typed[gen.ResponseType](c.ResponseTypes),
		TokenEndpointAuthMethod: gen.TokenEndpointAuthMethod(c.TokenEndpointAuthMethod),
		Scope:                   restapi.Ptr(c.Scope),
		ClientURI:               restapi.Ptr(c.ClientURI),
		LogoURI:                 restapi.Ptr(c.LogoURI),
		PolicyURI:               restapi.Ptr(c.PolicyURI),
		TosURI:                  restapi.Ptr(c.TosURI),
		Contacts:                optSlice(c.Contacts),
		JwksURI:                 restapi.Ptr(c.JWKSURI),
		ApplicationType:         gen.ApplicationType(c.ApplicationType),
		BackchannelLogoutURI:    restapi.Ptr(c.BackchannelLogoutURI),
		FrontchannelLogoutURI:   restapi.Ptr(c.FrontchannelLogoutURI),
		Metadata:                c.Metadata,
		CreatedAt:               c.CreatedAt,
		UpdatedAt:               c.UpdatedAt,
		Version:                 c.Version,
	}
	if c.RegisteredBy == oauth.RegisteredByDCR {
		by := gen.ClientFieldsRegisteredByDcr
		out.RegisteredBy = &by
	}
	if c.BackchannelLogoutSessionRequired {
		out.BackchannelLogoutSessionRequired = boolPtr(true)
	}
	if c.FrontchannelLogoutSessionRequired {
		out.FrontchannelLogoutSessionRequired = boolPtr(true)
	}
	if c.SecretExpiresAt != nil {
		out.ClientSecretExpiresAt = c.SecretExpiresAt.Unix()
	}
	if c.IDTokenSignedResponseAlg != "" {
		alg := gen.SigningAlg(c.IDTokenSignedResponseAlg)
		out.IDTokenSignedResponseAlg = &alg
	}
	if len(c.JWKS) > 0 {
		var j gen.Jwks
		if err := json.Unmarshal(c.JWKS, &j); err == nil {
			out.Jwks = &j
		}
	}
	if rp := c.RequiredPurposes(); len(rp) > 0 {
		out.RequiredPurposes = &rp
	}
	profile := gen.ClientProfile(c.Profile())
	out.Profile = &profile
	st, _ := oauth.ParseClientSettings(c.Metadata) // the valid keys, even when others are not
	if st.RequireSignedRequestObject {
		out.RequireSignedRequestObject = boolPtr(true)
	}
	if len(st.RequestURIs) > 0 {
		out.RequestUris = &st.RequestURIs
	}
	if st.RequirePAR {
		out.RequirePushedAuthorizationRequests = boolPtr(true)
	}
	// required_purposes, profile, require_signed_request_object and
	// request_uris are top-level members on the wire; the client keeps
	// them with its other settings.
	cloned := false
	for _, k := range oauth.TopLevelMetadataKeys {
		if _, ok := c.Metadata[k]; ok {
			if !cloned {
				out.Metadata, cloned = maps.Clone(c.Metadata), true
			}
			delete(out.Metadata, k)
		}
	}
	// So is dpop_bound_access_tokens (RFC 9449 5.2), shown when true.
	if v, ok := c.Metadata[oauth.DPoPBoundAccessTokensKey]; ok {
		if out.Metadata == nil {
			out.Metadata = maps.Clone(c.Metadata)
		}
		delete(out.Metadata, oauth.DPoPBoundAccessTokensKey)
		if v == true {
			out.DpopBoundAccessTokens = &[]bool{true}[0]
		}
	}
	if out.Metadata == nil {
		out.Metadata = map[string]any{}
	}
	return out
}

// clientFromCreate builds a client from its creation body. A creation is
// a patch of an empty client: the body is re-read as a ClientPatch (the
// same members, as merge-patch types) so both share one mapping.
func clientFromCreate(in *gen.ClientCreate) (*oauth.Client, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var p gen.ClientPatch
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	c := &oauth.Client{Metadata: map[string]any{}}
	if err := applyClientPatch(c, &p); err != nil {
		return nil, err
	}
	return c, nil
}

func applyClientPatch(c *oauth.Client, in *gen.ClientPatch) error {
	if in.ClientName != nil {
		c.ClientName = *in.ClientName
	}
	if in.RedirectUris != nil {
		c.RedirectURIs = *in.RedirectUris
	}
	if in.PostLogoutRedirectUris != nil {
		c.PostLogoutRedirectURIs = *in.PostLogoutRedirectUris
	}
	if in.GrantTypes != nil {
		c.GrantTypes = stringsOf(*in.GrantTypes)
	}
	if in.ResponseTypes != nil {
		c.ResponseTypes = stringsOf(*in.ResponseTypes)
	}
	if in.TokenEndpointAuthMethod != nil {
		c.TokenEndpointAuthMethod = string(*in.TokenEndpointAuthMethod)
	}
	if in.ApplicationType != nil {
		c.ApplicationType = string(*in.ApplicationType)
	}
	if in.Contacts != nil {
		c.Contacts = *in.Contacts
	}
	restapi.PatchString(&c.Scope, in.Scope)
	restapi.PatchString(&c.ClientURI, in.ClientURI)
	restapi.PatchString(&c.LogoURI, in.LogoURI)
	restapi.PatchString(&c.PolicyURI, in.PolicyURI)
	restapi.PatchString(&c.TosURI, in.TosURI)
	restapi.PatchString(&c.JWKSURI, in.JwksURI)
	restapi.PatchString(&c.BackchannelLogoutURI, in.BackchannelLogoutURI)
	restapi.PatchString(&c.FrontchannelLogoutURI, in.FrontchannelLogoutURI)
	if in.BackchannelLogoutSessionRequired != nil {
		c.BackchannelLogoutSessionRequired = *in.BackchannelLogoutSessionRequired
	}
	if in.FrontchannelLogoutSessionRequired != nil {
		c.FrontchannelLogoutSessionRequired = *in.FrontchannelLogoutSessionRequired
	}
	if in.IDTokenSignedResponseAlg.IsSpecified() {
		c.IDTokenSignedResponseAlg = ""
		if !in.IDTokenSignedResponseAlg.IsNull() {
			alg, _ := in.IDTokenSignedResponseAlg.Get()
			c.IDTokenSignedResponseAlg = string(alg)
		}
	}
	if in.Jwks.IsSpecified() {
		c.JWKS = nil
		if !in.Jwks.IsNull() {
			j, _ := in.Jwks.Get()
			b, err := json.Marshal(j)
			if err != nil {
				return err
			}
			c.JWKS = b
		}
	}
	if in.Metadata.IsSpecified() {
		keep := map[string]any{}
		for _, k := range oauth.TopLevelMetadataKeys {
			if v, ok := c.Metadata[k]; ok {
				keep[k] = v
			}
		}
		if in.Metadata.IsNull() {
			c.Metadata = map[string]any{}
		} else {
			m, _ := in.Metadata.Get()
			for _, k := range oauth.TopLevelMetadataKeys {
				delete(m, k) // only the top-level members set them
			}
			c.Metadata = restapi.MergePatch(c.Metadata, m)
		}
		maps.Copy(c.Metadata, keep)
	}
	if in.DpopBoundAccessTokens != nil {
		if c.Metadata == nil {
			c.Metadata = map[string]any{}
		}
		delete(c.Metadata, oauth.DPoPBoundAccessTokensKey)
		if *in.DpopBoundAccessTokens {
			c.Metadata[oauth.DPoPBoundAccessTokensKey] = true
		}
	}
	applyJARPatch(c, in) // profile.go
	if in.RequiredPurposes.IsSpecified() {
		if c.Metadata == nil {
			c.Metadata = map[string]any{}
		}
		delete(c.Metadata, oauth.RequiredPurposesKey)
		if ids, _ := in.RequiredPurposes.Get(); !in.RequiredPurposes.IsNull() && len(ids) > 0 {
			list := make([]any, len(ids))
			for i, id := range ids {
				list[i] = id
			}
			c.Metadata[oauth.RequiredPurposesKey] = list
		}
	}
	return nil
}

// APIKeyJSON renders an API key (never its secret).
func APIKeyJSON(k *identity.APIKey) gen.APIKey {
	out := gen.APIKey{
		ID: k.ID, Name: k.Name, Scopes: typed[gen.APIKeyScope](k.Scopes), CreatedAt: k.CreatedAt,
	}
	if k.ExpiresAt != nil {
		out.ExpiresAt = nullable.NewNullableWithValue(*k.ExpiresAt)
	}
	if k.LastUsedAt != nil {
		out.LastUsedAt = nullable.NewNullableWithValue(*k.LastUsedAt)
	}
	if k.RevokedAt != nil {
		out.RevokedAt = nullable.NewNullableWithValue(*k.RevokedAt)
	}
	return out
}

func boolPtr(b bool) *bool { return &b }

// applyOnboarding merges an onboarding object: members present replace, an
// empty string clears.
func applyOnboarding(dst *identity.Onboarding, in *gen.Onboarding) {
	if in == nil {
		return
	}
	if in.RegistrationEnabled != nil {
		dst.RegistrationDisabled = !*in.RegistrationEnabled
	}
	if in.AllowUnverifiedSignIn != nil {
		dst.RequireVerifiedEmail = !*in.AllowUnverifiedSignIn
	}
	if in.TermsVersion != nil {
		dst.TermsVersion = *in.TermsVersion
	}
	if in.TermsURI != nil {
		dst.TermsURI = *in.TermsURI
	}
}

// applyBranding merges a branding object: members present replace, an
// empty string clears.
func applyBranding(dst *identity.Branding, in *gen.Branding) {
	if in == nil {
		return
	}
	if in.LogoURI != nil {
		dst.LogoURI = *in.LogoURI
	}
	if in.PrimaryColor != nil {
		dst.PrimaryColor = *in.PrimaryColor
	}
}

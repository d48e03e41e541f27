package management

import (
	"encoding/json"
	"maps"

	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// ptr returns &s, or nil for the zero value, so empty optional members are
// omitted from responses.
func ptr[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// patchString applies a merge-patch member to a string field: absent keeps,
// null clears, a value replaces.
func patchString(dst *string, n nullable.Nullable[string]) {
	if !n.IsSpecified() {
		return
	}
	if n.IsNull() {
		*dst = ""
		return
	}
	*dst, _ = n.Get()
}

// mergePatch applies an RFC 7396 merge patch of one object onto another.
func mergePatch(dst, patch map[string]any) map[string]any {
	out := maps.Clone(dst)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			if dm, ok := out[k].(map[string]any); ok {
				out[k] = mergePatch(dm, pm)
				continue
			}
			out[k] = mergePatch(nil, pm)
			continue
		}
		out[k] = v
	}
	return out
}

// UserJSON renders a user as the contract's User.
func UserJSON(u *identity.User, hasPassword bool) gen.User {
	p := u.Profile
	out := gen.User{
		ID:                  u.ID,
		TenantID:            u.TenantID,
		Email:               openapi_types.Email(u.Email),
		EmailVerified:       u.EmailVerified,
		Username:            ptr(u.Username),
		PhoneNumber:         ptr(u.Phone),
		PhoneNumberVerified: ptr(u.PhoneVerified),
		Name:                ptr(p.Name),
		GivenName:           ptr(p.GivenName),
		FamilyName:          ptr(p.FamilyName),
		MiddleName:          ptr(p.MiddleName),
		Nickname:            ptr(p.Nickname),
		PreferredUsername:   ptr(p.PreferredUsername),
		Profile:             ptr(p.Profile),
		Picture:             ptr(p.Picture),
		Website:             ptr(p.Website),
		Gender:              ptr(p.Gender),
		Birthdate:           ptr(p.Birthdate),
		Zoneinfo:            ptr(p.Zoneinfo),
		Locale:              ptr(p.Locale),
		Attributes:          gen.UserAttributes(u.Attributes),
		Disabled:            u.Disabled,
		HasPassword:         hasPassword,
		CreatedAt:           u.CreatedAt,
		UpdatedAt:           u.UpdatedAt,
		Version:             u.Version,
	}
	if out.Attributes == nil {
		out.Attributes = gen.UserAttributes{}
	}
	if a := p.Address; a != nil && *a != (identity.Address{}) {
		out.Address = &gen.Address{
			Formatted: ptr(a.Formatted), StreetAddress: ptr(a.StreetAddress), Locality: ptr(a.Locality),
			Region: ptr(a.Region), PostalCode: ptr(a.PostalCode), Country: ptr(a.Country),
		}
	}
	if u.LockedUntil != nil {
		out.LockedUntil = nullable.NewNullableWithValue(*u.LockedUntil)
	}
	out.TermsVersion = ptr(u.TermsVersion)
	out.TermsAcceptedAt = u.TermsAcceptedAt
	return out
}

func userFromCreate(in *gen.UserCreate) *identity.User {
	u := &identity.User{
		Email:         string(in.Email),
		EmailVerified: val(in.EmailVerified),
		Username:      val(in.Username),
		Phone:         val(in.PhoneNumber),
		PhoneVerified: val(in.PhoneNumberVerified),
		Disabled:      val(in.Disabled),
		Profile: identity.Profile{
			Name: val(in.Name), GivenName: val(in.GivenName), FamilyName: val(in.FamilyName),
			MiddleName: val(in.MiddleName), Nickname: val(in.Nickname), PreferredUsername: val(in.PreferredUsername),
			Profile: val(in.Profile), Picture: val(in.Picture), Website: val(in.Website), Gender: val(in.Gender),
			Birthdate: val(in.Birthdate), Zoneinfo: val(in.Zoneinfo), Locale: val(in.Locale),
		},
		Attributes: map[string]any{},
	}
	if in.Attributes != nil {
		u.Attributes = map[string]any(*in.Attributes)
	}
	if a := in.Address; a != nil {
		u.Profile.Address = &identity.Address{
			Formatted: val(a.Formatted), StreetAddress: val(a.StreetAddress), Locality: val(a.Locality),
			Region: val(a.Region), PostalCode: val(a.PostalCode), Country: val(a.Country),
		}
	}
	return u
}

func applyUserPatch(u *identity.User, in *gen.UserPatch) {
	if in.Email != nil {
		u.Email = string(*in.Email)
	}
	if in.EmailVerified != nil {
		u.EmailVerified = *in.EmailVerified
	}
	if in.PhoneNumberVerified != nil {
		u.PhoneVerified = *in.PhoneNumberVerified
	}
	if in.Disabled != nil {
		u.Disabled = *in.Disabled
	}
	patchString(&u.Username, in.Username)
	patchString(&u.Phone, in.PhoneNumber)
	p := &u.Profile
	for dst, src := range map[*string]nullable.Nullable[string]{
		&p.Name: in.Name, &p.GivenName: in.GivenName, &p.FamilyName: in.FamilyName,
		&p.MiddleName: in.MiddleName, &p.Nickname: in.Nickname, &p.PreferredUsername: in.PreferredUsername,
		&p.Profile: in.Profile, &p.Picture: in.Picture, &p.Website: in.Website, &p.Gender: in.Gender,
		&p.Birthdate: in.Birthdate, &p.Zoneinfo: in.Zoneinfo, &p.Locale: in.Locale,
	} {
		patchString(dst, src)
	}
	if in.Address.IsSpecified() {
		if in.Address.IsNull() {
			p.Address = nil
		} else {
			ap, _ := in.Address.Get()
			a := identity.Address{}
			if p.Address != nil {
				a = *p.Address
			}
			patchString(&a.Formatted, ap.Formatted)
			patchString(&a.StreetAddress, ap.StreetAddress)
			patchString(&a.Locality, ap.Locality)
			patchString(&a.Region, ap.Region)
			patchString(&a.PostalCode, ap.PostalCode)
			patchString(&a.Country, ap.Country)
			p.Address = &a
		}
	}
	if in.Attributes.IsSpecified() {
		if in.Attributes.IsNull() {
			u.Attributes = map[string]any{}
		} else {
			patch, _ := in.Attributes.Get()
			u.Attributes = mergePatch(u.Attributes, patch)
		}
	}
}

// TenantJSON renders a tenant as the contract's Tenant.
func TenantJSON(t *identity.Tenant) gen.Tenant {
	out := gen.Tenant{
		ID: t.ID, Slug: t.Slug, DisplayName: t.DisplayName, Region: t.Region,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version,
		AttributeSchema: nullable.NewNullNullable[gen.AttributeSchema](),
		Branding:        gen.Branding{LogoURI: ptr(t.Branding.LogoURI), PrimaryColor: ptr(t.Branding.PrimaryColor)},
		Onboarding: gen.Onboarding{
			RegistrationEnabled:   boolPtr(!t.Onboarding.RegistrationDisabled),
			AllowUnverifiedSignIn: boolPtr(!t.Onboarding.RequireVerifiedEmail),
			TermsVersion:          ptr(t.Onboarding.TermsVersion),
			TermsURI:              ptr(t.Onboarding.TermsURI),
		},
		Mfa: MFAPolicyJSON(&t.MFA),
	}
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
		RedirectUris:            nonNil(c.RedirectURIs),
		PostLogoutRedirectUris:  optSlice(c.PostLogoutRedirectURIs),
		GrantTypes:              typed[gen.GrantType](c.GrantTypes),
		ResponseTypes:           typed[gen.ResponseType](c.ResponseTypes),
		TokenEndpointAuthMethod: gen.TokenEndpointAuthMethod(c.TokenEndpointAuthMethod),
		Scope:                   ptr(c.Scope),
		ClientURI:               ptr(c.ClientURI),
		LogoURI:                 ptr(c.LogoURI),
		PolicyURI:               ptr(c.PolicyURI),
		TosURI:                  ptr(c.TosURI),
		Contacts:                optSlice(c.Contacts),
		JwksURI:                 ptr(c.JWKSURI),
		ApplicationType:         gen.ApplicationType(c.ApplicationType),
		Metadata:                c.Metadata,
		CreatedAt:               c.CreatedAt,
		UpdatedAt:               c.UpdatedAt,
		Version:                 c.Version,
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
	if out.Metadata == nil {
		out.Metadata = map[string]any{}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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
	patchString(&c.Scope, in.Scope)
	patchString(&c.ClientURI, in.ClientURI)
	patchString(&c.LogoURI, in.LogoURI)
	patchString(&c.PolicyURI, in.PolicyURI)
	patchString(&c.TosURI, in.TosURI)
	patchString(&c.JWKSURI, in.JwksURI)
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
		if in.Metadata.IsNull() {
			c.Metadata = map[string]any{}
		} else {
			m, _ := in.Metadata.Get()
			c.Metadata = mergePatch(c.Metadata, m)
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

package restapi

// The wire forms of what both the Admin and the account API render (users,
// sessions, consents, second factors) and the helpers of optional members.

import (
	"context"
	"errors"
	"maps"
	"net/http"

	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Ptr returns &s, or nil for the zero value, so empty optional members are
// omitted from responses.
func Ptr[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func Val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// PatchString applies a merge-patch member to a string field: absent keeps,
// null clears, a value replaces.
func PatchString(dst *string, n nullable.Nullable[string]) {
	if !n.IsSpecified() {
		return
	}
	if n.IsNull() {
		*dst = ""
		return
	}
	*dst, _ = n.Get()
}

// MergePatch applies an RFC 7396 merge patch of one object onto another.
func MergePatch(dst, patch map[string]any) map[string]any {
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
				out[k] = MergePatch(dm, pm)
				continue
			}
			out[k] = MergePatch(nil, pm)
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
		Username:            Ptr(u.Username),
		PhoneNumber:         Ptr(u.Phone),
		PhoneNumberVerified: Ptr(u.PhoneVerified),
		Name:                Ptr(p.Name),
		GivenName:           Ptr(p.GivenName),
		FamilyName:          Ptr(p.FamilyName),
		MiddleName:          Ptr(p.MiddleName),
		Nickname:            Ptr(p.Nickname),
		PreferredUsername:   Ptr(p.PreferredUsername),
		Profile:             Ptr(p.Profile),
		Picture:             Ptr(p.Picture),
		Website:             Ptr(p.Website),
		Gender:              Ptr(p.Gender),
		Birthdate:           Ptr(p.Birthdate),
		Zoneinfo:            Ptr(p.Zoneinfo),
		Locale:              Ptr(p.Locale),
		Attributes:          gen.UserAttributes(u.Attributes),
		Disabled:            u.Disabled,
		Region:              Ptr(u.Region),
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
			Formatted: Ptr(a.Formatted), StreetAddress: Ptr(a.StreetAddress), Locality: Ptr(a.Locality),
			Region: Ptr(a.Region), PostalCode: Ptr(a.PostalCode), Country: Ptr(a.Country),
		}
	}
	if u.LockedUntil != nil {
		out.LockedUntil = nullable.NewNullableWithValue(*u.LockedUntil)
	}
	out.TermsVersion = Ptr(u.TermsVersion)
	out.TermsAcceptedAt = u.TermsAcceptedAt
	return out
}

func ApplyUserPatch(u *identity.User, in *gen.UserPatch) {
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
	PatchString(&u.Username, in.Username)
	PatchString(&u.Phone, in.PhoneNumber)
	p := &u.Profile
	for dst, src := range map[*string]nullable.Nullable[string]{
		&p.Name: in.Name, &p.GivenName: in.GivenName, &p.FamilyName: in.FamilyName,
		&p.MiddleName: in.MiddleName, &p.Nickname: in.Nickname, &p.PreferredUsername: in.PreferredUsername,
		&p.Profile: in.Profile, &p.Picture: in.Picture, &p.Website: in.Website, &p.Gender: in.Gender,
		&p.Birthdate: in.Birthdate, &p.Zoneinfo: in.Zoneinfo, &p.Locale: in.Locale,
	} {
		PatchString(dst, src)
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
			PatchString(&a.Formatted, ap.Formatted)
			PatchString(&a.StreetAddress, ap.StreetAddress)
			PatchString(&a.Locality, ap.Locality)
			PatchString(&a.Region, ap.Region)
			PatchString(&a.PostalCode, ap.PostalCode)
			PatchString(&a.Country, ap.Country)
			p.Address = &a
		}
	}
	if in.Attributes.IsSpecified() {
		if in.Attributes.IsNull() {
			u.Attributes = map[string]any{}
		} else {
			patch, _ := in.Attributes.Get()
			u.Attributes = MergePatch(u.Attributes, patch)
		}
	}
}

// SessionJSON renders a browser session (never its cookie hash).
func SessionJSON(s *oauth.Session) gen.Session {
	out := gen.Session{
		ID: s.ID, UserID: s.UserID, IP: Ptr(s.IP), UserAgent: Ptr(s.UserAgent), Amr: NonNil(s.AMR),
		CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt,
	}
	if !s.AuthTime.IsZero() {
		out.AuthTime = &s.AuthTime
	}
	return out
}

// ConsentJSON renders a consent; ClientName may be empty.
func ConsentJSON(c *oauth.Consent, ClientName string) gen.Consent {
	return gen.Consent{
		ClientID: c.ClientID, ClientName: Ptr(ClientName), Scopes: NonNil(c.Scopes),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// ClientName returns a client's display name, or "" if the client is gone
// (its consents go with it, but a listing may race a deletion).
func ClientName(ctx context.Context, sc *tenancy.Tenant, clientID string) (string, error) {
	c, err := sc.Store.Clients().Get(ctx, sc.Tenant.ID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return c.ClientName, nil
}

// MFAFactorJSON renders a factor without its secret.
func MFAFactorJSON(f *factor.Factor) gen.MFAFactor {
	return gen.MFAFactor{ID: f.ID, Type: gen.MFAFactorType(f.Type), Name: f.Name, Weak: f.Weak,
		CreatedAt: f.CreatedAt, LastUsedAt: f.LastUsedAt}
}

// MFAProblem maps the service's errors; field names the request member a
// wrong code or credential is reported on.
func MFAProblem(err error, field string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mfa.ErrNotFound):
		return httpx.NotFound("No such factor of this user.")
	case errors.Is(err, mfa.ErrUnknownChallenge), errors.Is(err, mfa.ErrChallengeDead):
		return httpx.NotFound("No such enrolment: it never existed, expired, was completed or had too many wrong answers.")
	case errors.Is(err, mfa.ErrInvalidName):
		return httpx.Validation("The name is not valid.", httpx.FieldError{Field: "/name", Message: err.Error()})
	case errors.Is(err, mfa.ErrInvalidCode), errors.Is(err, mfa.ErrReplay):
		return httpx.Validation("The code is wrong.", httpx.FieldError{Field: field, Message: "wrong or expired code"})
	case errors.Is(err, mfa.ErrInvalid):
		return httpx.Validation("The answer could not be verified.", httpx.FieldError{Field: field, Message: err.Error()})
	case errors.Is(err, mfa.ErrRateLimited):
		p := httpx.NewProblem(http.StatusTooManyRequests, httpx.TypeRateLimited, "Too many requests", "Too many attempts; try again later.")
		p.Header = http.Header{"Retry-After": {"60"}}
		return p
	case errors.Is(err, mfa.ErrNotAllowed):
		return httpx.Forbidden("The tenant's MFA policy does not allow this factor here: " + err.Error())
	}
	return err
}

// PageFactors cuts one page out of a user's (few) factors, in ID order.
func PageFactors(fs []factor.Factor, limit *int, cursor *string) (gen.MFAFactorList, error) {
	pg, err := Page(limit, cursor)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	out := gen.MFAFactorList{Items: []gen.MFAFactor{}, NextCursor: NextCursor("")}
	for i := range fs {
		if fs[i].ID <= pg.After {
			continue
		}
		if len(out.Items) == pg.Limit {
			out.NextCursor = NextCursor(out.Items[len(out.Items)-1].ID)
			break
		}
		out.Items = append(out.Items, MFAFactorJSON(&fs[i]))
	}
	return out, nil
}

// UserWithPassword renders u, asking svc whether they have a password.
func UserWithPassword(ctx context.Context, svc *directory.Service, sc *tenancy.Tenant, u *identity.User) (gen.User, error) {
	has, err := svc.HasPassword(ctx, sc, u.ID)
	return UserJSON(u, has), err
}

// NonNil returns s, or an empty slice for nil, so lists render as [].
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FederatedIdentityJSON renders one of a user's federated identities.
func FederatedIdentityJSON(fi *store.FederatedIdentity) gen.FederatedIdentity {
	out := gen.FederatedIdentity{Connection: fi.ConnectionID, Subject: fi.Subject, LinkedAt: fi.LinkedAt, LastUsedAt: fi.LastUsedAt}
	if fi.Email != "" {
		out.Email = &fi.Email
	}
	return out
}

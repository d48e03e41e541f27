package tokens

import (
	"context"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// UserClaims returns the standard claims the scopes release (OIDC Core
// 5.4), for ID tokens and userinfo.
func UserClaims(u *identity.User, scopes []string) map[string]any {
	claims := map[string]any{}
	has := func(s string) bool { return slices.Contains(scopes, s) }
	set := func(k, v string) {
		if v != "" {
			claims[k] = v
		}
	}
	if has("profile") {
		p := u.Profile
		set("name", displayName(&p))
		set("given_name", p.GivenName)
		set("family_name", p.FamilyName)
		set("middle_name", p.MiddleName)
		set("nickname", p.Nickname)
		set("preferred_username", preferredUsername(u, has("email")))
		set("profile", p.Profile)
		set("picture", p.Picture)
		set("website", p.Website)
		set("gender", p.Gender)
		set("birthdate", p.Birthdate)
		set("zoneinfo", p.Zoneinfo)
		set("locale", p.Locale)
		claims["updated_at"] = u.UpdatedAt.Unix()
	}
	if has("email") && u.Email != "" {
		claims["email"] = u.Email
		claims["email_verified"] = u.EmailVerified
	}
	if has("phone") && u.Phone != "" {
		claims["phone_number"] = u.Phone
		claims["phone_number_verified"] = u.PhoneVerified
	}
	if has("address") && u.Profile.Address != nil {
		claims["address"] = u.Profile.Address
	}
	return claims
}

// displayName is the profile's name, or else the given and family names
// joined (OIDC Core 5.1 "name": the full name in displayable form).
func displayName(p *identity.Profile) string {
	if p.Name != "" {
		return p.Name
	}
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
}

// preferredUsername is the name the user goes by at Gatehouse: the
// profile's preferred_username, else the username, else (only when the
// email scope releases the address anyway) the email address. The profile
// scope alone never discloses the address.
func preferredUsername(u *identity.User, emailReleased bool) string {
	switch {
	case u.Profile.PreferredUsername != "":
		return u.Profile.PreferredUsername
	case u.Username != "":
		return u.Username
	case emailReleased:
		return u.Email
	}
	return ""
}

// AddMappedClaims copies custom attributes named by the client's claim
// mappings; standard and protocol claims are never overwritten.
func AddMappedClaims(claims map[string]any, u *identity.User, cs *oauth.ClientSettings) {
	for claim, attr := range cs.ClaimMappings {
		if _, taken := claims[claim]; taken || reservedClaims[claim] {
			continue
		}
		if v, ok := u.Attributes[attr]; ok {
			claims[claim] = v
		}
	}
}

var reservedClaims = map[string]bool{
	"iss": true, "sub": true, "aud": true, "exp": true, "iat": true, "nbf": true, "jti": true, "azp": true,
	"client_id": true, "scope": true, "auth_time": true, "nonce": true, "acr": true, "amr": true, "sid": true,
	"at_hash": true, "c_hash": true, "cnf": true, "region": true,
}

// RoleNames is the roles claim of the user: the names of their roles in
// the organization orgID, or of their tenant-wide roles when orgID is "",
// sorted (ID tokens and userinfo with the roles scope).
func RoleNames(ctx context.Context, t *tenancy.Tenant, userID, orgID string) ([]string, error) {
	if orgID != "" { // the member's roles in the organization
		names, err := t.Store.Organizations().MemberRoleNames(ctx, t.ID, orgID, userID)
		if names == nil && err == nil {
			names = []string{}
		}
		return names, err
	}
	names := []string{}
	pg := store.Page{Limit: store.MaxLimit}
	for {
		roles, next, err := t.Store.Roles().ListForUser(ctx, t.ID, userID, pg)
		if err != nil {
			return nil, err
		}
		for _, r := range roles {
			names = append(names, r.Name)
		}
		if next == "" {
			slices.Sort(names)
			return names, nil
		}
		pg.After = next
	}
}

// AddPrivacyClaim adds privacy_consents (the purposes whose current
// version the user granted, ID -> version) when scopes has privacy.
func AddPrivacyClaim(ctx context.Context, t *tenancy.Tenant, userID string, scopes []string, claims map[string]any) error {
	if !slices.Contains(scopes, privacy.Scope) {
		return nil
	}
	v, err := privacy.ConsentsClaim(ctx, t, userID)
	if err != nil {
		return err
	}
	claims[privacy.ScopeClaim] = v
	return nil
}

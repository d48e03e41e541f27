package oidc

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Token prefixes make leaked tokens recognisable to secret scanners and
// let the endpoints tell token kinds apart without a lookup.
const (
	refreshPrefix = "ghr_"
	opaquePrefix  = "gho_"
)

// AccessTokenAlg signs access tokens: ES256 is ~30x faster than RS256 to
// sign and keeps tokens short.
const AccessTokenAlg = keys.ES256

func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return secret.Token(16)
	}
	return id.String()
}

// grant is what a successful grant entitles the client to.
type grant struct {
	UserID    string // "" for client credentials
	Scopes    []string
	AuthTime  time.Time
	AMR       []string
	ACR       string
	SessionID string
	Nonce     string

	// JTI is preassigned when the caller must record it first (code grant).
	JTI string
	// FamilyID continues a refresh-token family; set with Rotate to rotate.
	FamilyID        string
	FamilyExpiresAt time.Time
	Rotate          *oauth.RefreshToken

	Refresh bool // issue a refresh token
	IDToken bool // issue an ID token

	// Audience overrides the client's default access-token audience, and
	// Act names the party acting for the subject (token exchange, RFC 8693 4.1).
	Audience []string
	Act      map[string]any

	// For a token requested for an API (resource.go): its identifier, the
	// access token's scopes when they differ from Scopes (a user's API
	// scopes; nil: Scopes), its lifetime and format ("" means the
	// client's), and the permissions claim (nil: none).
	Resource    string
	ATScopes    []string
	Lifetime    time.Duration
	TokenFormat string
	Permissions []string
}

// atScopes are the access token's scopes.
func (g *grant) atScopes() []string {
	if g.ATScopes != nil {
		return g.ATScopes
	}
	return g.Scopes
}

func (g *grant) audience(c *client) []string {
	if len(g.Audience) > 0 {
		return g.Audience
	}
	return c.audience()
}

// issue mints the tokens of a grant. Access tokens are stateless JWTs
// (nothing written) unless the client chose opaque tokens. Errors are
// OAuth errors, or store.ErrReused when a refresh token lost a race;
// anything else is logged and becomes server_error.
func (p *Provider) issue(ctx context.Context, t *tenancy.Tenant, c *client, g *grant) (_ *oidc.AccessTokenResponse, err error) {
	defer func() {
		var oe *oidc.Error
		if err != nil && !errors.As(err, &oe) && !errors.Is(err, store.ErrReused) {
			err = p.serverError(ctx, t, c.c.ID, "issue tokens", err)
		}
	}()
	now := p.now().UTC()
	if g.JTI == "" {
		g.JTI = newID()
	}
	lifetime := c.accessTokenLifetime()
	if g.Lifetime > 0 {
		lifetime = g.Lifetime
	}
	var user *identity.User
	if g.UserID != "" {
		u, err := t.Store.Users().Get(ctx, t.ID, g.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, oidc.ErrInvalidGrant().WithDescription("the user no longer exists")
		}
		if err != nil {
			return nil, err
		}
		if u.Disabled || u.Locked(now) {
			return nil, oidc.ErrInvalidGrant().WithDescription("the user is disabled or locked")
		}
		user = u
	}

	resp := &oidc.AccessTokenResponse{TokenType: oidc.BearerToken, ExpiresIn: uint64(lifetime.Seconds()), Scope: g.atScopes()}
	if g.TokenFormat == "opaque" || g.TokenFormat == "" && c.settings.AccessTokenFormat == oauth.AccessTokenOpaque {
		resp.AccessToken, err = p.issueOpaque(ctx, t, c, g, now, lifetime)
	} else {
		resp.AccessToken, err = p.signAccessToken(ctx, t, c, g, user, now, lifetime)
	}
	if err != nil {
		return nil, err
	}
	if g.Refresh {
		if resp.RefreshToken, err = p.issueRefresh(ctx, t, c, g, now); err != nil {
			return nil, err
		}
	}
	if g.IDToken && user != nil {
		if resp.IDToken, err = p.signIDToken(ctx, t, c, g, user, now, resp.AccessToken); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// atPayload is the claims set of an access token (RFC 9068 2.2), in a
// struct so it marshals without a map; mapped user attributes, which vary,
// are appended after it.
type atPayload struct {
	Iss      string   `json:"iss"`
	Sub      string   `json:"sub"`
	Aud      []string `json:"aud"`
	ClientID string   `json:"client_id"`
	Iat      int64    `json:"iat"`
	Exp      int64    `json:"exp"`
	JTI      string   `json:"jti"`
	Scope    string   `json:"scope"`
	AuthTime *int64   `json:"auth_time,omitempty"` // user tokens only
	SID      string   `json:"sid,omitempty"`
	ACR      string   `json:"acr,omitempty"`
	AMR      []string `json:"amr,omitempty"`
	Act      any      `json:"act,omitempty"`
	// Permissions is a []string, in an interface so that an empty list
	// is still sent.
	Permissions any `json:"permissions,omitempty"`
}

// signAccessToken makes an RFC 9068 JWT access token.
func (p *Provider) signAccessToken(ctx context.Context, t *tenancy.Tenant, c *client, g *grant, u *identity.User, now time.Time, lifetime time.Duration) (string, error) {
	k, err := p.keys.Active(ctx, t.ID, AccessTokenAlg)
	if err != nil {
		return "", err
	}
	claims := atPayload{
		Iss: t.Issuer, Sub: c.c.ID, Aud: g.audience(c), ClientID: c.c.ID,
		Iat: now.Unix(), Exp: now.Add(lifetime).Unix(), JTI: g.JTI, Scope: strings.Join(g.atScopes(), " "),
	}
	var mapped map[string]any
	if u != nil {
		authTime := g.AuthTime.Unix()
		claims.Sub, claims.AuthTime, claims.SID, claims.ACR, claims.AMR = u.ID, &authTime, g.SessionID, g.ACR, g.AMR
		if len(c.settings.ClaimMappings) > 0 {
			// Every member of atPayload but act is a reserved claim, which
			// addMappedClaims never sets; act, when present, wins.
			mapped = map[string]any{}
			c.addMappedClaims(mapped, u)
			if g.Act != nil {
				delete(mapped, "act")
			}
		}
	}
	if g.Act != nil {
		claims.Act = g.Act
	}
	if g.Permissions != nil {
		claims.Permissions = g.Permissions
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	if len(mapped) > 0 {
		extra, err := json.Marshal(mapped)
		if err != nil {
			return "", err
		}
		// {"iss":…} + {"custom":…} -> {"iss":…,"custom":…}
		payload = append(append(payload[:len(payload)-1], ','), extra[1:]...)
	}
	_, span := telemetry.Start(ctx, "sign access token", "jwt.alg", k.Alg, "jwt.kid", k.ID)
	defer span.End()
	return k.SignJWT(true, payload)
}

func (p *Provider) issueOpaque(ctx context.Context, t *tenancy.Tenant, c *client, g *grant, now time.Time, lifetime time.Duration) (string, error) {
	token := opaquePrefix + secret.Token(32)
	claims := map[string]any{"auth_time": g.AuthTime.Unix(), "amr": g.AMR, "acr": g.ACR}
	if g.Permissions != nil {
		claims["permissions"] = g.Permissions
	}
	err := t.Store.OpaqueTokens().Create(ctx, &oauth.OpaqueToken{
		TenantID: t.ID, ID: g.JTI, TokenHash: digest(token), ClientID: c.c.ID, UserID: g.UserID,
		SessionID: g.SessionID, Scopes: g.atScopes(), Audience: g.audience(c),
		Claims: claims, CreatedAt: now, ExpiresAt: now.Add(lifetime),
	})
	return token, err
}

// issueRefresh creates a refresh token: a new family, or (when g.Rotate is
// set) the successor of a rotated token, written atomically with the
// rotation so concurrent reuse lets exactly one request win.
func (p *Provider) issueRefresh(ctx context.Context, t *tenancy.Tenant, c *client, g *grant, now time.Time) (string, error) {
	sliding, absolute := c.refreshLifetimes()
	token := refreshPrefix + secret.Token(32)
	rt := &oauth.RefreshToken{
		ID: newID(), TenantID: t.ID, FamilyID: g.FamilyID, TokenHash: digest(token),
		ClientID: c.c.ID, UserID: g.UserID, SessionID: g.SessionID, Scopes: g.Scopes, Audience: c.audience(),
		// A refresh token for an API keeps its resource (refreshResource).
		AuthTime: g.AuthTime, AMR: g.AMR, ACR: g.ACR,
		CreatedAt: now, ExpiresAt: now.Add(sliding), FamilyExpiresAt: g.FamilyExpiresAt,
	}
	if g.Resource != "" {
		rt.Audience = []string{g.Resource}
	}
	if rt.FamilyID == "" {
		rt.FamilyID = newID()
	}
	if rt.FamilyExpiresAt.IsZero() { // a new family (the code grant preassigns its ID)
		rt.FamilyExpiresAt = now.Add(absolute)
	}
	if rt.ExpiresAt.After(rt.FamilyExpiresAt) {
		rt.ExpiresAt = rt.FamilyExpiresAt
	}
	var err error
	if g.Rotate != nil {
		err = refreshes(t).Rotate(ctx, t.ID, g.Rotate.ID, rt, now)
	} else {
		err = refreshes(t).Create(ctx, rt)
	}
	if err != nil {
		return "", err
	}
	g.FamilyID = rt.FamilyID
	return token, nil
}

// signIDToken makes the ID token in the algorithm the client registered.
func (p *Provider) signIDToken(ctx context.Context, t *tenancy.Tenant, c *client, g *grant, u *identity.User, now time.Time, accessToken string) (string, error) {
	alg := c.idTokenAlg()
	k, err := p.keys.Active(ctx, t.ID, alg)
	if err != nil {
		return "", err
	}
	claims := userClaims(u, g.Scopes)
	claims["iss"] = t.Issuer
	claims["sub"] = u.ID
	claims["aud"] = []string{c.c.ID}
	claims["azp"] = c.c.ID
	claims["iat"] = now.Unix()
	claims["exp"] = now.Add(c.IDTokenLifetime()).Unix()
	claims["auth_time"] = g.AuthTime.Unix()
	if g.Nonce != "" {
		claims["nonce"] = g.Nonce
	}
	if g.ACR != "" {
		claims["acr"] = g.ACR
	}
	if len(g.AMR) > 0 {
		claims["amr"] = g.AMR
	}
	if g.SessionID != "" {
		claims["sid"] = g.SessionID
	}
	claims["at_hash"] = leftHalfHash(alg, accessToken)
	if hasScope(g.Scopes, "roles") {
		if claims["roles"], err = p.roleNames(ctx, t, u.ID); err != nil {
			return "", err
		}
	}
	c.addMappedClaims(claims, u)
	_, span := telemetry.Start(ctx, "sign ID token", "jwt.alg", k.Alg, "jwt.kid", k.ID)
	defer span.End()
	return jwt.Signed(k.Signer(false)).Claims(claims).Serialize()
}

// leftHalfHash is the at_hash/c_hash of OIDC Core 3.1.3.6 for alg.
func leftHalfHash(alg, value string) string {
	var h hash.Hash
	switch alg {
	case keys.EdDSA:
		h = sha512.New() // Ed25519 uses SHA-512 (OIDC errata for EdDSA)
	default:
		h = sha256.New()
	}
	h.Write([]byte(value))
	sum := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// userClaims returns the standard claims the scopes release (OIDC Core 5.4).
func userClaims(u *identity.User, scopes []string) map[string]any {
	claims := map[string]any{}
	has := func(s string) bool {
		for _, x := range scopes {
			if x == s {
				return true
			}
		}
		return false
	}
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

// addMappedClaims copies custom attributes named by the client's claim
// mappings; standard and protocol claims are never overwritten.
func (c *client) addMappedClaims(claims map[string]any, u *identity.User) {
	for claim, attr := range c.settings.ClaimMappings {
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
	"at_hash": true, "c_hash": true, "cnf": true,
}

// sigAlgs are the algorithms Gatehouse accepts on its own tokens.
var sigAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.EdDSA}

package tokens

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Client is the client a grant is for, with its typed settings.
type Client struct {
	*oauth.Client
	Settings *oauth.ClientSettings
}

// Grant is what a successful grant entitles the client to.
type Grant struct {
	UserID    string // "" for client credentials
	Scopes    []string
	AuthTime  time.Time
	AMR       []string
	ACR       string
	SessionID string
	Nonce     string

	// GrantType is the OAuth grant that led here (an oauth.Grant* value),
	// reported to Deps.Issued.
	GrantType string

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

	// For a token requested for an API (RFC 8707 resource, issue 14; the
	// protocol decides what the client may get): its identifier, which a
	// refresh token keeps as its audience; the access token's scopes when
	// they differ from Scopes (a user's API scopes; nil: Scopes); the
	// API's lifetime (0: the client's; capped like every lifetime) and
	// token format (oauth.AccessTokenOpaque or "jwt"; "": the client's);
	// and the permissions claim (nil: none, empty: an empty list).
	Resource    string
	ATScopes    []string
	Lifetime    time.Duration
	TokenFormat string
	Permissions []string

	// OrgID and OrgName name the organization a user's sign-in was scoped
	// to (authorize organization=): the tokens carry them as org_id and
	// org_name, a refresh token keeps the ID, and an API's permissions
	// come from the member's roles in it.
	OrgID   string
	OrgName string

	// JKT binds the access token to a DPoP key (RFC 9449 6): cnf.jkt in
	// a JWT and in introspection; a public client's refresh token is
	// bound to it too.
	JKT string
	// AuthorizationDetails granted (RFC 9396, issue 20; the protocol
	// validates them): a canonical JSON array, "" for none. The access
	// token carries it as the authorization_details claim, the refresh
	// token keeps it.
	AuthorizationDetails string
}

// AccessTokenScopes are the access token's scopes.
func (g *Grant) AccessTokenScopes() []string {
	if g.ATScopes != nil {
		return g.ATScopes
	}
	return g.Scopes
}

func (g *Grant) audience(c Client) []string {
	if len(g.Audience) > 0 {
		return g.Audience
	}
	return Audience(c)
}

// Issued are the tokens of a grant.
type Issued struct {
	AccessToken  string
	RefreshToken string
	IDToken      string
	ExpiresIn    uint64 // seconds
}

// Issue mints the tokens of a grant. Access tokens are stateless JWTs
// (nothing written) unless the client chose opaque tokens. It returns
// ErrUserGone or ErrUserDisabled when the grant's user can no longer
// have tokens, store.ErrReused when a rotated refresh token lost a race,
// and any other error when the store or a signing key failed.
func (s *Service) Issue(ctx context.Context, t *tenancy.Tenant, c Client, g *Grant) (*Issued, error) {
	now := s.now().UTC()
	if g.JTI == "" {
		g.JTI = NewID()
	}
	lifetime := s.AccessTokenLifetime(c.Settings)
	if g.Lifetime > 0 { // an API's, capped like the client's
		lifetime = s.capped(g.Lifetime)
	}
	var user *identity.User
	if g.UserID != "" {
		u, err := t.Store.Users().Get(ctx, t.ID, g.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUserGone
		}
		if err != nil {
			return nil, err
		}
		if u.Disabled || u.Locked(now) {
			return nil, ErrUserDisabled
		}
		user = u
	}
	out := &Issued{ExpiresIn: uint64(lifetime.Seconds())}
	var err error
	if g.TokenFormat == oauth.AccessTokenOpaque || g.TokenFormat == "" && c.Settings.AccessTokenFormat == oauth.AccessTokenOpaque {
		out.AccessToken, err = s.issueOpaque(ctx, t, c, g, user, now, lifetime)
	} else {
		out.AccessToken, err = s.signAccessToken(ctx, t, c, g, user, now, lifetime)
	}
	if err != nil {
		return nil, err
	}
	if g.Refresh {
		if out.RefreshToken, err = s.issueRefresh(ctx, t, c, g, now); err != nil {
			return nil, err
		}
	}
	if g.IDToken && user != nil {
		if out.IDToken, err = s.signIDToken(ctx, t, c, g, user, now, out.AccessToken); err != nil {
			return nil, err
		}
	}
	if err := s.recordSessionClient(ctx, t, c, g, now); err != nil {
		return nil, err
	}
	if s.issued != nil {
		s.issued(t.ID, c.ID, g.GrantType, now)
	}
	return out, nil
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
	Permissions any    `json:"permissions,omitempty"`
	OrgID       string `json:"org_id,omitempty"`
	OrgName     string `json:"org_name,omitempty"`
	Cnf         *cnf   `json:"cnf,omitempty"`
	// Region is the data-residency region of the user's data (issue 15),
	// for gateways that keep a request in its region.
	Region string `json:"region,omitempty"`
	// AuthorizationDetails is RFC 9396's claim, already JSON.
	AuthorizationDetails json.RawMessage `json:"authorization_details,omitempty"`
}

// cnf is the confirmation claim of a sender-constrained token (RFC 7800,
// RFC 9449 6.1).
type cnf struct {
	JKT string `json:"jkt"`
}

// signAccessToken makes an RFC 9068 JWT access token.
func (s *Service) signAccessToken(ctx context.Context, t *tenancy.Tenant, c Client, g *Grant, u *identity.User, now time.Time, lifetime time.Duration) (string, error) {
	k, err := s.keys.Active(ctx, t.ID, AccessTokenAlg)
	if err != nil {
		return "", err
	}
	claims := atPayload{
		Iss: t.Issuer, Sub: c.ID, Aud: g.audience(c), ClientID: c.ID,
		Iat: now.Unix(), Exp: now.Add(lifetime).Unix(), JTI: g.JTI, Scope: strings.Join(g.AccessTokenScopes(), " "),
	}
	var mapped map[string]any
	if u != nil {
		authTime := g.AuthTime.Unix()
		claims.Sub, claims.AuthTime, claims.SID, claims.ACR, claims.AMR = u.ID, &authTime, g.SessionID, g.ACR, g.AMR
		claims.Region = u.Region
		if len(c.Settings.ClaimMappings) > 0 {
			// Every member of atPayload but act is a reserved claim, which
			// AddMappedClaims never sets; act, when present, wins.
			mapped = map[string]any{}
			AddMappedClaims(mapped, u, c.Settings)
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
	claims.OrgID, claims.OrgName = g.OrgID, g.OrgName
	if g.JKT != "" {
		claims.Cnf = &cnf{JKT: g.JKT}
	}
	if g.AuthorizationDetails != "" {
		claims.AuthorizationDetails = json.RawMessage(g.AuthorizationDetails)
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

func (s *Service) issueOpaque(ctx context.Context, t *tenancy.Tenant, c Client, g *Grant, u *identity.User, now time.Time, lifetime time.Duration) (string, error) {
	token := OpaquePrefix + secret.Token(32)
	claims := map[string]any{"auth_time": g.AuthTime.Unix(), "amr": g.AMR, "acr": g.ACR}
	if g.Permissions != nil {
		claims["permissions"] = g.Permissions
	}
	if g.OrgID != "" {
		claims["org_id"], claims["org_name"] = g.OrgID, g.OrgName
	}
	if g.JKT != "" {
		claims["cnf"] = map[string]any{"jkt": g.JKT}
	}
	if u != nil && u.Region != "" {
		claims["region"] = u.Region
	}
	if g.AuthorizationDetails != "" {
		claims["authorization_details"] = json.RawMessage(g.AuthorizationDetails)
	}
	err := t.Store.OpaqueTokens().Create(ctx, &oauth.OpaqueToken{
		TenantID: t.ID, ID: g.JTI, TokenHash: Hash(token), ClientID: c.ID, UserID: g.UserID,
		SessionID: g.SessionID, Scopes: g.AccessTokenScopes(), Audience: g.audience(c),
		Claims: claims, CreatedAt: now, ExpiresAt: now.Add(lifetime),
	})
	return token, err
}

// issueRefresh creates a refresh token: a new family, or (when g.Rotate is
// set) the successor of a rotated token, written atomically with the
// rotation so concurrent reuse lets exactly one request win.
func (s *Service) issueRefresh(ctx context.Context, t *tenancy.Tenant, c Client, g *Grant, now time.Time) (string, error) {
	sliding, absolute := s.refreshLifetimes(c.Settings)
	token := RefreshPrefix + secret.Token(32)
	rt := &oauth.RefreshToken{
		ID: NewID(), TenantID: t.ID, FamilyID: g.FamilyID, TokenHash: Hash(token),
		ClientID: c.ID, UserID: g.UserID, SessionID: g.SessionID, Scopes: g.Scopes, Audience: Audience(c),
		AuthTime: g.AuthTime, AMR: g.AMR, ACR: g.ACR, OrgID: g.OrgID, AuthorizationDetails: g.AuthorizationDetails,
		CreatedAt: now, ExpiresAt: now.Add(sliding), FamilyExpiresAt: g.FamilyExpiresAt,
	}
	if g.JKT != "" && c.Client.Public() {
		// RFC 9449 5: a public client's refresh token is bound to the key;
		// a confidential client's is bound to its authentication.
		rt.DPoPJKT = g.JKT
	}
	if g.Resource != "" { // a refresh token for an API keeps its resource
		rt.Audience = []string{g.Resource}
	}
	if rt.FamilyID == "" {
		rt.FamilyID = NewID()
	}
	if rt.FamilyExpiresAt.IsZero() { // a new family (the code grant preassigns its ID)
		rt.FamilyExpiresAt = now.Add(absolute)
	}
	if rt.ExpiresAt.After(rt.FamilyExpiresAt) {
		rt.ExpiresAt = rt.FamilyExpiresAt
	}
	var err error
	if g.Rotate != nil {
		err = t.Store.RefreshTokens().Rotate(ctx, t.ID, g.Rotate.ID, rt, now)
	} else {
		err = t.Store.RefreshTokens().Create(ctx, rt)
	}
	if err != nil {
		return "", err
	}
	g.FamilyID = rt.FamilyID
	return token, nil
}

// signIDToken makes the ID token in the algorithm the client registered.
func (s *Service) signIDToken(ctx context.Context, t *tenancy.Tenant, c Client, g *Grant, u *identity.User, now time.Time, accessToken string) (string, error) {
	alg := idTokenAlg(c)
	k, err := s.keys.Active(ctx, t.ID, alg)
	if err != nil {
		return "", err
	}
	claims := UserClaims(u, g.Scopes)
	claims["iss"] = t.Issuer
	claims["sub"] = u.ID
	claims["aud"] = []string{c.ID}
	claims["azp"] = c.ID
	claims["iat"] = now.Unix()
	claims["exp"] = now.Add(s.IDTokenLifetime(c.Settings)).Unix()
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
	if u.Region != "" {
		claims["region"] = u.Region
	}
	claims["at_hash"] = leftHalfHash(alg, accessToken)
	if slices.Contains(g.Scopes, "roles") {
		if claims["roles"], err = RoleNames(ctx, t, u.ID, g.OrgID); err != nil {
			return "", err
		}
	}
	if err := AddPrivacyClaim(ctx, t, u.ID, g.Scopes, claims); err != nil {
		return "", err
	}
	if g.OrgID != "" {
		claims["org_id"], claims["org_name"] = g.OrgID, g.OrgName
	}
	AddMappedClaims(claims, u, c.Settings)
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

func idTokenAlg(c Client) string {
	if c.IDTokenSignedResponseAlg != "" {
		return c.IDTokenSignedResponseAlg
	}
	return "RS256"
}

// Audience is the client's default access-token audience: its settings'
// audience, else the client itself.
func Audience(c Client) []string {
	if len(c.Settings.Audience) > 0 {
		return c.Settings.Audience
	}
	return []string{c.ID}
}

// IDTokenLifetime is the client's ID token lifetime.
func (s *Service) IDTokenLifetime(cs *oauth.ClientSettings) time.Duration {
	return lifetime(cs.IDTokenLifetime, s.cfg.IDTokenLifetime, s.cfg.MaxTokenLifetime)
}

// AccessTokenLifetime is the client's access token lifetime.
func (s *Service) AccessTokenLifetime(cs *oauth.ClientSettings) time.Duration {
	return lifetime(cs.AccessTokenLifetime, s.cfg.AccessTokenLifetime, s.cfg.MaxTokenLifetime)
}

// capped is d capped at the maximum token lifetime.
func (s *Service) capped(d time.Duration) time.Duration {
	return lifetime(0, d, s.cfg.MaxTokenLifetime)
}

func (s *Service) refreshLifetimes(cs *oauth.ClientSettings) (sliding, absolute time.Duration) {
	abs := lifetime(cs.RefreshTokenMaxLifetime, s.cfg.RefreshTokenMaxLifetime, 0)
	return lifetime(cs.RefreshTokenLifetime, s.cfg.RefreshTokenLifetime, abs), abs
}

// lifetime is the client's setting in seconds (when set) or def, capped
// at max (when set).
func lifetime(seconds int64, def, max time.Duration) time.Duration {
	d := def
	if seconds > 0 {
		d = time.Duration(seconds) * time.Second
	}
	if max > 0 && d > max {
		d = max
	}
	return d
}

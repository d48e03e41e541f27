package tokens

import (
	"context"
	"errors"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// OIDC Back-Channel Logout 1.0.

// LogoutEvent is the member of a logout token's events claim (§2.4).
const LogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// LogoutTokenType is the typ header of logout tokens (§2.4, as the 2022
// errata recommends, so a logout token is never taken for an ID token).
const LogoutTokenType = "logout+jwt"

// LogoutTokenLifetime bounds a logout token; each delivery attempt signs
// a fresh one, so a retry hours later is not refused as expired.
const LogoutTokenLifetime = 2 * time.Minute

// OnSessionLogout sets the function told of every browser session that
// ends, with its browser or without (end_session, SAML single logout,
// revocations by an admin or the user, "this wasn't me", a password
// reset): the back-channel logout of the clients that had tokens in it.
// Set it before the service is used.
func (s *Service) OnSessionLogout(f SessionsEnded) { s.logout = f }

func (s *Service) notifyLogout(ctx context.Context, t *tenancy.Tenant, userID string, ids []string) {
	if s.logout != nil && len(ids) > 0 {
		s.logout(ctx, t, userID, ids)
	}
}

// recordSessionClient remembers that the grant's client got tokens in
// the grant's browser session, so that the session's end reaches the
// client's logout channels. A refresh (Rotate set) continues a session
// already recorded. A session gone meanwhile is no error: its end has
// been dealt with.
func (s *Service) recordSessionClient(ctx context.Context, t *tenancy.Tenant, c Client, g *Grant, now time.Time) error {
	if g.SessionID == "" || g.UserID == "" || g.Rotate != nil {
		return nil
	}
	err := t.Store.Logouts().AddSessionClient(ctx, &store.SessionClient{TenantID: t.ID, SessionID: g.SessionID,
		ClientID: c.ID, UserID: g.UserID, CreatedAt: now})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// logoutClaims are a logout token's claims (§2.4): never a nonce.
type logoutClaims struct {
	Iss    string         `json:"iss"`
	Aud    []string       `json:"aud"`
	Iat    int64          `json:"iat"`
	Exp    int64          `json:"exp"`
	JTI    string         `json:"jti"`
	Sub    string         `json:"sub,omitempty"`
	SID    string         `json:"sid,omitempty"`
	Events map[string]any `json:"events"`
}

// SignLogoutToken makes the logout token that tells client c that the
// session sid of user sub ended, signed with the tenant's key in the
// client's ID token algorithm (§2.4: as its ID tokens are). jti is the
// delivery's ID, the same on every attempt.
func (s *Service) SignLogoutToken(ctx context.Context, t *tenancy.Tenant, c *oauth.Client, sid, sub, jti string) (string, error) {
	alg := idTokenAlg(Client{Client: c})
	k, err := s.keys.Active(ctx, t.ID, alg)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.Alg),
		Key: jose.JSONWebKey{Key: k.Private, KeyID: k.ID, Algorithm: k.Alg}},
		(&jose.SignerOptions{}).WithType(LogoutTokenType))
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	return jwt.Signed(signer).Claims(logoutClaims{
		Iss: t.Issuer, Aud: []string{c.ID}, Iat: now.Unix(), Exp: now.Add(LogoutTokenLifetime).Unix(), JTI: jti,
		Sub: sub, SID: sid, Events: map[string]any{LogoutEvent: map[string]any{}},
	}).Serialize()
}

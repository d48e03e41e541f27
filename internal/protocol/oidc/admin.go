package oidc

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Revocations requested through the Admin API. They go through the
// provider so this node's revocation cache applies them at once; other
// nodes pick them up from the store within the cache's refresh period.

// RevokeUserTokens revokes every refresh token of the user and every access
// token issued to them until now; with sessions set, their browser
// sessions too. It returns the counts revoked.
func (p *Provider) RevokeUserTokens(ctx context.Context, t *tenancy.Tenant, userID string, withSessions bool) (refresh, sess int64, err error) {
	now := p.now().UTC()
	if refresh, err = t.Store.RefreshTokens().RevokeForUser(ctx, t.ID, userID, "", now); err != nil {
		return 0, 0, err
	}
	if withSessions {
		if sess, err = t.Store.Sessions().RevokeAllForUser(ctx, t.ID, userID, now); err != nil {
			return refresh, 0, err
		}
	}
	err = p.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: oauth.RevokeUser, Key: userID,
		NotBefore: now, ExpiresAt: now.Add(p.cfg.MaxTokenLifetime)})
	return refresh, sess, err
}

// RevokeClientTokens revokes every refresh and access token of a client.
func (p *Provider) RevokeClientTokens(ctx context.Context, t *tenancy.Tenant, clientID string) (int64, error) {
	now := p.now().UTC()
	n, err := t.Store.RefreshTokens().RevokeForClient(ctx, t.ID, clientID, now)
	if err != nil {
		return 0, err
	}
	p.clients.invalidate(t.ID, clientID)
	return n, p.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: oauth.RevokeClient, Key: clientID,
		NotBefore: now, ExpiresAt: now.Add(p.cfg.MaxTokenLifetime)})
}

// RevokeSession ends one browser session with its refresh and access tokens.
func (p *Provider) RevokeSession(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) error {
	return p.EndSessionRecord(ctx, t, s)
}

// RevokeConsent forgets a user's consent to a client and revokes the
// refresh tokens the client holds for the user.
func (p *Provider) RevokeConsent(ctx context.Context, t *tenancy.Tenant, userID, clientID string) error {
	if err := t.Store.Consents().Delete(ctx, t.ID, userID, clientID); err != nil {
		return err
	}
	_, err := t.Store.RefreshTokens().RevokeForUser(ctx, t.ID, userID, clientID, p.now().UTC())
	return err
}

// AccessToken is the verified content of an access token, for APIs that
// accept Gatehouse's tokens (the account API, the gateway).
type AccessToken struct {
	JTI       string
	Subject   string
	ClientID  string
	UserID    string // "" for client-credentials tokens
	SessionID string
	Scopes    []string
	Audience  []string
	ExpiresAt int64
	AuthTime  int64
	AMR       []string
	ACR       string
}

// VerifyAccessToken checks a bearer token of the tenant (either format):
// signature, issuer, expiry and revocation.
func (p *Provider) VerifyAccessToken(ctx context.Context, t *tenancy.Tenant, token string) (*AccessToken, error) {
	at, err := p.verifyAccessToken(ctx, t, token)
	if err != nil {
		return nil, err
	}
	return &AccessToken{
		JTI: at.JTI, Subject: at.Subject, ClientID: at.ClientID, UserID: at.UserID, SessionID: at.SessionID,
		Scopes: at.Scopes, Audience: at.Audience, ExpiresAt: at.ExpiresAt.Unix(), AuthTime: at.AuthTime,
		AMR: at.AMR, ACR: at.ACR,
	}, nil
}

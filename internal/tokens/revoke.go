package tokens

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Revocations. Access tokens are stateless JWTs, revoked by entries of a
// list this service caches: revocations made here apply on this node at
// once, and on the others when PostgreSQL announces them (Invalidate) or
// within the list's refresh period.

// RevokeUserTokens revokes every refresh token of the user and every access
// token issued to them until now; with sessions set, their browser
// sessions too. It returns the counts revoked.
func (s *Service) RevokeUserTokens(ctx context.Context, t *tenancy.Tenant, userID string, withSessions bool) (refresh, sess int64, err error) {
	now := s.now().UTC()
	if refresh, err = t.Store.RefreshTokens().RevokeForUser(ctx, t.ID, userID, "", now); err != nil {
		return 0, 0, err
	}
	if withSessions {
		ended := s.userSessions(ctx, t, userID)
		if sess, err = t.Store.Sessions().RevokeAllForUser(ctx, t.ID, userID, now); err != nil {
			return refresh, 0, err
		}
		s.notifyEnded(ctx, t, userID, ended)
		s.notifyLogout(ctx, t, userID, ended)
	}
	err = s.revoke(ctx, t, oauth.RevokeUser, userID, now, now.Add(s.cfg.MaxTokenLifetime))
	return refresh, sess, err
}

// SessionsEnded hears of browser sessions ended without their browser
// (an admin's or the account API's revocation, "sign out everywhere", a
// password reset, the id_token_hint of a relying party's back end), for
// the services the sessions signed into that only the browser could
// reach (SAML single logout). It must not block for long.
type SessionsEnded func(ctx context.Context, t *tenancy.Tenant, userID string, sessionIDs []string)

// OnSessionsEnded sets the function told of sessions ended without their
// browser; set it before the service is used.
func (s *Service) OnSessionsEnded(f SessionsEnded) { s.ended = f }

// userSessions lists the user's live sessions, for notifyEnded (nothing
// when no one listens). A failure is logged: the revocation goes on.
func (s *Service) userSessions(ctx context.Context, t *tenancy.Tenant, userID string) []string {
	if s.ended == nil && s.logout == nil {
		return nil
	}
	var ids []string
	pg := store.Page{Limit: store.MaxLimit}
	for {
		items, next, err := t.Store.Sessions().ListByUser(ctx, t.ID, userID, pg)
		if err != nil {
			s.log.WarnContext(ctx, "tokens: listing the sessions to revoke failed", "tenant_id", t.ID, "err", err)
			return ids
		}
		for i := range items {
			ids = append(ids, items[i].ID)
		}
		if next == "" {
			return ids
		}
		pg.After = next
	}
}

func (s *Service) notifyEnded(ctx context.Context, t *tenancy.Tenant, userID string, ids []string) {
	if s.ended != nil && len(ids) > 0 {
		s.ended(ctx, t, userID, ids)
	}
}

// RevokeClientTokens revokes every refresh and access token of a client.
func (s *Service) RevokeClientTokens(ctx context.Context, t *tenancy.Tenant, clientID string) (int64, error) {
	now := s.now().UTC()
	n, err := t.Store.RefreshTokens().RevokeForClient(ctx, t.ID, clientID, now)
	if err != nil {
		return 0, err
	}
	return n, s.revoke(ctx, t, oauth.RevokeClient, clientID, now, now.Add(s.cfg.MaxTokenLifetime))
}

// RevokeConsent forgets a user's consent to a client and revokes the
// refresh tokens the client holds for the user.
func (s *Service) RevokeConsent(ctx context.Context, t *tenancy.Tenant, userID, clientID string) error {
	if err := t.Store.Consents().Delete(ctx, t.ID, userID, clientID); err != nil {
		return err
	}
	_, err := t.Store.RefreshTokens().RevokeForUser(ctx, t.ID, userID, clientID, s.now().UTC())
	return err
}

// EndSession revokes a browser session, the refresh tokens issued under
// it, and (through the revocation list) its access tokens, without its
// browser: the SessionsEnded function hears of it.
func (s *Service) EndSession(ctx context.Context, t *tenancy.Tenant, sess *oauth.Session) error {
	err := s.EndSessionInBrowser(ctx, t, sess)
	if sess.RevokedAt == nil {
		s.notifyEnded(ctx, t, sess.UserID, []string{sess.ID})
	}
	return err
}

// EndSessionInBrowser is EndSession for a caller that has the session's
// browser and logs it out of the services it signed into itself (OIDC
// end_session, SAML single logout): SessionsEnded is not told.
func (s *Service) EndSessionInBrowser(ctx context.Context, t *tenancy.Tenant, sess *oauth.Session) error {
	now := s.now().UTC()
	var errs []error
	if err := t.Store.Sessions().Revoke(ctx, t.ID, sess.ID, now); err != nil && !errors.Is(err, store.ErrNotFound) {
		errs = append(errs, err)
	}
	if _, err := t.Store.RefreshTokens().RevokeForSession(ctx, t.ID, sess.ID, now); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, s.revoke(ctx, t, oauth.RevokeSession, sess.ID, now, now.Add(s.cfg.MaxTokenLifetime)))
	s.notifyLogout(ctx, t, sess.UserID, []string{sess.ID})
	return errors.Join(errs...)
}

// RevokeAccessToken puts one access token (by jti) on the revocation list.
func (s *Service) RevokeAccessToken(ctx context.Context, t *tenancy.Tenant, jti string) error {
	now := s.now().UTC()
	return s.revoke(ctx, t, oauth.RevokeJTI, jti, now, now.Add(s.cfg.MaxTokenLifetime))
}

func (s *Service) revoke(ctx context.Context, t *tenancy.Tenant, kind oauth.RevocationKind, key string, notBefore, until time.Time) error {
	return s.revoked.add(ctx, &oauth.Revocation{TenantID: t.ID, Kind: kind, Key: key, NotBefore: notBefore, ExpiresAt: until})
}

// Revoke implements RFC 7009 for the client: a refresh token revokes its
// family, an opaque token is marked, and a JWT goes on the jti list. A
// token that is unknown, inactive or another client's is no error (the
// RFC answers success); a store failure is.
func (s *Service) Revoke(ctx context.Context, t *tenancy.Tenant, clientID, token string) error {
	now := s.now().UTC()
	switch {
	case strings.HasPrefix(token, RefreshPrefix):
		rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, Hash(token))
		if err != nil || rt.ClientID != clientID {
			return ignoreNotFound(err)
		}
		_, err = t.Store.RefreshTokens().RevokeFamily(ctx, t.ID, rt.FamilyID, now)
		return err
	case strings.HasPrefix(token, OpaquePrefix):
		ot, err := t.Store.OpaqueTokens().GetByHash(ctx, t.ID, Hash(token))
		if err != nil || ot.ClientID != clientID {
			return ignoreNotFound(err)
		}
		return t.Store.OpaqueTokens().Revoke(ctx, t.ID, ot.ID, now)
	default:
		at, err := s.Verify(ctx, t, token)
		if errors.Is(err, ErrInactive) || (err == nil && at.ClientID != clientID) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.revoke(ctx, t, oauth.RevokeJTI, at.JTI, now, at.ExpiresAt)
	}
}

// ignoreNotFound is err unless it is store.ErrNotFound.
func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// Introspect describes token as RFC 7662 does (extra claims flattened
// in); an error means the store or the key set could not be read, not
// that the token is bad.
func (s *Service) Introspect(ctx context.Context, t *tenancy.Tenant, token string) (map[string]any, error) {
	inactive := map[string]any{"active": false}
	if token == "" {
		return inactive, nil
	}
	if strings.HasPrefix(token, RefreshPrefix) {
		rt, err := t.Store.RefreshTokens().GetByHash(ctx, t.ID, Hash(token))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err != nil || !rt.Usable(s.now()) {
			return inactive, nil
		}
		out := map[string]any{
			"active": true, "token_type": "refresh_token", "client_id": rt.ClientID, "sub": rt.UserID,
			"scope": strings.Join(rt.Scopes, " "), "exp": rt.ExpiresAt.Unix(), "iat": rt.CreatedAt.Unix(),
			"iss": t.Issuer, "aud": rt.Audience,
		}
		if rt.DPoPJKT != "" {
			out["cnf"] = map[string]any{"jkt": rt.DPoPJKT}
		}
		if rt.AuthorizationDetails != "" { // RFC 9396 9.2
			out["authorization_details"] = json.RawMessage(rt.AuthorizationDetails)
		}
		return out, nil
	}
	at, err := s.Verify(ctx, t, token)
	if errors.Is(err, ErrInactive) {
		return inactive, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range at.Extra {
		out[k] = v
	}
	out["active"] = true
	out["token_type"] = "Bearer"
	out["client_id"] = at.ClientID
	out["sub"] = at.Subject
	out["scope"] = strings.Join(at.Scopes, " ")
	out["exp"] = at.ExpiresAt.Unix()
	out["iat"] = at.IssuedAt.Unix()
	out["iss"] = t.Issuer
	out["aud"] = at.Audience
	out["jti"] = at.JTI
	if at.AuthTime != 0 {
		out["auth_time"] = at.AuthTime
	}
	if len(at.AMR) > 0 {
		out["amr"] = at.AMR
	}
	if at.ACR != "" {
		out["acr"] = at.ACR
	}
	if at.SessionID != "" {
		out["sid"] = at.SessionID
	}
	if at.JKT != "" { // RFC 9449 6.2
		out["token_type"] = "DPoP"
		out["cnf"] = map[string]any{"jkt": at.JKT}
	}
	return out, nil
}

// RevocationAdded applies a revocation another node announced: it reads
// the entry by its key, not by time (the list's own poll goes by creation
// time, which nodes with skewed clocks or slow commits can leave behind
// it). If the read fails the poll is forced instead.
func (s *Service) RevocationAdded(ctx context.Context, tenantID string, kind oauth.RevocationKind, key string) {
	r, err := s.revoked.control().Revocations().Get(ctx, tenantID, kind, key)
	if err != nil {
		s.log.WarnContext(ctx, "reading an announced revocation failed; reloading the list", "tenant_id", tenantID, "err", err)
		s.revoked.refresh(ctx, true)
		return
	}
	s.revoked.mu.Lock()
	s.revoked.put(*r)
	s.revoked.mu.Unlock()
}

// UserChanged forgets the user's verified tokens, so the next
// presentation is checked again.
func (s *Service) UserChanged(tenantID, userID string) {
	prefix := tenantID + "\x00"
	for k, at := range s.verified.All() {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix && at.UserID == userID {
			s.verified.Invalidate(k)
		}
	}
}

// Resync forgets every verified token and reloads the revocation list
// (the cluster bus may have missed changes).
func (s *Service) Resync(ctx context.Context) {
	s.verified.InvalidateAll()
	s.revoked.refresh(ctx, true)
}

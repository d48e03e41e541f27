package authn

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// ErrSessionRevoked refuses a refresh whose session the risk engine
// revoked.
var ErrSessionRevoked = errors.New("login: session revoked by risk assessment")

// revokingRules are the rules that end a session when a refresh comes
// from a new address: the address is deny-listed, or it is too far from
// the last sign-in for the time passed. Other rules (new device, source
// velocity) concern sign-ins, not a session already established.
var revokingRules = []string{"ip_denied", "impossible_travel"}

// CheckRefresh re-evaluates a refresh token's session when the refresh
// comes from another address than the session's last one (the protocol
// package asks before rotating; it reads the client address clientip
// put in ctx). On a deny-listed address or impossible travel it revokes
// the session and the token's family, records session.revoked with the
// reasons and returns ErrSessionRevoked; the protocol answers
// invalid_grant. Otherwise the session's address is updated, so the next
// refresh from it is not assessed again.
func (s *Service) CheckRefresh(ctx context.Context, t *tenancy.Tenant, rt *oauth.RefreshToken) error {
	ip, ok := clientip.FromContext(ctx)
	if s.risk == nil || !ok {
		return nil
	}
	var sess *oauth.Session
	if rt.SessionID != "" {
		var err error
		sess, err = t.Store.Sessions().Get(ctx, t.ID, rt.SessionID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if sess != nil && sess.IP == ip.String() {
			return nil
		}
	}
	a, err := s.risk.Assess(ctx, risk.Attempt{TenantID: t.ID, UserID: rt.UserID, IP: ip, Method: "refresh"})
	if err != nil {
		return err
	}
	revoke := false
	for _, rule := range revokingRules {
		revoke = revoke || a.Fired(rule)
	}
	now := s.now().UTC()
	if !revoke || a.Shadow {
		if sess != nil {
			return t.Store.Sessions().Touch(ctx, t.ID, sess.ID, now, ip.String(), sess.UserAgent)
		}
		return nil
	}
	switch {
	case sess != nil && s.endSession != nil:
		if err := s.endSession(ctx, t, sess); err != nil {
			return err
		}
	case sess != nil:
		if err := t.Store.Sessions().Revoke(ctx, t.ID, sess.ID, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if _, err := t.Store.RefreshTokens().RevokeFamily(ctx, t.ID, rt.FamilyID, now); err != nil {
		return err
	}
	e := events.Event{TenantID: t.ID, Type: events.SessionRevoked, UserID: rt.UserID, IP: ip.String(),
		Decision: string(riskpolicy.Deny), Data: map[string]any{"reason": "risk", "session_id": rt.SessionID, "client_id": rt.ClientID}}
	for _, re := range a.Reasons {
		e.Reasons = append(e.Reasons, re.Rule)
	}
	if err := s.events.Record(context.WithoutCancel(ctx), e); err != nil {
		s.log.WarnContext(ctx, "login: recording event failed", "type", e.Type, "err", err)
	}
	return ErrSessionRevoked
}

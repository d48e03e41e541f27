package accounts

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/events"
)

// recorder is s.Events, or events.Nop when unset.
func (s *Service) recorder() events.Recorder {
	if s.Events == nil {
		return events.Nop{}
	}
	return s.Events
}

// Record records an event of type typ about user in tg's tenant, from
// tg.IP. A recorder failure is logged, never returned: the user's action
// has already happened. Callers outside the package (the account API's
// password change and deletion) use it too; a nil s records nothing.
func (s *Service) Record(ctx context.Context, tg Target, typ, userID string) {
	if s == nil {
		return
	}
	e := events.Event{TenantID: tg.Scope.Tenant.ID, Type: typ, Time: s.now().UTC(), UserID: userID, IP: tg.IP}
	if err := s.recorder().Record(ctx, e); err != nil {
		s.log().ErrorContext(ctx, "onboarding: recording an event failed", "type", typ, "err", err)
	}
}

package accountapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// recordUser records an action the signed-in user took through the
// account API; like recordAdmin, a failure is logged, not returned.
func (a *base) recordUser(ctx context.Context, acct *account, typ string, data map[string]any) {
	if a.events == nil {
		return
	}
	e := events.Event{TenantID: tenancy.From(ctx).ID, Type: typ, UserID: acct.token.UserID, IP: acct.ip, Data: data}
	if err := a.events.Record(ctx, e); err != nil && a.log != nil {
		a.log.ErrorContext(ctx, "recording an account action in the audit log failed", "type", e.Type, "err", err)
	}
}

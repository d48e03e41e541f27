package loginflow

import (
	"context"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Record writes a login event; a failing recorder does not fail the
// sign-in (events.Recorder's contract), it is logged.
func (h *Flow) Record(r *http.Request, t *tenancy.Tenant, typ, userID string, data map[string]any) {
	e := events.Event{
		TenantID: t.ID, Type: typ, UserID: userID, IP: sessions.ClientIP(r), UserAgent: r.UserAgent(), Data: data,
	}
	authn.VerdictOf(r.Context()).Annotate(&e)
	if err := h.events.Record(context.WithoutCancel(r.Context()), e); err != nil {
		h.log.WarnContext(r.Context(), "login: recording event failed", "type", typ, "err", err)
	}
}

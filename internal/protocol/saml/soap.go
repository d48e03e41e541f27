package saml

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/backchannel"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Back-channel single logout (SAML SOAP binding): the logout outbox's
// worker (internal/backchannel) asks the handler to sign each queued
// LogoutRequest and tells it how each attempt went, for the audit trail
// and the metrics.

var _ backchannel.SAMLLogouts = (*Handler)(nil)

// SOAPLogout implements backchannel.SAMLLogouts: the signed LogoutRequest
// of d, for its SP's SOAP SingleLogoutService as registered now. An SP
// that no longer has one will never get it (backchannel.ErrGone).
func (h *Handler) SOAPLogout(ctx context.Context, t *tenancy.Tenant, d *store.SAMLLogoutDelivery) (*samlidp.SOAPLogout, error) {
	sp, err := t.Store.SAMLServiceProviders().Get(ctx, t.ID, d.SPID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("service provider: %w", backchannel.ErrGone)
	}
	if err != nil {
		return nil, err
	}
	if sp.SOAPSLOURL == "" {
		return nil, fmt.Errorf("the SOAP SingleLogoutService was removed: %w", backchannel.ErrGone)
	}
	return h.d.IdP.SOAPLogoutRequest(ctx, tenantOf(t), sp, d)
}

// SOAPLogoutFinished implements backchannel.SAMLLogouts: every attempt is
// counted (slo_soap: delivered, retry, failed); the final outcome of a
// delivery is a saml.slo event (outcome delivered or failed, with the SP,
// the session, the attempts and, when it failed, why).
func (h *Handler) SOAPLogoutFinished(ctx context.Context, t *tenancy.Tenant, d *store.SAMLLogoutDelivery, res store.DeliveryResult) {
	outcome := map[string]string{store.DeliveryDelivered: "delivered", store.DeliveryPending: "retry",
		store.DeliveryFailed: "failed"}[res.Status]
	h.messages.WithLabelValues("slo_soap", outcome).Inc()
	if res.Status == store.DeliveryPending {
		return
	}
	data := map[string]any{"outcome": outcome, "initiator": "back_channel", "binding": "soap", "sp_id": d.SPID,
		"session_id": d.SessionID, "attempts": d.Attempts, "sessions": 1}
	if sp, err := t.Store.SAMLServiceProviders().Get(ctx, t.ID, d.SPID); err == nil {
		data["entity_id"] = sp.EntityID
	}
	if res.Error != "" {
		data["error"] = res.Error
	}
	h.event(ctx, events.Event{TenantID: t.ID, Type: EventSLO, UserID: d.UserID, Data: data})
}

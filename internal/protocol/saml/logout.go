package saml

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Sessions that end outside SAML single logout.
//
// In the browser (OIDC RP-initiated logout, end_session, with the
// session's cookie): the browser does not go straight to the logged-out
// page or post_logout_redirect_uri but to EndPath with a sealed ticket
// naming the ended session and that target; from there every SP the
// session signed into (with a SingleLogoutService and a signing
// certificate) is sent a signed LogoutRequest through the browser, one
// after another, each answering at the SLO endpoint, and then the browser
// goes on to the target (crewjam's IdP-initiated logout,
// samlidp.Service.StartLogout).
//
// Without the browser (an admin's or the account API's revocation, "sign
// out everywhere", a password reset, "this wasn't me", a deleted
// user, end_session with only an id_token_hint, a sign-in by
// another user in the same browser): the SPs whose metadata declares a
// SOAP SingleLogoutService are sent a signed LogoutRequest server to
// server, through the logout outbox (soap.go); they are forgotten as the
// session's participants when enqueued. The others cannot be reached:
// their sessions last until they end them (at most the assertion's
// SessionNotOnOrAfter, session_lifetime_seconds); a new sign-in there
// needs a new sign-in at Gatehouse. That is recorded: a saml.slo event
// with outcome not_propagated and those SPs, and the metric. Those
// participants are kept, so a later LogoutRequest from one of those SPs
// still reaches the others.

// EndPath continues an OIDC end_session into the SAML logout of the
// session's service providers.
const EndPath = samlidp.SLOPath + "/end"

const (
	endPurpose = "saml-end-session"
	// endTicketLifetime bounds the redirect from end_session to EndPath.
	endTicketLifetime = 5 * time.Minute
)

type endTicket struct {
	SessionID string    `json:"sid"`
	UserID    string    `json:"uid"`
	ReturnTo  string    `json:"ret"`
	Expires   time.Time `json:"exp"`
}

var (
	_ oidc.BrowserLogout   = (*Handler)(nil)
	_ tokens.SessionsEnded = (*Handler)(nil).SessionsEnded
)

// AfterEndSession implements oidc.BrowserLogout: when the ended session
// signed into SPs a logout can reach, the browser goes to EndPath first.
// On any failure it goes to returnTo (and the failure is logged).
func (h *Handler) AfterEndSession(ctx context.Context, t *tenancy.Tenant, s *oauth.Session, returnTo string) string {
	if h.d.Keyring == nil {
		return returnTo
	}
	n, err := h.d.IdP.ReachableParticipants(ctx, tenantOf(t), s.ID)
	if err != nil {
		h.d.Log.WarnContext(ctx, "saml: listing the participants of an ended session failed", "tenant_id", t.ID, "err", err)
	}
	if n == 0 {
		h.SessionsEnded(ctx, t, s.UserID, []string{s.ID}) // the unreachable ones, if any
		return returnTo
	}
	b, _ := json.Marshal(endTicket{SessionID: s.ID, UserID: s.UserID, ReturnTo: returnTo, Expires: h.now().Add(endTicketLifetime)})
	sealed, err := h.d.Keyring.Seal(endPurpose, b, []byte(t.ID))
	if err != nil {
		h.d.Log.WarnContext(ctx, "saml: sealing the logout ticket failed", "tenant_id", t.ID, "err", err)
		return returnTo
	}
	return t.Issuer + EndPath + "?ticket=" + base64.RawURLEncoding.EncodeToString(sealed)
}

// endSession serves EndPath: it opens the ticket end_session made and
// starts the logout of its session's SPs. A ticket that does not open, is
// another tenant's or has expired gets the error page. The session's
// participants are forgotten once the logout starts, so a second visit
// with the same ticket goes straight to its target.
func (h *Handler) endSession(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	raw := r.URL.Query().Get("ticket")
	sealed, err := base64.RawURLEncoding.DecodeString(raw)
	var tk endTicket
	if err == nil && len(raw) <= 4096 {
		var b []byte
		if b, err = h.d.Keyring.Open(endPurpose, sealed, []byte(t.ID)); err == nil {
			err = json.Unmarshal(b, &tk)
		}
	}
	if err != nil || len(raw) > 4096 || !h.now().Before(tk.Expires) || tk.SessionID == "" || tk.ReturnTo == "" {
		h.sloRejected(w, r, t, err)
		return
	}
	// SPs the browser cannot take part in (no front-channel
	// SingleLogoutService) but with a SOAP one are reached server to server.
	h.propagate(ctx, t, tk.UserID, []string{tk.SessionID}, true)
	pw := &pageWriter{ResponseWriter: w, r: r}
	n, err := h.d.IdP.StartLogout(pw, r, tenantOf(t), tk.SessionID, tk.ReturnTo, pw.sloPages(), h.d.Log)
	if err != nil && !pw.wrote {
		h.internal(w, r, t, "starting the logout of the session's service providers", err)
		return
	}
	if err != nil {
		h.d.Log.WarnContext(ctx, "saml: logout of an ended session", "tenant_id", t.ID, "err", err)
	}
	if pw.refused != 0 {
		h.internal(w, r, t, "starting the logout of the session's service providers", err)
		return
	}
	if n > 0 {
		h.recordType(r, t, EventSLO, tk.UserID, nil, map[string]any{"outcome": "logged_out", "initiator": "end_session",
			"sessions": 1, "participants": n})
		h.count("slo", "logged_out")
	}
}

// SessionsEnded implements tokens.SessionsEnded: the sessions ended
// without their browser. The SPs with a SOAP SingleLogoutService are
// enqueued for back-channel logout; for the others a saml.slo event
// (outcome not_propagated, the SPs) records that they were not reached.
func (h *Handler) SessionsEnded(ctx context.Context, t *tenancy.Tenant, userID string, sessionIDs []string) {
	h.propagate(ctx, t, userID, sessionIDs, false)
}

// propagate is SessionsEnded; with inBrowser, the SPs a browser logout
// reaches (samlidp.Reachable) are left to it, and only the others are
// enqueued for SOAP or recorded as not reached.
func (h *Handler) propagate(ctx context.Context, t *tenancy.Tenant, userID string, sessionIDs []string, inBrowser bool) {
	var spIDs []string
	seen := map[string]bool{}
	sps := map[string]*store.SAMLServiceProvider{}
	sessions, queued := 0, 0
	for _, id := range sessionIDs {
		rows, err := t.Store.SAMLSessions().ListBySession(ctx, t.ID, id)
		if err != nil {
			h.d.Log.WarnContext(ctx, "saml: listing the participants of an ended session failed", "tenant_id", t.ID, "err", err)
			continue
		}
		var soap []string
		unreached := false
		for _, row := range rows {
			sp, err := h.serviceProvider(ctx, t, row.SPID, sps)
			if err != nil {
				h.d.Log.WarnContext(ctx, "saml: loading a participant of an ended session failed", "tenant_id", t.ID, "err", err)
				continue
			}
			if sp == nil || inBrowser && samlidp.Reachable(sp) {
				continue
			}
			if sp.SOAPSLOURL != "" {
				soap = append(soap, sp.ID)
				continue
			}
			unreached = true
			if !seen[row.SPID] {
				seen[row.SPID] = true
				spIDs = append(spIDs, row.SPID)
			}
		}
		if unreached {
			sessions++
		}
		if len(soap) > 0 {
			ds, err := t.Store.Logouts().EnqueueSAML(ctx, t.ID, id, userID, soap, h.now().UTC())
			if err != nil {
				h.d.Log.WarnContext(ctx, "saml: enqueuing the back-channel logout failed", "tenant_id", t.ID, "err", err)
			}
			queued += len(ds)
		}
	}
	if queued > 0 {
		h.messages.WithLabelValues("slo_soap", "queued").Add(float64(queued))
		if h.d.Outbox != nil {
			h.d.Outbox.Kick()
		}
	}
	if len(spIDs) == 0 {
		return
	}
	h.count("slo", "not_propagated")
	h.event(ctx, events.Event{TenantID: t.ID, Type: EventSLO, UserID: userID, Data: map[string]any{"outcome": "not_propagated",
		"sessions": sessions, "sp_ids": spIDs}})
}

// serviceProvider loads an SP once per call (sps caches them); nil when
// it is gone.
func (h *Handler) serviceProvider(ctx context.Context, t *tenancy.Tenant, id string, sps map[string]*store.SAMLServiceProvider) (*store.SAMLServiceProvider, error) {
	if sp, ok := sps[id]; ok {
		return sp, nil
	}
	sp, err := t.Store.SAMLServiceProviders().Get(ctx, t.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		sp, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	sps[id] = sp
	return sp, nil
}

// event records an audit event without a request; a failure is logged.
func (h *Handler) event(ctx context.Context, e events.Event) {
	if h.d.Events == nil {
		return
	}
	if err := h.d.Events.Record(ctx, e); err != nil {
		h.d.Log.WarnContext(ctx, "saml: recording the event failed", "type", e.Type, "err", err)
	}
}

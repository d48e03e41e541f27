package saml

import (
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Single logout, SP-initiated: a signed LogoutRequest from a registered
// SP (HTTP-Redirect or HTTP-POST) ends this browser's Gatehouse session
// and the tokens issued under it (as OIDC's end_session does), and a
// signed LogoutResponse goes back to the SP's SingleLogoutService.
// Other SPs are not sent LogoutRequests (no front-channel propagation yet).
func (h *Handler) slo(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 2*samlidp.MaxEncodedRequest)
	}
	l, err := h.d.IdP.ParseLogoutRequest(ctx, tenantOf(t), r)
	if errors.Is(err, samlidp.ErrLogout) {
		h.recordType(r, t, EventSLO, "", nil, map[string]any{"outcome": "rejected"})
		h.count("slo", "rejected")
		h.errorPage(w, r, t, http.StatusBadRequest, errBadLogout, err)
		return
	}
	if err != nil {
		h.internal(w, r, t, "parsing the LogoutRequest", err)
		return
	}
	s, err := h.d.Sessions.End(ctx, w, r, h.d.Provider.SessionScope(t))
	if err != nil {
		h.internal(w, r, t, "ending the session", err)
		return
	}
	userID := ""
	if s != nil {
		userID = s.UserID
		if err := h.d.Provider.EndSessionRecord(ctx, t, s); err != nil {
			h.d.Log.WarnContext(ctx, "saml: ending the session's tokens failed", "err", err)
		}
	}
	h.recordType(r, t, EventSLO, userID, l.SP, map[string]any{"outcome": "logged_out", "had_session": s != nil})
	h.count("slo", "logged_out")
	if l.PostBinding() {
		resp, err := h.d.IdP.SuccessPost(ctx, tenantOf(t), l)
		if err != nil {
			h.internal(w, r, t, "building the LogoutResponse", err)
			return
		}
		h.autoPost(w, resp.ACSURL, "SAMLResponse", resp.SAMLResponse, resp.RelayState)
		return
	}
	if err := l.WriteSuccess(w); err != nil {
		h.internal(w, r, t, "writing the LogoutResponse", err)
	}
}

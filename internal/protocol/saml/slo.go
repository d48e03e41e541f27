package saml

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Single logout, SP-initiated. A signed LogoutRequest from a registered
// SP (HTTP-Redirect or HTTP-POST) is matched by its NameID and
// SessionIndex to the Gatehouse sessions that signed into that SP; those
// sessions end with the tokens issued under them (as OIDC's end_session
// does: Gatehouse has no OIDC front- or back-channel logout, so relying
// parties learn of it when their refresh tokens fail); every other SP
// those sessions signed into is sent a signed LogoutRequest through the
// browser, one after another, each answering here with a LogoutResponse;
// and the SP that asked gets a signed LogoutResponse at its
// SingleLogoutService (samlidp.Service.ServeSLO).
func (h *Handler) slo(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 2*samlidp.MaxEncodedRequest)
	}
	if len(r.URL.RawQuery) > samlidp.MaxEncodedRequest || r.ParseForm() != nil {
		h.sloRejected(w, r, t, nil)
		return
	}
	var l *samlidp.LogoutRequest
	switch {
	case r.Form.Get("SAMLRequest") != "":
		var err error
		if l, err = h.d.IdP.ParseLogoutRequest(ctx, tenantOf(t), r); errors.Is(err, samlidp.ErrLogout) {
			h.sloRejected(w, r, t, err)
			return
		} else if err != nil {
			h.internal(w, r, t, "parsing the LogoutRequest", err)
			return
		}
	case r.Form.Get("SAMLResponse") == "":
		h.sloRejected(w, r, t, nil)
		return
	}
	if l == nil {
		h.logoutResponse(w, r, t)
		return
	}
	pw := &pageWriter{ResponseWriter: w, r: r}
	ender := &sessionEnder{h: h, t: t}
	res, err := h.d.IdP.ServeSLO(pw, r, tenantOf(t), l, ender, pw.sloPages(), h.d.Log)
	if err != nil && !pw.wrote {
		h.internal(w, r, t, "single logout", err)
		return
	}
	if err != nil {
		h.d.Log.WarnContext(ctx, "saml: single logout", "tenant_id", t.ID, "err", err)
	}
	if pw.refused != 0 {
		if pw.refused >= 500 {
			h.internal(w, r, t, "single logout", err)
			return
		}
		h.sloRejected(w, r, t, nil)
		return
	}
	h.recordType(r, t, EventSLO, ender.userID, l.SP, map[string]any{"outcome": "logged_out", "sessions": len(res.Ended),
		"participants": res.Participants})
	h.count("slo", "logged_out")
}

// logoutResponse takes the LogoutResponse of an SP a logout was
// propagated to (crewjam checks it against the logout's progress cookie:
// its signature, issuer and InResponseTo) and continues the logout. What
// crewjam writes is held back until the answer is recorded as used: a
// second LogoutResponse to the same request (a replay, with an old
// progress cookie) gets the error page and changes nothing.
func (h *Handler) logoutResponse(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	ans, err := samlidp.PeekLogoutResponse(r)
	if err != nil {
		h.sloRejected(w, r, t, err)
		return
	}
	held := httpx.NewHeld()
	pw := &pageWriter{ResponseWriter: held, r: r}
	if _, err := h.d.IdP.ServeSLO(pw, r, tenantOf(t), nil, &sessionEnder{h: h, t: t}, pw.sloPages(), h.d.Log); err != nil {
		h.internal(w, r, t, "single logout", err)
		return
	}
	switch {
	case pw.refused >= 500:
		h.internal(w, r, t, "single logout", errors.New("continuing the logout failed"))
		return
	case pw.refused != 0:
		h.sloRejected(w, r, t, nil)
		return
	}
	if err := h.d.IdP.UseLogoutResponse(ctx, tenantOf(t), ans); errors.Is(err, samlidp.ErrLogout) {
		h.sloRejected(w, r, t, err)
		return
	} else if err != nil {
		h.internal(w, r, t, "recording the LogoutResponse", err)
		return
	}
	held.Flush(w)
	h.count("slo", "propagated")
}

func (h *Handler) sloRejected(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, cause error) {
	h.recordType(r, t, EventSLO, "", nil, map[string]any{"outcome": "rejected"})
	h.count("slo", "rejected")
	h.errorPage(w, r, t, http.StatusBadRequest, errBadLogout, cause)
}

// sessionEnder ends sessions for samlidp.ServeSLO.
type sessionEnder struct {
	h      *Handler
	t      *tenancy.Tenant
	userID string // whose sessions ended
}

func (e *sessionEnder) EndSessions(w http.ResponseWriter, r *http.Request, ids []string) error {
	ctx := r.Context()
	sc := e.h.d.Provider.SessionScope(e.t)
	if cur, err := e.h.d.Sessions.FindPending(ctx, r, sc); err == nil && slices.Contains(ids, cur.ID) {
		if _, err := e.h.d.Sessions.End(ctx, w, r, sc); err != nil {
			return err
		}
	}
	for _, id := range ids {
		s, err := e.t.Store.Sessions().Get(ctx, e.t.ID, id)
		if err != nil {
			continue // gone already
		}
		if err := e.h.d.Provider.EndSessionInBrowser(ctx, e.t, s); err != nil {
			return err
		}
		e.userID = s.UserID
	}
	return nil
}

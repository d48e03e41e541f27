package login

import (
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

// Multi-factor sign-in: authn decides what a session lacks for a
// request (authn.Service.Need) and which steps a verified factor pays;
// this file sends a session that falls short to the second-factor page
// (mfa_pages.go), or to enrolment when the user has no factor yet, and
// keeps the "remember this device" cookie.

// mfaGate sends a session that lacks a factor to the second-factor (or
// enrolment) page and reports whether it did. justSignedIn offers
// enrolment to a user in the grace period, who may skip it; elsewhere
// (single sign-on, consent) the grace lets the request through.
func (h *flow) mfaGate(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) (bool, error) {
	if h.mfa == nil {
		return false, nil
	}
	u, err := in.Tenant.Store.Users().Get(r.Context(), in.Tenant.ID, s.UserID)
	if err != nil {
		return false, err
	}
	return h.mfaGateUser(w, r, in, s, u)
}

// mfaGateUser is mfaGate for the session's user u, as the caller just
// read it.
func (h *flow) mfaGateUser(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (bool, error) {
	if h.mfa == nil {
		return false, nil
	}
	need, err := h.MFANeeded(r, in, s, u)
	if err != nil || need == nil {
		return false, err
	}
	justSignedIn := !s.AuthTime.Before(in.Request.CreatedAt)
	if !need.Blocking() && !justSignedIn {
		return false, nil
	}
	to := loginflow.MFAURL(in, "")
	if need.Enrol {
		to = enrolURL(in)
	}
	h.Record(r, in.Tenant, events.LoginChallenged, u.ID, map[string]any{"client_id": in.Client.ID, "acr": need.Want, "enrol": need.Enrol})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true, nil
}

// The device cookie: "remember this device" for the policy's number of
// days. Its value comes from the mfa service, which binds it to the user
// and keeps a record so it can be revoked (ForgetDevices).

func enrolURL(in *oidc.Interaction) string {
	return in.Tenant.Base + "/login/mfa/enrol?authRequestID=" + url.QueryEscape(in.Request.ID)
}

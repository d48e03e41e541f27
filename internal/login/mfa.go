package login

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Multi-factor sign-in: authn decides what a session lacks for a
// request (authn.Service.Need) and which steps a verified factor pays;
// this file sends a session that falls short to the second-factor page
// (mfa_pages.go), or to enrolment when the user has no factor yet, and
// keeps the "remember this device" cookie.

// mfaTarget is the mfa service's view of the tenant.
func mfaTarget(t *tenancy.Tenant) mfa.Target { return authn.MFATarget(t) }

// mfaNeeded says what the session s of user u lacks for the request, or
// nil when it lacks nothing (or MFA is not set up in this process).
func (h *flow) mfaNeeded(r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (*authn.Need, error) {
	return h.mfaNeededFor(r, in.Tenant, in.Client.ID, in.RequiredACR(), s, u)
}

// mfaNeededFor is mfaNeeded for a sign-in to clientID that asks for the
// class asked ("" for none).
func (h *flow) mfaNeededFor(r *http.Request, t *tenancy.Tenant, clientID, asked string, s *oauth.Session, u *identity.User) (*authn.Need, error) {
	return h.authn.Need(r.Context(), h.authnRequest(nil, r, t, clientID), asked, s, u)
}

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
	need, err := h.mfaNeeded(r, in, s, u)
	if err != nil || need == nil {
		return false, err
	}
	justSignedIn := !s.AuthTime.Before(in.Request.CreatedAt)
	if !need.Blocking() && !justSignedIn {
		return false, nil
	}
	to := mfaURL(in, "")
	if need.Enrol {
		to = enrolURL(in)
	}
	h.record(r, in.Tenant, events.LoginChallenged, u.ID, map[string]any{"client_id": in.Client.ID, "acr": need.Want, "enrol": need.Enrol})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true, nil
}

// stepUp adds a verified factor to the session, with the steps it pays,
// remembers the device when asked (and allowed), and records the sign-in.
func (h *flow) stepUp(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, res *mfa.Result, remember int) (*oauth.Session, error) {
	t := in.Tenant
	up, err := h.sessions.StepUp(r.Context(), h.p.SessionScope(t), s, res.AMR, oidc.ACRFor, authn.PaidBy(s, res)...)
	if err != nil {
		return nil, err
	}
	// A paid risk challenge completes the sign-in for the risk engine; its
	// verdict goes with the events that follow.
	v, err := h.authn.Passed(r.Context(), h.authnRequest(w, r, t, in.Client.ID), s, up, res)
	if err != nil {
		return nil, err
	}
	r = withVerdict(r, v)
	if remember > 0 {
		if err := h.rememberDevice(w, r, t, s.UserID, remember); err != nil {
			return nil, err
		}
	}
	data := map[string]any{"client_id": in.Client.ID, "amr": up.AMR, "acr": up.ACR}
	if res.Factor != nil {
		data["factor_type"] = string(res.Factor.Type)
	}
	h.record(r, t, events.LoginSucceeded, s.UserID, data)
	return up, nil
}

// The device cookie: "remember this device" for the policy's number of
// days. Its value comes from the mfa service, which binds it to the user
// and keeps a record so it can be revoked (ForgetDevices).

func deviceCookieName(t *tenancy.Tenant) string {
	if t.Base == "" {
		return "gh_device"
	}
	return "gh_device_" + t.Slug
}

func (h *flow) rememberDevice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, userID string, days int) error {
	v, exp, err := h.mfa.RememberDevice(r.Context(), mfaTarget(t), userID, days)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookieName(t), Value: v, Path: cookiePath(t), Expires: exp, HttpOnly: true,
		Secure: strings.HasPrefix(t.Issuer, "https://"), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// record writes a login event; a failing recorder does not fail the
// sign-in (events.Recorder's contract), it is logged.
func (h *base) record(r *http.Request, t *tenancy.Tenant, typ, userID string, data map[string]any) {
	e := events.Event{
		TenantID: t.ID, Type: typ, UserID: userID, IP: sessions.ClientIP(r), UserAgent: r.UserAgent(), Data: data,
	}
	authn.VerdictOf(r.Context()).Annotate(&e)
	if err := h.events.Record(context.WithoutCancel(r.Context()), e); err != nil {
		h.log.WarnContext(r.Context(), "login: recording event failed", "type", typ, "err", err)
	}
}

func mfaURL(in *oidc.Interaction, method string) string {
	u := in.Tenant.Base + "/login/mfa?authRequestID=" + url.QueryEscape(in.Request.ID)
	if method != "" {
		u += "&method=" + url.QueryEscape(method)
	}
	return u
}

func enrolURL(in *oidc.Interaction) string {
	return in.Tenant.Base + "/login/mfa/enrol?authRequestID=" + url.QueryEscape(in.Request.ID)
}

// lacksFactor reports whether the account's session may not answer the
// request for want of a factor (the grace period lets it).
func (h *flow) lacksFactor(r *http.Request, in *oidc.Interaction, acct *Account) (bool, error) {
	need, err := h.mfaNeeded(r, in, acct.Session, acct.User)
	return need.Blocking(), err
}

package loginflow

import (
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// MFATarget is the mfa service's view of the tenant.
func MFATarget(t *tenancy.Tenant) mfa.Target { return authn.MFATarget(t) }

// MFANeeded says what the session s of user u lacks for the request, or
// nil when it lacks nothing (or MFA is not set up in this process).
func (h *Flow) MFANeeded(r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (*authn.Need, error) {
	return h.MFANeededFor(r, in.Tenant, in.Client.ID, in.RequiredACR(), s, u)
}

// MFANeededFor is MFANeeded for a sign-in to clientID that asks for the
// class asked ("" for none).
func (h *Flow) MFANeededFor(r *http.Request, t *tenancy.Tenant, clientID, asked string, s *oauth.Session, u *identity.User) (*authn.Need, error) {
	return h.authn.Need(r.Context(), h.AuthnRequest(nil, r, t, clientID), asked, s, u)
}

// StepUp adds a verified factor to the session, with the steps it pays,
// remembers the device when asked (and allowed), and records the sign-in.
func (h *Flow) StepUp(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, res *mfa.Result, remember int) (*oauth.Session, error) {
	t := in.Tenant
	up, err := h.sessions.StepUp(r.Context(), h.p.SessionScope(t), s, res.AMR, oidc.ACRFor, authn.PaidBy(s, res)...)
	if err != nil {
		return nil, err
	}
	// A paid risk challenge completes the sign-in for the risk engine; its
	// verdict goes with the events that follow.
	v, err := h.authn.Passed(r.Context(), h.AuthnRequest(w, r, t, in.Client.ID), s, up, res)
	if err != nil {
		return nil, err
	}
	r = WithVerdict(r, v)
	if remember > 0 {
		if err := h.rememberDevice(w, r, t, s.UserID, remember); err != nil {
			return nil, err
		}
	}
	data := map[string]any{"client_id": in.Client.ID, "amr": up.AMR, "acr": up.ACR}
	if res.Factor != nil {
		data["factor_type"] = string(res.Factor.Type)
	}
	h.Record(r, t, events.LoginSucceeded, s.UserID, data)
	return up, nil
}

func DeviceCookieName(t *tenancy.Tenant) string {
	if t.Base == "" {
		return "gh_device"
	}
	return "gh_device_" + t.Slug
}

func (h *Flow) rememberDevice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, userID string, days int) error {
	v, exp, err := h.mfa.RememberDevice(r.Context(), MFATarget(t), userID, days)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: DeviceCookieName(t), Value: v, Path: CookiePath(t), Expires: exp, HttpOnly: true,
		Secure: strings.HasPrefix(t.Issuer, "https://"), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// LacksFactor reports whether the account's session may not answer the
// request for want of a factor (the grace period lets it).
func (h *Flow) LacksFactor(r *http.Request, in *oidc.Interaction, acct *Account) (bool, error) {
	need, err := h.MFANeeded(r, in, acct.Session, acct.User)
	return need.Blocking(), err
}

// CodeMethods are the user's code factors in the order the page prefers
// them, and whether the user has a passkey or security key.
func (h *Flow) CodeMethods(r *http.Request, t *tenancy.Tenant, u *identity.User, need *authn.Need) ([]string, bool, error) {
	fs, err := h.mfa.Factors(r.Context(), need.Target, u.ID)
	if err != nil {
		return nil, false, err
	}
	has := map[factor.FactorType]bool{}
	for _, f := range fs {
		has[f.Type] = true
	}
	if need.Want == factor.ACRPhishingResistant { // only WebAuthn reaches it
		return nil, has[factor.WebAuthn], nil
	}
	has[factor.EmailOTP] = (t.MFA.AllowEmailOTP || need.Target.RiskChallenge) && u.EmailVerified
	has[factor.SMS] = has[factor.SMS] && t.MFA.AllowSMS
	var out []string
	for _, m := range []factor.FactorType{factor.TOTP, factor.Recovery, factor.EmailOTP, factor.SMS} {
		if has[m] {
			out = append(out, string(m))
		}
	}
	return out, has[factor.WebAuthn], nil
}

package login

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Multi-factor sign-in. A correct password starts a session that reached
// only urn:gatehouse:acr:pwd. Before a request is answered, mfaNeeded
// compares the session with what the tenant's policy (for this user and
// client) and the request's acr_values demand; a session that falls
// short is sent to the second-factor page (mfa_pages.go), or to enrolment
// when the user has no factor yet. The answer adds the factor to the
// session (sessions.Manager.StepUp), so a step-up later asks only for the
// missing factor, never the password again. A remembered device (a
// signed cookie the mfa service can revoke) satisfies the policy, but
// never acr_values: a client that asks for MFA gets a fresh factor.

// mfaNeed is what a session lacks for a request.
type mfaNeed struct {
	// want is the class to reach now (factor.ACRMFA or
	// ACRPhishingResistant); goal is the class the request needs in the
	// end, above want while a user proves their factor before enrolling a
	// phishing-resistant one.
	want, goal string
	// enrol: the user has no factor yet, so must enrol one first.
	enrol bool
	// graceUntil is set when only the policy asks and the user may still
	// skip enrolment until then.
	graceUntil *time.Time
	// remember offers "remember this device" for that many days.
	remember int
	// target is the mfa service's view for answering: for a risk
	// challenge (risk.go) it allows an email code and hides the factors
	// added since the sign-in started (challengeTarget).
	target mfa.Target
}

// blocking reports whether the request must wait for the factor: a
// sign-in within the enrolment grace may go on without.
func (n *mfaNeed) blocking() bool {
	return n != nil && !(n.enrol && n.graceUntil != nil)
}

// mfaTarget is the mfa service's view of the tenant.
func mfaTarget(t *tenancy.Tenant) mfa.Target {
	return mfa.Target{Tenant: t.Tenant, Store: t.Store, Issuer: t.Issuer}
}

// stronger returns the stronger of two classes ("" is none).
func stronger(a, b string) string {
	if b == "" || (a != "" && factor.Satisfies(a, []string{b})) {
		return a
	}
	return b
}

// mfaNeeded says what the session s of user u lacks for the request, or
// nil when it lacks nothing (or MFA is not set up in this process).
func (h *Handler) mfaNeeded(r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (*mfaNeed, error) {
	return h.mfaNeededFor(r, in.Tenant, in.Client.ID, in.RequiredACR(), s, u)
}

// mfaNeededFor is mfaNeeded for a sign-in to clientID that asks for the
// class asked ("" for none).
func (h *Handler) mfaNeededFor(r *http.Request, t *tenancy.Tenant, clientID, asked string, s *oauth.Session, u *identity.User) (*mfaNeed, error) {
	if h.mfa == nil {
		return nil, nil
	}
	ctx := r.Context()
	if asked == factor.ACRPassword {
		asked = ""
	}
	// What the session owes is asked whatever the policy says now: a risk
	// challenge asks for a factor even where MFA is off.
	owed := ""
	switch {
	case s.Owes(oauth.StepPhishingResistant):
		owed = factor.ACRPhishingResistant
	case s.Owes(oauth.StepSecondFactor), s.Owes(oauth.StepRiskChallenge):
		owed = factor.ACRMFA
	}
	asked = stronger(asked, owed)
	policy := t.MFA
	if policy.Mode == factor.ModeOff && owed == "" {
		// MFA is switched off for the tenant: no factor can be asked, and
		// the token's acr says honestly what the session reached.
		return nil, nil
	}
	forced := s.Owes(oauth.StepRiskChallenge)
	tg := challengeTarget(t, s)
	enrolled, err := h.mfa.HasFactor(ctx, tg, u.ID)
	if err != nil {
		return nil, err
	}
	// A code by email needs no enrolment where the tenant allows it.
	has := enrolled || (policy.AllowEmailOTP && u.Email != "" && u.EmailVerified)
	req := policy.Evaluate(u, clientID, has, h.now())
	// A user who enrolled a factor is asked for it whatever the mode
	// (optional included): that is what they enrolled it for.
	req.Required = req.Required || enrolled
	if !req.Required && asked == "" {
		return nil, nil
	}
	byPolicy := ""
	switch {
	case req.PhishingResistant:
		byPolicy = factor.ACRPhishingResistant
	case req.Required && h.deviceRemembered(r, t, u.ID):
		// The remembered device stands in for the factor the policy asks.
	case req.Required:
		byPolicy = factor.ACRMFA
	}
	want := stronger(asked, byPolicy)
	if want == "" || (owed == "" && factor.Satisfies(s.ACR, []string{want})) {
		// A step the session owes is paid by a factor answered for it,
		// whatever the session reached before.
		return nil, nil
	}
	n := &mfaNeed{want: want, goal: want, enrol: !has, remember: policy.RememberDeviceDays, target: tg}
	if forced && n.enrol && want == factor.ACRMFA && u.EmailVerified {
		n.enrol = false // an email code answers a risk challenge
	}
	if has && want == factor.ACRPhishingResistant {
		// Only WebAuthn reaches phr: without a key, enrol one. A user who
		// has another factor proves it first: the password alone never
		// adds a factor to an account that has one.
		if n.enrol, err = h.lacksWebAuthn(r, tg, u.ID); err != nil {
			return nil, err
		}
		if n.enrol && enrolled && !factor.Satisfies(s.ACR, []string{factor.ACRMFA}) {
			n.want, n.enrol = factor.ACRMFA, false
		}
	}
	if n.enrol && req.GraceUntil != nil && (asked == "" || factor.Satisfies(s.ACR, []string{asked})) {
		n.graceUntil = req.GraceUntil
	}
	return n, nil
}

func (h *Handler) lacksWebAuthn(r *http.Request, tg mfa.Target, userID string) (bool, error) {
	fs, err := h.mfa.Factors(r.Context(), tg, userID)
	if err != nil {
		return false, err
	}
	return !slices.ContainsFunc(fs, func(f factor.Factor) bool { return f.Type == factor.WebAuthn }), nil
}

// mfaGate sends a session that lacks a factor to the second-factor (or
// enrolment) page and reports whether it did. justSignedIn offers
// enrolment to a user in the grace period, who may skip it; elsewhere
// (single sign-on, consent) the grace lets the request through.
func (h *Handler) mfaGate(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) (bool, error) {
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
func (h *Handler) mfaGateUser(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (bool, error) {
	if h.mfa == nil {
		return false, nil
	}
	need, err := h.mfaNeeded(r, in, s, u)
	if err != nil || need == nil {
		return false, err
	}
	justSignedIn := !s.AuthTime.Before(in.Request.CreatedAt)
	if !need.blocking() && !justSignedIn {
		return false, nil
	}
	to := mfaURL(in, "")
	if need.enrol {
		to = enrolURL(in)
	}
	h.record(r, in.Tenant, events.LoginChallenged, u.ID, map[string]any{"client_id": in.Client.ID, "acr": need.want, "enrol": need.enrol})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true, nil
}

// stepUp adds a verified factor to the session, with the steps it pays,
// remembers the device when asked (and allowed), and records the sign-in.
func (h *Handler) stepUp(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, res *mfa.Result, remember int) (*oauth.Session, error) {
	t := in.Tenant
	up, err := h.sessions.StepUp(r.Context(), h.p.SessionScope(t), s, res.AMR, oidc.ACRFor, paidBy(s, res)...)
	if err != nil {
		return nil, err
	}
	if r, err = h.riskPassed(w, r, t, s, up, factorName(res)); err != nil {
		return nil, err
	}
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

// paidBy lists the steps of s the verified factor res pays: the second
// factor, once the session with it reaches urn:gatehouse:acr:mfa (phr
// for a phishing-resistant one), and the risk challenge likewise, but
// only with a factor the user had before the challenged sign-in started
// (or an email code): a factor enrolled since, by whoever holds the
// password, answers nothing.
func paidBy(s *oauth.Session, res *mfa.Result) []oauth.Step {
	acr := oidc.ACRFor(sessions.MergeAMR(s.AMR, res.AMR))
	var out []oauth.Step
	if factor.Satisfies(acr, []string{factor.ACRMFA}) {
		out = append(out, oauth.StepSecondFactor)
		if res.Factor == nil || !res.Factor.CreatedAt.After(s.CreatedAt) {
			out = append(out, oauth.StepRiskChallenge)
		}
	}
	if factor.Satisfies(acr, []string{factor.ACRPhishingResistant}) {
		out = append(out, oauth.StepPhishingResistant)
	}
	return out
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

func (h *Handler) rememberDevice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, userID string, days int) error {
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

func (h *Handler) deviceRemembered(r *http.Request, t *tenancy.Tenant, userID string) bool {
	c, err := r.Cookie(deviceCookieName(t))
	if err != nil || c.Value == "" || len(c.Value) > 512 {
		return false
	}
	return h.mfa.DeviceRemembered(r.Context(), mfaTarget(t), userID, c.Value)
}

// record writes a login event; a failing recorder does not fail the
// sign-in (events.Recorder's contract), it is logged.
func (h *Handler) record(r *http.Request, t *tenancy.Tenant, typ, userID string, data map[string]any) {
	e := events.Event{
		TenantID: t.ID, Type: typ, UserID: userID, IP: sessions.ClientIP(r), UserAgent: r.UserAgent(), Data: data,
	}
	riskVerdict(r, &e)
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

// mayEnrol reports whether the session may enrol a factor now, at
// sign-in: what it lacks is a factor the user does not have yet. A
// session that owes a risk challenge never may: the challenge is
// answered with what the user had before, and whoever holds only the
// password must not leave a factor of their own on the account.
func mayEnrol(s *oauth.Session, need *mfaNeed) bool {
	return need != nil && need.enrol && !s.Owes(oauth.StepRiskChallenge)
}

// lacksFactor reports whether the account's session may not answer the
// request for want of a factor (the grace period lets it).
func (h *Handler) lacksFactor(r *http.Request, in *oidc.Interaction, acct *account) (bool, error) {
	need, err := h.mfaNeeded(r, in, acct.s, acct.u)
	return need.blocking(), err
}

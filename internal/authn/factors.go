package authn

import (
	"context"
	"slices"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Multi-factor sign-in. A correct password starts a session that reached
// only urn:gatehouse:acr:pwd. Before a request is answered, Need compares
// the session with what the tenant's policy (for this user and client)
// and the request's acr_values demand; the transport sends a session
// that falls short to the second-factor page, or to enrolment when the
// user has no factor yet. The answer adds the factor to the session
// (sessions.Manager.StepUp with PaidBy), so a step-up later asks only for
// the missing factor, never the password again. A remembered device
// satisfies the policy, but never acr_values: a client that asks for MFA
// gets a fresh factor.

// Need is what a session lacks for a request.
type Need struct {
	// Want is the class to reach now (factor.ACRMFA or
	// ACRPhishingResistant); Goal is the class the request needs in the
	// end, above Want while a user proves their factor before enrolling a
	// phishing-resistant one.
	Want, Goal string
	// Enrol: the user has no factor yet, so must enrol one first.
	Enrol bool
	// GraceUntil is set when only the policy asks and the user may still
	// skip enrolment until then.
	GraceUntil *time.Time
	// Remember offers "remember this device" for that many days.
	Remember int
	// Target is the mfa service's view for answering: for a risk
	// challenge it allows an email code and hides the factors added since
	// the sign-in started (ChallengeTarget).
	Target mfa.Target
}

// Blocking reports whether the request must wait for the factor: a
// sign-in within the enrolment grace may go on without. A nil Need
// blocks nothing.
func (n *Need) Blocking() bool {
	return n != nil && !(n.Enrol && n.GraceUntil != nil)
}

// MayEnrol reports whether session sess may enrol a factor now, at
// sign-in: what it lacks (n) is a factor the user does not have yet. A
// session that owes a risk challenge never may: the challenge is
// answered with what the user had before, and whoever holds only the
// password must not leave a factor of their own on the account.
func MayEnrol(sess *oauth.Session, n *Need) bool {
	return n != nil && n.Enrol && !sess.Owes(oauth.StepRiskChallenge)
}

// stronger returns the stronger of two classes ("" is none).
func stronger(a, b string) string {
	if b == "" || (a != "" && factor.Satisfies(a, []string{b})) {
		return a
	}
	return b
}

// Need says what session sess of user u lacks for a sign-in to
// req.ClientID that asks for the class asked ("" for none), or nil when
// it lacks nothing (or MFA is not set up in this process).
func (s *Service) Need(ctx context.Context, req *Request, asked string, sess *oauth.Session, u *identity.User) (*Need, error) {
	if s.mfa == nil {
		return nil, nil
	}
	t := req.Tenant
	if asked == factor.ACRPassword {
		asked = ""
	}
	// What the session owes is asked whatever the policy says now: a risk
	// challenge asks for a factor even where MFA is off.
	owed := ""
	switch {
	case sess.Owes(oauth.StepPhishingResistant):
		owed = factor.ACRPhishingResistant
	case sess.Owes(oauth.StepSecondFactor), sess.Owes(oauth.StepRiskChallenge):
		owed = factor.ACRMFA
	}
	asked = stronger(asked, owed)
	policy := t.MFA
	if policy.Mode == factor.ModeOff && owed == "" {
		// MFA is switched off for the tenant: no factor can be asked, and
		// the token's acr says honestly what the session reached.
		return nil, nil
	}
	forced := sess.Owes(oauth.StepRiskChallenge)
	tg := ChallengeTarget(t, sess)
	enrolled, err := s.mfa.HasFactor(ctx, tg, u.ID)
	if err != nil {
		return nil, err
	}
	// A code by email needs no enrolment where the tenant allows it.
	has := enrolled || (policy.AllowEmailOTP && u.Email != "" && u.EmailVerified)
	pr := policy.Evaluate(u, req.ClientID, has, s.now())
	// A user who enrolled a factor is asked for it whatever the mode
	// (optional included): that is what they enrolled it for.
	pr.Required = pr.Required || enrolled
	if !pr.Required && asked == "" {
		return nil, nil
	}
	byPolicy := ""
	switch {
	case pr.PhishingResistant:
		byPolicy = factor.ACRPhishingResistant
	case pr.Required && s.deviceRemembered(ctx, req, u.ID):
		// The remembered device stands in for the factor the policy asks.
	case pr.Required:
		byPolicy = factor.ACRMFA
	}
	want := stronger(asked, byPolicy)
	if want == "" || (owed == "" && factor.Satisfies(sess.ACR, []string{want})) {
		// A step the session owes is paid by a factor answered for it,
		// whatever the session reached before.
		return nil, nil
	}
	n := &Need{Want: want, Goal: want, Enrol: !has, Remember: policy.RememberDeviceDays, Target: tg}
	if forced && n.Enrol && want == factor.ACRMFA && u.EmailVerified {
		n.Enrol = false // an email code answers a risk challenge
	}
	if has && want == factor.ACRPhishingResistant {
		// Only WebAuthn reaches phr: without a key, enrol one. A user who
		// has another factor proves it first: the password alone never
		// adds a factor to an account that has one.
		if n.Enrol, err = s.lacksWebAuthn(ctx, tg, u.ID); err != nil {
			return nil, err
		}
		if n.Enrol && enrolled && !factor.Satisfies(sess.ACR, []string{factor.ACRMFA}) {
			n.Want, n.Enrol = factor.ACRMFA, false
		}
	}
	if n.Enrol && pr.GraceUntil != nil && (asked == "" || factor.Satisfies(sess.ACR, []string{asked})) {
		n.GraceUntil = pr.GraceUntil
	}
	return n, nil
}

func (s *Service) lacksWebAuthn(ctx context.Context, tg mfa.Target, userID string) (bool, error) {
	fs, err := s.mfa.Factors(ctx, tg, userID)
	if err != nil {
		return false, err
	}
	return !slices.ContainsFunc(fs, func(f factor.Factor) bool { return f.Type == factor.WebAuthn }), nil
}

// deviceRemembered reports whether the request's "remember this device"
// cookie is a live one of the user's.
func (s *Service) deviceRemembered(ctx context.Context, req *Request, userID string) bool {
	c := req.RememberedDevice
	if c == "" || len(c) > 512 {
		return false
	}
	return s.mfa.DeviceRemembered(ctx, MFATarget(req.Tenant), userID, c)
}

// ChallengeTarget is MFATarget for the second factor of session sess: for
// a risk challenge, email codes are allowed whatever the tenant allows,
// and only the factors the user had when the challenged sign-in started
// count.
func ChallengeTarget(t *tenancy.Tenant, sess *oauth.Session) mfa.Target {
	tg := MFATarget(t)
	if sess.Owes(oauth.StepRiskChallenge) {
		tg.RiskChallenge, tg.FactorsUntil = true, sess.CreatedAt
	}
	return tg
}

// Start says how a sign-in of u with the methods amr starts its session:
// with what it still owes before it is signed in. That is the risk
// engine's challenge of a password sign-in (v, the attempt's verdict; a
// passkey is the strongest factor and meets it), the second factor the
// tenant's policy asks of this user and client (none within the
// enrolment grace period or on a remembered device), and a new password
// when the user is flagged or the password is breached.
func (s *Service) Start(ctx context.Context, req *Request, u *identity.User, v *Verdict, amr []string) (sessions.Start, error) {
	st := sessions.Start{UserID: u.ID, AMR: amr, ACR: factor.ACRFor(amr)}
	if v.Challenged() && (v.Attempt.Method == "password" || v.Attempt.Method == "federated") {
		st.Pending = append(st.Pending, oauth.StepRiskChallenge)
		st.NotifyNewDevice = v.Assessment.NotifyNewDevice
	}
	need, err := s.Need(ctx, req, "", &oauth.Session{AMR: st.AMR, ACR: st.ACR}, u)
	if err != nil {
		return st, err
	}
	if need.Blocking() {
		step := oauth.StepSecondFactor
		if need.Goal == factor.ACRPhishingResistant {
			step = oauth.StepPhishingResistant
		}
		st.Pending = append(st.Pending, step)
	}
	must, err := s.MustChangePassword(ctx, req, u.ID)
	if err != nil {
		return st, err
	}
	if must || (v != nil && v.Assessment.RequirePasswordChange && s.accounts != nil) {
		st.Pending = append(st.Pending, oauth.StepPasswordChange)
	}
	return st, nil
}

// MustChangePassword reports whether the user was flagged to change the
// password (a breached password found at a sign-in).
func (s *Service) MustChangePassword(ctx context.Context, req *Request, userID string) (bool, error) {
	if s.accounts == nil {
		return false, nil
	}
	return s.accounts.PasswordChangeRequired(ctx, req.Accounts, userID)
}

// PaidBy lists the steps of sess the verified factor res pays: the second
// factor, once the session with it reaches urn:gatehouse:acr:mfa (phr
// for a phishing-resistant one), and the risk challenge likewise, but
// only with a factor the user had before the challenged sign-in started
// (or an email code): a factor enrolled since, by whoever holds the
// password, answers nothing.
func PaidBy(sess *oauth.Session, res *mfa.Result) []oauth.Step {
	acr := factor.ACRFor(sessions.MergeAMR(sess.AMR, res.AMR))
	var out []oauth.Step
	if factor.Satisfies(acr, []string{factor.ACRMFA}) {
		out = append(out, oauth.StepSecondFactor)
		if res.Factor == nil || !res.Factor.CreatedAt.After(sess.CreatedAt) {
			out = append(out, oauth.StepRiskChallenge)
		}
	}
	if factor.Satisfies(acr, []string{factor.ACRPhishingResistant}) {
		out = append(out, oauth.StepPhishingResistant)
	}
	return out
}

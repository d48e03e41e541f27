package authn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Risk-based sign-in (docs/risk.md). Every attempt is assessed before its
// credential is checked and observed afterwards. A deny refuses the
// attempt like a wrong password (429 with Retry-After for back-offs,
// locks and throttles); a challenge lets a correct password start a
// session that owes the challenge (oauth.StepRiskChallenge): it is not
// signed in anywhere until the user answers with a factor they had before
// this sign-in, or an email code for users without a factor (Need asks
// for it whatever the tenant's MFA policy). The sign-in counts as a
// success for the engine (history, device cookie, new-device notice) only
// once the challenge is passed; a wrong answer counts as a failure.

// Verdict is the risk engine's assessment of one attempt.
type Verdict struct {
	Attempt    risk.Attempt
	Assessment riskpolicy.Assessment
}

// Denied reports whether the engine refused the attempt.
func (v *Verdict) Denied() bool { return v != nil && v.Assessment.Decision == riskpolicy.Deny }

// Challenged reports whether the engine asked for a challenge.
func (v *Verdict) Challenged() bool { return v != nil && v.Assessment.Decision == riskpolicy.Challenge }

// Annotate adds the verdict and the attempt's device to an event; a nil
// verdict adds nothing.
func (v *Verdict) Annotate(e *events.Event) {
	if v == nil {
		return
	}
	e.DeviceID = v.Attempt.DeviceID
	e.Decision = string(v.Assessment.Decision)
	for _, re := range v.Assessment.Reasons {
		e.Reasons = append(e.Reasons, re.Rule)
	}
}

type verdictKey struct{}

// WithVerdict returns ctx carrying the attempt's verdict, so every event
// of the request records it.
func WithVerdict(ctx context.Context, v *Verdict) context.Context {
	return context.WithValue(ctx, verdictKey{}, v)
}

// VerdictOf is the verdict ctx carries, nil if none.
func VerdictOf(ctx context.Context) *Verdict {
	v, _ := ctx.Value(verdictKey{}).(*Verdict)
	return v
}

// attempt describes req's attempt to the engine.
func attempt(req *Request, userID, login, pw, method string) risk.Attempt {
	return risk.Attempt{TenantID: req.Tenant.ID, UserID: userID, Login: login, IP: req.IP, DeviceID: req.DeviceID,
		UserAgent: req.UserAgent, Password: pw, Method: method}
}

// assess asks the engine about an attempt.
func (s *Service) assess(ctx context.Context, req *Request, userID, login, pw, method string) (*Verdict, error) {
	v := &Verdict{Attempt: attempt(req, userID, login, pw, method)}
	a, err := s.risk.Assess(ctx, v.Attempt)
	if err != nil {
		return nil, err
	}
	v.Assessment = a
	return v, nil
}

// denied records a denied attempt and returns its refusal.
func (s *Service) denied(ctx context.Context, req *Request, userID string) error {
	s.record(ctx, req, events.LoginDenied, userID, map[string]any{"reason": "risk", "client_id": req.ClientID})
	if ra := VerdictOf(ctx).Assessment.RetryAfter; ra > 0 {
		return &LimitedError{RetryAfter: ra}
	}
	return ErrBadCredentials
}

// failed observes a failed attempt and records it, and the lock of the
// account+source pair when this failure caused one.
func (s *Service) failed(ctx context.Context, req *Request, v *Verdict, data map[string]any) {
	locked := s.observeFailure(ctx, v.Attempt, &v.Assessment)
	s.record(ctx, req, events.LoginFailed, v.Attempt.UserID, data)
	if locked {
		s.recordLock(ctx, req, v.Attempt.UserID)
	}
}

// observeFailure counts a failed attempt with the engine and reports
// whether it locked the account+source pair (it was not locked before).
// a is the attempt's assessment in this request, nil if none.
func (s *Service) observeFailure(ctx context.Context, at risk.Attempt, a *riskpolicy.Assessment) bool {
	ctx = context.WithoutCancel(ctx)
	was := s.risk.PairLocked(ctx, at)
	if err := s.risk.Observe(ctx, at, risk.Outcome{Assessed: a}); err != nil {
		s.log.WarnContext(ctx, "login: risk observe failed", "err", err)
	}
	return !was && s.risk.PairLocked(ctx, at)
}

// recordLock records that the account+source pair of userID was locked.
func (s *Service) recordLock(ctx context.Context, req *Request, userID string) {
	s.record(ctx, req, events.AccountLocked, userID, map[string]any{"scope": "account+source", "client_id": req.ClientID})
}

// ChallengeFailed counts a wrong answer to the risk challenge session
// sess owes as a failed sign-in with the engine (failure counters,
// back-off, the pair lock and its account.locked event): a challenge is
// no unlimited second chance at the account. Wrong answers to a second
// factor the policy asks are limited by the challenge and the mfa
// service's rate limit only.
func (s *Service) ChallengeFailed(ctx context.Context, req *Request, sess *oauth.Session) {
	if s.risk == nil || !sess.Owes(oauth.StepRiskChallenge) {
		return
	}
	if s.observeFailure(ctx, attempt(req, sess.UserID, "", "", "password"), nil) {
		s.recordLock(ctx, req, sess.UserID)
	}
}

// PasskeyFailed counts a refused passkey sign-in with the engine, for
// the user its assertion names (the user handle) or, naming none that
// exists, under that handle as an unknown identifier: forged assertions
// meet the same velocity rules, back-off and locks as wrong passwords.
// credential is the WebAuthn assertion as the client sent it.
func (s *Service) PasskeyFailed(ctx context.Context, req *Request, credential []byte) {
	if s.risk == nil {
		return
	}
	var c struct {
		Response struct {
			UserHandle string `json:"userHandle"`
		} `json:"response"`
	}
	_ = json.Unmarshal(credential, &c)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.Response.UserHandle, "="))
	if err != nil || len(raw) == 0 || len(raw) > 64 {
		raw = nil
	}
	t := req.Tenant
	userID, login := "", "passkey:"+string(raw)
	if len(raw) > 0 {
		if u, err := t.Store.Users().Get(ctx, t.ID, string(raw)); err == nil {
			userID = u.ID
		}
	}
	if s.observeFailure(ctx, attempt(req, userID, login, "", "passkey"), nil) && userID != "" {
		s.recordLock(ctx, req, userID)
	}
}

// canChallenge reports whether u can answer a risk challenge: a factor,
// or a verified email for a code.
func (s *Service) canChallenge(ctx context.Context, t *tenancy.Tenant, u *identity.User) (bool, error) {
	if s.mfa == nil {
		return false, nil
	}
	if u.EmailVerified && u.Email != "" {
		return true, nil
	}
	return s.mfa.HasFactor(ctx, MFATarget(t), u.ID)
}

// passkey assesses a passkey sign-in of u (the credential already
// verified: a passkey is the strongest factor, so a challenge is met).
func (s *Service) passkey(ctx context.Context, req *Request, u *identity.User) (*Result, error) {
	t := req.Tenant
	if u == nil || u.Disabled || u.Locked(s.now()) {
		userID := ""
		if u != nil {
			userID = u.ID
		}
		s.record(ctx, req, events.LoginFailed, userID, map[string]any{"reason": "passkey_user"})
		return nil, ErrBadCredentials
	}
	if t.Onboarding.RequireVerifiedEmail && !u.EmailVerified {
		return &Result{User: u}, ErrEmailUnverified
	}
	if s.risk == nil {
		return &Result{User: u}, nil
	}
	v, err := s.assess(ctx, req, u.ID, "", "", "passkey")
	if err != nil {
		return nil, err
	}
	if v.Denied() {
		return &Result{Verdict: v}, s.denied(WithVerdict(ctx, v), req, u.ID)
	}
	return &Result{User: u, Verdict: v}, nil
}

// SignedIn follows an accepted credential whose session sess started (nil
// when the transport completes before it starts one): a challenged
// attempt left the challenge owed on the session, any other completes
// the sign-in for the engine (Complete).
func (s *Service) SignedIn(ctx context.Context, req *Request, u *identity.User, v *Verdict, sess *oauth.Session) error {
	if v == nil || s.risk == nil || (sess != nil && sess.Owes(oauth.StepRiskChallenge)) {
		return nil
	}
	f := "password"
	switch v.Attempt.Method {
	case "passkey":
		f = string(factor.WebAuthn)
	case "federated":
		f = "federated"
	}
	return s.complete(ctx, req, u, v.Attempt, risk.Outcome{Success: true, Factor: f, Assessed: &v.Assessment},
		v.Assessment.NotifyNewDevice, v.Assessment.RequirePasswordChange)
}

// Passed follows a verified factor that took session before to up: when
// it paid a risk challenge, the sign-in is now complete for the engine.
// It returns the (challenge) verdict for the events that follow, nil
// when there was none to pay.
func (s *Service) Passed(ctx context.Context, req *Request, before, up *oauth.Session, res *mfa.Result) (*Verdict, error) {
	if s.risk == nil || !before.Owes(oauth.StepRiskChallenge) || up.Owes(oauth.StepRiskChallenge) {
		return nil, nil
	}
	t := req.Tenant
	u, err := t.Store.Users().Get(ctx, t.ID, up.UserID)
	if err != nil {
		return nil, err
	}
	v := &Verdict{Attempt: attempt(req, u.ID, "", "", "password"), Assessment: riskpolicy.Assessment{Decision: riskpolicy.Challenge}}
	return v, s.complete(WithVerdict(ctx, v), req, u, v.Attempt, risk.Outcome{Success: true, Factor: FactorName(res)},
		before.NotifyNewDevice, up.Owes(oauth.StepPasswordChange))
}

// complete records a complete sign-in with the engine (out, with the
// assessment when this request made it), (re)issues the device cookie,
// sends the new-device notice and flags a breached password for change.
// A failing notice is logged: the sign-in stands.
func (s *Service) complete(ctx context.Context, req *Request, u *identity.User, at risk.Attempt, out risk.Outcome, notify, pwChange bool) error {
	if req.IssueDevice != nil {
		// The device this sign-in came from is the one the history learns.
		at.DeviceID = req.IssueDevice()
	}
	if err := s.risk.Observe(ctx, at, out); err != nil {
		return err
	}
	if pwChange && s.accounts != nil {
		if err := s.accounts.RequirePasswordChange(ctx, req.Accounts, u.ID); err != nil {
			return err
		}
	}
	if notify && s.accounts != nil && u.Email != "" {
		t := req.Tenant
		n := accounts.Notice{NotMeURL: t.Issuer + "/login/not-me", IP: at.IP.String(), UserAgent: at.UserAgent, Lang: req.Lang}
		if err := s.accounts.NotifyNewDevice(ctx, req.Accounts, u, n); err != nil {
			s.log.WarnContext(ctx, "login: new-device notice failed", "err", err)
		}
	}
	return nil
}

// FactorName is the factor of a verified answer, for the risk history.
func FactorName(res *mfa.Result) string {
	if res.Factor != nil {
		return string(res.Factor.Type)
	}
	return string(factor.EmailOTP) // the one answer without a stored factor
}

// AssessesRisk reports whether risk-based sign-in is on: its back-offs
// and locks per account and source then replace a transport's budget per
// identifier, which would let an attacker lock the owner out.
func (s *Service) AssessesRisk() bool { return s.risk != nil }

package login

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/clientip"
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
// session that owes the challenge (oauth.StepRiskChallenge, session.go):
// it is not signed in anywhere until the user answers with a factor they
// had before this sign-in, or an email code for users without a factor
// (mfaNeeded asks for it whatever the tenant's MFA policy). The sign-in
// counts as a success for the engine (history, device cookie, new-device
// notice) only once the challenge is passed; a wrong answer counts as a
// failure.

// riskState is the assessment of the request's attempt, carried in its
// context so every event of the request records the verdict.
type riskState struct {
	at risk.Attempt
	a  riskpolicy.Assessment
}

type riskCtxKey struct{}

func withRisk(r *http.Request, rs *riskState) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), riskCtxKey{}, rs))
}

func riskOf(ctx context.Context) *riskState {
	rs, _ := ctx.Value(riskCtxKey{}).(*riskState)
	return rs
}

// riskVerdict adds the request's risk verdict and device to an event.
func riskVerdict(r *http.Request, e *events.Event) {
	rs := riskOf(r.Context())
	if rs == nil {
		return
	}
	e.DeviceID = rs.at.DeviceID
	e.Decision = string(rs.a.Decision)
	for _, re := range rs.a.Reasons {
		e.Reasons = append(e.Reasons, re.Rule)
	}
}

// riskAttempt describes r's attempt to the engine.
func (h *Handler) riskAttempt(r *http.Request, t *tenancy.Tenant, userID, login, pw, method string) risk.Attempt {
	ip, ok := clientip.FromContext(r.Context())
	if !ok {
		ip = clientip.Peer(r)
	}
	dev := ""
	if h.devices != nil {
		dev, _ = h.devices.Read(r)
	}
	return risk.Attempt{TenantID: t.ID, UserID: userID, Login: login, IP: ip, DeviceID: dev,
		UserAgent: r.UserAgent(), Password: pw, Method: method}
}

// checkPassword is authenticate behind the risk engine. It returns r
// carrying the assessment. A denied attempt is refused before the
// password is checked (a dummy hash keeps the timing), as a wrong
// password or, with RetryAfter, as a rate limit (errLimited); a challenge
// the user could not answer (no factor and no verified email) is refused
// as a wrong password.
func (h *Handler) checkPassword(r *http.Request, t *tenancy.Tenant, clientID, identifier, pw string) (*http.Request, *identity.User, error) {
	data := map[string]any{"reason": "credentials", "client_id": clientID}
	if h.risk == nil {
		u, err := h.authenticate(r.Context(), t, identifier, pw)
		if errors.Is(err, errBadCredentials) {
			h.record(r, t, events.LoginFailed, "", data)
		}
		return r, u, err
	}
	ctx := r.Context()
	found, err := h.lookup(ctx, t, identifier)
	if err != nil {
		return r, nil, err
	}
	userID := ""
	if found != nil {
		userID = found.ID
	}
	rs := &riskState{at: h.riskAttempt(r, t, userID, identifier, pw, "password")}
	a, err := h.risk.Assess(ctx, rs.at)
	if err != nil {
		return r, nil, err
	}
	rs.a = a
	r = withRisk(r, rs)
	if a.Decision == riskpolicy.Deny {
		h.admin.Hasher.DummyVerify(pw)
		return r, nil, h.riskDenied(r, t, userID, clientID, a)
	}
	u, err := h.checkCredentials(ctx, t, identifier, pw, found)
	if errors.Is(err, errBadCredentials) {
		h.riskFailed(r, t, rs, data)
		return r, nil, err
	}
	if err == nil && a.Decision == riskpolicy.Challenge {
		can, cerr := h.canChallenge(r, t, u)
		if cerr != nil {
			return r, nil, cerr
		}
		if !can {
			h.record(r, t, events.LoginDenied, u.ID, map[string]any{"reason": "challenge_unavailable", "client_id": clientID})
			return r, nil, errBadCredentials
		}
	}
	return r, u, err
}

// riskDenied records a denied attempt and returns its refusal.
func (h *Handler) riskDenied(r *http.Request, t *tenancy.Tenant, userID, clientID string, a riskpolicy.Assessment) error {
	h.record(r, t, events.LoginDenied, userID, map[string]any{"reason": "risk", "client_id": clientID})
	if a.RetryAfter > 0 {
		return &errLimited{retry: a.RetryAfter}
	}
	return errBadCredentials
}

// riskFailed observes a failed attempt and records it, and the lock of
// the account+source pair when this failure caused one.
func (h *Handler) riskFailed(r *http.Request, t *tenancy.Tenant, rs *riskState, data map[string]any) {
	locked := h.observeFailure(r, rs.at, &rs.a)
	h.record(r, t, events.LoginFailed, rs.at.UserID, data)
	if locked {
		h.recordLock(r, t, rs.at, data["client_id"])
	}
}

// observeFailure counts a failed attempt with the engine and reports
// whether it locked the account+source pair (it was not locked before).
// a is the attempt's assessment in this request, nil if none.
func (h *Handler) observeFailure(r *http.Request, at risk.Attempt, a *riskpolicy.Assessment) bool {
	ctx := context.WithoutCancel(r.Context())
	was := h.pairLocked(ctx, at)
	if err := h.risk.Observe(ctx, at, risk.Outcome{Assessed: a}); err != nil {
		h.log.WarnContext(ctx, "login: risk observe failed", "err", err)
	}
	return !was && h.pairLocked(ctx, at)
}

// recordLock records that at's account+source pair was locked.
func (h *Handler) recordLock(r *http.Request, t *tenancy.Tenant, at risk.Attempt, clientID any) {
	h.record(r, t, events.AccountLocked, at.UserID, map[string]any{"scope": "account+source", "client_id": clientID})
}

// challengeFailed counts a wrong answer to the risk challenge session s
// owes as a failed sign-in with the engine (failure counters, back-off,
// the pair lock and its account.locked event): a challenge is no
// unlimited second chance at the account. Wrong answers to a second
// factor the policy asks are limited by the challenge and the mfa
// service's rate limit only.
func (h *Handler) challengeFailed(r *http.Request, t *tenancy.Tenant, s *oauth.Session, clientID string) {
	if h.risk == nil || !s.Owes(oauth.StepRiskChallenge) {
		return
	}
	at := h.riskAttempt(r, t, s.UserID, "", "", "password")
	if h.observeFailure(r, at, nil) {
		h.recordLock(r, t, at, clientID)
	}
}

// passkeyFailed counts a refused passkey sign-in with the engine, for
// the user its assertion names (the user handle) or, naming none that
// exists, under that handle as an unknown identifier: forged assertions
// meet the same velocity rules, back-off and locks as wrong passwords.
func (h *Handler) passkeyFailed(r *http.Request, t *tenancy.Tenant, credential []byte, clientID string) {
	if h.risk == nil {
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
	userID, login := "", "passkey:"+string(raw)
	if len(raw) > 0 {
		if u, err := t.Store.Users().Get(r.Context(), t.ID, string(raw)); err == nil {
			userID = u.ID
		}
	}
	at := h.riskAttempt(r, t, userID, login, "", "passkey")
	if h.observeFailure(r, at, nil) && userID != "" {
		h.recordLock(r, t, at, clientID)
	}
}

// pairLocked reports whether the attempt's account+source pair (by IP or
// by device) is locked; unknown accounts are not reported.
func (h *Handler) pairLocked(ctx context.Context, at risk.Attempt) bool {
	if at.UserID == "" || h.risk.Counters == nil {
		return false
	}
	srcs := []string{"ip:" + at.IP.String()}
	if at.DeviceID != "" {
		srcs = append(srcs, "device:"+at.DeviceID)
	}
	for _, src := range srcs {
		if _, locked, err := h.risk.Counters.Locked(ctx, risk.LockKey(at.TenantID, at.UserID, src)); err == nil && locked {
			return true
		}
	}
	return false
}

// canChallenge reports whether u can answer a risk challenge: a factor,
// or a verified email for a code.
func (h *Handler) canChallenge(r *http.Request, t *tenancy.Tenant, u *identity.User) (bool, error) {
	if h.mfa == nil {
		return false, nil
	}
	if u.EmailVerified && u.Email != "" {
		return true, nil
	}
	return h.mfa.HasFactor(r.Context(), mfaTarget(t), u.ID)
}

// riskSignedIn follows a correct credential that started session s: a
// challenged attempt left the challenge owed on the session (owed), any
// other completes the sign-in for the engine.
func (h *Handler) riskSignedIn(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, s *oauth.Session, u *identity.User) error {
	rs := riskOf(r.Context())
	if rs == nil || h.risk == nil || s.Owes(oauth.StepRiskChallenge) {
		return nil
	}
	return h.riskComplete(w, r, t, u, rs.at, risk.Outcome{Success: true, Factor: "password", Assessed: &rs.a},
		rs.a.NotifyNewDevice, rs.a.RequirePasswordChange)
}

// riskPassed follows a passed second factor that took session before to
// up: when it paid a risk challenge, the sign-in is now complete for the
// engine. It returns r carrying the (challenge) verdict for the events
// that follow.
func (h *Handler) riskPassed(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, before, up *oauth.Session, factor string) (*http.Request, error) {
	if h.risk == nil || !before.Owes(oauth.StepRiskChallenge) || up.Owes(oauth.StepRiskChallenge) {
		return r, nil
	}
	u, err := t.Store.Users().Get(r.Context(), t.ID, up.UserID)
	if err != nil {
		return r, err
	}
	at := h.riskAttempt(r, t, u.ID, "", "", "password")
	r = withRisk(r, &riskState{at: at, a: riskpolicy.Assessment{Decision: riskpolicy.Challenge}})
	return r, h.riskComplete(w, r, t, u, at, risk.Outcome{Success: true, Factor: factor},
		before.NotifyNewDevice, up.Owes(oauth.StepPasswordChange))
}

// riskComplete records a complete sign-in with the engine (out, with
// the assessment when this request made it), (re)issues the device
// cookie, sends the new-device notice and flags a breached password for
// change. A failing notice is logged: the sign-in stands.
func (h *Handler) riskComplete(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, u *identity.User, at risk.Attempt, out risk.Outcome, notify, pwChange bool) error {
	ctx := r.Context()
	if h.devices != nil {
		// The device this sign-in came from is the one the history learns.
		at.DeviceID = h.devices.Issue(w, r)
	}
	if err := h.risk.Observe(ctx, at, out); err != nil {
		return err
	}
	if pwChange && h.recovery != nil {
		if err := h.recovery.RequirePasswordChange(ctx, h.target(r, t), u.ID); err != nil {
			return err
		}
	}
	if notify && h.recovery != nil && u.Email != "" {
		n := accounts.Notice{NotMeURL: t.Issuer + "/login/not-me", IP: at.IP.String(), UserAgent: at.UserAgent, Lang: langFor(nil, r).String()}
		if err := h.recovery.NotifyNewDevice(ctx, h.target(r, t), u, n); err != nil {
			h.log.WarnContext(ctx, "login: new-device notice failed", "err", err)
		}
	}
	return nil
}

// riskPasskey assesses a passkey sign-in of u (the credential already
// verified: a passkey is the strongest factor, so a challenge is met).
// It returns r carrying the verdict, or the refusal of a deny.
func (h *Handler) riskPasskey(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, u *identity.User, clientID string) (*http.Request, error) {
	if h.risk == nil {
		return r, nil
	}
	at := h.riskAttempt(r, t, u.ID, "", "", "passkey")
	a, err := h.risk.Assess(r.Context(), at)
	if err != nil {
		return r, err
	}
	r = withRisk(r, &riskState{at: at, a: a})
	if a.Decision == riskpolicy.Deny {
		return r, h.riskDenied(r, t, u.ID, clientID, a)
	}
	return r, h.riskComplete(w, r, t, u, at, risk.Outcome{Success: true, Factor: "webauthn", Assessed: &a},
		a.NotifyNewDevice, a.RequirePasswordChange)
}

// factorName is the factor of a verified answer, for the risk history.
func factorName(res *mfa.Result) string {
	if res.Factor != nil {
		return string(res.Factor.Type)
	}
	return string(factor.EmailOTP) // the one answer without a stored factor
}

// challengeTarget is mfaTarget for the second factor of session s: for
// a risk challenge, email codes are allowed whatever the tenant allows,
// and only the factors the user had when the challenged sign-in started
// count.
func challengeTarget(t *tenancy.Tenant, s *oauth.Session) mfa.Target {
	tg := mfaTarget(t)
	if s.Owes(oauth.StepRiskChallenge) {
		tg.RiskChallenge, tg.FactorsUntil = true, s.CreatedAt
	}
	return tg
}

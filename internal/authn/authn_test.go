package authn_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/events/eventstest"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/password"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite/sqlitetest"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

const pw = "correct horse battery staple"

// fixture is the service on an in-memory SQLite store with a fake clock,
// the risk engine on memory counters, and the users alex (verified,
// username "alex"), una (unverified) and dora (disabled), all with pw.
type fixture struct {
	svc   *authn.Service
	st    store.Store
	t     *tenancy.Tenant
	clock *clock.Fake
	rec   *eventstest.Log
	users map[string]*identity.User
}

type option func(*authn.Deps, *identity.Tenant)

// withoutRisk turns risk-based sign-in off.
func withoutRisk(d *authn.Deps, _ *identity.Tenant) { d.Risk = nil }

func newFixture(t testing.TB, opts ...option) *fixture {
	t.Helper()
	ctx := t.Context()
	st := sqlitetest.Open(t)
	ten := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
	c := clock.NewFake(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	keys, err := secret.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	hasher := &password.Hasher{Params: password.Params{Memory: 8192, Time: 1, Threads: 1,
		SaltLen: password.DefaultParams.SaltLen, KeyLen: password.DefaultParams.KeyLen}}
	rec := &eventstest.Log{}
	dir := &directory.Service{Stores: store.Single{S: st}, Hasher: hasher, Keyring: keys, Now: c.Now}
	d := authn.Deps{
		Directory: dir,
		MFA:       &mfa.Service{Keyring: keys, Templates: mail.MustLoadTemplates(), Events: rec, Now: c.Now},
		Risk:      &risk.Engine{Risk: st.Risk(), Counters: ratelimit.NewMemory(c.Now), Keyring: keys, Now: c.Now},
		Events:    rec, Now: c.Now,
	}
	for _, o := range opts {
		o(&d, ten)
	}
	sqlitetest.Tenant(t, st, ten)
	f := &fixture{svc: authn.New(d), st: st, clock: c, rec: rec, users: map[string]*identity.User{},
		t: &tenancy.Tenant{Tenant: ten, Store: st, Issuer: "https://id.example.org/t/acme", Base: "/t/acme"}}
	sc := &tenancy.Tenant{Tenant: ten, Store: st}
	for _, u := range []*identity.User{
		{Email: "alex@example.com", EmailVerified: true, Username: "alex"},
		{Email: "una@example.com"},
		{Email: "dora@example.com", EmailVerified: true, Disabled: true},
	} {
		p := pw
		if err := dir.CreateUser(ctx, sc, u, &p); err != nil {
			t.Fatal(err)
		}
		f.users[strings.TrimSuffix(u.Email, "@example.com")] = u
	}
	return f
}

func (f *fixture) request(ip string) *authn.Request {
	return &authn.Request{Tenant: f.t, ClientID: "app", IP: netip.MustParseAddr(ip), Addr: ip, UserAgent: "test"}
}

func (f *fixture) policy(t *testing.T, p riskpolicy.Policy) {
	t.Helper()
	if err := f.st.Risk().SetPolicy(t.Context(), f.t.ID, p); err != nil {
		t.Fatal(err)
	}
}

func TestAuthenticatePassword(t *testing.T) {
	for _, risky := range []bool{true, false} {
		name := "risk on"
		var opts []option
		if !risky {
			name, opts = "risk off", []option{withoutRisk}
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, opts...)
			f.t.Onboarding.RequireVerifiedEmail = true
			for _, tc := range []struct {
				name, identifier, password string
				user                       string // the user in the result, "" for none
				err                        error
			}{
				{"email", "alex@example.com", pw, "alex", nil},
				{"email, other case and spaces", "  Alex@Example.com ", pw, "alex", nil},
				{"username", "alex", pw, "alex", nil},
				{"wrong password", "alex@example.com", "wrong", "", authn.ErrBadCredentials},
				{"no password", "alex@example.com", "", "", authn.ErrBadCredentials},
				{"unknown user", "nobody@example.com", pw, "", authn.ErrBadCredentials},
				{"no identifier", " ", pw, "", authn.ErrBadCredentials},
				{"over-long identifier", strings.Repeat("a", authn.MaxIdentifierLen+1), pw, "", authn.ErrBadCredentials},
				{"over-long password", "alex@example.com", strings.Repeat("p", password.MaxPasswordLen+1), "", authn.ErrBadCredentials},
				{"disabled", "dora@example.com", pw, "", authn.ErrBadCredentials},
				{"unverified, with the user to mail", "una@example.com", pw, "una", authn.ErrEmailUnverified},
				{"unverified, wrong password", "una@example.com", "wrong", "", authn.ErrBadCredentials},
			} {
				t.Run(tc.name, func(t *testing.T) {
					res, err := f.svc.Authenticate(t.Context(), f.request("192.0.2.10"), authn.Password{Identifier: tc.identifier, Password: tc.password})
					if !errors.Is(err, tc.err) {
						t.Fatalf("err = %v, want %v", err, tc.err)
					}
					got := ""
					if res != nil && res.User != nil {
						got = res.User.ID
					}
					if want := idOf(f, tc.user); got != want {
						t.Fatalf("user %q, want %q", got, want)
					}
					if risky != (res != nil && res.Verdict != nil) {
						t.Fatalf("verdict %+v with risk on = %v", res, risky)
					}
					if tc.err == authn.ErrBadCredentials && f.rec.Last(t).Type != events.LoginFailed {
						t.Fatalf("last event %q, want login.failed", f.rec.Last(t).Type)
					}
				})
			}
		})
	}
}

func idOf(f *fixture, name string) string {
	if name == "" {
		return ""
	}
	return f.users[name].ID
}

// TestRiskRefusals: a denied source is refused like a wrong password,
// before the password is checked; failures lock the account+source pair
// (recorded once), and a locked pair is refused with a back-off.
func TestRiskRefusals(t *testing.T) {
	f := newFixture(t)
	f.policy(t, riskpolicy.Policy{DenyCIDRs: []string{"198.51.100.0/24"}, PairBackoffAfter: 3, PairLockAfter: 3})
	ctx := t.Context()
	alex := authn.Password{Identifier: "alex@example.com", Password: pw}

	res, err := f.svc.Authenticate(ctx, f.request("198.51.100.9"), alex)
	if !errors.Is(err, authn.ErrBadCredentials) || !res.Verdict.Denied() {
		t.Fatalf("denied address: %v %+v", err, res)
	}
	if e := f.rec.Last(t); e.Type != events.LoginDenied || e.Decision != string(riskpolicy.Deny) {
		t.Fatalf("event %+v, want login.denied with the verdict", e)
	}

	wrong := authn.Password{Identifier: "alex@example.com", Password: "wrong"}
	for range 3 {
		if _, err := f.svc.Authenticate(ctx, f.request("192.0.2.20"), wrong); !errors.Is(err, authn.ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	if n := count(f.rec, events.AccountLocked); n != 1 {
		t.Fatalf("%d account.locked events, want 1: %v", n, f.rec.Types())
	}
	_, err = f.svc.Authenticate(ctx, f.request("192.0.2.20"), alex)
	var le *authn.LimitedError
	if !errors.As(err, &le) || le.RetryAfter <= 0 {
		t.Fatalf("locked pair, right password: %v, want a back-off", err)
	}
	// Another address is its own pair.
	if _, err := f.svc.Authenticate(ctx, f.request("192.0.2.21"), alex); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func count(l *eventstest.Log, typ string) int {
	n := 0
	for _, e := range l.All() {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// TestStartOwes: what a new session owes, by the tenant's policy, the
// verdict and the credential.
func TestStartOwes(t *testing.T) {
	challenge := func(method string) *authn.Verdict {
		return &authn.Verdict{Attempt: risk.Attempt{Method: method}, Assessment: riskpolicy.Assessment{Decision: riskpolicy.Challenge, NotifyNewDevice: true}}
	}
	pwd, passkey := []string{factor.AMRPassword}, []string{"hwk", "user"}
	for _, tc := range []struct {
		name   string
		mode   string
		v      *authn.Verdict
		amr    []string
		want   []oauth.Step
		notify bool
	}{
		{name: "optional, no factor", mode: factor.ModeOptional, amr: pwd},
		{name: "off", mode: factor.ModeOff, amr: pwd},
		{name: "required", mode: factor.ModeRequired, amr: pwd, want: []oauth.Step{oauth.StepSecondFactor}},
		{name: "challenged password", mode: factor.ModeOff, v: challenge("password"), amr: pwd,
			want: []oauth.Step{oauth.StepRiskChallenge}, notify: true},
		{name: "challenged and required", mode: factor.ModeRequired, v: challenge("password"), amr: pwd,
			want: []oauth.Step{oauth.StepRiskChallenge, oauth.StepSecondFactor}, notify: true},
		{name: "a passkey meets the challenge", mode: factor.ModeOff, v: challenge("passkey"), amr: passkey},
		{name: "a passkey meets the policy", mode: factor.ModeRequired, amr: passkey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(_ *authn.Deps, ten *identity.Tenant) { ten.MFA.Mode = tc.mode })
			st, err := f.svc.Start(t.Context(), f.request("192.0.2.30"), f.users["alex"], tc.v, tc.amr)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(st.Pending, tc.want) || st.NotifyNewDevice != tc.notify {
				t.Fatalf("pending %v notify %v, want %v %v", st.Pending, st.NotifyNewDevice, tc.want, tc.notify)
			}
			if st.UserID != f.users["alex"].ID || st.ACR != factor.ACRFor(tc.amr) {
				t.Fatalf("start %+v", st)
			}
		})
	}
}

// TestNeedChallengeWithoutFactor: a session that owes a risk challenge
// is asked for a factor even where MFA is off, and a user without one
// answers with an email code rather than enrolling one.
func TestNeedChallengeWithoutFactor(t *testing.T) {
	f := newFixture(t, func(_ *authn.Deps, ten *identity.Tenant) { ten.MFA.Mode = factor.ModeOff })
	s := &oauth.Session{AMR: []string{factor.AMRPassword}, ACR: factor.ACRPassword, Pending: []oauth.Step{oauth.StepRiskChallenge}, CreatedAt: f.clock.Now()}
	n, err := f.svc.Need(t.Context(), f.request("192.0.2.31"), "", s, f.users["alex"])
	if err != nil {
		t.Fatal(err)
	}
	if n == nil || n.Want != factor.ACRMFA || n.Enrol || !n.Blocking() || !n.Target.RiskChallenge || authn.MayEnrol(s, n) {
		t.Fatalf("need %+v", n)
	}
	signedIn := &oauth.Session{AMR: s.AMR, ACR: s.ACR}
	if n, err := f.svc.Need(t.Context(), f.request("192.0.2.31"), "", signedIn, f.users["alex"]); n != nil || err != nil {
		t.Fatalf("MFA off, nothing owed: %+v %v", n, err)
	}
}

// TestPaidBy: which steps a verified factor pays.
func TestPaidBy(t *testing.T) {
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	owes := &oauth.Session{AMR: []string{factor.AMRPassword}, CreatedAt: start,
		Pending: []oauth.Step{oauth.StepSecondFactor, oauth.StepRiskChallenge}}
	before := &factor.Factor{Type: factor.TOTP, CreatedAt: start.Add(-time.Hour)}
	since := &factor.Factor{Type: factor.TOTP, CreatedAt: start.Add(time.Minute)}
	key := &factor.Factor{Type: factor.WebAuthn, CreatedAt: start.Add(-time.Hour)}
	for _, tc := range []struct {
		name string
		res  *mfa.Result
		want []oauth.Step
	}{
		{"a factor from before", &mfa.Result{Factor: before, AMR: []string{"otp"}}, []oauth.Step{oauth.StepSecondFactor, oauth.StepRiskChallenge}},
		{"a factor enrolled since", &mfa.Result{Factor: since, AMR: []string{"otp"}}, []oauth.Step{oauth.StepSecondFactor}},
		{"an email code", &mfa.Result{AMR: []string{"otp"}}, []oauth.Step{oauth.StepSecondFactor, oauth.StepRiskChallenge}},
		{"a security key", &mfa.Result{Factor: key, AMR: []string{"hwk", "user"}},
			[]oauth.Step{oauth.StepSecondFactor, oauth.StepRiskChallenge, oauth.StepPhishingResistant}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := authn.PaidBy(owes, tc.res); !slices.Equal(got, tc.want) {
				t.Fatalf("PaidBy = %v, want %v", got, tc.want)
			}
		})
	}
}

// withClientIP is ctx as clientip.Middleware leaves it for a request from ip.
func withClientIP(t *testing.T, ip string) context.Context {
	t.Helper()
	var ctx context.Context
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/token", nil)
	r.RemoteAddr = ip + ":4711"
	clientip.Resolver{}.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { ctx = r.Context() })).
		ServeHTTP(httptest.NewRecorder(), r)
	return ctx
}

// TestCheckRefresh: a refresh from the session's address passes
// unassessed; from a new acceptable address it moves the session there;
// from a denied address it revokes the session and the token family.
func TestCheckRefresh(t *testing.T) {
	f := newFixture(t)
	f.policy(t, riskpolicy.Policy{DenyCIDRs: []string{"198.51.100.0/24"}})
	ctx := t.Context()
	now := f.clock.Now()
	s := &oauth.Session{TenantID: f.t.ID, UserID: f.users["alex"].ID, IP: "192.0.2.40", TokenHash: []byte("session-token-hash"),
		AuthTime: now, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	if err := f.st.Sessions().Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Clients().Create(ctx, f.t.ID, &oauth.Client{ID: "app", ClientName: "App"}); err != nil {
		t.Fatal(err)
	}
	rt := &oauth.RefreshToken{TenantID: f.t.ID, ClientID: "app", UserID: s.UserID, SessionID: s.ID, TokenHash: []byte("refresh-token-hash"),
		CreatedAt: now, ExpiresAt: now.Add(time.Hour), FamilyExpiresAt: now.Add(24 * time.Hour), AuthTime: now}
	if err := f.st.RefreshTokens().Create(ctx, rt); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.CheckRefresh(ctx, f.t, rt); err != nil {
		t.Fatalf("no client address: %v", err)
	}
	if err := f.svc.CheckRefresh(withClientIP(t, "192.0.2.40"), f.t, rt); err != nil {
		t.Fatalf("same address: %v", err)
	}
	if err := f.svc.CheckRefresh(withClientIP(t, "192.0.2.41"), f.t, rt); err != nil {
		t.Fatalf("new address: %v", err)
	}
	if got, err := f.st.Sessions().Get(ctx, f.t.ID, s.ID); err != nil || got.IP != "192.0.2.41" {
		t.Fatalf("session after the move: %+v %v", got, err)
	}
	if err := f.svc.CheckRefresh(withClientIP(t, "198.51.100.7"), f.t, rt); !errors.Is(err, authn.ErrSessionRevoked) {
		t.Fatalf("denied address: %v, want ErrSessionRevoked", err)
	}
	if got, err := f.st.Sessions().Get(ctx, f.t.ID, s.ID); err != nil || got.RevokedAt == nil {
		t.Fatalf("session after the deny: %+v %v", got, err)
	}
	if got, err := f.st.RefreshTokens().Get(ctx, f.t.ID, rt.ID); err != nil || got.RevokedAt == nil {
		t.Fatalf("token after the deny: %+v %v", got, err)
	}
	if e := f.rec.Last(t); e.Type != events.SessionRevoked || !slices.Contains(e.Reasons, "ip_denied") {
		t.Fatalf("event %+v, want session.revoked for ip_denied", e)
	}
}

// TestAuthenticatePasskey: a passkey the mfa service verified still meets
// the account's state, the verified-email rule and the risk engine; it
// meets a challenge by itself.
func TestAuthenticatePasskey(t *testing.T) {
	f := newFixture(t)
	f.t.Onboarding.RequireVerifiedEmail = true
	f.policy(t, riskpolicy.Policy{DenyCIDRs: []string{"198.51.100.0/24"}})
	for _, tc := range []struct {
		name, user, ip string
		err            error
		reason         string // the login.failed or login.denied reason, "" for none
	}{
		{"signs in", "alex", "192.0.2.50", nil, ""},
		{"disabled", "dora", "192.0.2.50", authn.ErrBadCredentials, "passkey_user"},
		{"unverified", "una", "192.0.2.50", authn.ErrEmailUnverified, ""},
		{"denied address", "alex", "198.51.100.50", authn.ErrBadCredentials, "risk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(f.rec.All())
			res, err := f.svc.Authenticate(t.Context(), f.request(tc.ip), authn.Passkey{User: f.users[tc.user]})
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if tc.err == nil && (res.User.ID != f.users[tc.user].ID || res.Verdict == nil || res.Verdict.Attempt.Method != "passkey") {
				t.Fatalf("result %+v", res)
			}
			evs := f.rec.All()[n:]
			if tc.reason == "" {
				if len(evs) != 0 {
					t.Fatalf("events %+v, want none", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].Data["reason"] != tc.reason {
				t.Fatalf("events %+v, want one with reason %q", evs, tc.reason)
			}
		})
	}
}

// TestPassedCompletesChallenge: the factor that pays a risk challenge
// completes the sign-in for the engine, with the challenge verdict; one
// that pays none leaves nothing to complete.
func TestPassedCompletesChallenge(t *testing.T) {
	f := newFixture(t)
	alex := f.users["alex"]
	before := &oauth.Session{UserID: alex.ID, Pending: []oauth.Step{oauth.StepRiskChallenge}, CreatedAt: f.clock.Now()}
	up := &oauth.Session{UserID: alex.ID}
	issued := 0
	req := f.request("192.0.2.60")
	req.IssueDevice = func() string { issued++; return "dev-1" }
	v, err := f.svc.Passed(t.Context(), req, before, up, &mfa.Result{AMR: []string{"otp"}})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Challenged() || v.Attempt.UserID != alex.ID || issued != 1 {
		t.Fatalf("verdict %+v, device issued %d times", v, issued)
	}
	if v, err := f.svc.Passed(t.Context(), req, up, up, &mfa.Result{AMR: []string{"otp"}}); v != nil || err != nil || issued != 1 {
		t.Fatalf("nothing owed: %+v %v, device issued %d times", v, err, issued)
	}
}

// TestCheckRefreshEndsTheSessionLikeAnyOther: with OnSessionRevoked set
// (as the app sets it to the token service's EndSession, which notifies
// the clients' back-channel logout), the guard's revocation goes through
// it, with the session; a failure of it fails the check.
func TestCheckRefreshEndsTheSessionLikeAnyOther(t *testing.T) {
	f := newFixture(t)
	f.policy(t, riskpolicy.Policy{DenyCIDRs: []string{"198.51.100.0/24"}})
	ctx := t.Context()
	now := f.clock.Now()
	s := &oauth.Session{TenantID: f.t.ID, UserID: f.users["alex"].ID, IP: "192.0.2.40", TokenHash: []byte("session-token-hash-2"),
		AuthTime: now, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	if err := f.st.Sessions().Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Clients().Create(ctx, f.t.ID, &oauth.Client{ID: "app", ClientName: "App"}); err != nil {
		t.Fatal(err)
	}
	rt := &oauth.RefreshToken{TenantID: f.t.ID, ClientID: "app", UserID: s.UserID, SessionID: s.ID, TokenHash: []byte("refresh-token-hash-2"),
		CreatedAt: now, ExpiresAt: now.Add(time.Hour), FamilyExpiresAt: now.Add(24 * time.Hour), AuthTime: now}
	if err := f.st.RefreshTokens().Create(ctx, rt); err != nil {
		t.Fatal(err)
	}
	var ended []string
	fail := false
	f.svc.OnSessionRevoked(func(ctx context.Context, tn *tenancy.Tenant, sess *oauth.Session) error {
		if fail {
			return errors.New("store down")
		}
		ended = append(ended, sess.ID)
		return tn.Store.Sessions().Revoke(ctx, tn.ID, sess.ID, now)
	})
	// A refresh from an acceptable address ends nothing.
	if err := f.svc.CheckRefresh(withClientIP(t, "192.0.2.41"), f.t, rt); err != nil || len(ended) != 0 {
		t.Fatalf("new address: %v, ended %v", err, ended)
	}
	fail = true
	if err := f.svc.CheckRefresh(withClientIP(t, "198.51.100.7"), f.t, rt); err == nil || errors.Is(err, authn.ErrSessionRevoked) {
		t.Fatalf("a failing session end must fail the check: %v", err)
	}
	fail = false
	if err := f.svc.CheckRefresh(withClientIP(t, "198.51.100.7"), f.t, rt); !errors.Is(err, authn.ErrSessionRevoked) {
		t.Fatalf("denied address: %v, want ErrSessionRevoked", err)
	}
	if len(ended) != 1 || ended[0] != s.ID {
		t.Fatalf("sessions ended through the hook: %v, want [%s]", ended, s.ID)
	}
	if got, err := f.st.RefreshTokens().Get(ctx, f.t.ID, rt.ID); err != nil || got.RevokedAt == nil {
		t.Fatalf("token after the deny: %+v %v", got, err)
	}
}

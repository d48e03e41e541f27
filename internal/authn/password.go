package authn

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/password"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// MaxIdentifierLen bounds an email address or username.
const MaxIdentifierLen = 320

// ErrBadCredentials covers every failed sign-in: unknown user, wrong
// password, no password, disabled or locked, a risk deny without a
// back-off, a challenge the user cannot answer. One error, one message,
// so the answer does not tell which accounts exist.
var ErrBadCredentials = errors.New("login: incorrect identifier or password")

// ErrEmailUnverified refuses a correct credential of a user whose email
// is unverified, in a tenant that requires verified emails
// (Onboarding.RequireVerifiedEmail). It comes only after the credential
// check, so it tells nothing to someone without the password.
var ErrEmailUnverified = errors.New("login: email not verified")

// LimitedError refuses an attempt the risk engine backs off, locks or
// throttles: the transport answers 429 with Retry-After.
type LimitedError struct{ RetryAfter time.Duration }

func (e *LimitedError) Error() string { return "login: rate limited" }

// Credential is what a sign-in presents. Password is the one the service
// verifies itself; Passkey is one the mfa service already verified. A
// federated connector adds its own (the identity the upstream asserted).
type Credential interface{ method() string }

// Password is an identifier (email address or username) and password.
type Password struct{ Identifier, Password string }

func (Password) method() string { return "password" }

// Passkey is a discoverable passkey the mfa service verified: it named
// User, and its user verification is the second factor.
type Passkey struct{ User *identity.User }

func (Passkey) method() string { return "passkey" }

// Result is a sign-in whose credential was accepted.
type Result struct {
	User *identity.User
	// Verdict is the risk engine's assessment of the attempt, nil when
	// risk-based sign-in is off. The transport keeps it in the request's
	// context (WithVerdict) so the events that follow record it, and
	// passes it to Start and SignedIn.
	Verdict *Verdict
}

// Authenticate verifies a credential behind the risk engine. A denied
// attempt is refused before the credential is checked (a dummy hash
// keeps the timing), as ErrBadCredentials or, with a back-off, as
// *LimitedError; a challenge the user could not answer (no factor and no
// verified email) is refused as ErrBadCredentials. ErrEmailUnverified
// comes with the Result (its user, for a new verification mail).
// Failures are observed and recorded here.
func (s *Service) Authenticate(ctx context.Context, req *Request, c Credential) (*Result, error) {
	switch c := c.(type) {
	case Password:
		return s.password(ctx, req, c)
	case Passkey:
		return s.passkey(ctx, req, c.User)
	case Federated:
		return s.federated(ctx, req, c)
	}
	return nil, ErrBadCredentials
}

func (s *Service) password(ctx context.Context, req *Request, c Password) (*Result, error) {
	t := req.Tenant
	data := map[string]any{"reason": "credentials", "client_id": req.ClientID}
	found, err := s.lookup(ctx, t, c.Identifier)
	if err != nil {
		return nil, err
	}
	if s.risk == nil {
		u, err := s.checkCredentials(ctx, t, c.Identifier, c.Password, found)
		if errors.Is(err, ErrBadCredentials) {
			s.record(ctx, req, events.LoginFailed, "", data)
		}
		return &Result{User: u}, err
	}
	userID := ""
	if found != nil {
		userID = found.ID
	}
	v, err := s.assess(ctx, req, userID, c.Identifier, c.Password, "password")
	if err != nil {
		return nil, err
	}
	res := &Result{Verdict: v}
	ctx = WithVerdict(ctx, v)
	if v.Denied() {
		s.dir.Hasher.DummyVerify(c.Password)
		return res, s.denied(ctx, req, userID)
	}
	u, err := s.checkCredentials(ctx, t, c.Identifier, c.Password, found)
	if errors.Is(err, ErrBadCredentials) {
		s.failed(ctx, req, v, data)
		return res, err
	}
	res.User = u
	if err == nil && v.Challenged() {
		can, cerr := s.canChallenge(ctx, t, u)
		if cerr != nil {
			return nil, cerr
		}
		if !can {
			s.record(ctx, req, events.LoginDenied, u.ID, map[string]any{"reason": "challenge_unavailable", "client_id": req.ClientID})
			return &Result{Verdict: v}, ErrBadCredentials
		}
	}
	return res, err
}

// lookup returns the user the identifier names, nil when it names none
// or is not a valid identifier.
func (s *Service) lookup(ctx context.Context, t *tenancy.Tenant, identifier string) (*identity.User, error) {
	identifier = strings.TrimSpace(identifier)
	if identifier == "" || len(identifier) > MaxIdentifierLen {
		return nil, nil
	}
	u, err := findUser(ctx, t, identifier)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// checkCredentials checks the password of u, the user the identifier was
// looked up as (nil: none). Every failure costs one password hash, so
// response time does not reveal whether the account exists.
func (s *Service) checkCredentials(ctx context.Context, t *tenancy.Tenant, identifier, pw string, u *identity.User) (*identity.User, error) {
	identifier = strings.TrimSpace(identifier)
	if u == nil || identifier == "" || len(identifier) > MaxIdentifierLen || pw == "" || len(pw) > password.MaxPasswordLen {
		s.dir.Hasher.DummyVerify(pw) // returns at once for over-long passwords, as Verify would
		return nil, ErrBadCredentials
	}
	ok, err := s.dir.VerifyPassword(ctx, t, u.ID, pw)
	if err != nil {
		return nil, err
	}
	// Disabled and locked users learn nothing more than a wrong password
	// would tell them; their password was still checked, for equal timing.
	if !ok || u.Disabled || u.Locked(s.now()) {
		return nil, ErrBadCredentials
	}
	if t.Onboarding.RequireVerifiedEmail && !u.EmailVerified {
		return u, ErrEmailUnverified
	}
	return u, nil
}

// findUser looks the identifier up as an email address, then as a
// username (usernames may contain @).
func findUser(ctx context.Context, t *tenancy.Tenant, identifier string) (*identity.User, error) {
	if strings.Contains(identifier, "@") {
		if email, err := identity.NormalizeEmail(identifier); err == nil {
			u, err := t.Store.Users().GetByEmail(ctx, t.ID, email)
			if !errors.Is(err, store.ErrNotFound) {
				return u, err
			}
		}
	}
	return t.Store.Users().GetByUsername(ctx, t.ID, identifier)
}

package mfa

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

const (
	// MaxAttempts is how many answers a challenge takes; after that many
	// wrong ones it is dead.
	MaxAttempts  = 5
	challengeTTL = 5 * time.Minute
	codePurpose  = "mfa-code"
)

// DefaultChallengeLimit is the per-user rate of challenges and code checks.
var DefaultChallengeLimit = ratelimit.Limit{Rate: 10, Per: 5 * time.Minute}

// allow counts one challenge or code check of the user against the limit.
func (s *Service) allow(ctx context.Context, tg Target, userID string) error {
	if s.Limiter == nil {
		return nil
	}
	l := s.ChallengeLimit
	if l.Rate == 0 {
		l = DefaultChallengeLimit
	}
	res, err := s.Limiter.Allow(ctx, "mfa:"+tg.Tenant.ID+":"+userID, l)
	if err != nil {
		return err
	}
	if !res.Allowed {
		return ErrRateLimited
	}
	return nil
}

// answer runs verify for one answer to challenge id, which must be of one
// of kinds and (unless userID is "") belong to userID. The attempt is
// counted before verify runs, in an atomic update that refuses a dead
// challenge, so concurrent guesses cannot exceed MaxAttempts; a success
// marks the challenge used in a second atomic update, so only one of two
// concurrent right answers wins.
func (s *Service) answer(ctx context.Context, tg Target, id, userID string, kinds []string, verify func(*store.MFAChallenge) error) (*store.MFAChallenge, error) {
	r := tg.Store.MFA()
	c, err := r.GetChallenge(ctx, tg.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!slices.Contains(kinds, c.Kind) || (userID != "" && c.UserID != userID))) {
		return nil, ErrUnknownChallenge
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	_, err = r.UpdateChallenge(ctx, tg.Tenant.ID, id, func(c *store.MFAChallenge) error {
		if !c.Open(now, MaxAttempts) {
			return ErrChallengeDead
		}
		c.Attempts++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := verify(c); err != nil {
		return nil, err
	}
	return r.UpdateChallenge(ctx, tg.Tenant.ID, id, func(c *store.MFAChallenge) error {
		if c.UsedAt != nil {
			return ErrChallengeDead
		}
		c.UsedAt = &now
		return nil
	})
}

// BeginChallenge starts a sign-in challenge of the given kind for u: for
// email OTP it mails a code, for SMS it posts one to the tenant's
// webhook, for WebAuthn it returns the navigator.credentials.get options.
// Rate limited per user.
func (s *Service) BeginChallenge(ctx context.Context, tg Target, u *identity.User, kind factor.FactorType, lang string) (*Challenge, error) {
	if err := s.allow(ctx, tg, u.ID); err != nil {
		return nil, err
	}
	if tg.Tenant.MFA.Mode == factor.ModeOff && !tg.RiskChallenge {
		return nil, ErrNotAllowed
	}
	now := s.now()
	c := &store.MFAChallenge{TenantID: tg.Tenant.ID, UserID: u.ID, Kind: string(kind), CreatedAt: now, ExpiresAt: now.Add(challengeTTL)}
	out := &Challenge{Kind: kind}
	var code, to string
	switch kind {
	case factor.TOTP, factor.Recovery:
		if ok, err := s.hasType(ctx, tg, u.ID, kind); err != nil || !ok {
			return nil, errors.Join(ErrNotAllowed, err)
		}
	case factor.EmailOTP:
		if !(tg.Tenant.MFA.AllowEmailOTP || tg.RiskChallenge) || u.Email == "" || !u.EmailVerified {
			return nil, ErrNotAllowed
		}
		to, out.Masked = u.Email, maskEmail(u.Email)
	case factor.SMS:
		phone, err := s.smsPhone(ctx, tg, u)
		if err != nil {
			return nil, err
		}
		to, out.Masked = phone, maskPhone(phone)
	case factor.WebAuthn:
		opts, session, err := s.beginWebAuthnLogin(ctx, tg, u)
		if err != nil {
			return nil, err
		}
		c.Data, out.WebAuthnOptions = session, opts
	default:
		return nil, fmt.Errorf("%w: unknown factor type %q", ErrInvalid, kind)
	}
	if kind == factor.EmailOTP || kind == factor.SMS {
		var err error
		if code, err = newCode(6); err != nil {
			return nil, err
		}
		c.CodeHash = s.codeMAC(tg.Tenant.ID, u.ID, code)
		// Where the code went, masked, for the page shown again after a
		// wrong code (Challenge).
		if c.Data, err = json.Marshal(codeSent{Masked: out.Masked}); err != nil {
			return nil, err
		}
	}
	if err := tg.Store.MFA().CreateChallenge(ctx, c); err != nil {
		return nil, err
	}
	out.ID, out.ExpiresAt = c.ID, c.ExpiresAt
	switch kind {
	case factor.EmailOTP:
		if err := s.sendEmailCode(ctx, tg, u, to, code, lang); err != nil {
			return nil, err
		}
	case factor.SMS:
		if err := s.sendSMS(ctx, tg, to, code); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// codeSent is the stored data of an email or SMS challenge.
type codeSent struct {
	Masked string `json:"masked"`
}

// Challenge returns the user's challenge id as it was started (kind,
// expiry, where a code went), live or not; ErrUnknownChallenge for an
// unknown one or another user's.
func (s *Service) Challenge(ctx context.Context, tg Target, userID, id string) (*Challenge, error) {
	c, err := tg.Store.MFA().GetChallenge(ctx, tg.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.UserID == "" || c.UserID != userID)) {
		return nil, ErrUnknownChallenge
	}
	if err != nil {
		return nil, err
	}
	out := &Challenge{ID: c.ID, Kind: factor.FactorType(c.Kind), ExpiresAt: c.ExpiresAt}
	if out.Kind == factor.EmailOTP || out.Kind == factor.SMS {
		var d codeSent
		if json.Unmarshal(c.Data, &d) == nil {
			out.Masked = d.Masked
		}
	}
	return out, nil
}

func (s *Service) hasType(ctx context.Context, tg Target, userID string, t factor.FactorType) (bool, error) {
	fs, err := listFactors(ctx, tg, userID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(fs, func(f factor.Factor) bool { return f.Type == t }), nil
}

// Verify checks an answer to a challenge. A wrong answer counts one of the
// challenge's MaxAttempts; a right one uses the challenge up.
func (s *Service) Verify(ctx context.Context, tg Target, challengeID string, a Answer) (*Result, error) {
	kinds := []string{string(factor.TOTP), string(factor.Recovery), string(factor.EmailOTP), string(factor.SMS), string(factor.WebAuthn)}
	var res *Result
	_, err := s.answer(ctx, tg, challengeID, "", kinds, func(c *store.MFAChallenge) error {
		var err error
		switch factor.FactorType(c.Kind) {
		case factor.TOTP, factor.Recovery:
			res, err = s.verifyCode(ctx, tg, c.UserID, a.Code)
		case factor.EmailOTP, factor.SMS:
			if !s.Keyring.Equal(codePurpose, codeInput(tg.Tenant.ID, c.UserID, normCode(a.Code)), c.CodeHash) {
				return ErrInvalidCode
			}
			res = &Result{UserID: c.UserID, AMR: factor.AMRFor(factor.FactorType(c.Kind), false, false)}
		case factor.WebAuthn:
			res, err = s.finishWebAuthnLogin(ctx, tg, c, a.WebAuthn)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// VerifyCode checks a TOTP code or a recovery code (told apart by shape:
// six digits are TOTP) without a prior challenge. Rate limited per user.
func (s *Service) VerifyCode(ctx context.Context, tg Target, u *identity.User, code string) (*Result, error) {
	if err := s.allow(ctx, tg, u.ID); err != nil {
		return nil, err
	}
	return s.verifyCode(ctx, tg, u.ID, code)
}

func (s *Service) verifyCode(ctx context.Context, tg Target, userID, code string) (*Result, error) {
	code = normCode(code)
	if isDigits(code) && len(code) == totpDigits.Length() {
		f, err := s.verifyTOTP(ctx, tg, userID, code)
		if err != nil {
			return nil, err
		}
		return &Result{UserID: userID, Factor: f, AMR: factor.AMRFor(factor.TOTP, false, false)}, nil
	}
	f, err := s.useRecoveryCode(ctx, tg, userID, code)
	if err != nil {
		return nil, err
	}
	return &Result{UserID: userID, Factor: f, AMR: factor.AMRFor(factor.Recovery, false, false)}, nil
}

// normCode drops the spaces and dashes people type or paste with codes.
func normCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(code))
}

func isDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

func codeInput(tenantID, userID, code string) []byte {
	return []byte(tenantID + "\x00" + userID + "\x00" + code)
}

func (s *Service) codeMAC(tenantID, userID, code string) []byte {
	return s.Keyring.MAC(codePurpose, codeInput(tenantID, userID, code))
}

// newCode returns a uniformly random code of n digits.
func newCode(n int) (string, error) {
	max := big.NewInt(1)
	for range n {
		max.Mul(max, big.NewInt(10))
	}
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

// maskEmail keeps the first character of the local part and the domain.
func maskEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at < 1 {
		return "***"
	}
	return e[:1] + "***" + e[at:]
}

// maskPhone keeps the country prefix and the last two digits.
func maskPhone(p string) string {
	if len(p) < 6 {
		return "***"
	}
	return p[:3] + strings.Repeat("*", len(p)-5) + p[len(p)-2:]
}

// recoveryUsed tells the user a recovery code was used and records it.
func (s *Service) recoveryUsed(ctx context.Context, tg Target, userID string, f *factor.Factor, left int) {
	u, err := tg.Store.Users().Get(ctx, tg.Tenant.ID, userID)
	if err != nil {
		s.log().ErrorContext(ctx, "mfa: loading the user for the recovery notice failed", "err", err)
		return
	}
	s.changed(ctx, tg, u, events.MFAChallengeUsed, "", map[string]any{"factor_id": f.ID, "codes_left": left})
}

package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Password recovery: a code and a link mailed to a verified address, then
// a new password. It reuses the verification records of registration
// (purpose "reset"): codes MACed, links hashed, attempts counted inside
// the store's atomic update.
//
// No account enumeration: Recover answers nil for known, unknown,
// unverified and disabled addresses alike. RecoverDetached does the work
// after the caller has answered, so the answer's timing does not depend
// on it either; only the mailbox learns the outcome.

// PurposeReset is the verification purpose of a password reset.
const PurposeReset = "reset"

// recoverTimeout bounds a detached recovery.
const recoverTimeout = 30 * time.Second

// Recovery is a request for a reset mail.
type Recovery struct {
	Email string
	// ResetURL is the absolute URL of the reset page; the link's ?token=
	// is appended.
	ResetURL string
	// AuthRequestID is offered back (sign in) after the reset; may be "".
	AuthRequestID string
	Lang          string // mail language: "en" or "de"
}

// Recover mails a reset code and link to a verified, enabled user at most
// once per ResendCooldown. It answers nil whatever the address; only
// infrastructure failures are errors.
func (s *Service) Recover(ctx context.Context, tg Target, rec Recovery) error {
	u, err := userByEmail(ctx, tg.Scope, rec.Email)
	if u == nil || err != nil {
		return err
	}
	if !u.EmailVerified || u.Disabled {
		return nil
	}
	tid := tg.Scope.Tenant.ID
	_, err = s.issue(ctx, tg, u, mailing{purpose: PurposeReset, kind: mail.KindPasswordReset, lang: rec.Lang,
		mac:  func(code string) []byte { return s.resetCodeMAC(tid, u.ID, code) },
		page: rec.ResetURL, linkTTL: s.Config.withDefaults().ResetLinkTTL, bound: rec.AuthRequestID, cooldown: true})
	return quietTooSoon(err)
}

// RecoverDetached runs Recover after returning, with ctx's values but not
// its cancellation, and logs its errors: the caller answers at once,
// whatever the address. Wait waits for it.
func (s *Service) RecoverDetached(ctx context.Context, tg Target, rec Recovery) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recoverTimeout)
	s.detached.Go(func() {
		defer cancel()
		if err := s.Recover(ctx, tg, rec); err != nil {
			s.log().ErrorContext(ctx, "onboarding: password recovery failed", "err", err)
		}
	})
}

// ResetProof is what proves the mailbox: Email with Code, or Token.
type ResetProof struct {
	Email, Code string
	Token       string
}

func (p ResetProof) link() bool { return p.Token != "" }

// ResetTarget is what the proof opens: the user, and the request they
// started from (or "").
type ResetTarget struct {
	User          *identity.User
	AuthRequestID string
}

// CheckReset tells whether p is valid without using it up, so a page can
// ask for the new password next. A wrong code counts one attempt. Every
// failure is ErrInvalidCode (ErrInvalidLink for a token).
func (s *Service) CheckReset(ctx context.Context, tg Target, p ResetProof) (*ResetTarget, error) {
	return s.redeemReset(ctx, tg, p, false)
}

// PasswordReset is a new password with its proof.
type PasswordReset struct {
	Proof       ResetProof
	NewPassword string
	// Revoke signs the user out everywhere (sessions, refresh and access
	// tokens); it runs after the password is set, before the notice.
	Revoke func(ctx context.Context, userID string) error
	// SecureURL is offered in the notice ("this wasn't me"); may be "".
	SecureURL string
	Lang      string
}

// Reset checks the proof, then the new password against the policy (an
// *identity.ValidationError on /password leaves the proof unused), then
// uses the proof up, sets the password, retires the user's other reset
// codes and links, calls Revoke and mails the password_changed notice.
func (s *Service) Reset(ctx context.Context, tg Target, pr PasswordReset) (*ResetTarget, error) {
	rt, err := s.redeemReset(ctx, tg, pr.Proof, false)
	if err != nil {
		return nil, err
	}
	if err := s.Directory.CheckPassword(ctx, pr.NewPassword, rt.User); err != nil {
		return nil, err
	}
	if rt, err = s.redeemReset(ctx, tg, pr.Proof, true); err != nil {
		return nil, err
	}
	sc := tg.Scope
	if err := s.Directory.SetPassword(ctx, sc, rt.User.ID, pr.NewPassword); err != nil {
		return nil, err
	}
	if _, err := sc.Store.Verifications().UseAll(ctx, sc.Tenant.ID, rt.User.ID, PurposeReset, s.now().UTC()); err != nil {
		return nil, err
	}
	if pr.Revoke != nil {
		if err := pr.Revoke(ctx, rt.User.ID); err != nil {
			return nil, err
		}
	}
	s.Record(ctx, tg, events.PasswordReset, rt.User.ID)
	m, err := s.message(ctx, tg.Scope, rt.User.Email, mail.KindPasswordChanged, mailLang(pr.Lang), mail.Data{
		TenantName: tg.Name, UserName: rt.User.Profile.GivenName, Link: pr.SecureURL, Time: s.now(),
	})
	if err != nil {
		return nil, err
	}
	return rt, s.send(ctx, m)
}

// redeemReset checks p and, with use, marks it used.
func (s *Service) redeemReset(ctx context.Context, tg Target, p ResetProof, use bool) (*ResetTarget, error) {
	if p.link() {
		return s.redeemResetLink(ctx, tg, p.Token, use)
	}
	u, v, err := s.tryCodeOf(ctx, tg.Scope, p.Email, p.Code, PurposeReset, s.resetCodeMAC, use)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrInvalidCode
	}
	return &ResetTarget{User: u, AuthRequestID: v.AuthRequestID}, nil
}

func (s *Service) redeemResetLink(ctx context.Context, tg Target, token string, use bool) (*ResetTarget, error) {
	sc := tg.Scope
	v, err := s.tryLink(ctx, sc, token, PurposeReset, use)
	if err != nil {
		return nil, err
	}
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, v.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidLink
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrInvalidLink
	}
	return &ResetTarget{User: u, AuthRequestID: v.AuthRequestID}, nil
}

const resetCodePurpose = "onboarding-reset-code"

// resetCodeMAC keys reset codes apart from verification codes.
func (s *Service) resetCodeMAC(tenantID, userID, code string) []byte {
	return s.Keyring.MAC(resetCodePurpose, []byte(tenantID+"\x00"+userID+"\x00"+code))
}

package onboarding

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Verified is the outcome of a redeemed code or link.
type Verified struct {
	User *identity.User
	// AuthRequestID is the authorization request the user registered
	// from, or "".
	AuthRequestID string
}

// VerifyCode redeems the newest code issued to email. A wrong code counts
// one attempt; at MaxAttempts the code dies and only a new one (Resend)
// helps. Every failure is ErrInvalidCode.
func (s *Service) VerifyCode(ctx context.Context, tg Target, email, code string) (*Verified, error) {
	cfg := s.Config.withDefaults()
	code = strings.TrimSpace(code)
	email, err := identity.NormalizeEmail(strings.TrimSpace(email))
	if err != nil || len(code) < 6 || len(code) > 8 {
		return nil, ErrInvalidCode
	}
	sc := tg.Scope
	u, err := sc.Store.Users().GetByEmail(ctx, sc.Tenant.ID, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidCode
	}
	if err != nil {
		return nil, err
	}
	v, err := sc.Store.Verifications().Latest(ctx, sc.Tenant.ID, u.ID, PurposeVerifyEmail, store.VerificationCode)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidCode
	}
	if err != nil {
		return nil, err
	}
	mac := s.codeMAC(sc.Tenant.ID, u.ID, code)
	now := s.now()
	v, err = sc.Store.Verifications().Update(ctx, sc.Tenant.ID, v.ID, func(x *store.Verification) error {
		if !x.Open(now, cfg.MaxAttempts) {
			return ErrInvalidCode
		}
		if subtle.ConstantTimeCompare(x.Hash, mac) != 1 {
			x.Attempts++
			return nil // counted below
		}
		at := now.UTC()
		x.UsedAt = &at
		return nil
	})
	if err != nil {
		return nil, err
	}
	if v.UsedAt == nil {
		return nil, ErrInvalidCode
	}
	return s.complete(ctx, tg, u.ID, v.AuthRequestID, now)
}

// VerifyLink redeems a link token. Every failure is ErrInvalidLink.
func (s *Service) VerifyLink(ctx context.Context, tg Target, token string) (*Verified, error) {
	v, err := s.redeemLink(ctx, tg.Scope, token, PurposeVerifyEmail, true)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, tg, v.UserID, v.AuthRequestID, *v.UsedAt)
}

// complete marks the address verified and retires the user's other
// codes and links.
func (s *Service) complete(ctx context.Context, tg Target, userID, authRequestID string, now time.Time) (*Verified, error) {
	sc := tg.Scope
	if _, err := sc.Store.Verifications().UseAll(ctx, sc.Tenant.ID, userID, PurposeVerifyEmail, now.UTC()); err != nil {
		return nil, err
	}
	u, err := sc.Store.Users().Update(ctx, sc.Tenant.ID, userID, 0, func(u *identity.User) error {
		u.EmailVerified = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Verified{User: u, AuthRequestID: authRequestID}, nil
}

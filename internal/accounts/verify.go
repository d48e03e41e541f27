package accounts

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
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
	u, v, err := s.tryCodeOf(ctx, tg.Scope, email, code, PurposeVerifyEmail, s.codeMAC, true)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, tg, u.ID, v.AuthRequestID, s.now())
}

// VerifyLink redeems a link token. Every failure is ErrInvalidLink.
func (s *Service) VerifyLink(ctx context.Context, tg Target, token string) (*Verified, error) {
	v, err := s.tryLink(ctx, tg.Scope, token, PurposeVerifyEmail, true)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, tg, v.UserID, v.AuthRequestID, s.now())
}

// LinkAuthRequest returns the authorization request a pending
// verification link continues, without using the link up, or "" when
// there is none or the link is not valid: the page that confirms the link
// must allow its form to end at that request's client.
func (s *Service) LinkAuthRequest(ctx context.Context, tg Target, token string) string {
	v, err := s.peekLink(ctx, tg.Scope, token, PurposeVerifyEmail)
	if err != nil {
		return ""
	}
	return v.AuthRequestID
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

package accounts

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Email change: the signed-in user names a new address (the caller has
// checked the password), a code and a link go to the new address, and
// redeeming either switches the address, verified, and sends a notice
// (kind email_changed) to the old one.
//
// The pending address rides on the verification rows, in the
// AuthRequestID field (no authorization request is continued here), so
// no migration is needed; the code's MAC covers the address too, so an
// altered code row does not verify. The link is a 256-bit token stored as
// its SHA-256, like verification links; it opens a hosted page
// (Target.EmailChangeURL) that confirms with a button, so mail scanners
// that pre-fetch links do not use it up.

// PurposeEmailChange is the verification purpose of a new address.
const PurposeEmailChange = "email_change"

const emailChangeMACPurpose = "email-change-code"

func (s *Service) emailChangeMAC(tenantID, userID, newEmail, code string) []byte {
	return s.Keyring.MAC(emailChangeMACPurpose, []byte(tenantID+"\x00"+userID+"\x00"+newEmail+"\x00"+code))
}

// StartEmailChange mails a code to newEmail for user u, replacing any
// pending change. A bad address is an *identity.ValidationError on
// /new_email; a request within ResendCooldown of the last is *ErrTooSoon.
// Whether the address is taken is checked on redemption only.
func (s *Service) StartEmailChange(ctx context.Context, tg Target, u *identity.User, newEmail, lang string) error {
	email, err := identity.NormalizeEmail(strings.TrimSpace(newEmail))
	if err != nil {
		return &identity.ValidationError{Errors: []identity.FieldError{{Field: "/new_email", Message: err.Error()}}}
	}
	if strings.EqualFold(email, u.Email) {
		return &identity.ValidationError{Errors: []identity.FieldError{{Field: "/new_email", Message: "is the current address"}}}
	}
	tid := tg.Scope.Tenant.ID
	m := mailing{purpose: PurposeEmailChange, kind: mail.KindEmailChange, lang: lang, to: email,
		mac:   func(code string) []byte { return s.emailChangeMAC(tid, u.ID, email, code) },
		bound: email, cooldown: true, replace: true}
	if tg.EmailChangeURL != "" {
		m.page, m.linkTTL = tg.EmailChangeURL, s.Config.withDefaults().LinkTTL
	}
	_, err = s.issue(ctx, tg, u, m)
	return err
}

// ConfirmEmailChange redeems the code of the user's pending change: the
// address becomes the new one, verified, and the old one gets a notice.
// A wrong code counts one attempt; every failure of the code is
// ErrInvalidCode. An address taken meanwhile is store.ErrConflict (the
// code is then used up).
func (s *Service) ConfirmEmailChange(ctx context.Context, tg Target, userID, code, lang string) (*identity.User, error) {
	code = strings.TrimSpace(code)
	if len(code) < 6 || len(code) > 8 {
		return nil, ErrInvalidCode
	}
	sc := tg.Scope
	v, err := s.tryLatestCode(ctx, sc, userID, codeAttempt{purpose: PurposeEmailChange, use: true,
		want: func(v *store.Verification) []byte {
			return s.emailChangeMAC(sc.Tenant.ID, userID, v.AuthRequestID, code)
		}})
	if err != nil {
		return nil, err
	}
	return s.switchEmail(ctx, tg, userID, v.AuthRequestID, lang)
}

// ConfirmEmailChangeLink redeems an email-change link, as
// ConfirmEmailChange does a code. Every failure of the link is
// ErrInvalidLink.
func (s *Service) ConfirmEmailChangeLink(ctx context.Context, tg Target, token, lang string) (*identity.User, error) {
	v, err := s.tryLink(ctx, tg.Scope, token, PurposeEmailChange, true)
	if err != nil {
		return nil, err
	}
	u, err := tg.Scope.Store.Users().Get(ctx, tg.Scope.Tenant.ID, v.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		return nil, ErrInvalidLink
	}
	if err != nil {
		return nil, err
	}
	return s.switchEmail(ctx, tg, u.ID, v.AuthRequestID, lang)
}

// switchEmail makes newEmail the user's verified address, retires the
// other codes and links of the change and tells the old address.
func (s *Service) switchEmail(ctx context.Context, tg Target, userID, newEmail, lang string) (*identity.User, error) {
	sc, now := tg.Scope, s.now()
	var old string
	u, err := s.Directory.UpdateUser(ctx, sc, userID, 0, func(u *identity.User) error {
		old = u.Email
		u.Email, u.EmailVerified = newEmail, true
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := sc.Store.Verifications().UseAll(ctx, sc.Tenant.ID, userID, PurposeEmailChange, now.UTC()); err != nil {
		return nil, err
	}
	s.Record(ctx, tg, events.EmailChanged, userID)
	m, err := s.message(ctx, tg.Scope, old, mail.KindEmailChanged, mailLang(lang), mail.Data{
		TenantName: tg.Name, UserName: u.Profile.GivenName, Time: now.UTC(),
	})
	if err != nil {
		return nil, err
	}
	return u, s.send(ctx, m)
}

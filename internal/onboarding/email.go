package onboarding

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Email change: the signed-in user names a new address (the caller has
// checked the password), a code goes to the new address, and redeeming
// it switches the address, verified, and sends a notice (kind
// email_changed) to the old one.
//
// The pending address rides on the code's verification row, in the
// AuthRequestID field (no authorization request is continued here), so
// no migration is needed; the code's MAC covers the address too, so an
// altered row does not verify. Only a code is sent: a link needs a hosted
// page that redeems it, which does not exist yet.

// PurposeEmailChange is the verification purpose of a new address.
const PurposeEmailChange = "email_change"

// ErrTooSoon: a code was sent less than ResendCooldown ago.
type ErrTooSoon struct{ RetryAfter time.Duration }

func (e *ErrTooSoon) Error() string { return "onboarding: a code was sent moments ago" }

const emailChangeMACPurpose = "email-change-code"

func (s *Service) emailChangeMAC(tenantID, userID, newEmail, code string) []byte {
	return s.Keys.MAC(emailChangeMACPurpose, []byte(tenantID+"\x00"+userID+"\x00"+newEmail+"\x00"+code))
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
	cfg := s.Config.withDefaults()
	sc := tg.Scope
	now := s.now().UTC()
	last, err := sc.Store.Verifications().Latest(ctx, sc.Tenant.ID, u.ID, PurposeEmailChange, store.VerificationCode)
	switch {
	case err == nil:
		if wait := cfg.ResendCooldown - now.Sub(last.CreatedAt); wait > 0 {
			return &ErrTooSoon{RetryAfter: wait}
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	code, err := newCode(cfg.CodeDigits)
	if err != nil {
		return err
	}
	v := &store.Verification{TenantID: sc.Tenant.ID, UserID: u.ID, Purpose: PurposeEmailChange, Kind: store.VerificationCode,
		Hash: s.emailChangeMAC(sc.Tenant.ID, u.ID, email, code), AuthRequestID: email, CreatedAt: now, ExpiresAt: now.Add(cfg.CodeTTL)}
	err = sc.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.Verifications().UseAll(ctx, sc.Tenant.ID, u.ID, PurposeEmailChange, now); err != nil {
			return err
		}
		return tx.Verifications().Create(ctx, v)
	})
	if err != nil {
		return err
	}
	t := emailChangeText[mailLang(lang)]
	name := tg.Name
	if name == "" {
		name = "Gatehouse"
	}
	return s.send(ctx, &mail.Message{To: email, Subject: fmt.Sprintf(t.subject, name),
		Text: fmt.Sprintf(t.body, name, code, mail.HumanDuration(cfg.CodeTTL, mailLang(lang)))})
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
	newEmail, now := v.AuthRequestID, s.now()
	var old string
	u, err := s.Admin.UpdateUser(ctx, sc, userID, 0, func(u *identity.User) error {
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
	m, err := s.Templates.Message(old, mail.KindEmailChanged, mailLang(lang), nil, mail.Data{
		TenantName: tg.Name, UserName: u.Profile.GivenName, Time: now.UTC(),
	})
	if err != nil {
		return nil, err
	}
	return u, s.send(ctx, m)
}

var emailChangeText = map[string]struct{ subject, body string }{
	"en": {
		subject: "Confirm your new email address for %s",
		body: `Hello,

someone, hopefully you, asked to use this address for a %s account.

Your verification code: %s

The code expires in %s. If you did not ask for this, you can ignore this email: nothing changes without the code.
`,
	},
	"de": {
		subject: "Bestätigen Sie Ihre neue E-Mail-Adresse bei %s",
		body: `Hallo,

jemand, hoffentlich Sie, möchte diese Adresse für ein Konto bei %s verwenden.

Ihr Bestätigungscode: %s

Der Code läuft in %s ab. Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren: Ohne den Code ändert sich nichts.
`,
	},
}

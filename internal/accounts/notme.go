package accounts

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The new-device notice and its "this wasn't me" link. The link is a
// verification record (purpose "not_me"): hashed, single use, expiring.
// Redeeming it is the login's business (it revokes sessions and tokens);
// this file only issues and checks it.

// PurposeNotMe is the verification purpose of a "this wasn't me" link.
const PurposeNotMe = "not_me"

// PurposePasswordChange marks a user who must change the password before
// any sign-in continues (a breached password, or "this wasn't me"). The
// record is a flag: its hash is random and never compared.
const PurposePasswordChange = "password_change"

// NotMeLinkTTL is how long a "this wasn't me" link lives.
const NotMeLinkTTL = 7 * 24 * time.Hour

// passwordChangeTTL bounds the flag; a user who never signs in again
// within it is asked again by the risk engine if the password is breached.
const passwordChangeTTL = 90 * 24 * time.Hour

// Notice is a new-device sign-in to tell the user about.
type Notice struct {
	// NotMeURL is the absolute URL of the "this wasn't me" page; ?token=
	// is appended.
	NotMeURL      string
	IP, UserAgent string
	Lang          string
}

// NotifyNewDevice mails u the new_device_login notice with a fresh
// "this wasn't me" link.
func (s *Service) NotifyNewDevice(ctx context.Context, tg Target, u *identity.User, n Notice) error {
	now := s.now().UTC()
	token := secret.Token(32)
	v := &store.Verification{TenantID: tg.Scope.Tenant.ID, UserID: u.ID, Purpose: PurposeNotMe, Kind: store.VerificationLink,
		Hash: linkHash(token), CreatedAt: now, ExpiresAt: now.Add(NotMeLinkTTL)}
	if err := tg.Scope.Store.Verifications().Create(ctx, v); err != nil {
		return err
	}
	m, err := s.message(ctx, tg.Scope, u.Email, mail.KindNewDeviceLogin, mailLang(n.Lang), mail.Data{
		TenantName: tg.Name, UserName: u.Profile.GivenName, IP: n.IP, UserAgent: n.UserAgent, Time: now,
		Link: n.NotMeURL + "?token=" + url.QueryEscape(token),
	})
	if err != nil {
		return err
	}
	return s.send(ctx, m)
}

// NotMe checks a "this wasn't me" link and, with use, uses it up. It
// answers ErrInvalidLink for unknown, expired, used and foreign tokens.
func (s *Service) NotMe(ctx context.Context, tg Target, token string, use bool) (*identity.User, error) {
	v, err := s.tryLink(ctx, tg.Scope, token, PurposeNotMe, use)
	if err != nil {
		return nil, err
	}
	u, err := tg.Scope.Store.Users().Get(ctx, tg.Scope.Tenant.ID, v.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidLink
	}
	return u, err
}

// RequirePasswordChange flags u: the login asks for a new password
// before any sign-in of u continues.
func (s *Service) RequirePasswordChange(ctx context.Context, sc Target, userID string) error {
	now := s.now().UTC()
	return sc.Scope.Store.Verifications().Create(ctx, &store.Verification{
		TenantID: sc.Scope.Tenant.ID, UserID: userID, Purpose: PurposePasswordChange, Kind: store.VerificationCode,
		Hash: linkHash(secret.Token(32)), CreatedAt: now, ExpiresAt: now.Add(passwordChangeTTL),
	})
}

// PasswordChangeRequired reports whether u is flagged.
func (s *Service) PasswordChangeRequired(ctx context.Context, tg Target, userID string) (bool, error) {
	sc := tg.Scope
	v, err := sc.Store.Verifications().Latest(ctx, sc.Tenant.ID, userID, PurposePasswordChange, store.VerificationCode)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return v.Open(s.now(), 0), nil
}

// ChangeRequiredPassword sets a flagged user's new password (checked
// against the policy first: an *identity.ValidationError changes
// nothing) and clears the flag.
func (s *Service) ChangeRequiredPassword(ctx context.Context, tg Target, u *identity.User, pw string) error {
	if err := s.Directory.CheckPassword(ctx, pw, u); err != nil {
		return err
	}
	sc := tg.Scope
	if err := s.Directory.SetPassword(ctx, sc, u.ID, pw); err != nil {
		return err
	}
	_, err := sc.Store.Verifications().UseAll(ctx, sc.Tenant.ID, u.ID, PurposePasswordChange, s.now().UTC())
	return err
}

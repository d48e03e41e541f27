package accounts

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Issuing a mailed proof, shared by verification, reset, email change and
// invitations: a fresh code and/or link is stored and mailed, and for the
// flows with a resend cool-down, checking the cool-down and storing the
// rows are one atomic step in the store (store.VerificationRepo.Issue),
// so a burst of requests, on one node or many, mails once.

// ErrTooSoon: a code was sent less than ResendCooldown ago.
type ErrTooSoon struct{ RetryAfter time.Duration }

func (e *ErrTooSoon) Error() string { return "onboarding: a code was sent moments ago" }

// mailing is one mail's worth of proof for a user: a code, a link, or
// both.
type mailing struct {
	purpose string
	kind    mail.Kind
	lang    string
	// to is the address mailed; "" is the user's.
	to string
	// mac keys the code; nil issues no code.
	mac func(code string) []byte
	// page is the absolute URL the link opens (?token= is appended); ""
	// issues no link.
	page    string
	linkTTL time.Duration
	// bound rides on the rows (their AuthRequestID field): the
	// authorization request to continue, or the pending address.
	bound string
	// cooldown refuses a mailing within Config.ResendCooldown of the
	// user's last one of the purpose (*ErrTooSoon; nothing stored or sent).
	cooldown bool
	// replace retires the user's open codes and links of the purpose.
	replace bool
}

// issue stores m's code and link for u and mails them. It returns the
// stored rows, the code's first.
func (s *Service) issue(ctx context.Context, tg Target, u *identity.User, m mailing) ([]*store.Verification, error) {
	cfg := s.Config.withDefaults()
	now := s.now().UTC()
	sc := tg.Scope
	tid := sc.Tenant.ID
	in := store.Issuance{UserID: u.ID, Purpose: m.purpose, Replace: m.replace}
	if m.cooldown {
		in.Since = now.Add(-cfg.ResendCooldown)
	}
	d := mail.Data{TenantName: tg.Name, UserName: u.Profile.GivenName}
	row := func(kind string, hash []byte, ttl time.Duration) {
		in.New = append(in.New, &store.Verification{TenantID: tid, UserID: u.ID, Purpose: m.purpose, Kind: kind,
			Hash: hash, AuthRequestID: m.bound, CreatedAt: now, ExpiresAt: now.Add(ttl)})
	}
	if m.mac != nil {
		code, err := newCode(cfg.CodeDigits)
		if err != nil {
			return nil, err
		}
		row(store.VerificationCode, m.mac(code), cfg.CodeTTL)
		d.Code, d.ExpiresIn = code, cfg.CodeTTL
	}
	if m.page != "" {
		token := secret.Token(32)
		row(store.VerificationLink, linkHash(token), m.linkTTL)
		d.Link = m.page + "?token=" + url.QueryEscape(token)
		if d.Code != "" {
			d.LinkExpiresIn = m.linkTTL
		} else {
			d.ExpiresIn = m.linkTTL
		}
	}
	recent, err := sc.Store.Verifications().Issue(ctx, tid, in)
	if errors.Is(err, store.ErrTooSoon) {
		return nil, &ErrTooSoon{RetryAfter: max(cfg.ResendCooldown-now.Sub(recent.CreatedAt), time.Second)}
	}
	if err != nil {
		return nil, err
	}
	to := m.to
	if to == "" {
		to = u.Email
	}
	msg, err := s.message(ctx, sc, to, m.kind, mailLang(m.lang), d)
	if err != nil {
		return nil, err
	}
	return in.New, s.send(ctx, msg)
}

// quietTooSoon drops *ErrTooSoon: flows that must not tell whether an
// address exists answer the same inside the cool-down.
func quietTooSoon(err error) error {
	if _, ok := errors.AsType[*ErrTooSoon](err); ok {
		return nil
	}
	return err
}

// userByEmail returns the user with that address, or nil when the
// address is malformed or unknown.
func userByEmail(ctx context.Context, sc *tenancy.Tenant, email string) (*identity.User, error) {
	email, err := identity.NormalizeEmail(strings.TrimSpace(email))
	if err != nil {
		return nil, nil
	}
	u, err := sc.Store.Users().GetByEmail(ctx, sc.Tenant.ID, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Invitations: an admin invites an address; its owner follows the mailed
// link, sets a password, and is signed in. An invitation is one
// verification link (purpose PurposeInvite) of the invited user, so its
// token is stored hashed, expires, and is used up once: by acceptance,
// by revocation, or by a newer invitation of the same user.

// PurposeInvite is the verification purpose of an invitation link.
const PurposeInvite = "invite"

// Invitation lifetimes.
const (
	DefaultInviteTTL = 7 * 24 * time.Hour
	MaxInviteTTL     = 30 * 24 * time.Hour
	minInviteTTL     = time.Minute
)

// Invitee is whom an admin invites.
type Invitee struct {
	Email                 string
	GivenName, FamilyName string
	// TTL is how long the link works; 0 means DefaultInviteTTL.
	TTL  time.Duration
	Lang string // mail language: "en" or "de"
}

// Invitation is a pending invitation: the ID of its link row, the
// invited user and address, and its lifetime.
type Invitation struct {
	ID, UserID, Email    string
	CreatedAt, ExpiresAt time.Time
}

// ErrAlreadyActive: the invited user already has a password. It wraps
// store.ErrConflict.
var ErrAlreadyActive = fmt.Errorf("%w: the user already has a password", store.ErrConflict)

// Invite creates the user of a new address (email unverified, no
// password), retires the user's older invitations, stores a new link and
// mails it; the link is pageURL?token=…. Bad input is an
// *identity.ValidationError; a user with a password is ErrAlreadyActive.
func (s *Service) Invite(ctx context.Context, tg Target, pageURL string, in Invitee) (*Invitation, error) {
	u, ve := newUser(in.Email, in.GivenName, in.FamilyName)
	ttl := in.TTL
	if ttl == 0 {
		ttl = DefaultInviteTTL
	}
	if ttl < minInviteTTL || ttl > MaxInviteTTL {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/expires_in", Message: fmt.Sprintf("must be between %d and %d seconds", int(minInviteTTL.Seconds()), int(MaxInviteTTL.Seconds()))})
	}
	if len(ve.Errors) > 0 {
		return nil, ve
	}

	sc := tg.Scope
	existing, err := sc.Store.Users().GetByEmail(ctx, sc.Tenant.ID, u.Email)
	switch {
	case err == nil:
		has, err := s.Directory.HasPassword(ctx, sc, existing.ID)
		if err != nil {
			return nil, err
		}
		if has {
			return nil, ErrAlreadyActive
		}
		u = existing
	case errors.Is(err, store.ErrNotFound):
		if err := s.Directory.CreateUser(ctx, sc, u, nil); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}

	vs, err := s.issue(ctx, tg, u, mailing{purpose: PurposeInvite, kind: mail.KindInvitation, lang: in.Lang,
		page: pageURL, linkTTL: ttl, replace: true})
	if err != nil {
		return nil, err
	}
	v := vs[0]
	return &Invitation{ID: v.ID, UserID: u.ID, Email: u.Email, CreatedAt: v.CreatedAt, ExpiresAt: v.ExpiresAt}, nil
}

// openInvite returns the pending invitation of token and its user, or
// ErrInvalidLink.
func (s *Service) openInvite(ctx context.Context, sc *tenancy.Tenant, token string) (*store.Verification, *identity.User, error) {
	v, err := s.peekLink(ctx, sc, token, PurposeInvite)
	if err != nil {
		return nil, nil, err
	}
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, v.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrInvalidLink
	}
	if err != nil {
		return nil, nil, err
	}
	return v, u, nil
}

// InvitedUser returns the user a pending invitation token is for, without
// using it up, or ErrInvalidLink (unknown, expired, revoked or accepted).
func (s *Service) InvitedUser(ctx context.Context, tg Target, token string) (*identity.User, error) {
	_, u, err := s.openInvite(ctx, tg.Scope, token)
	return u, err
}

// AcceptInvite checks password against the policy (an
// *identity.ValidationError on /password, the token left usable), then
// uses the token up, sets the password and marks the address verified:
// the mail proved it. A dead token is ErrInvalidLink.
func (s *Service) AcceptInvite(ctx context.Context, tg Target, token, password string) (*identity.User, error) {
	sc := tg.Scope
	v, u, err := s.openInvite(ctx, sc, token)
	if err != nil {
		return nil, err
	}
	if err := s.Directory.CheckPassword(ctx, password, u); err != nil {
		return nil, err
	}
	now := s.now()
	_, err = sc.Store.Verifications().Update(ctx, sc.Tenant.ID, v.ID, func(x *store.Verification) error {
		if !x.Open(now, 0) {
			return ErrInvalidLink
		}
		at := now.UTC()
		x.UsedAt = &at
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidLink
	}
	if err != nil {
		return nil, err
	}
	if err := s.Directory.SetPassword(ctx, sc, u.ID, password); err != nil {
		return nil, err
	}
	return sc.Store.Users().Update(ctx, sc.Tenant.ID, u.ID, 0, func(u *identity.User) error {
		u.EmailVerified = true
		return nil
	})
}

// RevokeInvitation kills the invitation with that ID at once; one that is
// already used or expired stays so. ErrNotFound if there is no
// invitation with that ID in the tenant.
func (s *Service) RevokeInvitation(ctx context.Context, sc *tenancy.Tenant, id string) error {
	now := s.now().UTC()
	_, err := sc.Store.Verifications().Update(ctx, sc.Tenant.ID, id, func(x *store.Verification) error {
		if x.Purpose != PurposeInvite {
			return store.ErrNotFound
		}
		if x.UsedAt == nil {
			x.UsedAt = &now
		}
		return nil
	})
	return err
}

// maxInviteScan bounds the users one PendingInvitations call looks at.
const maxInviteScan = 1000

// PendingInvitations returns a page of open invitations, ordered by user.
// The verification store cannot list, so it walks the tenant's users
// (after pg.After, a user ID) and asks each for its newest invitation; it
// stops at pg.Limit invitations or after maxInviteScan users, so a page
// may be short while next (the last user looked at) is not "".
func (s *Service) PendingInvitations(ctx context.Context, sc *tenancy.Tenant, pg store.Page) (items []Invitation, next string, err error) {
	limit := pg.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	now := s.now()
	after, scanned := pg.After, 0
	for {
		users, more, err := sc.Store.Users().List(ctx, sc.Tenant.ID, store.UserFilter{}, store.Page{Limit: store.MaxLimit, After: after})
		if err != nil {
			return nil, "", err
		}
		for i := range users {
			u := &users[i]
			after = u.ID
			scanned++
			v, err := sc.Store.Verifications().Latest(ctx, sc.Tenant.ID, u.ID, PurposeInvite, store.VerificationLink)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, "", err
			}
			if v.Open(now, 0) {
				items = append(items, Invitation{ID: v.ID, UserID: u.ID, Email: u.Email, CreatedAt: v.CreatedAt, ExpiresAt: v.ExpiresAt})
			}
			if len(items) == limit || scanned >= maxInviteScan {
				if i == len(users)-1 && more == "" {
					return items, "", nil
				}
				return items, after, nil
			}
		}
		if more == "" {
			return items, "", nil
		}
	}
}

package accounts

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// One attempt at a mailed code, shared by verification, reset and email
// change: the user's newest code of a purpose is compared with the
// attempt's MAC inside the store's atomic update, so concurrent guesses
// cannot exceed the attempt limit.

// codeAttempt is one try of a code.
type codeAttempt struct {
	purpose string
	// want is the MAC the stored code must equal; it may depend on the
	// stored row (the email change binds the pending address).
	want func(v *store.Verification) []byte
	// use marks a matching code used.
	use bool
}

// tryLatestCode checks a against userID's newest code of a.purpose. A
// wrong code counts one attempt; at MaxAttempts the code dies. Every
// failure of the code is ErrInvalidCode.
func (s *Service) tryLatestCode(ctx context.Context, sc *tenancy.Tenant, userID string, a codeAttempt) (*store.Verification, error) {
	cfg := s.Config.withDefaults()
	v, err := sc.Store.Verifications().Latest(ctx, sc.Tenant.ID, userID, a.purpose, store.VerificationCode)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidCode
	}
	if err != nil {
		return nil, err
	}
	want := a.want(v)
	now := s.now()
	ok := false
	v, err = sc.Store.Verifications().Update(ctx, sc.Tenant.ID, v.ID, func(x *store.Verification) error {
		if !x.Open(now, cfg.MaxAttempts) {
			return ErrInvalidCode
		}
		if subtle.ConstantTimeCompare(x.Hash, want) != 1 {
			x.Attempts++
			return nil // counted, and refused below
		}
		ok = true
		if a.use {
			at := now.UTC()
			x.UsedAt = &at
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrInvalidCode
	}
	return v, nil
}

// tryCodeOf checks code against the newest code of purpose of the user
// with that address; mac is the purpose's keyed MAC. An unknown address
// or a malformed code is ErrInvalidCode, like a wrong one.
func (s *Service) tryCodeOf(ctx context.Context, sc *tenancy.Tenant, email, code, purpose string,
	mac func(tenantID, userID, code string) []byte, use bool) (*identity.User, *store.Verification, error) {
	code = strings.TrimSpace(code)
	if len(code) < 6 || len(code) > 8 {
		return nil, nil, ErrInvalidCode
	}
	u, err := userByEmail(ctx, sc, email)
	if err != nil {
		return nil, nil, err
	}
	if u == nil {
		return nil, nil, ErrInvalidCode
	}
	v, err := s.tryLatestCode(ctx, sc, u.ID, codeAttempt{purpose: purpose, use: use,
		want: func(*store.Verification) []byte { return mac(sc.Tenant.ID, u.ID, code) }})
	if err != nil {
		return nil, nil, err
	}
	return u, v, nil
}

// peekLink returns the open link of purpose with token without using it
// (a read: opening a page must not write), or ErrInvalidLink.
func (s *Service) peekLink(ctx context.Context, sc *tenancy.Tenant, token, purpose string) (*store.Verification, error) {
	if token == "" || len(token) > 128 {
		return nil, ErrInvalidLink
	}
	v, err := sc.Store.Verifications().GetByHash(ctx, sc.Tenant.ID, linkHash(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidLink
	}
	if err != nil {
		return nil, err
	}
	if v.Kind != store.VerificationLink || v.Purpose != purpose || !v.Open(s.now(), 0) {
		return nil, ErrInvalidLink
	}
	return v, nil
}

// tryLink finds the open link of purpose with token and, with use, marks
// it used, atomically: of two concurrent redemptions one wins. Every
// failure of the link is ErrInvalidLink.
func (s *Service) tryLink(ctx context.Context, sc *tenancy.Tenant, token, purpose string, use bool) (*store.Verification, error) {
	v, err := s.peekLink(ctx, sc, token, purpose)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v, err = sc.Store.Verifications().Update(ctx, sc.Tenant.ID, v.ID, func(x *store.Verification) error {
		if x.Kind != store.VerificationLink || x.Purpose != purpose || !x.Open(now, 0) {
			return ErrInvalidLink
		}
		if use {
			at := now.UTC()
			x.UsedAt = &at
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidLink
	}
	return v, err
}

package mfa

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// MaxNameLen bounds a factor's user-given name.
const MaxNameLen = 64

// listFactors is the store's list of the user's factors, in creation
// order, without those the target hides (Target.FactorsUntil).
func listFactors(ctx context.Context, tg Target, userID string) ([]factor.Factor, error) {
	fs, err := tg.Store.MFA().ListFactors(ctx, tg.Tenant.ID, userID)
	if err != nil || tg.FactorsUntil.IsZero() {
		return fs, err
	}
	return slices.DeleteFunc(fs, func(f factor.Factor) bool { return f.CreatedAt.After(tg.FactorsUntil) }), nil
}

// Factors lists the user's factors in creation order, without their
// secret Data.
func (s *Service) Factors(ctx context.Context, tg Target, userID string) ([]factor.Factor, error) {
	fs, err := listFactors(ctx, tg, userID)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		fs[i].Data = nil
	}
	return fs, nil
}

// HasFactor reports whether the user has a second factor that can answer
// a sign-in challenge. Recovery codes alone do not count: they are the
// fallback of another factor.
func (s *Service) HasFactor(ctx context.Context, tg Target, userID string) (bool, error) {
	fs, err := listFactors(ctx, tg, userID)
	if err != nil {
		return false, err
	}
	for _, f := range fs {
		if f.Type != factor.Recovery {
			return true, nil
		}
	}
	return false, nil
}

// cleanName trims a user-given factor name and checks its length.
func cleanName(name, fallback string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = fallback
	}
	if utf8.RuneCountInString(name) > MaxNameLen || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", fmt.Errorf("%w: a name has at most %d characters and no control characters", ErrInvalidName, MaxNameLen)
	}
	return name, nil
}

// RenameFactor gives the factor a new name.
func (s *Service) RenameFactor(ctx context.Context, tg Target, userID, factorID, name string) (*factor.Factor, error) {
	name, err := cleanName(name, "")
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, fmt.Errorf("%w: the name must not be empty", ErrInvalidName)
	}
	f, err := tg.Store.MFA().UpdateFactor(ctx, tg.Tenant.ID, userID, factorID, func(f *factor.Factor) error {
		f.Name = name
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.Data = nil
	return f, nil
}

// RemoveFactor deletes one factor, mails the user and records mfa.removed.
// actor is who acted when not the user (an API key ID), else "".
func (s *Service) RemoveFactor(ctx context.Context, tg Target, userID, factorID string, actor string) error {
	u, err := tg.Store.Users().Get(ctx, tg.Tenant.ID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	f, err := tg.Store.MFA().GetFactor(ctx, tg.Tenant.ID, userID, factorID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := tg.Store.MFA().DeleteFactor(ctx, tg.Tenant.ID, userID, factorID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		}
		return err
	}
	s.changed(ctx, tg, u, events.MFARemoved, actor, map[string]any{"factor_id": f.ID, "factor_type": string(f.Type)})
	return nil
}

// Reset removes all the user's factors and remembered devices (an admin
// action, e.g. after a lost phone), mails the user and records mfa.reset
// with the actor.
func (s *Service) Reset(ctx context.Context, tg Target, userID, actor string) error {
	u, err := tg.Store.Users().Get(ctx, tg.Tenant.ID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	var n int64
	err = tg.Store.InTx(ctx, func(tx store.Store) error {
		var err error
		if n, err = tx.MFA().DeleteFactors(ctx, tg.Tenant.ID, userID); err != nil {
			return err
		}
		_, err = tx.MFA().DeleteDevices(ctx, tg.Tenant.ID, userID)
		return err
	})
	if err != nil {
		return err
	}
	s.changed(ctx, tg, u, events.MFAReset, actor, map[string]any{"factors_removed": n})
	return nil
}

// changed tells the user by mail that their factors changed and records
// the event. Neither failing fails the change, which has happened: both
// are logged.
func (s *Service) changed(ctx context.Context, tg Target, u *identity.User, typ, actor string, data map[string]any) {
	now := s.now()
	ev := events.Event{TenantID: tg.Tenant.ID, Type: typ, Time: now, UserID: u.ID, ActorID: actor, Data: data}
	if err := s.events().Record(ctx, ev); err != nil {
		s.log().ErrorContext(ctx, "mfa: recording event failed", "type", typ, "err", err)
	}
	if u.Email == "" || s.Templates == nil || s.Mail == nil {
		return
	}
	m, err := s.message(ctx, tg, u.Email, mail.KindMFAChanged, userLang(u), mail.Data{
		TenantName: tg.Tenant.DisplayName, UserName: u.Profile.GivenName, Time: now,
	})
	if err == nil {
		err = s.Mail.Send(ctx, m)
	}
	if err != nil {
		s.log().ErrorContext(ctx, "mfa: sending the change notice failed", "err", err)
	}
}

// userLang picks the mail language from the user's locale.
func userLang(u *identity.User) string {
	if strings.HasPrefix(strings.ToLower(u.Profile.Locale), "de") {
		return "de"
	}
	return "en"
}

package accounts

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// sendNotice tells the owner of an address that is already registered
// (and nobody else) that someone tried to register it, and what to do if
// it was them (mail kind account_exists).
func (s *Service) sendNotice(ctx context.Context, tg Target, u *identity.User, lang string) error {
	m, err := s.message(ctx, tg.Scope, u.Email, mail.KindAccountExists, mailLang(lang), mail.Data{
		TenantName: tg.Name, UserName: u.Profile.GivenName, IP: tg.IP, Time: s.now().UTC(),
	})
	if err != nil {
		return err
	}
	return s.send(ctx, m)
}

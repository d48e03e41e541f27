package accounts

import (
	"context"
	"errors"
	"fmt"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Invitations into organizations (issue 14): an admin invites an email
// address into an organization with roles; the mail's link
// (pageURL?token=…) opens the hosted login's accept page, where the
// person, signed in with that address, becomes a member. Only the
// token's SHA-256 is stored; it is accepted once, before it expires.

// ErrInvitedAccountExists: the invited address already has an account.
// Its owner accepts the invitation by proving it (AcceptOrgInvitation);
// registering never creates a second account nor touches that one. It
// wraps store.ErrConflict.
var ErrInvitedAccountExists = fmt.Errorf("%w: the invited address already has an account", store.ErrConflict)

// ErrInvitationEmail: the signed-in user's email is not the address the
// invitation was sent to.
var ErrInvitationEmail = errors.New("accounts: the invitation is for another email address")

// OrgInvitee is whom InviteToOrganization invites.
type OrgInvitee struct {
	Org   *store.Organization
	Email string
	Roles []string // role IDs of the tenant
	// TTL is how long the link works; 0 means DefaultInviteTTL.
	TTL  time.Duration
	Lang string
}

// InviteToOrganization stores an invitation and mails its link. Bad
// input is an *identity.ValidationError; an unknown role is one naming
// /roles/<i>.
func (s *Service) InviteToOrganization(ctx context.Context, tg Target, pageURL string, in OrgInvitee) (*store.OrgInvitation, error) {
	ve := &identity.ValidationError{}
	email, err := identity.NormalizeEmail(in.Email)
	if err != nil {
		ve.Add("/email", "must be an email address")
	}
	ttl := in.TTL
	if ttl == 0 {
		ttl = DefaultInviteTTL
	}
	if ttl < 5*time.Minute || ttl > MaxInviteTTL {
		ve.Add("/expires_in_seconds", "must be between 300 and %d seconds", int(MaxInviteTTL.Seconds()))
	}
	sc := tg.Scope
	for i, id := range in.Roles {
		if _, err := sc.Store.Roles().Get(ctx, sc.Tenant.ID, id); errors.Is(err, store.ErrNotFound) {
			ve.Add(identity.Index("/roles", i), "no such role in this tenant")
		} else if err != nil {
			return nil, err
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	token := secret.Token(32)
	now := s.now().UTC()
	inv := &store.OrgInvitation{TenantID: sc.Tenant.ID, OrgID: in.Org.ID, Email: email, RoleIDs: in.Roles,
		TokenHash: linkHash(token), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := sc.Store.OrgInvitations().Create(ctx, inv); err != nil {
		return nil, err
	}
	name := in.Org.DisplayName
	if name == "" {
		name = in.Org.Name
	}
	m, err := s.message(ctx, sc, email, mail.KindInvitation, mailLang(in.Lang), mail.Data{
		TenantName: name, Link: pageURL + "?token=" + url.QueryEscape(token), ExpiresIn: ttl,
	})
	if err == nil {
		err = s.send(ctx, m)
	}
	if err != nil {
		// Nobody can accept an invitation whose mail did not go out.
		_ = sc.Store.OrgInvitations().Delete(ctx, sc.Tenant.ID, inv.OrgID, inv.ID)
		return nil, err
	}
	return inv, nil
}

// OrgInvitation returns the open invitation of token and its
// organization, or ErrInvalidLink.
func (s *Service) OrgInvitation(ctx context.Context, sc *tenancy.Tenant, token string) (*store.OrgInvitation, *store.Organization, error) {
	if token == "" || len(token) > 128 {
		return nil, nil, ErrInvalidLink
	}
	inv, err := sc.Store.OrgInvitations().GetByHash(ctx, sc.Tenant.ID, linkHash(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrInvalidLink
	}
	if err != nil {
		return nil, nil, err
	}
	if inv.AcceptedAt != nil || !s.now().Before(inv.ExpiresAt) {
		return nil, nil, ErrInvalidLink
	}
	o, err := sc.Store.Organizations().Get(ctx, sc.Tenant.ID, inv.OrgID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrInvalidLink
	}
	return inv, o, err
}

// AcceptOrgInvitation makes u a member of the invitation's organization
// with its roles, once: ErrInvalidLink for an unknown, used or expired
// token, ErrInvitationEmail when u's email is not the invited address
// (nothing is used up then).
func (s *Service) AcceptOrgInvitation(ctx context.Context, sc *tenancy.Tenant, token string, u *identity.User) (*store.OrgInvitation, error) {
	inv, _, err := s.OrgInvitation(ctx, sc, token)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(u.Email, inv.Email) {
		return nil, ErrInvitationEmail
	}
	acc, err := sc.Store.OrgInvitations().Accept(ctx, sc.Tenant.ID, inv.ID, u.ID, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidLink
	}
	if err != nil {
		return nil, err
	}
	s.recordJoined(ctx, sc, "", acc, u.ID)
	return acc, nil
}

// recordJoined records organization.joined for a member who joined
// through an invitation, as the Admin API records admin.membership.added
// for one it adds: the audit trail shows every way into an organization.
func (s *Service) recordJoined(ctx context.Context, sc *tenancy.Tenant, ip string, inv *store.OrgInvitation, userID string) {
	e := events.Event{TenantID: sc.Tenant.ID, Type: events.OrganizationJoined, Time: s.now().UTC(), UserID: userID, IP: ip,
		Data: map[string]any{"org_id": inv.OrgID, "invitation_id": inv.ID}}
	if err := s.recorder().Record(ctx, e); err != nil {
		s.log().ErrorContext(ctx, "onboarding: recording an event failed", "type", e.Type, "err", err)
	}
}

// RegisterInvited registers the person an open organization invitation
// was mailed to and accepts it, in one step. The address is the
// invitation's, whatever reg.Email says; everything else is checked as
// Register checks it (password policy, breached passwords, terms,
// attributes, residency, privacy purposes), and the tenant's
// registration switches do not apply: the invitation is the tenant's
// own permission. The address counts as verified (the token came by
// mail to it). The user, its password, the membership with the
// invitation's roles and the use of the invitation are written in one
// transaction; the consent record follows, and if it fails the user is
// deleted again, as in Register.
//
// Errors: ErrInvalidLink (unknown, used, expired or another tenant's
// token), ErrInvitedAccountExists (the address has an account: accept by
// proving it), an *identity.ValidationError (nothing written, the token
// left usable).
func (s *Service) RegisterInvited(ctx context.Context, tg Target, token string, reg Registration) (*identity.User, *store.OrgInvitation, error) {
	sc := tg.Scope
	inv, _, err := s.OrgInvitation(ctx, sc, token)
	if err != nil {
		return nil, nil, err
	}
	reg.Email = inv.Email
	if _, err := sc.Store.Users().GetByEmail(ctx, sc.Tenant.ID, inv.Email); err == nil {
		return nil, nil, ErrInvitedAccountExists
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	u, err := s.checkRegistration(ctx, tg, reg)
	if err != nil {
		return nil, nil, err
	}
	u.EmailVerified = true
	pw := reg.Password
	var acc *store.OrgInvitation
	err = s.Directory.CreateUserThen(ctx, sc, u, &pw, func(tx store.Store) error {
		var err error
		acc, err = tx.OrgInvitations().Accept(ctx, sc.Tenant.ID, inv.ID, u.ID, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return ErrInvalidLink // used or expired since, or its organization deleted
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		// The address was registered concurrently.
		return nil, nil, ErrInvitedAccountExists
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.recordRegistration(ctx, tg, u, reg); err != nil {
		return nil, nil, err
	}
	s.recordJoined(ctx, sc, tg.IP, acc, u.ID)
	return u, acc, nil
}

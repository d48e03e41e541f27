package authn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// ImportOutcome is what Import did with one directory entry.
type ImportOutcome int

// The outcomes of Import.
const (
	// ImportCreated: a user was provisioned and the identity linked.
	ImportCreated ImportOutcome = iota
	// ImportUpdated: the linked user's mapped profile changed.
	ImportUpdated
	// ImportUnchanged: the linked user was up to date.
	ImportUnchanged
	// ImportSkipped: no email, the email belongs to another account, the
	// connection is link_only, or the linked user is gone.
	ImportSkipped
)

// Import provisions or updates the user of an identity a directory
// listed (the Admin API's connection sync), ahead of their first sign-in,
// by the sign-in's rules less the ones a sign-in proves: the linked
// user's profile follows the mapping (never its email); an unlinked
// identity gets a new user unless the connection is link_only, the entry
// has no email, or the email belongs to an account — a sync never links
// by email, since nobody proved they own it. Emails are not verified.
func Import(ctx context.Context, dir *directory.Service, t *tenancy.Tenant, c Federated, now time.Time) (ImportOutcome, error) {
	if c.Conn == nil || c.Conn.TenantID != t.ID || c.Identity.Subject == "" {
		return ImportSkipped, nil
	}
	fi, err := t.Store.Connections().IdentityBySubject(ctx, t.ID, c.Conn.ID, c.Identity.Subject)
	if err == nil {
		u, err := t.Store.Users().Get(ctx, t.ID, fi.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return ImportSkipped, nil
		}
		if err != nil {
			return 0, err
		}
		if !withUpstream(u, c, false) {
			return ImportUnchanged, nil
		}
		_, err = dir.UpdateUser(ctx, t, u.ID, u.Version, func(x *identity.User) error {
			withUpstream(x, c, false)
			return nil
		})
		return ImportUpdated, err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	email, err := identity.NormalizeEmail(c.Identity.Email)
	if err != nil || email == "" || c.Conn.Provisioning == "link_only" {
		return ImportSkipped, nil
	}
	if _, err := t.Store.Users().GetByEmail(ctx, t.ID, email); err == nil {
		return ImportSkipped, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	u := &identity.User{TenantID: t.ID, Email: email}
	withUpstream(u, c, true)
	if err := dir.CreateUser(ctx, t, u, nil); err != nil {
		var ve *identity.ValidationError
		if errors.As(err, &ve) {
			u = &identity.User{TenantID: t.ID, Email: email}
			err = dir.CreateUser(ctx, t, u, nil)
		}
		if errors.Is(err, store.ErrConflict) {
			return ImportSkipped, nil
		}
		if err != nil {
			return 0, fmt.Errorf("authn: importing a directory user: %w", err)
		}
	}
	err = t.Store.Connections().Link(ctx, &store.FederatedIdentity{TenantID: t.ID, ConnectionID: c.Conn.ID,
		Subject: c.Identity.Subject, UserID: u.ID, Email: email, LinkedAt: now})
	if err != nil {
		_ = t.Store.Users().Delete(context.WithoutCancel(ctx), t.ID, u.ID)
		if errors.Is(err, store.ErrConflict) {
			return ImportSkipped, nil
		}
		return 0, err
	}
	return ImportCreated, nil
}

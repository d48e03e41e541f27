package privacy

import (
	"context"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// EventErased is recorded (and so delivered to webhooks) when a person is
// erased. It carries the user ID, which no longer leads anywhere, and who
// asked (data "by": self, admin or retention) — nothing personal.
const EventErased = "user.erased"

// Who asked for an erasure.
const (
	ErasedBySelf      = "self"      // DELETE /v1/me
	ErasedByAdmin     = "admin"     // the Admin API's user delete
	ErasedByRetention = "retention" // an unverified account past the tenant's retention
)

// Erasure is one erasure request.
type Erasure struct {
	UserID string
	// By is ErasedBySelf, ErasedByAdmin or ErasedByRetention.
	By string
	// ActorID is who acted when not the person: the API key ID, or
	// "retention".
	ActorID string
}

// Erase erases a person (GDPR Art. 17): in one transaction it deletes the
// webhook deliveries queued about them (their payloads hold the person's
// data) and the user row, which takes with it, by foreign key, everything
// personal: profile, password, MFA factors and passkeys, remembered
// devices, sessions, refresh and opaque tokens, OAuth consents, federated
// identities, roles and memberships, the consent ledger and decisions,
// data exports, verifications and pending invitations, the risk engine's
// history, and the user's data key. The audit events about the person
// stay, but their personal fields were sealed with that key
// (crypto-shredding): they now read as erased. Revoke the person's access
// tokens first (tokens.Service.RevokeUserTokens); this service does not
// issue them. A user.erased event is recorded last. ErrNotFound when the
// user does not exist.
func (s *Service) Erase(ctx context.Context, t *tenancy.Tenant, in Erasure) error {
	switch in.By {
	case ErasedBySelf, ErasedByAdmin, ErasedByRetention:
	default:
		return fmt.Errorf("privacy: unknown erasure requester %q", in.By)
	}
	err := t.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.Retention().DeleteUserDeliveries(ctx, t.ID, in.UserID); err != nil {
			return err
		}
		return tx.Users().Delete(ctx, t.ID, in.UserID)
	})
	if err != nil {
		return err
	}
	if s.Events != nil {
		e := events.Event{TenantID: t.ID, Type: EventErased, Time: s.now(), UserID: in.UserID, ActorID: in.ActorID,
			Data: map[string]any{"by": in.By}}
		if err := s.Events.Record(context.WithoutCancel(ctx), e); err != nil {
			s.log().ErrorContext(ctx, "privacy: recording an erasure failed", "err", err)
		}
	}
	return nil
}

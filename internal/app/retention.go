package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// retentionBatch bounds the accounts one round erases per tenant; the
// rest wait for the next round.
const retentionBatch = 100

// day is a retention setting's unit.
const day = 24 * time.Hour

// EnforceRetention applies every tenant's retention settings as of now
// (GDPR Art. 5(1)(e)): it purges audit events older than
// audit_events_days behind a checkpoint (audit.Recorder.Purge), deletes
// sessions that ended more than ended_sessions_days ago, and erases
// accounts with nothing verified that nobody used for
// unverified_accounts_days (privacy.Service.Erase, user.erased with "by"
// "retention"). MaintainOnce runs it; each step is idempotent, so every
// node may.
func (a *App) EnforceRetention(ctx context.Context, now time.Time) error {
	var errs []error
	after := ""
	for {
		ts, next, err := a.Stores.Control().Tenants().List(ctx, store.Page{After: after, Limit: store.MaxLimit})
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for i := range ts {
			if t := &ts[i]; !t.Retention.IsZero() {
				if err := a.enforceTenant(ctx, t, now); err != nil {
					errs = append(errs, fmt.Errorf("retention of tenant %s: %w", t.Slug, err))
				}
			}
		}
		if next == "" {
			return errors.Join(errs...)
		}
		after = next
	}
}

func (a *App) enforceTenant(ctx context.Context, t *identity.Tenant, now time.Time) error {
	r := t.Retention
	st, err := a.Stores.ForTenant(ctx, t)
	if err != nil {
		return err
	}
	var errs []error
	if r.AuditEventsDays > 0 {
		_, err := a.AuditLog.Purge(ctx, t.ID, now.Add(-time.Duration(r.AuditEventsDays)*day))
		errs = append(errs, err)
	}
	if r.EndedSessionsDays > 0 {
		_, err := st.Retention().DeleteEndedSessions(ctx, t.ID, now.Add(-time.Duration(r.EndedSessionsDays)*day))
		errs = append(errs, err)
	}
	if r.UnverifiedAccountsDays > 0 {
		ids, err := st.Retention().StaleUnverifiedUsers(ctx, t.ID, now.Add(-time.Duration(r.UnverifiedAccountsDays)*day), retentionBatch)
		errs = append(errs, err)
		tt := &tenancy.Tenant{Tenant: t, Store: st}
		for _, id := range ids {
			if _, _, err := a.Tokens.RevokeUserTokens(ctx, tt, id, true); err != nil {
				errs = append(errs, err)
				continue
			}
			err := a.Privacy.Erase(ctx, tt, privacy.Erasure{UserID: id, By: privacy.ErasedByRetention, ActorID: "retention"})
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

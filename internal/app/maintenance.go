package app

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
)

// RunMaintenance does the periodic housekeeping until ctx ends: it rotates
// signing keys that are due (and retires EdDSA keys no client uses) and
// deletes expired protocol state (auth requests, sessions, tokens, device
// codes, pushed requests, revocation entries, used client-assertion IDs),
// and enforces tenants' retention settings (EnforceRetention).
// Every node may run it; each step is idempotent.
func (a *App) RunMaintenance(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := a.MaintainOnce(ctx); err != nil && ctx.Err() == nil {
			a.Log.WarnContext(ctx, "maintenance failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// MaintainOnce runs one round of housekeeping.
func (a *App) MaintainOnce(ctx context.Context) error {
	st := a.Stores.Control()
	now := time.Now().UTC()
	var errs []error
	tenants, err := st.SigningKeys().ListTenantsWithKeys(ctx)
	errs = append(errs, err)
	if err == nil {
		errs = append(errs, a.SigningKeys.RotateDue(ctx, tenants))
		errs = append(errs, a.SigningKeys.RotateSAMLDue(ctx, tenants, a.samlSchedule()))
	}
	for _, purge := range []func(context.Context, time.Time) (int64, error){
		st.AuthRequests().DeleteExpired,
		st.Sessions().DeleteExpired,
		st.RefreshTokens().DeleteExpired,
		st.DeviceAuthorizations().DeleteExpired,
		st.PushedRequests().DeleteExpired,
		st.Revocations().DeleteExpired,
		st.OpaqueTokens().DeleteExpired,
		st.ClientAssertions().DeleteExpired,
		st.DPoPProofs().DeleteExpired,
		st.Connections().DeleteExpiredAssertions,
		st.SAMLRequestIDs().DeleteExpired,
		st.Verifications().DeleteExpired,
		st.MFA().DeleteExpiredChallenges,
		st.MFA().DeleteExpiredDevices,
		st.Exports().DeleteExpiredExports,
	} {
		_, err := purge(ctx, now)
		errs = append(errs, err)
	}
	// An export whose build was cut off by a node stopping stays pending
	// for ever otherwise; failed, the person can start another.
	_, err = st.Exports().FailStaleExports(ctx, now.Add(-privacy.StaleExportAfter))
	errs = append(errs, err)
	// Back-channel logout rows are kept a week after they are settled.
	_, err = st.Logouts().DeleteFinished(ctx, now.Add(-7*24*time.Hour))
	errs = append(errs, err)
	errs = append(errs, a.EnforceRetention(ctx, now))
	return errors.Join(errs...)
}

// samlSchedule is the configured SAML certificate rotation; an announce
// period as long as the rotation itself is halved.
func (a *App) samlSchedule() keys.SAMLSchedule {
	s := keys.SAMLSchedule{Every: a.Cfg.SAMLCertRotation, Announce: a.Cfg.SAMLCertAnnounce}
	if s.Every > 0 && s.Announce >= s.Every {
		s.Announce = s.Every / 2
	}
	return s
}

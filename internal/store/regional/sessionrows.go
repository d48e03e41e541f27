package regional

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// sessionRegion returns the region store holding a browser session.
func (r *Router) sessionRegion(ctx context.Context, tenantID, sessionID string) (string, store.Store, error) {
	_, name, err := find(ctx, r, func(s store.Store) (struct{}, error) {
		_, err := s.Sessions().Get(ctx, tenantID, sessionID)
		return struct{}{}, err
	})
	if err != nil {
		return "", nil, err
	}
	s, err := r.region(ctx, name)
	return name, s, err
}

// Logouts: which clients a session served and the logout outbox follow
// the session into its region (the rows name the user's session).
func (r *Router) Logouts() store.LogoutRepo { return logouts{r} }

type logouts struct{ r *Router }

func (x logouts) AddSessionClient(ctx context.Context, sc *store.SessionClient) error {
	name, s, err := x.r.sessionRegion(ctx, sc.TenantID, sc.SessionID)
	if err != nil {
		return err
	}
	if err := x.r.stub(ctx, name, s, sc.TenantID, sc.ClientID); err != nil {
		return err
	}
	return s.Logouts().AddSessionClient(ctx, sc)
}

func (x logouts) SessionClients(ctx context.Context, tenantID, sessionID string) ([]store.SessionClient, error) {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Logouts().SessionClients(ctx, tenantID, sessionID)
}

func (x logouts) EndSession(ctx context.Context, tenantID, sessionID string, now time.Time) ([]store.LogoutDelivery, error) {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Logouts().EndSession(ctx, tenantID, sessionID, now)
}

// Claim claims from each region in turn, up to limit in all. A region
// that is down is skipped: its deliveries wait for it.
func (x logouts) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.LogoutDelivery, error) {
	return claimEach(ctx, x.r, limit, func(s store.Store, n int) ([]store.LogoutDelivery, error) {
		return s.Logouts().Claim(ctx, now, lease, n)
	})
}

// ClaimSAML is Claim for the SAML outbox.
func (x logouts) ClaimSAML(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.SAMLLogoutDelivery, error) {
	return claimEach(ctx, x.r, limit, func(s store.Store, n int) ([]store.SAMLLogoutDelivery, error) {
		return s.Logouts().ClaimSAML(ctx, now, lease, n)
	})
}

// claimEach claims from each region in turn, up to limit in all.
func claimEach[T any](ctx context.Context, r *Router, limit int, claim func(s store.Store, n int) ([]T, error)) ([]T, error) {
	var out []T
	var errs []error
	for _, n := range r.places() {
		if len(out) >= limit {
			break
		}
		s, err := r.region(ctx, n)
		if err == nil {
			var got []T
			got, err = claim(s, limit-len(out))
			out = append(out, got...)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	return nil, errors.Join(errs...)
}

func (x logouts) FinishSAML(ctx context.Context, tenantID, id, leaseToken string, res store.DeliveryResult) error {
	return firstHolding(ctx, x.r, func(s store.Store) error { return s.Logouts().FinishSAML(ctx, tenantID, id, leaseToken, res) })
}

func (x logouts) EnqueueSAML(ctx context.Context, tenantID, sessionID, userID string, spIDs []string, now time.Time) ([]store.SAMLLogoutDelivery, error) {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Logouts().EnqueueSAML(ctx, tenantID, sessionID, userID, spIDs, now)
}

func (x logouts) SAMLDeliveries(ctx context.Context, tenantID, sessionID string) ([]store.SAMLLogoutDelivery, error) {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Logouts().SAMLDeliveries(ctx, tenantID, sessionID)
}

func (x logouts) Finish(ctx context.Context, tenantID, id, leaseToken string, res store.DeliveryResult) error {
	return firstHolding(ctx, x.r, func(s store.Store) error { return s.Logouts().Finish(ctx, tenantID, id, leaseToken, res) })
}

func (x logouts) Deliveries(ctx context.Context, tenantID, sessionID string) ([]store.LogoutDelivery, error) {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Logouts().Deliveries(ctx, tenantID, sessionID)
}

func (x logouts) DeleteFinished(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.Logouts().DeleteFinished(ctx, before) })
}

// SAMLSessions (which SAML service providers a session signed into, with
// the NameID sent, often an email) follow the session into its region.
func (r *Router) SAMLSessions() store.SAMLSessionRepo { return samlSessions{r} }

type samlSessions struct{ r *Router }

func (x samlSessions) Record(ctx context.Context, p *store.SAMLSession) error {
	name, s, err := x.r.sessionRegion(ctx, p.TenantID, p.SessionID)
	if err != nil {
		return err
	}
	if err := x.r.stub(ctx, name, s, p.TenantID, ""); err != nil {
		return err
	}
	if _, err := s.SAMLServiceProviders().Get(ctx, p.TenantID, p.SPID); errors.Is(err, store.ErrNotFound) {
		sp, err := x.r.Store.SAMLServiceProviders().Get(ctx, p.TenantID, p.SPID)
		if err != nil {
			return err
		}
		if err := s.SAMLServiceProviders().Create(ctx, sp); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	} else if err != nil {
		return err
	}
	return s.SAMLSessions().Record(ctx, p)
}

func (x samlSessions) ListBySession(ctx context.Context, tenantID, sessionID string) ([]store.SAMLSession, error) {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.SAMLSessions().ListBySession(ctx, tenantID, sessionID)
}

// FindBySP asks every region: a LogoutRequest names the user only by the
// NameID the service provider was given.
func (x samlSessions) FindBySP(ctx context.Context, tenantID, spID, nameID string, sessionIndexes []string) ([]store.SAMLSession, error) {
	var out []store.SAMLSession
	_, err := each(ctx, x.r, func(s store.Store) (int64, error) {
		got, err := s.SAMLSessions().FindBySP(ctx, tenantID, spID, nameID, sessionIndexes)
		out = append(out, got...)
		return 0, err
	})
	return out, err
}

func (x samlSessions) DeleteBySession(ctx context.Context, tenantID, sessionID string) error {
	_, s, err := x.r.sessionRegion(ctx, tenantID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.SAMLSessions().DeleteBySession(ctx, tenantID, sessionID)
}

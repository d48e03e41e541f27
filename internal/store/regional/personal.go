package regional

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// byUser runs fn on the store of the user's region.
func byUser[T any](ctx context.Context, r *Router, tenantID, userID string, fn func(s store.Store) (T, error)) (T, error) {
	s, err := r.forUserStub(ctx, tenantID, userID, "")
	if err != nil {
		var zero T
		return zero, err
	}
	return fn(s)
}

// byUserErr is byUser for calls that return only an error.
func byUserErr(ctx context.Context, r *Router, tenantID, userID string, fn func(s store.Store) error) error {
	_, err := byUser(ctx, r, tenantID, userID, func(s store.Store) (struct{}, error) { return struct{}{}, fn(s) })
	return err
}

// firstHolding runs fn on the region that answers it without ErrNotFound.
func firstHolding(ctx context.Context, r *Router, fn func(s store.Store) error) error {
	_, _, err := find(ctx, r, func(s store.Store) (struct{}, error) { return struct{}{}, fn(s) })
	return err
}

// MFA: factors, challenges and remembered devices live in the user's region.
func (r *Router) MFA() store.MFARepo { return mfa{r} }

type mfa struct{ r *Router }

func (x mfa) CreateFactor(ctx context.Context, f *factor.Factor) error {
	return byUserErr(ctx, x.r, f.TenantID, f.UserID, func(s store.Store) error { return s.MFA().CreateFactor(ctx, f) })
}

func (x mfa) GetFactor(ctx context.Context, tenantID, userID, id string) (*factor.Factor, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*factor.Factor, error) {
		return s.MFA().GetFactor(ctx, tenantID, userID, id)
	})
}

func (x mfa) ListFactors(ctx context.Context, tenantID, userID string) ([]factor.Factor, error) {
	out, err := byUser(ctx, x.r, tenantID, userID, func(s store.Store) ([]factor.Factor, error) {
		return s.MFA().ListFactors(ctx, tenantID, userID)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return out, err
}

func (x mfa) UpdateFactor(ctx context.Context, tenantID, userID, id string, fn func(*factor.Factor) error) (*factor.Factor, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*factor.Factor, error) {
		return s.MFA().UpdateFactor(ctx, tenantID, userID, id, fn)
	})
}

func (x mfa) DeleteFactor(ctx context.Context, tenantID, userID, id string) error {
	return byUserErr(ctx, x.r, tenantID, userID, func(s store.Store) error { return s.MFA().DeleteFactor(ctx, tenantID, userID, id) })
}

func (x mfa) DeleteFactors(ctx context.Context, tenantID, userID string, types ...factor.FactorType) (int64, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (int64, error) {
		return s.MFA().DeleteFactors(ctx, tenantID, userID, types...)
	})
}

func (x mfa) CreateChallenge(ctx context.Context, c *store.MFAChallenge) error {
	return byUserErr(ctx, x.r, c.TenantID, c.UserID, func(s store.Store) error { return s.MFA().CreateChallenge(ctx, c) })
}

func (x mfa) GetChallenge(ctx context.Context, tenantID, id string) (*store.MFAChallenge, error) {
	c, _, err := find(ctx, x.r, func(s store.Store) (*store.MFAChallenge, error) { return s.MFA().GetChallenge(ctx, tenantID, id) })
	return c, err
}

func (x mfa) UpdateChallenge(ctx context.Context, tenantID, id string, fn func(*store.MFAChallenge) error) (*store.MFAChallenge, error) {
	c, _, err := find(ctx, x.r, func(s store.Store) (*store.MFAChallenge, error) {
		return s.MFA().UpdateChallenge(ctx, tenantID, id, fn)
	})
	return c, err
}

func (x mfa) DeleteExpiredChallenges(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.MFA().DeleteExpiredChallenges(ctx, before) })
}

func (x mfa) CreateDevice(ctx context.Context, d *store.RememberedDevice) error {
	return byUserErr(ctx, x.r, d.TenantID, d.UserID, func(s store.Store) error { return s.MFA().CreateDevice(ctx, d) })
}

func (x mfa) GetDevice(ctx context.Context, tenantID, id string) (*store.RememberedDevice, error) {
	d, _, err := find(ctx, x.r, func(s store.Store) (*store.RememberedDevice, error) { return s.MFA().GetDevice(ctx, tenantID, id) })
	return d, err
}

func (x mfa) DeleteDevices(ctx context.Context, tenantID, userID string) (int64, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (int64, error) { return s.MFA().DeleteDevices(ctx, tenantID, userID) })
}

func (x mfa) DeleteExpiredDevices(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.MFA().DeleteExpiredDevices(ctx, before) })
}

// Verifications (codes and links, which name addresses) live in the
// user's region.
func (r *Router) Verifications() store.VerificationRepo { return verifications{r} }

type verifications struct{ r *Router }

func (x verifications) Create(ctx context.Context, v *store.Verification) error {
	return byUserErr(ctx, x.r, v.TenantID, v.UserID, func(s store.Store) error { return s.Verifications().Create(ctx, v) })
}

func (x verifications) Issue(ctx context.Context, tenantID string, in store.Issuance) (*store.Verification, error) {
	return byUser(ctx, x.r, tenantID, in.UserID, func(s store.Store) (*store.Verification, error) {
		return s.Verifications().Issue(ctx, tenantID, in)
	})
}

func (x verifications) GetByHash(ctx context.Context, tenantID string, hash []byte) (*store.Verification, error) {
	v, _, err := find(ctx, x.r, func(s store.Store) (*store.Verification, error) {
		return s.Verifications().GetByHash(ctx, tenantID, hash)
	})
	return v, err
}

func (x verifications) Latest(ctx context.Context, tenantID, userID, purpose, kind string) (*store.Verification, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*store.Verification, error) {
		return s.Verifications().Latest(ctx, tenantID, userID, purpose, kind)
	})
}

func (x verifications) Update(ctx context.Context, tenantID, id string, fn func(*store.Verification) error) (*store.Verification, error) {
	v, _, err := find(ctx, x.r, func(s store.Store) (*store.Verification, error) {
		return s.Verifications().Update(ctx, tenantID, id, fn)
	})
	return v, err
}

func (x verifications) UseAll(ctx context.Context, tenantID, userID, purpose string, at time.Time) (int64, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (int64, error) {
		return s.Verifications().UseAll(ctx, tenantID, userID, purpose, at)
	})
}

func (x verifications) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.Verifications().DeleteExpired(ctx, before) })
}

// Risk: the tenant's policy is directory data; a user's sign-in history
// (addresses, devices, places) lives in their region.
func (r *Router) Risk() store.RiskRepo { return risk{r.Store.Risk(), r} }

type risk struct {
	store.RiskRepo
	r *Router
}

func (x risk) History(ctx context.Context, tenantID, userID string) (*riskpolicy.History, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*riskpolicy.History, error) {
		return s.Risk().History(ctx, tenantID, userID)
	})
}

func (x risk) UpdateHistory(ctx context.Context, tenantID, userID string, fn func(*riskpolicy.History) error) (*riskpolicy.History, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*riskpolicy.History, error) {
		return s.Risk().UpdateHistory(ctx, tenantID, userID, fn)
	})
}

// UserKeys (the keys that seal audit events about a user) live in the
// user's region: the sealed events in the main database are unreadable
// without them.
func (r *Router) UserKeys() store.UserKeyRepo { return userKeys{r} }

type userKeys struct{ r *Router }

func (x userKeys) Ensure(ctx context.Context, tenantID, userID string, sealed []byte) ([]byte, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) ([]byte, error) {
		return s.UserKeys().Ensure(ctx, tenantID, userID, sealed)
	})
}

// Keys groups the users by region; a user the directory does not know
// (erased) has no key.
func (x userKeys) Keys(ctx context.Context, tenantID string, userIDs []string) (map[string][]byte, error) {
	groups := map[string][]string{}
	for _, id := range userIDs {
		name, err := x.r.regionOf(ctx, tenantID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		groups[name] = append(groups[name], id)
	}
	out := map[string][]byte{}
	for name, ids := range groups {
		s, err := x.r.region(ctx, name)
		if err != nil {
			return nil, err
		}
		keys, err := s.UserKeys().Keys(ctx, tenantID, ids)
		if err != nil {
			return nil, err
		}
		for k, v := range keys {
			out[k] = v
		}
	}
	return out, nil
}

// Privacy: purposes are directory data; decisions and the ledger live in
// the user's region.
func (r *Router) Privacy() store.PrivacyRepo { return privacy{r.Store.Privacy(), r} }

type privacy struct {
	store.PrivacyRepo
	r *Router
}

func (x privacy) Record(ctx context.Context, entries []store.ConsentEntry) error {
	groups := map[string][]store.ConsentEntry{}
	var order []string
	for _, e := range entries {
		k := e.TenantID + "\x00" + e.UserID
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	for _, k := range order {
		g := groups[k]
		if err := byUserErr(ctx, x.r, g[0].TenantID, g[0].UserID, func(s store.Store) error { return s.Privacy().Record(ctx, g) }); err != nil {
			return err
		}
	}
	return nil
}

func (x privacy) Decisions(ctx context.Context, tenantID, userID string) ([]store.PurposeDecision, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) ([]store.PurposeDecision, error) {
		return s.Privacy().Decisions(ctx, tenantID, userID)
	})
}

func (x privacy) History(ctx context.Context, tenantID, userID string, p store.Page) ([]store.ConsentEntry, string, error) {
	s, err := x.r.forUser(ctx, tenantID, userID)
	if err != nil {
		return nil, "", err
	}
	return s.Privacy().History(ctx, tenantID, userID, p)
}

func (x privacy) Entry(ctx context.Context, tenantID, userID, id string) (*store.ConsentEntry, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*store.ConsentEntry, error) {
		return s.Privacy().Entry(ctx, tenantID, userID, id)
	})
}

// Exports (which hold a copy of everything about a user) live in the
// user's region.
func (r *Router) Exports() store.ExportRepo { return exports{r} }

type exports struct{ r *Router }

func (x exports) CreateExport(ctx context.Context, e *store.DataExport) error {
	return byUserErr(ctx, x.r, e.TenantID, e.UserID, func(s store.Store) error { return s.Exports().CreateExport(ctx, e) })
}

func (x exports) GetExport(ctx context.Context, tenantID, userID, id string) (*store.DataExport, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (*store.DataExport, error) {
		return s.Exports().GetExport(ctx, tenantID, userID, id)
	})
}

func (x exports) FinishExport(ctx context.Context, tenantID, id, status, document string) error {
	return firstHolding(ctx, x.r, func(s store.Store) error { return s.Exports().FinishExport(ctx, tenantID, id, status, document) })
}

func (x exports) LatestExportAt(ctx context.Context, tenantID, userID string) (time.Time, error) {
	return byUser(ctx, x.r, tenantID, userID, func(s store.Store) (time.Time, error) {
		return s.Exports().LatestExportAt(ctx, tenantID, userID)
	})
}

func (x exports) CreateExportUnlessRecent(ctx context.Context, e *store.DataExport, since time.Time) (time.Time, error) {
	return byUser(ctx, x.r, e.TenantID, e.UserID, func(s store.Store) (time.Time, error) {
		return s.Exports().CreateExportUnlessRecent(ctx, e, since)
	})
}

func (x exports) FailStaleExports(ctx context.Context, startedBefore time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.Exports().FailStaleExports(ctx, startedBefore) })
}

func (x exports) DeleteExpiredExports(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.Exports().DeleteExpiredExports(ctx, before) })
}

// Retention: ended sessions and unverified accounts are regional; webhook
// deliveries stay in the main database.
func (r *Router) Retention() store.RetentionRepo { return retention{r.Store.Retention(), r} }

type retention struct {
	store.RetentionRepo
	r *Router
}

func (x retention) DeleteEndedSessions(ctx context.Context, tenantID string, before time.Time) (int64, error) {
	return each(ctx, x.r, func(s store.Store) (int64, error) { return s.Retention().DeleteEndedSessions(ctx, tenantID, before) })
}

func (x retention) StaleUnverifiedUsers(ctx context.Context, tenantID string, before time.Time, limit int) ([]string, error) {
	var out []string
	for _, n := range x.r.shared.names {
		s, err := x.r.region(ctx, n)
		if err != nil {
			return nil, err
		}
		ids, err := s.Retention().StaleUnverifiedUsers(ctx, tenantID, before, limit-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

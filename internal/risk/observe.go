package risk

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
)

// Observe records the outcome of an attempt: failure counters, back-offs,
// locks and the stuffing and spraying flags on failure; the user's history
// (device, country, network, hour, place) on success. Call it with
// Success only once the sign-in is complete (after any challenge).
func (e *Engine) Observe(ctx context.Context, at Attempt, out Outcome) error {
	if at.TenantID == "" {
		return ErrInvalid
	}
	p, known, err := e.observed(ctx, at, out.Assessed)
	if err != nil {
		return err
	}
	k := e.keysFor(at, known)
	if out.Success {
		return e.success(ctx, p, at, out, k)
	}
	return e.failure(ctx, p, at, k)
}

// observed returns the policy to observe at under and whether its device
// is known to the user: from the assessment a when the attempt was
// assessed in this request, else read now.
func (e *Engine) observed(ctx context.Context, at Attempt, a *riskpolicy.Assessment) (riskpolicy.Policy, bool, error) {
	if a != nil {
		return a.Policy, a.KnownDevice, nil
	}
	p, err := e.Policy(ctx, at.TenantID)
	if err != nil || at.UserID == "" {
		return p, false, err
	}
	h, err := e.Risk.History(ctx, at.TenantID, at.UserID)
	if err != nil {
		return p, false, err
	}
	return p, h.KnowsDevice(at.DeviceID), nil
}

func (e *Engine) failure(ctx context.Context, p riskpolicy.Policy, at Attempt, k keys) error {
	c := e.Counters
	w := window(p.FailureWindowSeconds)
	for _, key := range []string{k.failAcct, k.failIP, k.failNet} {
		if _, err := c.Incr(ctx, key, w); err != nil {
			return err
		}
	}
	n, err := c.Incr(ctx, k.failPair, w)
	if err != nil {
		return err
	}
	if err := e.backoff(ctx, p, at, k, n); err != nil {
		return err
	}
	if err := e.sources(ctx, p, k); err != nil {
		return err
	}
	if k.sprayPW == "" {
		return nil
	}
	sw := window(p.SprayWindowSeconds)
	accts, err := c.AddUnique(ctx, k.sprayPW, k.acct, sw)
	if err != nil {
		return err
	}
	if accts >= int64(p.SprayAccounts) {
		_, err = c.Lock(ctx, k.flagPW, sw)
	}
	return err
}

// backoff makes the pair wait after its n-th failure: exponentially past
// PairBackoffAfter, a full lock past PairLockAfter. A new lock is noted in
// the user's history for the risk summary.
func (e *Engine) backoff(ctx context.Context, p riskpolicy.Policy, at Attempt, k keys, n int64) error {
	c := e.Counters
	lockTTL := window(p.PairLockSeconds)
	switch {
	case n >= int64(p.PairLockAfter):
		set, err := c.Lock(ctx, k.lockPair, lockTTL)
		if err != nil || !set || at.UserID == "" {
			return err
		}
		now := e.now()
		_, err = e.Risk.UpdateHistory(ctx, at.TenantID, at.UserID, func(h *riskpolicy.History) error {
			h.RecordLock(k.pairSource, now.Add(lockTTL), now)
			return nil
		})
		return err
	case n >= int64(p.PairBackoffAfter):
		d := window(p.BackoffBaseSeconds) << min(n-int64(p.PairBackoffAfter), 20)
		_, err := c.Lock(ctx, k.backoffPair, min(d, lockTTL))
		return err
	}
	return nil
}

// sources counts the attempt for its IP and network and flags either for
// credential stuffing when it has tried many accounts with mostly
// failures.
func (e *Engine) sources(ctx context.Context, p riskpolicy.Policy, k keys) error {
	c := e.Counters
	w := window(p.FailureWindowSeconds)
	for _, src := range []struct {
		att, fail, uniq, flag string
		accounts              int
	}{
		{k.attIP, k.failIP, k.uniqIP, k.flagIP, p.StuffingAccounts},
		{k.attNet, k.failNet, k.uniqNet, k.flagNet, p.StuffingSubnetAccounts},
	} {
		att, err := c.Incr(ctx, src.att, w)
		if err != nil {
			return err
		}
		accts, err := c.AddUnique(ctx, src.uniq, k.acct, w)
		if err != nil {
			return err
		}
		if accts < int64(src.accounts) {
			continue
		}
		fails, err := c.Count(ctx, src.fail, w)
		if err != nil {
			return err
		}
		if fails*100 >= att*int64(p.StuffingFailurePercent) {
			if _, err := c.Lock(ctx, src.flag, w); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *Engine) success(ctx context.Context, p riskpolicy.Policy, at Attempt, out Outcome, k keys) error {
	c := e.Counters
	if err := c.Clear(ctx, k.failPair); err != nil {
		return err
	}
	for _, key := range []string{k.backoffPair, k.lockPair} {
		if err := c.Unlock(ctx, key); err != nil {
			return err
		}
	}
	if err := e.sources(ctx, p, k); err != nil {
		return err
	}
	if at.UserID == "" {
		return nil
	}
	place := riskpolicy.Place{At: e.now().UTC(), IP: at.IP.String(), Factor: out.Factor}
	if loc, ok := e.Geo.Lookup(at.IP); ok {
		place.Country, place.Lat, place.Lon, place.HasCoords = loc.Country, loc.Lat, loc.Lon, loc.HasCoords
	}
	_, err := e.Risk.UpdateHistory(ctx, at.TenantID, at.UserID, func(h *riskpolicy.History) error {
		h.RecordSuccess(place, at.DeviceID, clientip.Network(at.IP))
		return nil
	})
	return err
}

// Summary is what the Admin API shows about a user's risk state.
type Summary struct {
	History *riskpolicy.History
	// AccountFailures is the failed attempts on the account in the
	// current window, from all sources.
	AccountFailures int64
	Window          time.Duration
	Locks           []LockState
}

// LockState is a source currently locked out of the account.
type LockState struct {
	Source     string // "ip:ADDRESS" or "device:ID"
	RetryAfter time.Duration
}

// Summary reports a user's history (read through the engine's repository),
// failure count and current locks.
func (e *Engine) Summary(ctx context.Context, tenantID, userID string) (Summary, error) {
	h, err := e.Risk.History(ctx, tenantID, userID)
	if err != nil {
		return Summary{}, err
	}
	return e.SummaryOf(ctx, tenantID, userID, h)
}

// SummaryOf completes a history the caller read (from the tenant's own
// store) with the live counters.
func (e *Engine) SummaryOf(ctx context.Context, tenantID, userID string, h *riskpolicy.History) (Summary, error) {
	p, err := e.Policy(ctx, tenantID)
	if err != nil {
		return Summary{}, err
	}
	k := e.keysFor(Attempt{TenantID: tenantID, UserID: userID}, false)
	out := Summary{History: h, Window: window(p.FailureWindowSeconds)}
	if out.AccountFailures, err = e.Counters.Count(ctx, k.failAcct, out.Window); err != nil {
		return out, err
	}
	for _, l := range h.Locks {
		left, locked, err := e.Counters.Locked(ctx, lockKey(tenantID, userID, l.Source))
		if err != nil {
			return out, err
		}
		if locked {
			out.Locks = append(out.Locks, LockState{Source: l.Source, RetryAfter: left})
		}
	}
	return out, nil
}

package risk

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// signals gathers everything the rules look at for one attempt.
func (e *Engine) signals(ctx context.Context, p riskpolicy.Policy, at Attempt) (riskpolicy.Signals, error) {
	s := riskpolicy.Signals{Now: e.now(), Network: clientip.Network(at.IP), DeviceID: at.DeviceID}
	if loc, ok := e.Geo.Lookup(at.IP); ok {
		s.Country, s.Lat, s.Lon, s.HasCoords = loc.Country, loc.Lat, loc.Lon, loc.HasCoords
	}
	if at.UserID != "" {
		h, err := e.Risk.History(ctx, at.TenantID, at.UserID)
		if err != nil {
			return s, err
		}
		s.History = h
		s.KnownDevice = h.KnowsDevice(at.DeviceID)
	}
	if err := e.ipLists(p, at, &s); err != nil {
		return s, err
	}
	k := e.keysFor(at, s.KnownDevice)
	c := e.Counters
	var err error
	if s.PairLocked, _, err = c.Locked(ctx, k.lockPair); err != nil {
		return s, err
	}
	if s.PairBackoff, _, err = c.Locked(ctx, k.backoffPair); err != nil {
		return s, err
	}
	w := window(p.FailureWindowSeconds)
	for _, q := range []struct {
		key string
		n   *int64
	}{{k.failAcct, &s.AccountFailures}, {k.failIP, &s.IPFailures}, {k.failNet, &s.SubnetFailures}} {
		if *q.n, err = c.Count(ctx, q.key, w); err != nil {
			return s, err
		}
	}
	if !s.IPAllowed {
		if err := e.stuffing(ctx, p, k, &s); err != nil {
			return s, err
		}
	}
	if at.Password != "" {
		_, s.PasswordSprayed, err = c.Locked(ctx, k.flagPW)
		if err != nil {
			return s, err
		}
		if p.BreachedPassword != riskpolicy.ActionOff {
			list := e.Breached
			if list == nil {
				list = passpolicy.Embedded()
			}
			s.BreachedPassword = list.Contains(at.Password)
		}
	}
	return s, nil
}

// ipLists applies the operator's allow and deny lists.
func (e *Engine) ipLists(p riskpolicy.Policy, at Attempt, s *riskpolicy.Signals) error {
	if len(p.AllowCIDRs) == 0 && len(p.DenyCIDRs) == 0 {
		return nil
	}
	allow, err := riskpolicy.ParsePrefixes(p.AllowCIDRs)
	if err != nil {
		return err
	}
	deny, err := riskpolicy.ParsePrefixes(p.DenyCIDRs)
	if err != nil {
		return err
	}
	s.IPAllowed = clientip.Contains(allow, at.IP)
	s.IPDenied = clientip.Contains(deny, at.IP)
	return nil
}

// stuffing reads the credential-stuffing flags of the source and, when
// flagged, spends one unit of its throttle (known devices are exempt).
func (e *Engine) stuffing(ctx context.Context, p riskpolicy.Policy, k keys, s *riskpolicy.Signals) error {
	c := e.Counters
	for _, key := range []string{k.flagIP, k.flagNet} {
		_, flagged, err := c.Locked(ctx, key)
		if err != nil {
			return err
		}
		s.SourceFlagged = s.SourceFlagged || flagged
	}
	if !s.SourceFlagged || s.KnownDevice || p.CredentialStuffer == riskpolicy.ActionOff {
		return nil
	}
	res, err := c.Allow(ctx, k.throttleIP, ratelimit.Limit{Rate: p.StuffingThrottlePerMinute, Per: time.Minute})
	if err != nil {
		return err
	}
	if !res.Allowed {
		s.SourceThrottle = res.RetryAfter
	}
	return nil
}

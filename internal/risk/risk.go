// Package risk is the risk engine of sign-in: it gathers the signals of an
// attempt (client network, device, geolocation, the user's history,
// velocity counters, operator IP lists, breached and sprayed passwords),
// evaluates the tenant's policy on them (internal/domain/riskpolicy) and keeps
// the counters and history up to date. Counters, back-offs and locks live
// in a ratelimit.Store, so they hold across nodes when that is Redis.
//
// The sign-in service (internal/authn) calls Assess before checking the
// credential (it may deny or back off early), Observe afterwards with the
// outcome, and PairLocked around a failure to tell whether it locked.
package risk

import (
	"context"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/geoip"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Attempt describes one sign-in attempt.
type Attempt struct {
	TenantID string
	// UserID is the user the identifier resolved to, "" if none: unknown
	// identifiers are counted too (stuffing lists are full of them).
	UserID string
	// Login is the identifier as typed (keyed-hashed, never stored).
	Login string
	// IP is the client address (clientip.Resolver.IP).
	IP netip.Addr
	// DeviceID is the ID from a verified device cookie, "" if none.
	DeviceID  string
	UserAgent string
	// Password is the attempted password, for the breached-list and
	// spraying checks; "" for other methods. Only a keyed hash of it
	// reaches the counters; it is never stored or logged.
	Password string
	// Method is how the user authenticates: "password", "passkey",
	// "federated", "api".
	Method string
}

// Outcome is the result of checking the credential.
type Outcome struct {
	Success bool
	// Factor is the factor that completed the sign-in ("password",
	// "totp", "webauthn", "email_code", ...), recorded in the history.
	Factor string
	// Assessed is the attempt's assessment when Assess made it in the
	// same request (nil otherwise): Observe then reuses the policy and
	// device verdict it was made with instead of reading them again. The
	// attempt must be the one assessed, with at most a device ID minted
	// for a browser that had none.
	Assessed *riskpolicy.Assessment
}

// Engine assesses attempts. All fields but Geo and Breached are required.
type Engine struct {
	// Risk holds the tenants' policies and users' histories.
	Risk store.RiskRepo
	// Counters hold velocity counters, back-offs, locks and flags.
	Counters ratelimit.Store
	// Geo locates addresses; nil turns the geo rules off.
	Geo *geoip.Reader
	// Keyring keys the hashes of passwords and identifiers in counter keys.
	Keyring *secret.Keyring
	// Breached is the breached-password list; nil means the embedded one.
	Breached *passpolicy.BreachedList
	Now      func() time.Time
}

// ErrInvalid: the attempt lacks a tenant.
var ErrInvalid = errors.New("risk: invalid attempt")

func (e *Engine) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// Policy returns the tenant's effective policy (defaults filled in).
func (e *Engine) Policy(ctx context.Context, tenantID string) (riskpolicy.Policy, error) {
	p, err := e.Risk.Policy(ctx, tenantID)
	if err != nil {
		return p, err
	}
	return p.Effective(), nil
}

// Assess evaluates an attempt before its credential is checked. It
// changes no counter except the throttle of a flagged source.
func (e *Engine) Assess(ctx context.Context, at Attempt) (riskpolicy.Assessment, error) {
	if at.TenantID == "" {
		return riskpolicy.Assessment{}, ErrInvalid
	}
	p, err := e.Policy(ctx, at.TenantID)
	if err != nil {
		return riskpolicy.Assessment{}, err
	}
	s, err := e.signals(ctx, p, at)
	if err != nil {
		return riskpolicy.Assessment{}, err
	}
	return riskpolicy.Evaluate(p, s), nil
}

// keys are the counter keys of one attempt.
type keys struct {
	acct, pairSource    string
	failAcct            string
	failPair, lockPair  string
	backoffPair         string
	failIP, failNet     string
	attIP, attNet       string
	uniqIP, uniqNet     string
	flagIP, flagNet     string
	throttleIP, sprayPW string
	flagPW              string
}

// keysFor derives the counter keys. The account+source pair uses the
// device instead of the IP when the device is known to the user: the real
// user's device is then never held back by failures from its address.
func (e *Engine) keysFor(at Attempt, knownDevice bool) keys {
	pre := "risk:" + at.TenantID + ":"
	acct := at.UserID
	if acct == "" {
		acct = "login:" + e.hash("risk-login", strings.ToLower(strings.TrimSpace(at.Login)))
	}
	src := "ip:" + at.IP.String()
	if knownDevice {
		src = "device:" + at.DeviceID
	}
	ip, nw := at.IP.String(), clientip.Network(at.IP)
	k := keys{
		acct: acct, pairSource: src,
		failAcct:    pre + "fail:acct:" + acct,
		failPair:    pre + "fail:pair:" + acct + ":" + src,
		lockPair:    lockKey(at.TenantID, acct, src),
		backoffPair: pre + "backoff:" + acct + ":" + src,
		failIP:      pre + "fail:ip:" + ip, failNet: pre + "fail:net:" + nw,
		attIP: pre + "att:ip:" + ip, attNet: pre + "att:net:" + nw,
		uniqIP: pre + "accts:ip:" + ip, uniqNet: pre + "accts:net:" + nw,
		flagIP: pre + "stuffing:ip:" + ip, flagNet: pre + "stuffing:net:" + nw,
		throttleIP: pre + "throttle:" + ip,
	}
	if at.Password != "" {
		h := e.hash("risk-password", at.Password)
		k.sprayPW, k.flagPW = pre+"spray:"+h, pre+"sprayed:"+h
	}
	return k
}

// lockKey is the counter key of the lock of an account+source pair.
func lockKey(tenantID, account, source string) string {
	return "risk:" + tenantID + ":lock:" + account + ":" + source
}

// PairLocked reports whether the attempt's account+source pair is locked,
// by its IP or by its device (keysFor keys the pair by either): the sign-in
// compares it before and after Observe to record the lock a failure
// caused. Attempts of unknown accounts are never reported, and a counter
// store that cannot answer counts as not locked.
func (e *Engine) PairLocked(ctx context.Context, at Attempt) bool {
	if at.UserID == "" || e.Counters == nil {
		return false
	}
	srcs := []string{"ip:" + at.IP.String()}
	if at.DeviceID != "" {
		srcs = append(srcs, "device:"+at.DeviceID)
	}
	for _, src := range srcs {
		if _, locked, err := e.Counters.Locked(ctx, lockKey(at.TenantID, at.UserID, src)); err == nil && locked {
			return true
		}
	}
	return false
}

// hash is a keyed hash, truncated to 128 bits: enough to tell values apart
// in counter keys without making them reversible.
func (e *Engine) hash(purpose, v string) string {
	return hex.EncodeToString(e.Keyring.MAC(purpose, []byte(v))[:16])
}

func window(secs int) time.Duration { return time.Duration(secs) * time.Second }

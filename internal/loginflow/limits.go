package loginflow

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Rate limits of the password sign-in (page, device page and JSON API)
// and of the device user-code page. Sign-ins get more room per IP than the
// onboarding steps (offices and carrier NAT share addresses); per
// identifier, ten guesses per quarter hour keep online guessing slow while
// the owner, on another identifier's budget, is not locked out.
var (
	limitSignInPerIP         = ratelimit.Limit{Rate: 30, Per: time.Minute}
	limitSignInPerIdentifier = ratelimit.Limit{Rate: 10, Per: 15 * time.Minute}
	// User codes are short (RFC 8628 §5.1): guesses are limited per IP.
	limitDevicePerIP = ratelimit.Limit{Rate: 20, Per: time.Minute}
	// A reset link may be tried this often, whatever the IP.
	limitPerToken = ratelimit.Limit{Rate: 5, Per: time.Hour}
)

// LimitSignIn counts one password sign-in against the client's IP and
// the identifier (case-folded, so "Alice" and "alice" share a budget).
func (h *Flow) LimitSignIn(r *http.Request, t *tenancy.Tenant, identifier string) error {
	if err := h.Allow(r, "signin:ip:"+sessions.ClientIP(r), limitSignInPerIP); err != nil {
		return err
	}
	id := strings.ToLower(strings.TrimSpace(identifier))
	if id == "" || len(id) > authn.MaxIdentifierLen || h.authn.AssessesRisk() {
		// With the risk engine, back-offs and locks are per account and
		// source (internal/authn): a budget per identifier alone would let an
		// attacker lock the owner out, even on the owner's known device.
		return nil
	}
	return h.Allow(r, "signin:id:"+t.ID+":"+keyDigest(id), limitSignInPerIdentifier)
}

// LimitDevice counts one user-code entry against the client's IP.
func (h *Flow) LimitDevice(r *http.Request) error {
	return h.Allow(r, "device:ip:"+sessions.ClientIP(r), limitDevicePerIP)
}

// LimitToken counts one try of a link token of step; the key is a digest,
// so a shared limiter (Redis) never holds a usable token.
func (h *Flow) LimitToken(r *http.Request, t *tenancy.Tenant, step, token string) error {
	if token == "" {
		return nil
	}
	return h.Allow(r, step+":token:"+t.ID+":"+keyDigest(token), limitPerToken)
}

// keyDigest shortens a caller-chosen string for a limiter key.
func keyDigest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

// Rate limits of the onboarding steps, per client IP and per address.
var (
	LimitPerIP      = ratelimit.Limit{Rate: 10, Per: time.Minute}
	LimitPerAddress = ratelimit.Limit{Rate: 5, Per: time.Hour}
	// Verification allows more tries per address: a code dies after
	// onboarding.Config.MaxAttempts wrong ones anyway.
	LimitVerifyPerAddress = ratelimit.Limit{Rate: 20, Per: time.Hour}
)

// LimitedError is a rate-limit refusal; the adapters turn it into 429 with
// Retry-After.
type LimitedError struct{ RetryAfter time.Duration }

func (e *LimitedError) Error() string { return "login: rate limited" }

// LimitIP counts one request of step against the client's IP.
func (h *Flow) LimitIP(r *http.Request, step string) error {
	return h.Allow(r, step+":ip:"+sessions.ClientIP(r), LimitPerIP)
}

// LimitAddress counts one request of step against an address in the
// tenant; "" (not an address) is not counted.
func (h *Flow) LimitAddress(r *http.Request, t *tenancy.Tenant, step, address string, lim ratelimit.Limit) error {
	if address == "" {
		return nil
	}
	return h.Allow(r, step+":addr:"+t.ID+":"+address, lim)
}

// Allow applies one limit. A limiter outage lets the request through
// (logged), as ratelimit.Middleware does.
func (h *Flow) Allow(r *http.Request, key string, lim ratelimit.Limit) error {
	if h.limiter == nil {
		return nil
	}
	ctx := r.Context()
	res, err := h.limiter.Allow(ctx, key, lim)
	if errors.Is(err, ratelimit.ErrUnavailable) {
		// GATEHOUSE_REDIS_FAILURE=closed: refused; the server's outage
		// check turns the error into the 503 unavailable problem.
		return err
	}
	if err != nil {
		h.log.WarnContext(ctx, "rate limiter unavailable, request allowed", "err", err)
		return nil
	}
	if !res.Allowed {
		return &LimitedError{RetryAfter: res.RetryAfter}
	}
	return nil
}

// NormalizedAddress is the address rate limits count under, or "" when it
// is not one.
func NormalizedAddress(email string) string {
	e, err := identity.NormalizeEmail(strings.TrimSpace(email))
	if err != nil {
		return ""
	}
	return e
}

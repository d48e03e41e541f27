package login

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

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

// limitSignIn counts one password sign-in against the client's IP and
// the identifier (case-folded, so "Alice" and "alice" share a budget).
func (h *base) limitSignIn(r *http.Request, t *tenancy.Tenant, identifier string) error {
	if err := h.allow(r, "signin:ip:"+sessions.ClientIP(r), limitSignInPerIP); err != nil {
		return err
	}
	id := strings.ToLower(strings.TrimSpace(identifier))
	if id == "" || len(id) > maxIdentifierLen || h.authn.AssessesRisk() {
		// With the risk engine, back-offs and locks are per account and
		// source (internal/authn): a budget per identifier alone would let an
		// attacker lock the owner out, even on the owner's known device.
		return nil
	}
	return h.allow(r, "signin:id:"+t.ID+":"+keyDigest(id), limitSignInPerIdentifier)
}

// limitDevice counts one user-code entry against the client's IP.
func (h *base) limitDevice(r *http.Request) error {
	return h.allow(r, "device:ip:"+sessions.ClientIP(r), limitDevicePerIP)
}

// limitToken counts one try of a link token of step; the key is a digest,
// so a shared limiter (Redis) never holds a usable token.
func (h *base) limitToken(r *http.Request, t *tenancy.Tenant, step, token string) error {
	if token == "" {
		return nil
	}
	return h.allow(r, step+":token:"+t.ID+":"+keyDigest(token), limitPerToken)
}

// keyDigest shortens a caller-chosen string for a limiter key.
func keyDigest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

package tokens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// AccessToken is a verified access token of either format. Verify may
// return the same value to several callers: it must not be modified.
type AccessToken struct {
	JTI       string
	Subject   string
	ClientID  string
	UserID    string // "" for client-credentials tokens
	SessionID string
	Scopes    []string
	Audience  []string
	IssuedAt  time.Time
	ExpiresAt time.Time
	AuthTime  int64
	AMR       []string
	ACR       string
	Opaque    bool
	// JKT is the DPoP key the token is bound to (cnf.jkt), "" for a
	// bearer token.
	JKT string
	// Extra are the token's other claims (mapped attributes), reported by
	// introspection.
	Extra map[string]any
}

// ErrInactive: the token is unknown, expired, revoked or not ours.
var ErrInactive = errors.New("token inactive")

// atClaims are the claims Gatehouse puts into access tokens.
type atClaims struct {
	jwt.Claims
	ClientID string   `json:"client_id"`
	Scope    string   `json:"scope"`
	SID      string   `json:"sid"`
	AuthTime int64    `json:"auth_time"`
	AMR      []string `json:"amr"`
	ACR      string   `json:"acr"`
	Cnf      struct {
		JKT string `json:"jkt"`
	} `json:"cnf"`
}

// sigAlgs are the algorithms Gatehouse accepts on its own tokens.
var sigAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.EdDSA}

// Verify checks a token presented to userinfo, introspection, token
// exchange, the account API or the gateway: signature, issuer, type,
// expiry and revocation. It returns ErrInactive for a token that is not
// good, and any other error when the store or the key set could not be
// read: then nothing is known about the token, and callers answer
// server_error rather than "inactive".
func (s *Service) Verify(ctx context.Context, t *tenancy.Tenant, token string) (*AccessToken, error) {
	now := s.now()
	if strings.HasPrefix(token, OpaquePrefix) {
		ot, err := t.Store.OpaqueTokens().GetByHash(ctx, t.ID, Hash(token))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("find opaque token: %w", err)
		}
		if err != nil || ot.RevokedAt != nil || !now.Before(ot.ExpiresAt) {
			return nil, ErrInactive
		}
		at := &AccessToken{
			JTI: ot.ID, Subject: firstNonEmpty(ot.UserID, ot.ClientID), ClientID: ot.ClientID, UserID: ot.UserID,
			SessionID: ot.SessionID, Scopes: ot.Scopes, Audience: ot.Audience, IssuedAt: ot.CreatedAt,
			ExpiresAt: ot.ExpiresAt, Opaque: true,
		}
		if v, ok := ot.Claims["auth_time"].(float64); ok {
			at.AuthTime = int64(v)
		}
		if c, ok := ot.Claims["cnf"].(map[string]any); ok {
			at.JKT, _ = c["jkt"].(string)
		}
		for _, k := range []string{"permissions", "org_id", "org_name", "authorization_details", "region"} { // issues 14, 15, 20
			if v, ok := ot.Claims[k]; ok {
				if at.Extra == nil {
					at.Extra = map[string]any{}
				}
				at.Extra[k] = v
			}
		}
		if s.revoked.revoked(ctx, t.ID, at) {
			return nil, ErrInactive
		}
		return at, nil
	}
	if strings.Count(token, ".") != 2 {
		return nil, ErrInactive
	}
	// Resource servers introspect the same token again and again: a token
	// whose signature was checked is remembered until it expires (at most
	// a few minutes). Revocation is still checked on every call.
	cacheKey := t.ID + "\x00" + token
	if at, ok := s.verified.GetIfPresent(cacheKey); ok {
		if !now.Before(at.ExpiresAt) || s.revoked.revoked(ctx, t.ID, at) {
			return nil, ErrInactive
		}
		return at, nil
	}
	tok, err := jwt.ParseSigned(token, sigAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return nil, ErrInactive
	}
	h := tok.Headers[0]
	if typ, _ := h.ExtraHeaders["typ"].(string); !strings.EqualFold(typ, "at+jwt") {
		return nil, ErrInactive // an ID token is not an access token (RFC 9068 4)
	}
	key, err := s.keys.Public(ctx, t.ID, h.KeyID)
	if err != nil && !errors.Is(err, keys.ErrNoKey) && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("load signing keys: %w", err)
	}
	if err != nil {
		return nil, ErrInactive
	}
	var c atClaims
	var extra map[string]any
	if err := tok.Claims(key.Key, &c, &extra); err != nil {
		return nil, ErrInactive
	}
	if c.Issuer != t.Issuer || c.Expiry == nil || !now.Before(c.Expiry.Time()) {
		return nil, ErrInactive
	}
	at := &AccessToken{
		JTI: c.ID, Subject: c.Subject, ClientID: c.ClientID, SessionID: c.SID, Scopes: strings.Fields(c.Scope),
		Audience: c.Audience, ExpiresAt: c.Expiry.Time(), AuthTime: c.AuthTime, AMR: c.AMR, ACR: c.ACR, JKT: c.Cnf.JKT,
	}
	if c.IssuedAt != nil {
		at.IssuedAt = c.IssuedAt.Time()
	}
	if id, err := uuid.Parse(c.ID); err == nil && id.Version() == 7 {
		// The UUIDv7 jti carries the issue time to the millisecond, finer
		// than iat: a token minted just after a revoke-all stays valid.
		sec, nsec := id.Time().UnixTime()
		at.IssuedAt = time.Unix(sec, nsec)
	}
	if c.AuthTime != 0 { // user tokens carry auth_time; client-credentials tokens do not
		at.UserID = c.Subject
	}
	for _, k := range []string{"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "sid", "auth_time", "amr", "acr", "cnf"} {
		delete(extra, k)
	}
	if len(extra) > 0 {
		at.Extra = extra
	}
	if s.revoked.revoked(ctx, t.ID, at) {
		return nil, ErrInactive
	}
	s.verified.Set(cacheKey, at)
	return at, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// newVerifiedCache bounds the verified-token cache by count and age.
func newVerifiedCache() *otter.Cache[string, *AccessToken] {
	return otter.Must(&otter.Options[string, *AccessToken]{
		MaximumSize: 50_000,
		ExpiryCalculator: otter.ExpiryCreatingFunc(func(e otter.Entry[string, *AccessToken]) time.Duration {
			d := time.Until(e.Value.ExpiresAt)
			if d > 5*time.Minute {
				d = 5 * time.Minute
			}
			if d < time.Second {
				d = time.Second
			}
			return d
		}),
	})
}

// revocationCache keeps every live revocation in memory so verification
// needs no database round trip. Revocations made on this node apply at
// once, those announced by other nodes when announced (Invalidate); it
// also catches up with the store at most every `every`, as the backstop.
type revocationCache struct {
	s     *Service
	every time.Duration

	mu       sync.RWMutex
	entries  map[revKey]oauth.Revocation
	since    time.Time
	loadedAt time.Time
	loading  atomic.Bool
}

type revKey struct {
	tenant string
	kind   oauth.RevocationKind
	key    string
}

func newRevocationCache(s *Service, every time.Duration) *revocationCache {
	return &revocationCache{s: s, every: every, entries: map[revKey]oauth.Revocation{}}
}

func (rc *revocationCache) control() store.Store { return rc.s.stores.Control() }

// refresh loads revocations created since the last load. One caller
// refreshes; concurrent callers use what is loaded.
func (rc *revocationCache) refresh(ctx context.Context, force bool) {
	rc.mu.RLock()
	stale := rc.s.now().Sub(rc.loadedAt) >= rc.every
	since := rc.since
	rc.mu.RUnlock()
	if !stale && !force {
		return
	}
	if !rc.loading.CompareAndSwap(false, true) {
		return
	}
	defer rc.loading.Store(false)
	started := rc.s.now()
	rows, err := rc.control().Revocations().Since(ctx, since)
	if err != nil {
		rc.s.log.WarnContext(ctx, "revocation cache refresh failed", "err", err)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, r := range rows {
		rc.put(r)
		if r.CreatedAt.After(rc.since) {
			rc.since = r.CreatedAt
		}
	}
	rc.loadedAt = started
	// Drop entries past their expiry.
	for k, r := range rc.entries {
		if !started.Before(r.ExpiresAt) {
			delete(rc.entries, k)
		}
	}
}

func (rc *revocationCache) put(r oauth.Revocation) {
	k := revKey{r.TenantID, r.Kind, r.Key}
	if old, ok := rc.entries[k]; ok && old.NotBefore.After(r.NotBefore) {
		return
	}
	rc.entries[k] = r
}

// add stores a revocation and applies it locally at once.
func (rc *revocationCache) add(ctx context.Context, r *oauth.Revocation) error {
	r.CreatedAt = rc.s.now().UTC()
	if err := rc.control().Revocations().Add(ctx, r); err != nil {
		return err
	}
	rc.mu.Lock()
	rc.put(*r)
	rc.mu.Unlock()
	return nil
}

// revoked reports whether a verified token is revoked.
func (rc *revocationCache) revoked(ctx context.Context, tenantID string, at *AccessToken) bool {
	rc.refresh(ctx, false)
	rc.mu.RLock()
	defer rc.mu.RUnlock()
	if len(rc.entries) == 0 {
		return false
	}
	if _, ok := rc.entries[revKey{tenantID, oauth.RevokeJTI, at.JTI}]; ok {
		return true
	}
	before := func(kind oauth.RevocationKind, key string) bool {
		if key == "" {
			return false
		}
		r, ok := rc.entries[revKey{tenantID, kind, key}]
		return ok && at.IssuedAt.Before(r.NotBefore)
	}
	return before(oauth.RevokeUser, at.UserID) || before(oauth.RevokeClient, at.ClientID) || before(oauth.RevokeSession, at.SessionID)
}

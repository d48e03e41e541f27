package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/maypok86/otter/v2"
)

// Identity is what the gateway learned from a good token.
type Identity struct {
	Subject     string
	ClientID    string
	Scopes      []string
	Permissions []string
	Audience    []string
	ACR         string
	Tenant      string
	Region      string
	Org         string
	ExpiresAt   time.Time
	// JKT is the DPoP key the token is bound to (cnf.jkt), "" for none.
	JKT string
}

// errInvalidToken: the token is not good (unknown key, bad signature,
// wrong issuer or audience, expired, wrong type). The reason is logged,
// never sent.
type errInvalidToken struct{ reason string }

func (e *errInvalidToken) Error() string { return "invalid token: " + e.reason }

func invalid(format string, a ...any) error { return &errInvalidToken{fmt.Sprintf(format, a...)} }

// errUnavailable: the issuer could not be asked (JWKS or introspection
// down); the gateway answers 503 rather than guessing.
var errUnavailable = errors.New("issuer unavailable")

// claims are the access-token claims the gateway reads.
type claims struct {
	jwt.Claims
	ClientID    string   `json:"client_id"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	ACR         string   `json:"acr"`
	Region      string   `json:"region"`
	Tenant      string   `json:"tenant_id"`
	OrgID       string   `json:"org_id"`
	Cnf         struct {
		JKT string `json:"jkt"`
	} `json:"cnf"`
}

func (c *claims) identity() *Identity {
	id := &Identity{Subject: c.Subject, ClientID: c.ClientID, Scopes: strings.Fields(c.Scope),
		Permissions: c.Permissions, Audience: c.Audience, ACR: c.ACR, Region: c.Region, Tenant: c.Tenant, Org: c.OrgID, JKT: c.Cnf.JKT}
	if c.Expiry != nil {
		id.ExpiresAt = c.Expiry.Time()
	}
	return id
}

// discovery is the part of the issuer's metadata the gateway needs.
type discovery struct {
	Issuer                string `json:"issuer"`
	JWKSURI               string `json:"jwks_uri"`
	IntrospectionEndpoint string `json:"introspection_endpoint"`
}

// Verifier validates JWT access tokens locally with the issuer's keys. It
// reads discovery and the JWKS once and again only when a token names a
// key it does not know (key rotation), at most once per MinRefresh.
// Verified tokens are remembered until they expire.
type Verifier struct {
	issuer     string
	algs       []jose.SignatureAlgorithm
	leeway     time.Duration
	client     *http.Client
	now        func() time.Time
	minRefresh time.Duration

	mu        sync.Mutex // serialises fetches
	meta      discovery
	keys      map[string]jose.JSONWebKey
	fetchedAt time.Time
	failedAt  time.Time // last failed fetch: the issuer is not asked again for minRefresh
	failure   error
	keysMu    sync.RWMutex

	cache *otter.Cache[string, *Identity]
}

// NewVerifier builds a verifier; no request is made until the first token.
func NewVerifier(issuer string, algs []string, leeway time.Duration, client *http.Client, now func() time.Time) *Verifier {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	if now == nil {
		now = time.Now
	}
	v := &Verifier{issuer: issuer, leeway: leeway, client: client, now: now, minRefresh: 5 * time.Second,
		cache: otter.Must(&otter.Options[string, *Identity]{MaximumSize: 50_000})}
	for _, a := range algs {
		v.algs = append(v.algs, jose.SignatureAlgorithm(a))
	}
	return v
}

// Discovery returns the issuer's metadata, fetching it if needed.
func (v *Verifier) Discovery(ctx context.Context) (discovery, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.meta.Issuer == "" {
		if err := v.fetchLocked(ctx); err != nil {
			return discovery{}, err
		}
	}
	return v.meta, nil
}

func (v *Verifier) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out)
}

// fetchLocked reads discovery (if not known yet) and the JWKS. After a
// failure it answers the same error for minRefresh without asking, so a
// down issuer is not hammered by every request.
func (v *Verifier) fetchLocked(ctx context.Context) error {
	if v.failure != nil && v.now().Sub(v.failedAt) < v.minRefresh {
		return v.failure
	}
	err := v.doFetchLocked(ctx)
	v.failure = err
	if err != nil {
		v.failedAt = v.now()
	}
	return err
}

func (v *Verifier) doFetchLocked(ctx context.Context) error {
	if v.meta.Issuer == "" {
		var d discovery
		if err := v.getJSON(ctx, v.issuer+"/.well-known/openid-configuration", &d); err != nil {
			return fmt.Errorf("%w: discovery: %v", errUnavailable, err)
		}
		if d.Issuer != v.issuer {
			return fmt.Errorf("%w: discovery names issuer %q, configured %q", errUnavailable, d.Issuer, v.issuer)
		}
		if d.JWKSURI == "" {
			return fmt.Errorf("%w: discovery has no jwks_uri", errUnavailable)
		}
		v.meta = d
	}
	var set jose.JSONWebKeySet
	if err := v.getJSON(ctx, v.meta.JWKSURI, &set); err != nil {
		return fmt.Errorf("%w: jwks: %v", errUnavailable, err)
	}
	keys := make(map[string]jose.JSONWebKey, len(set.Keys))
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" || !k.IsPublic() {
			continue
		}
		keys[k.KeyID] = k
	}
	v.keysMu.Lock()
	v.keys = keys
	v.keysMu.Unlock()
	v.fetchedAt = v.now()
	return nil
}

// key returns the public key kid, refreshing the JWKS once when it is
// unknown (the issuer rotated its keys).
func (v *Verifier) key(ctx context.Context, kid string) (jose.JSONWebKey, error) {
	v.keysMu.RLock()
	k, ok := v.keys[kid]
	loaded := v.keys != nil
	v.keysMu.RUnlock()
	if ok {
		return k, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.keysMu.RLock()
	k, ok = v.keys[kid]
	v.keysMu.RUnlock()
	if ok { // another request refreshed meanwhile
		return k, nil
	}
	if loaded && v.now().Sub(v.fetchedAt) < v.minRefresh {
		return jose.JSONWebKey{}, invalid("unknown key %q", kid)
	}
	if err := v.fetchLocked(ctx); err != nil {
		return jose.JSONWebKey{}, err
	}
	v.keysMu.RLock()
	k, ok = v.keys[kid]
	v.keysMu.RUnlock()
	if !ok {
		return jose.JSONWebKey{}, invalid("unknown key %q", kid)
	}
	return k, nil
}

// cacheKey is the SHA-256 of the token: the cache holds no bearer secrets.
func cacheKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return string(h[:])
}

// Verify checks signature (allow-listed algorithm, issuer key), typ
// at+jwt, iss, exp and nbf (with leeway). The audience is the route's
// business: see Identity.HasAudience.
func (v *Verifier) Verify(ctx context.Context, token string) (*Identity, error) {
	now := v.now()
	ck := cacheKey(token)
	if id, ok := v.cache.GetIfPresent(ck); ok {
		if now.After(id.ExpiresAt.Add(v.leeway)) {
			v.cache.Invalidate(ck)
			return nil, invalid("expired")
		}
		return id, nil
	}
	tok, err := jwt.ParseSigned(token, v.algs)
	if err != nil {
		return nil, invalid("parse: %v", err)
	}
	if len(tok.Headers) != 1 {
		return nil, invalid("%d signatures", len(tok.Headers))
	}
	h := tok.Headers[0]
	if typ, _ := h.ExtraHeaders["typ"].(string); !strings.EqualFold(typ, "at+jwt") && !strings.EqualFold(typ, "application/at+jwt") {
		return nil, invalid("typ %q is not at+jwt", typ)
	}
	key, err := v.key(ctx, h.KeyID)
	if err != nil {
		return nil, err
	}
	if key.Algorithm != "" && key.Algorithm != h.Algorithm {
		return nil, invalid("alg %s does not match key %s", h.Algorithm, key.Algorithm)
	}
	var c claims
	if err := tok.Claims(key.Key, &c); err != nil {
		return nil, invalid("signature: %v", err)
	}
	if c.Expiry == nil {
		return nil, invalid("no exp")
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: v.issuer, Time: now}, v.leeway); err != nil {
		return nil, invalid("%v", err)
	}
	if c.Subject == "" {
		return nil, invalid("no sub")
	}
	id := c.identity()
	v.cache.Set(ck, id)
	return id, nil
}

// HasAudience reports whether the token was issued for aud.
func (id *Identity) HasAudience(aud string) bool {
	for _, a := range id.Audience {
		if a == aud {
			return true
		}
	}
	return false
}

// hasScope: scope s is granted by the scope claim or the permissions claim.
func (id *Identity) hasScope(s string) bool {
	for _, x := range id.Scopes {
		if x == s {
			return true
		}
	}
	for _, x := range id.Permissions {
		if x == s {
			return true
		}
	}
	return false
}

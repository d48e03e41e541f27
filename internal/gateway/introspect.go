package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"
)

// Introspector asks the issuer about opaque tokens (RFC 7662) and caches
// the answer by the token's hash, never longer than the token lives nor
// than the configured cache time. Inactive answers are cached too (for a
// few seconds) so that a flood of bad tokens does not reach the issuer.
type Introspector struct {
	v            *Verifier
	clientID     string
	clientSecret string
	maxCache     time.Duration
	cache        *otter.Cache[string, introspected]
}

type introspected struct {
	id    *Identity // nil: inactive
	until time.Time
}

// NewIntrospector builds an introspector on v's discovery document.
func NewIntrospector(v *Verifier, c *Introspection) *Introspector {
	return &Introspector{v: v, clientID: c.ClientID, clientSecret: c.ClientSecret,
		maxCache: time.Duration(c.CacheSeconds) * time.Second,
		cache:    otter.Must(&otter.Options[string, introspected]{MaximumSize: 50_000})}
}

const inactiveCache = 5 * time.Second

// Introspect returns the token's identity, an errInvalidToken when it is
// not active, or errUnavailable.
func (in *Introspector) Introspect(ctx context.Context, token string) (*Identity, error) {
	now := in.v.now()
	ck := cacheKey(token)
	if e, ok := in.cache.GetIfPresent(ck); ok && now.Before(e.until) {
		if e.id == nil {
			return nil, invalid("inactive (cached)")
		}
		return e.id, nil
	}
	meta, err := in.v.Discovery(ctx)
	if err != nil {
		return nil, err
	}
	if meta.IntrospectionEndpoint == "" {
		return nil, fmt.Errorf("%w: discovery has no introspection_endpoint", errUnavailable)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, meta.IntrospectionEndpoint,
		strings.NewReader(url.Values{"token": {token}, "token_type_hint": {"access_token"}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(in.clientID), url.QueryEscape(in.clientSecret))
	resp, err := in.v.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: introspection: %v", errUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: introspection: status %d", errUnavailable, resp.StatusCode)
	}
	var r struct {
		Active      bool            `json:"active"`
		Sub         string          `json:"sub"`
		ClientID    string          `json:"client_id"`
		Scope       string          `json:"scope"`
		Aud         json.RawMessage `json:"aud"`
		Exp         int64           `json:"exp"`
		Nbf         int64           `json:"nbf"`
		Iss         string          `json:"iss"`
		ACR         string          `json:"acr"`
		Region      string          `json:"region"`
		Tenant      string          `json:"tenant_id"`
		OrgID       string          `json:"org_id"`
		Permissions []string        `json:"permissions"`
		Cnf         struct {
			JKT string `json:"jkt"`
		} `json:"cnf"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: introspection: %v", errUnavailable, err)
	}
	leeway := in.v.leeway
	if !r.Active || r.Exp == 0 || r.Sub == "" || (r.Iss != "" && r.Iss != in.v.issuer) ||
		!now.Before(time.Unix(r.Exp, 0).Add(leeway)) || (r.Nbf != 0 && now.Add(leeway).Before(time.Unix(r.Nbf, 0))) {
		in.cache.Set(ck, introspected{until: now.Add(inactiveCache)})
		return nil, invalid("inactive")
	}
	id := &Identity{Subject: r.Sub, ClientID: r.ClientID, Scopes: strings.Fields(r.Scope), Permissions: r.Permissions,
		ACR: r.ACR, Region: r.Region, Tenant: r.Tenant, Org: r.OrgID, ExpiresAt: time.Unix(r.Exp, 0), JKT: r.Cnf.JKT}
	var one string
	if json.Unmarshal(r.Aud, &one) == nil {
		id.Audience = []string{one}
	} else {
		_ = json.Unmarshal(r.Aud, &id.Audience)
	}
	until := now.Add(in.maxCache)
	if id.ExpiresAt.Before(until) {
		until = id.ExpiresAt
	}
	in.cache.Set(ck, introspected{id: id, until: until})
	return id, nil
}

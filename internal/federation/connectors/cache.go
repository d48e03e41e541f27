package connectors

import (
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// DefaultCacheTTL is how long a built connector is kept. It bounds how
// long a node works with what it fetched from an upstream on first use
// (an OpenID provider's discovery document, a SAML IdP's metadata from
// idp_metadata_url): a change at the upstream is seen within it. A change
// of the connection itself is seen at once (Cache.Get).
const DefaultCacheTTL = 15 * time.Minute

// maxCached bounds the entries; past it, expired ones are swept, and if
// that is not enough, all are dropped.
const maxCached = 10_000

// Cache keeps built connectors, so that a callback does not parse the
// connection's settings, open its secrets, parse certificates and IdP
// metadata, or discover its upstream again each time. An entry serves
// only the connection it was built from: its tenant, ID, version,
// creation and update times and the issuer must all match the row the
// caller just read, so an update or a delete and re-create is never
// served a stale connector, even on a node that missed the change's
// announcement. Forget drops entries at once (the Admin API after a
// change on this node; the cluster bus for the others); the TTL is the
// backstop. The zero value is not usable: use NewCache. A nil *Cache
// builds every time.
type Cache struct {
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	m  map[cacheKey]*cached
}

type cacheKey struct{ tenant, id string }

type cached struct {
	version          int64
	created, updated time.Time
	issuer           string
	conn             federation.Connector
	expires          time.Time
}

// NewCache returns an empty cache whose entries live ttl
// (DefaultCacheTTL when zero); now is the clock (time.Now when nil).
func NewCache(ttl time.Duration, now func() time.Time) *Cache {
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{ttl: ttl, now: now, m: map[cacheKey]*cached{}}
}

// Get returns the connector of c, built by New with o unless a connector
// built from this very version of c (and the same issuer) is cached.
// Failures are not cached.
func (k *Cache) Get(c *store.Connection, o Options) (federation.Connector, error) {
	if k == nil {
		return New(c, o)
	}
	key := cacheKey{c.TenantID, c.ID}
	now := k.now()
	k.mu.Lock()
	e := k.m[key]
	k.mu.Unlock()
	if e != nil && e.version == c.Version && e.created.Equal(c.CreatedAt) && e.updated.Equal(c.UpdatedAt) &&
		e.issuer == o.Issuer && now.Before(e.expires) {
		return e.conn, nil
	}
	conn, err := New(c, o)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.m) >= maxCached {
		for key, e := range k.m {
			if !now.Before(e.expires) {
				delete(k.m, key)
			}
		}
		if len(k.m) >= maxCached {
			clear(k.m)
		}
	}
	k.m[key] = &cached{version: c.Version, created: c.CreatedAt, updated: c.UpdatedAt, issuer: o.Issuer, conn: conn,
		expires: now.Add(k.ttl)}
	return conn, nil
}

// Forget drops the cached connector of tenant's connection id; every
// connection of tenant when id is empty, and everything when tenant is
// empty too.
func (k *Cache) Forget(tenant, id string) {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case tenant == "":
		clear(k.m)
	case id == "":
		for key := range k.m {
			if key.tenant == tenant {
				delete(k.m, key)
			}
		}
	default:
		delete(k.m, cacheKey{tenant, id})
	}
}

// Len is the number of cached connectors.
func (k *Cache) Len() int {
	if k == nil {
		return 0
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}

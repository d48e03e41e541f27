// Package keys manages each tenant's token-signing keys: generation on
// first use, encryption at rest with the master key, scheduled and
// on-demand rotation, and a JWKS that is serialised once per change.
//
// Every tenant has an active RS256 key (ID tokens by default, as OIDC
// requires) and an active ES256 key (access tokens, because it signs ~30x
// faster than RSA, and ID tokens of clients that ask). An EdDSA key is
// made only when something signs with EdDSA (a client that asks for
// EdDSA ID tokens): an OKP key in a JWKS breaks relying parties whose JOSE
// library cannot parse one (Debian 12's mod_auth_openidc with cjose 0.6
// rejects the whole set), so a tenant that does not use EdDSA does not
// publish one, and the scheduler retires it once no client uses it. A
// rotated key stops signing at once but stays in the JWKS until every
// token it signed has expired.
package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Algorithms Gatehouse signs with.
const (
	RS256 = "RS256"
	ES256 = "ES256"
	EdDSA = "EdDSA"
)

// Algs lists every algorithm Gatehouse signs with.
var Algs = []string{RS256, ES256, EdDSA}

// eagerAlgs get their key on a tenant's first use; the others (EdDSA)
// when first needed (Active, Ensure).
var eagerAlgs = []string{RS256, ES256}

const sealPurpose = "signing-key"

// Config tunes rotation.
type Config struct {
	// RotateEvery is the age at which the scheduler replaces an active key.
	RotateEvery time.Duration
	// MaxTokenLifetime bounds how long a token can outlive its key's
	// retirement; retired keys stay published that long.
	MaxTokenLifetime time.Duration
	// RefreshEvery is how often a node re-reads keys, to pick up rotations
	// made by other nodes.
	RefreshEvery time.Duration
	// RSABits is the RSA modulus size for new RS256 keys.
	RSABits int
}

// DefaultConfig rotates monthly.
var DefaultConfig = Config{RotateEvery: 30 * 24 * time.Hour, MaxTokenLifetime: 24 * time.Hour, RefreshEvery: 30 * time.Second, RSABits: 2048}

// StoreFor returns the store holding a tenant's data.
type StoreFor func(ctx context.Context, tenantID string) (store.Store, error)

// Manager owns the keys of every tenant it has been asked about.
type Manager struct {
	stores StoreFor
	keys   *secret.Keyring
	cfg    Config
	now    func() time.Time
	log    *slog.Logger

	mu      sync.Mutex
	tenants map[string]*tenantKeys
	// refreshing is set while one caller re-reads a tenant's stale keys;
	// the others go on with the keys they have.
	refreshing sync.Map // tenant ID -> *atomic.Bool
	// gen serialises key generation on this node, so concurrent first
	// requests wait here rather than queue for the database lock that
	// serialises it across nodes (SigningKeyRepo.Locked).
	gen sync.Mutex
	// lookups serialises the reloads an unknown kid causes, per tenant,
	// and rate-limits them (kidLookup).
	lookups sync.Map // tenant ID -> *kidLookup
	// saml caches each tenant's SAML signing certificates (saml.go).
	saml sync.Map // tenant ID -> *SAMLSet
}

// kidLookup is the state of a tenant's reloads for unknown key IDs.
type kidLookup struct {
	mu   sync.Mutex
	last time.Time // when the last such reload started
}

// kidReloadEvery bounds the reloads unknown key IDs cause, per tenant: a
// key another node just made is found at once, and a flood of tokens with
// made-up key IDs costs at most one query a second.
const kidReloadEvery = time.Second

// New builds a Manager.
func New(stores StoreFor, keyring *secret.Keyring, cfg Config, now func() time.Time, log *slog.Logger) *Manager {
	if cfg.RSABits == 0 {
		cfg.RSABits = DefaultConfig.RSABits
	}
	if now == nil {
		now = time.Now
	}
	return &Manager{stores: stores, keys: keyring, cfg: cfg, now: now, log: log, tenants: map[string]*tenantKeys{}}
}

// Key is a usable signing key.
type Key struct {
	ID      string
	Alg     string
	Private crypto.Signer
	Public  jose.JSONWebKey
	// signers are reused: go-jose signers are safe for concurrent use.
	jwt, atJWT jose.Signer
	// jwtHeader and atHeader are the base64url-encoded protected headers
	// SignJWT uses, serialised once.
	jwtHeader, atHeader string
}

// Signer returns a JOSE signer whose header carries the key ID and, for
// access tokens, typ "at+jwt" (RFC 9068).
func (k *Key) Signer(accessToken bool) jose.Signer {
	if accessToken {
		return k.atJWT
	}
	return k.jwt
}

// SignJWT returns the compact JWS (RFC 7515 7.1) of claims, which must be
// a JSON object, with the key's protected header: alg, kid and typ "JWT",
// or "at+jwt" for access tokens (RFC 9068 2.1). It is what go-jose's
// jwt.Signed(k.Signer(accessToken)).Claims(...).Serialize() produces, without
// the claims' round trip through a map and the per-call header encoding.
func (k *Key) SignJWT(accessToken bool, claims []byte) (string, error) {
	header := k.jwtHeader
	if accessToken {
		header = k.atHeader
	}
	enc := base64.RawURLEncoding
	buf := make([]byte, 0, len(header)+1+enc.EncodedLen(len(claims))+1+enc.EncodedLen(512))
	buf = append(buf, header...)
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, claims)
	sig, err := k.sign(buf)
	if err != nil {
		return "", err
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}

// sign signs a JWS signing input with the key's algorithm (RFC 7518 3.3,
// 3.4; RFC 8037 3.1).
func (k *Key) sign(input []byte) ([]byte, error) {
	switch priv := k.Private.(type) {
	case *ecdsa.PrivateKey:
		if k.Alg != ES256 || priv.Curve != elliptic.P256() {
			break
		}
		digest := sha256.Sum256(input)
		der, err := ecdsa.SignASN1(rand.Reader, priv, digest[:])
		if err != nil {
			return nil, err
		}
		return ecdsaRaw(der, 32)
	case ed25519.PrivateKey:
		if k.Alg != EdDSA {
			break
		}
		return ed25519.Sign(priv, input), nil
	case *rsa.PrivateKey:
		if k.Alg != RS256 {
			break
		}
		digest := sha256.Sum256(input)
		return rsa.SignPKCS1v15(nil, priv, crypto.SHA256, digest[:])
	}
	return nil, fmt.Errorf("keys: key %s (%T) cannot sign %s", k.ID, k.Private, k.Alg)
}

// ecdsaRaw converts an ASN.1 ECDSA signature to JWS form: r and s as
// big-endian integers of size bytes each, concatenated (RFC 7518 3.4).
func ecdsaRaw(der []byte, size int) ([]byte, error) {
	var seq, r, s cryptobyte.String
	in := cryptobyte.String(der)
	if !in.ReadASN1(&seq, asn1.SEQUENCE) || !in.Empty() ||
		!seq.ReadASN1(&r, asn1.INTEGER) || !seq.ReadASN1(&s, asn1.INTEGER) || !seq.Empty() {
		return nil, errors.New("keys: malformed ECDSA signature")
	}
	out := make([]byte, 2*size)
	for i, v := range [][]byte{r, s} {
		for len(v) > 0 && v[0] == 0 { // DER adds a zero byte before a set high bit
			v = v[1:]
		}
		if len(v) > size {
			return nil, errors.New("keys: malformed ECDSA signature")
		}
		copy(out[(i+1)*size-len(v):], v)
	}
	return out, nil
}

// protectedHeader is the base64url JWS header SignJWT puts on tokens, with
// the members in the order go-jose writes them.
func protectedHeader(alg, kid, typ string) (string, error) {
	b, err := json.Marshal(struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
		Typ string `json:"typ"`
	}{alg, kid, typ})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tenantKeys is the decoded key material of one tenant.
type tenantKeys struct {
	loadedAt time.Time
	active   map[string]*Key             // alg -> key that signs
	public   map[string]*jose.JSONWebKey // kid -> published key
	jwks     []byte
	etag     string
}

// load returns the tenant's keys, (re)reading them when stale and
// generating missing ones. When stale keys are in memory, one caller
// re-reads them and the others go on with the ones they have, so a
// refresh under load is one query, not one per request in flight.
func (m *Manager) load(ctx context.Context, tenantID string, force bool) (*tenantKeys, error) {
	m.mu.Lock()
	tk := m.tenants[tenantID]
	m.mu.Unlock()
	now := m.now()
	if tk != nil && !force {
		if now.Sub(tk.loadedAt) < m.cfg.RefreshEvery {
			return tk, nil
		}
		v, _ := m.refreshing.LoadOrStore(tenantID, new(atomic.Bool))
		busy := v.(*atomic.Bool)
		if !busy.CompareAndSwap(false, true) {
			return tk, nil // another caller is refreshing
		}
		defer busy.Store(false)
	}
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	rows, err := st.SigningKeys().List(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if len(m.missingAlgs(rows)) > 0 {
		// Under the tenant's key lock, so nodes starting together make
		// one key per algorithm: each sees what the previous one made.
		m.gen.Lock()
		defer m.gen.Unlock()
		err = st.SigningKeys().Locked(ctx, tenantID, func(repo store.SigningKeyRepo) error {
			if rows, err = repo.List(ctx, tenantID); err != nil {
				return err
			}
			for _, alg := range m.missingAlgs(rows) {
				if err := m.generate(ctx, repo, tenantID, alg); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if rows, err = st.SigningKeys().List(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	tk, err = m.decode(tenantID, rows, now, tk)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.tenants[tenantID] = tk
	m.mu.Unlock()
	return tk, nil
}

func (m *Manager) missingAlgs(rows []oauth.SigningKey) []string {
	var missing []string
	for _, alg := range eagerAlgs {
		if !hasActive(rows, alg) {
			missing = append(missing, alg)
		}
	}
	return missing
}

// hasActive reports whether rows hold a key of alg that is not retired.
func hasActive(rows []oauth.SigningKey, alg string) bool {
	return slices.ContainsFunc(rows, func(r oauth.SigningKey) bool { return r.Alg == alg && r.RetiredAt == nil })
}

// decode builds the tenant's key material from its rows. Keys already
// opened in prev are reused: a key ID always names the same key, and
// decrypting and parsing (RSA above all) is the costly part.
func (m *Manager) decode(tenantID string, rows []oauth.SigningKey, now time.Time, prev *tenantKeys) (*tenantKeys, error) {
	tk := &tenantKeys{loadedAt: now, active: map[string]*Key{}, public: map[string]*jose.JSONWebKey{}}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, r := range rows { // newest first
		if r.ExpiresAt != nil && !now.Before(*r.ExpiresAt) {
			continue
		}
		var pub jose.JSONWebKey
		if err := json.Unmarshal(r.PublicJWK, &pub); err != nil {
			return nil, fmt.Errorf("keys: public key %s: %w", r.ID, err)
		}
		tk.public[r.ID] = &pub
		set.Keys = append(set.Keys, pub)
		if r.RetiredAt != nil || tk.active[r.Alg] != nil {
			continue
		}
		if k := prev.opened(r.ID, r.Alg); k != nil {
			tk.active[r.Alg] = k
			continue
		}
		k, err := m.open(tenantID, &r, pub)
		if err != nil {
			return nil, err
		}
		tk.active[r.Alg] = k
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	tk.jwks, tk.etag = b, `"`+hex.EncodeToString(sum[:12])+`"`
	return tk, nil
}

// opened returns the key kid if it signed for alg in tk (which may be nil).
func (tk *tenantKeys) opened(kid, alg string) *Key {
	if tk == nil {
		return nil
	}
	if k := tk.active[alg]; k != nil && k.ID == kid {
		return k
	}
	return nil
}

func sealAD(tenantID, kid string) []byte { return []byte(tenantID + "/" + kid) }

func (m *Manager) open(tenantID string, r *oauth.SigningKey, pub jose.JSONWebKey) (*Key, error) {
	der, err := m.keys.Open(sealPurpose, r.Private, sealAD(tenantID, r.ID))
	if err != nil {
		return nil, fmt.Errorf("keys: decrypt key %s (was GATEHOUSE_SECRET_KEY changed?): %w", r.ID, err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("keys: parse key %s: %w", r.ID, err)
	}
	priv, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("keys: key %s is not a signer", r.ID)
	}
	k := &Key{ID: r.ID, Alg: r.Alg, Private: priv, Public: pub}
	sk := jose.SigningKey{Algorithm: jose.SignatureAlgorithm(r.Alg), Key: jose.JSONWebKey{Key: priv, KeyID: r.ID, Algorithm: r.Alg}}
	if k.jwt, err = jose.NewSigner(sk, (&jose.SignerOptions{}).WithType("JWT")); err != nil {
		return nil, err
	}
	if k.atJWT, err = jose.NewSigner(sk, (&jose.SignerOptions{}).WithType("at+jwt")); err != nil {
		return nil, err
	}
	if k.jwtHeader, err = protectedHeader(r.Alg, r.ID, "JWT"); err != nil {
		return nil, err
	}
	if k.atHeader, err = protectedHeader(r.Alg, r.ID, "at+jwt"); err != nil {
		return nil, err
	}
	return k, nil
}

// generate creates and stores a new active key for alg. Callers hold the
// tenant's key lock and pass its repository.
func (m *Manager) generate(ctx context.Context, repo store.SigningKeyRepo, tenantID, alg string) error {
	var priv crypto.Signer
	var err error
	switch alg {
	case RS256:
		priv, err = rsa.GenerateKey(rand.Reader, m.cfg.RSABits)
	case ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case EdDSA:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	default:
		return fmt.Errorf("keys: unsupported algorithm %q", alg)
	}
	if err != nil {
		return err
	}
	kid := secret.Token(12)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	sealed, err := m.keys.Seal(sealPurpose, der, sealAD(tenantID, kid))
	if err != nil {
		return err
	}
	pub, err := json.Marshal(jose.JSONWebKey{Key: priv.Public(), KeyID: kid, Algorithm: alg, Use: "sig"})
	if err != nil {
		return err
	}
	return repo.Create(ctx, &oauth.SigningKey{
		TenantID: tenantID, ID: kid, Alg: alg, Private: sealed, PublicJWK: pub, CreatedAt: m.now().UTC(),
	})
}

// ErrNoKey: no key with that ID is published.
var ErrNoKey = errors.New("keys: unknown key")

// Active returns the key that currently signs with alg, creating the
// tenant's first key of an algorithm made on demand (EdDSA).
func (m *Manager) Active(ctx context.Context, tenantID, alg string) (*Key, error) {
	tk, err := m.load(ctx, tenantID, false)
	if err != nil {
		return nil, err
	}
	if k := tk.active[alg]; k != nil {
		return k, nil
	}
	if err := m.Ensure(ctx, tenantID, alg); err != nil {
		return nil, err
	}
	if tk, err = m.load(ctx, tenantID, false); err != nil {
		return nil, err
	}
	if k := tk.active[alg]; k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("keys: no active %s key", alg)
}

// Ensure makes sure the tenant has an active key of alg, creating one if
// needed, and publishes it: this node's JWKS at once, other nodes' when
// the cluster bus tells them (or within their refresh period; they find
// the key by its ID at once).
func (m *Manager) Ensure(ctx context.Context, tenantID, alg string) error {
	if !slices.Contains(Algs, alg) {
		return fmt.Errorf("keys: unsupported algorithm %q", alg)
	}
	tk, err := m.load(ctx, tenantID, false) // the eager keys first, outside m.gen
	if err != nil {
		return err
	}
	if tk.active[alg] != nil {
		return nil
	}
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return err
	}
	err = func() error {
		m.gen.Lock()
		defer m.gen.Unlock()
		return st.SigningKeys().Locked(ctx, tenantID, func(repo store.SigningKeyRepo) error {
			rows, err := repo.List(ctx, tenantID)
			if err != nil || hasActive(rows, alg) { // another node made it
				return err
			}
			m.log.InfoContext(ctx, "creating the tenant's first signing key of an algorithm", "tenant_id", tenantID, "alg", alg)
			return m.generate(ctx, repo, tenantID, alg)
		})
	}()
	if err != nil {
		return err
	}
	_, err = m.load(ctx, tenantID, true)
	return err
}

// Public returns a published key by ID, for verifying tokens. An unknown
// ID forces one reload, so a key another node just created is found.
func (m *Manager) Public(ctx context.Context, tenantID, kid string) (*jose.JSONWebKey, error) {
	tk, err := m.load(ctx, tenantID, false)
	if err != nil {
		return nil, err
	}
	if k := tk.public[kid]; k != nil {
		return k, nil
	}
	return m.lookupKid(ctx, tenantID, kid, tk.loadedAt)
}

// lookupKid reloads the tenant's keys for a key ID they lack, at most once
// per kidReloadEvery per tenant. Callers that arrive during a reload wait
// for it and look in its result; seen is when the caller's keys were read.
func (m *Manager) lookupKid(ctx context.Context, tenantID, kid string, seen time.Time) (*jose.JSONWebKey, error) {
	v, _ := m.lookups.LoadOrStore(tenantID, &kidLookup{})
	l := v.(*kidLookup)
	l.mu.Lock()
	defer l.mu.Unlock()
	m.mu.Lock()
	tk := m.tenants[tenantID]
	m.mu.Unlock()
	if tk != nil && tk.loadedAt.After(seen) { // reloaded while we waited
		if k := tk.public[kid]; k != nil {
			return k, nil
		}
	}
	now := m.now()
	if !l.last.IsZero() && now.Sub(l.last) < kidReloadEvery {
		return nil, ErrNoKey
	}
	l.last = now
	tk, err := m.load(ctx, tenantID, true)
	if err != nil {
		return nil, err
	}
	if k := tk.public[kid]; k != nil {
		return k, nil
	}
	return nil, ErrNoKey
}

// Reload re-reads a tenant's keys now if this node has them loaded: the
// cluster bus calls it when another node changed them. A tenant this node
// has not loaded is read on first use anyway.
func (m *Manager) Reload(ctx context.Context, tenantID string) error {
	m.mu.Lock()
	_, ok := m.tenants[tenantID]
	m.mu.Unlock()
	if !ok {
		return nil
	}
	_, err := m.load(ctx, tenantID, true)
	return err
}

// JWKS returns the tenant's published key set, serialised, with its ETag.
func (m *Manager) JWKS(ctx context.Context, tenantID string) (body []byte, etag string, err error) {
	tk, err := m.load(ctx, tenantID, false)
	if err != nil {
		return nil, "", err
	}
	return tk.jwks, tk.etag, nil
}

// List returns every stored key of the tenant (for the admin API).
func (m *Manager) List(ctx context.Context, tenantID string) ([]oauth.SigningKey, error) {
	if _, err := m.load(ctx, tenantID, false); err != nil { // make sure keys exist
		return nil, err
	}
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return st.SigningKeys().List(ctx, tenantID)
}

// Rotate retires the active keys of the given algorithms (if none are
// named: of every algorithm the tenant has an active key for) and creates
// their successors.
func (m *Manager) Rotate(ctx context.Context, tenantID string, algs ...string) error {
	return m.rotate(ctx, tenantID, false, algs)
}

// rotate replaces the active keys of algs under the tenant's key lock.
// With onlyDue it replaces only keys still older than RotateEvery when it
// holds the lock, so nodes whose schedulers fire together rotate once.
func (m *Manager) rotate(ctx context.Context, tenantID string, onlyDue bool, algs []string) error {
	if _, err := m.load(ctx, tenantID, false); err != nil { // make sure the eager keys exist
		return err
	}
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return err
	}
	m.gen.Lock()
	err = st.SigningKeys().Locked(ctx, tenantID, func(repo store.SigningKeyRepo) error {
		rows, err := repo.List(ctx, tenantID)
		if err != nil {
			return err
		}
		algs := algs
		if len(algs) == 0 {
			for _, alg := range Algs {
				if hasActive(rows, alg) {
					algs = append(algs, alg)
				}
			}
		}
		now := m.now().UTC()
		for _, alg := range algs {
			if onlyDue && !slices.ContainsFunc(rows, func(r oauth.SigningKey) bool {
				return r.Alg == alg && r.RetiredAt == nil && now.Sub(r.CreatedAt) >= m.cfg.RotateEvery
			}) {
				continue // another node rotated it
			}
			for _, r := range rows {
				if r.Alg == alg && r.RetiredAt == nil {
					if err := repo.Retire(ctx, tenantID, r.ID, now, now.Add(m.cfg.MaxTokenLifetime)); err != nil {
						return err
					}
				}
			}
			if err := m.generate(ctx, repo, tenantID, alg); err != nil {
				return err
			}
		}
		return nil
	})
	m.gen.Unlock()
	if err != nil {
		return err
	}
	_, err = m.load(ctx, tenantID, true)
	return err
}

// RotateDue rotates keys older than RotateEvery and deletes keys whose
// publication period is over, for every tenant that has keys.
func (m *Manager) RotateDue(ctx context.Context, tenantIDs []string) error {
	now := m.now()
	var errs []error
	for _, tid := range tenantIDs {
		st, err := m.stores(ctx, tid)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rows, err := st.SigningKeys().List(ctx, tid)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		unused, err := m.unusedOnDemand(ctx, st, tid, rows)
		errs = append(errs, err)
		var due []string
		for _, r := range rows {
			switch {
			case r.ExpiresAt != nil && !now.Before(*r.ExpiresAt):
				// Another node's scheduler may have deleted it first.
				if err := st.SigningKeys().Delete(ctx, tid, r.ID); !errors.Is(err, store.ErrNotFound) {
					errs = append(errs, err)
				}
			case r.RetiredAt == nil && slices.Contains(unused, r.Alg):
				m.log.InfoContext(ctx, "retiring a signing key no client uses", "tenant_id", tid, "alg", r.Alg, "kid", r.ID)
				errs = append(errs, st.SigningKeys().Retire(ctx, tid, r.ID, now.UTC(), now.UTC().Add(m.cfg.MaxTokenLifetime)))
			case r.RetiredAt == nil && now.Sub(r.CreatedAt) >= m.cfg.RotateEvery:
				due = append(due, r.Alg)
			}
		}
		if len(due) > 0 {
			m.log.InfoContext(ctx, "rotating signing keys", "tenant_id", tid, "algs", due)
			errs = append(errs, m.rotate(ctx, tid, true, due))
		} else if len(unused) > 0 {
			_, err := m.load(ctx, tid, true)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// unusedOnDemand returns the algorithms made on demand (EdDSA) that the
// tenant has an active key for although none of its clients asks for
// them any more (or, for keys made by older versions, ever did).
func (m *Manager) unusedOnDemand(ctx context.Context, st store.Store, tenantID string, rows []oauth.SigningKey) ([]string, error) {
	var candidates []string
	for _, alg := range Algs {
		if !slices.Contains(eagerAlgs, alg) && hasActive(rows, alg) {
			candidates = append(candidates, alg)
		}
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	pg := store.Page{Limit: store.MaxLimit}
	for {
		items, next, err := st.Clients().List(ctx, tenantID, pg)
		if err != nil {
			return nil, err
		}
		for i := range items {
			candidates = slices.DeleteFunc(candidates, func(alg string) bool { return items[i].IDTokenSignedResponseAlg == alg })
		}
		if next == "" || len(candidates) == 0 {
			return candidates, nil
		}
		pg.After = next
	}
}

// ReloadAll re-reads the keys of every tenant this node has loaded (the
// cluster bus may have missed changes).
func (m *Manager) ReloadAll(ctx context.Context) error {
	m.mu.Lock()
	ids := make([]string, 0, len(m.tenants))
	for id := range m.tenants {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	var errs []error
	for _, id := range ids {
		errs = append(errs, m.Reload(ctx, id))
	}
	return errors.Join(errs...)
}

// Forget drops a tenant's cached keys (after the tenant is deleted).
func (m *Manager) Forget(tenantID string) {
	m.mu.Lock()
	delete(m.tenants, tenantID)
	m.mu.Unlock()
	m.refreshing.Delete(tenantID)
	m.lookups.Delete(tenantID)
	m.saml.Delete(tenantID)
}

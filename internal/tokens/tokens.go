// Package tokens mints, verifies, introspects and revokes Gatehouse's
// tokens, without HTTP: RFC 9068 at+jwt access tokens signed with the
// tenant's ES256 key (or opaque ones, a per-client option), ID tokens in
// the algorithm each client registered, rotating refresh tokens, and the
// revocation list that makes stateless JWTs revocable. The protocol
// package (internal/protocol/oidc) decides what a grant entitles a client
// to and calls Issue; introspection, revocation, userinfo, the account
// API and the Admin API's revocations call the rest. The service keeps
// the caches the hot path needs (verified tokens, the revocation list) in
// memory.
package tokens

import (
	"crypto/sha256"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Config holds the token lifetimes, each overridable per client in its
// settings.
type Config struct {
	AccessTokenLifetime     time.Duration
	IDTokenLifetime         time.Duration
	RefreshTokenLifetime    time.Duration // sliding
	RefreshTokenMaxLifetime time.Duration // absolute, per family
	// MaxTokenLifetime caps every access/ID token lifetime, and so how
	// long a revocation must be kept.
	MaxTokenLifetime time.Duration
}

// Deps are the service's collaborators.
type Deps struct {
	Config Config
	Keys   *keys.Manager
	// Stores holds the revocation list (in the control store) and each
	// tenant's tokens.
	Stores store.Resolver
	Now    func() time.Time
	Log    *slog.Logger
	// Issued, if set, is told of every successful Issue (the analytics'
	// token counts). It runs on the token endpoint's hot path: it must
	// not block (internal/analytics.Collector only counts in memory).
	Issued func(tenantID, clientID, grantType string, at time.Time)
}

// Service mints, verifies and revokes tokens.
type Service struct {
	cfg      Config
	keys     *keys.Manager
	stores   store.Resolver
	now      func() time.Time
	log      *slog.Logger
	revoked  *revocationCache
	verified *otter.Cache[string, *AccessToken]
	ended    SessionsEnded
	logout   SessionsEnded // every ended session (logout.go)
	issued   func(tenantID, clientID, grantType string, at time.Time)
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Service{cfg: d.Config, keys: d.Keys, stores: d.Stores, now: d.Now, log: d.Log, verified: newVerifiedCache(), issued: d.Issued}
	s.revoked = newRevocationCache(s, 2*time.Second)
	return s
}

// Token prefixes make leaked tokens recognisable to secret scanners and
// let the endpoints tell token kinds apart without a lookup.
const (
	RefreshPrefix = "ghr_"
	OpaquePrefix  = "gho_"
)

// AccessTokenAlg signs access tokens: ES256 is ~30x faster than RS256 to
// sign and keeps tokens short.
const AccessTokenAlg = keys.ES256

// Errors of Issue that are the grant's fault (the protocol answers
// invalid_grant); store.ErrReused is returned as is.
var (
	ErrUserGone     = errors.New("tokens: the user no longer exists")
	ErrUserDisabled = errors.New("tokens: the user is disabled or locked")
)

// NewID is a UUIDv7: unique, and it carries its creation time.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return secret.Token(16)
	}
	return id.String()
}

// Hash is how tokens, codes and assertion IDs are stored: their SHA-256.
func Hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

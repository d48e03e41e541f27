package directory

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Dynamic client registration (RFC 7591/7592): initial access tokens and
// registration access tokens. Both are bearer secrets of 256 bits kept as
// keyed hashes (as API keys) and compared in constant time.
const (
	purposeInitialAccessToken = "initial-access-token"
	purposeRegistrationToken  = "registration-token"
	initialAccessTokenPrefix  = "giat_"
	// Limits of InitialAccessTokenCreate in api/openapi.yaml.
	maxIATLifetime = 365 * 24 * time.Hour
	maxIATUses     = 1_000_000
	iatIDLen       = 16 // secret.Token(12)
)

// ErrBadInitialAccessToken: the initial access token is malformed, unknown
// (in this tenant), expired or used up. One error for all, so the
// registration endpoint says nothing about which.
var ErrBadInitialAccessToken = errors.New("invalid, expired or used-up initial access token")

// CreateInitialAccessToken creates a token in sc's tenant and returns it
// with the bearer secret, which is shown once. expiresIn 0 never
// expires; maxUses 0 has no limit.
func (s *Service) CreateInitialAccessToken(ctx context.Context, sc *tenancy.Tenant, expiresIn time.Duration, maxUses int) (*oauth.InitialAccessToken, string, error) {
	if expiresIn < 0 || expiresIn > maxIATLifetime {
		return nil, "", invalidField("/expires_in", "must be 1 to 31536000 seconds")
	}
	if maxUses < 0 || maxUses > maxIATUses {
		return nil, "", invalidField("/max_uses", "must be 0 (no limit) to 1000000")
	}
	sec := secret.Token(secretBytes)
	t := &oauth.InitialAccessToken{
		TenantID:   sc.Tenant.ID,
		ID:         secret.Token(12),
		SecretHash: s.Keyring.MAC(purposeInitialAccessToken, []byte(sec)),
		MaxUses:    maxUses,
		CreatedAt:  s.now(),
	}
	if expiresIn > 0 {
		at := t.CreatedAt.Add(expiresIn)
		t.ExpiresAt = &at
	}
	if err := sc.Store.InitialAccessTokens().Create(ctx, t); err != nil {
		return nil, "", err
	}
	return t, initialAccessTokenPrefix + t.ID + "_" + sec, nil
}

// CheckInitialAccessToken finds the token a bearer value names in sc's
// tenant and checks its secret and that it has a use left. It spends
// nothing: the caller spends a use with the store's Use, in the
// transaction that creates the client.
func (s *Service) CheckInitialAccessToken(ctx context.Context, sc *tenancy.Tenant, bearer string) (*oauth.InitialAccessToken, error) {
	// The ID is secret.Token(12): 16 base64url characters, which may
	// include "_", so the split is by length.
	rest, ok := strings.CutPrefix(bearer, initialAccessTokenPrefix)
	if !ok || len(rest) < iatIDLen+2 || rest[iatIDLen] != '_' {
		return nil, ErrBadInitialAccessToken
	}
	id, sec := rest[:iatIDLen], rest[iatIDLen+1:]
	t, err := sc.Store.InitialAccessTokens().Get(ctx, sc.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadInitialAccessToken
	}
	if err != nil {
		return nil, err
	}
	if !s.Keyring.Equal(purposeInitialAccessToken, []byte(sec), t.SecretHash) || !t.Usable(s.now()) {
		return nil, ErrBadInitialAccessToken
	}
	return t, nil
}

// NewRegistrationToken returns a fresh registration access token and its
// keyed hash, to store on the client (RFC 7592 §3: rotated on update).
func (s *Service) NewRegistrationToken() (token string, hash []byte) {
	token = secret.Token(secretBytes)
	return token, s.Keyring.MAC(purposeRegistrationToken, []byte(token))
}

// VerifyRegistrationToken checks a presented registration access token
// against the client's, in constant time. A client that did not register
// itself has none and matches nothing.
func (s *Service) VerifyRegistrationToken(c *oauth.Client, presented string) bool {
	if len(c.RegistrationTokenHash) == 0 || presented == "" {
		return false
	}
	return s.Keyring.Equal(purposeRegistrationToken, []byte(presented), c.RegistrationTokenHash)
}

// ValidateClientMetadata checks client metadata exactly as the Admin API
// does (defaults applied), for registration's request parser.
func (s *Service) ValidateClientMetadata(c *oauth.Client) error { return s.prepareClient(c) }

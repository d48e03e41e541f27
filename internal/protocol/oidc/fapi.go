package oidc

import (
	"context"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// The FAPI 2.0 Security Profile for clients with profile fapi2. The
// Admin API refuses a fapi2 client that breaks a static rule
// (oauth.validateFAPI2: code only, private_key_jwt, no RS256 ID tokens);
// what concerns a request is checked here and at the call sites named:
//
//   - a pushed authorization request: resolveRequestObject (authorize_jar.go)
//   - PKCE with S256: checkFAPIRequest, at PAR and /authorize
//   - PS256, ES256 or EdDSA for client assertions (checkFAPIAssertion,
//     clientauth.go) and request objects (parseRequestObject, jar.go)
//   - sender-constrained tokens: requireSenderConstraint, at the token
//     endpoint's grants
//   - authorization codes of at most 60 s: codeLifetime (interaction.go)
//   - no refresh-token rotation for confidential clients: rotatesRefresh
//     (refresh.go)
//   - iss in the authorization response (RFC 9207): every client gets it.

// fapi2CodeLifetime is FAPI 2.0 5.3.2.1's bound on authorization codes.
const fapi2CodeLifetime = 60 * time.Second

// checkFAPIRequest: PKCE with S256 is required (FAPI 2.0 5.3.2.2).
func (c *client) checkFAPIRequest(d *oidc.AuthRequest) *oidc.Error {
	if c.fapi2() && (d.CodeChallenge == "" || d.CodeChallengeMethod != oidc.CodeChallengeMethodS256) {
		return oidc.ErrInvalidRequest().WithDescription("FAPI 2.0: PKCE with code_challenge_method S256 is required")
	}
	return nil
}

// checkFAPIAssertion refuses a fapi2 client's assertion signed with an
// algorithm FAPI 2.0 (5.4) does not allow (RS256 in particular); the
// signature itself was verified before.
func checkFAPIAssertion(c *client, assertion string) *oidc.Error {
	if !c.fapi2() {
		return nil
	}
	algs := make([]jose.SignatureAlgorithm, len(oauth.FAPI2SigningAlgs))
	for i, a := range oauth.FAPI2SigningAlgs {
		algs[i] = jose.SignatureAlgorithm(a)
	}
	if _, err := jose.ParseSignedCompact(assertion, algs); err != nil {
		return oidc.ErrInvalidClient().WithDescription("FAPI 2.0: the client assertion must be signed with %s", strings.Join(oauth.FAPI2SigningAlgs, ", "))
	}
	return nil
}

// requireSenderConstraint is the one seam for FAPI 2.0's sender-constrained
// tokens (5.3.2.1): a fapi2 client's token request must carry a DPoP proof
// (RFC 9449) that the token endpoint's DPoP check verified (dpop.go), so
// its tokens are bound to the key (cnf.jkt). mTLS (RFC 8705) is not
// supported.
func requireSenderConstraint(ctx context.Context, c *client) error {
	if c.fapi2() && dpopJKT(ctx) == "" {
		return oidc.ErrInvalidRequest().WithDescription("FAPI 2.0: the token request must carry a DPoP proof (sender-constrained tokens)")
	}
	return nil
}

// codeLifetime is how long a client's authorization code lives.
func (p *Provider) codeLifetime(c *oauth.Client) time.Duration {
	if c != nil && c.Profile() == oauth.ProfileFAPI2 {
		return min(p.cfg.AuthCodeLifetime, fapi2CodeLifetime)
	}
	return p.cfg.AuthCodeLifetime
}

// rotatesRefresh reports whether a refresh issues a new refresh token.
// FAPI 2.0 (5.3.2.1) asks not to rotate for confidential clients: the
// client keeps its refresh token, which still ends at its expiry and with
// its family's absolute lifetime.
func (c *client) rotatesRefresh() bool {
	return !c.fapi2() || c.c.Public()
}

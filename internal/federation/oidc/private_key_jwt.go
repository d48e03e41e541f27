package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// clientAssertionType is RFC 7523's client assertion type.
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime bounds each client assertion.
const assertionLifetime = time.Minute

// assertionSigner makes private_key_jwt client assertions (OpenID
// Connect Core §9, RFC 7523): iss and sub the client ID, aud the token
// endpoint, a fresh jti, a one-minute lifetime; RS256 for an RSA key,
// ES256 for a P-256 key; kid the connection's key_id when set.
type assertionSigner struct {
	signer jose.Signer
}

func newAssertionSigner(keyPEM, kid string) (*assertionSigner, error) {
	blk, _ := pem.Decode([]byte(keyPEM))
	if blk == nil {
		return nil, errors.New("is required for private_key_jwt (a PEM private key)")
	}
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
		if k, err = x509.ParsePKCS1PrivateKey(blk.Bytes); err != nil {
			if k, err = x509.ParseECPrivateKey(blk.Bytes); err != nil {
				return nil, errors.New("must be a PKCS #8, PKCS #1 or SEC 1 private key")
			}
		}
	}
	var alg jose.SignatureAlgorithm
	switch k := k.(type) {
	case *rsa.PrivateKey:
		alg = jose.RS256
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, errors.New("an ECDSA key must be P-256 (ES256)")
		}
		alg = jose.ES256
	default:
		return nil, errors.New("must be an RSA or P-256 key")
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: k.(crypto.Signer)}, opts)
	if err != nil {
		return nil, err
	}
	return &assertionSigner{signer: s}, nil
}

func (a *assertionSigner) sign(clientID, tokenURL string, now time.Time) (string, error) {
	jti := make([]byte, 16)
	_, _ = rand.Read(jti)
	return jwt.Signed(a.signer).Claims(jwt.Claims{Issuer: clientID, Subject: clientID, Audience: jwt.Audience{tokenURL},
		ID: base64.RawURLEncoding.EncodeToString(jti), IssuedAt: jwt.NewNumericDate(now),
		Expiry: jwt.NewNumericDate(now.Add(assertionLifetime))}).Serialize()
}

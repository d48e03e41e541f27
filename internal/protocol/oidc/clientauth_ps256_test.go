package oidc_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TestClientCredentialsPrivateKeyJWTPS256: a private_key_jwt client with
// an RSA key signs its assertions with PS256 (the FAPI 2.0 algorithm).
func TestClientCredentialsPrivateKeyJWTPS256(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := json.Marshal(jose.JSONWebKey{Key: key.Public(), KeyID: "rsa-1", Algorithm: "PS256", Use: "sig"})
	var jwk map[string]any
	_ = json.Unmarshal(pub, &jwk)
	c := o.registerClient(t, "", map[string]any{"grant_types": []string{grantClientCred}, "token_endpoint_auth_method": "private_key_jwt",
		"jwks": map[string]any{"keys": []any{jwk}}, "scope": "api:read"})
	iss := o.issuer("")
	sign := func(k *rsa.PrivateKey, alg jose.SignatureAlgorithm, mod func(map[string]any)) string {
		now := time.Now()
		claims := map[string]any{"iss": c.ID, "sub": c.ID, "aud": iss, "jti": rand.Text(), "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
		if mod != nil {
			mod(claims)
		}
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: k, KeyID: "rsa-1"}}, (&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			t.Fatal(err)
		}
		out, err := jwt.Signed(s).Claims(claims).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	form := func(a string) url.Values {
		return url.Values{"grant_type": {grantClientCred}, "scope": {"api:read"}, "client_assertion_type": {assertionType}, "client_assertion": {a}}
	}
	if r := o.token(t, "", form(sign(key, jose.PS256, nil))); r.Status != http.StatusOK || r.str("access_token") == "" {
		t.Fatalf("PS256 assertion: %d %s", r.Status, r.Raw)
	}

	// The attacker's: another RSA key under the same kid, a replayed
	// assertion, an unsigned one.
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	replayed := sign(key, jose.PS256, nil)
	if r := o.token(t, "", form(replayed)); r.Status != http.StatusOK {
		t.Fatalf("first use: %d %s", r.Status, r.Raw)
	}
	good := sign(key, jose.PS256, nil)
	parts := strings.Split(good, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"rsa-1"}`)) + "." + parts[1] + "."
	for name, a := range map[string]string{
		"another key": sign(other, jose.PS256, nil),
		"replayed":    replayed,
		"alg none":    none,
		"expired":     sign(key, jose.PS256, func(m map[string]any) { m["exp"] = time.Now().Add(-time.Minute).Unix() }),
	} {
		t.Run(name, func(t *testing.T) {
			wantOAuthError(t, o.token(t, "", form(a)), http.StatusUnauthorized, "invalid_client")
		})
	}
}

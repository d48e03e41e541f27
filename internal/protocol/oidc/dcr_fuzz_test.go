package oidc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// FuzzRegistrationRequest feeds outside bytes to the registration parser
// (with a statement verifier, so statements are parsed too): it must
// never panic, and anything it refuses is an RFC 7591 400 error; what it
// accepts validates or is refused by the Admin API's rules, never both.
func FuzzRegistrationRequest(f *testing.F) {
	for _, s := range []string{
		`{"redirect_uris":["https://app.example.com/cb"],"grant_types":["authorization_code"]}`,
		`{"grant_types":["client_credentials"],"token_endpoint_auth_method":"private_key_jwt","jwks":{"keys":[{"kty":"EC"}]}}`,
		`{"redirect_uris":"x"}`, `[]`, `null`, `{}`, `{"software_statement":"a.b.c"}`,
		`{"software_statement":"eyJhbGciOiJFUzI1NiJ9.e30.AAAA","client_name":"x"}`,
		`{"client_id":1}`, `{"jwks":"x"}`, `{"contacts":[null,"a"]}`, `{"a":1}{"b":2}`,
	} {
		f.Add([]byte(s))
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k"}}}
	verify := newStatementVerifier(set, time.Now)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range []statementVerifier{nil, verify} {
			req, err := parseRegistrationRequest(body, v, false)
			if err != nil {
				var re *regError
				if !errors.As(err, &re) || re.Status != 400 || re.Code == "" {
					t.Fatalf("error %v is not an RFC 7591 400", err)
				}
				continue
			}
			if req.Client == nil || req.Client.RegisteredBy != oauth.RegisteredByDCR || req.Client.Metadata != nil {
				t.Fatalf("parsed client %+v", req.Client)
			}
			c := *req.Client
			oauth.ApplyClientDefaults(&c)
			if err := oauth.ValidateClient(&c); err != nil {
				if re := metadataError(err); re.Status != 400 {
					t.Fatalf("validation error maps to %d", re.Status)
				}
			}
		}
	})
}

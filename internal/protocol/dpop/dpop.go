// Package dpop checks DPoP proofs (RFC 9449): the JWT a client signs with
// its own key for each request, which binds tokens to that key so a
// stolen token is useless without it. The token endpoint, userinfo and
// the gateway share it; each records used proofs (jti) in a replay cache
// every node sees (the database, or Redis at the gateway) through Replay.
package dpop

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Header is the request header carrying a proof; NonceHeader the
// response header carrying a nonce (RFC 9449 4.1, 8).
const (
	Header      = "DPoP"
	NonceHeader = "DPoP-Nonce"
	// Scheme is the Authorization scheme of DPoP-bound tokens (RFC 9449 7.1).
	Scheme = "DPoP"
	// TokenType is the token_type of a DPoP-bound token response (RFC 9449 5).
	TokenType = "DPoP"
)

// Error codes (RFC 9449 12.2, 8).
const (
	CodeInvalidProof = "invalid_dpop_proof"
	CodeUseNonce     = "use_dpop_nonce"
)

// Algs are the proof algorithms accepted: asymmetric only (RFC 9449 4.3
// 5), listed in discovery as dpop_signing_alg_values_supported.
var Algs = []string{"ES256", "EdDSA", "PS256", "RS256"}

var joseAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA, jose.PS256, jose.RS256}

// AlgsParam is Algs as the algs auth-param of a WWW-Authenticate: DPoP
// challenge (RFC 9449 7.1).
var AlgsParam = strings.Join(Algs, " ")

// Error is a refused proof: Code is invalid_dpop_proof or use_dpop_nonce.
type Error struct {
	Code        string
	Description string
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

func invalid(format string, a ...any) *Error {
	return &Error{Code: CodeInvalidProof, Description: fmt.Sprintf(format, a...)}
}

// ErrReplayed is what a Replay answers for a key it already holds.
var ErrReplayed = errors.New("dpop proof replayed")

// Replay records key (a hash of the proof's key and jti) until until,
// atomically and shared by every node: it returns ErrReplayed when the
// key is held already, and another error when it cannot record (the
// proof is then refused: fail closed).
type Replay func(ctx context.Context, key []byte, until time.Time) error

// MaxProofSize bounds what is parsed: a proof with an RSA-4096 key is
// about 1.5 KiB.
const MaxProofSize = 8 << 10

// Request is what a proof must match.
type Request struct {
	Method string
	// URL is the request's URL as the client addressed it (query and
	// fragment ignored), e.g. the tenant's issuer + "/oauth/token".
	URL string
	// AccessToken, when set, must be the proof's ath (resource requests).
	AccessToken string
	// Nonce, when set, decides whether the proof's nonce is current;
	// a proof without one, or with a stale one, is use_dpop_nonce.
	Nonce func(string) bool
}

// Proof is a verified proof.
type Proof struct {
	// JKT is the RFC 7638 SHA-256 thumbprint of the key, base64url: what
	// tokens carry as cnf.jkt.
	JKT      string
	JTI      string
	IssuedAt time.Time
}

// Verifier checks proofs. The zero value is usable (time.Now, five
// minutes' age, one minute's leeway) but records no jti: set Replay.
type Verifier struct {
	Now func() time.Time
	// MaxAge is how old (iat) a proof may be; Leeway how far ahead of
	// this node's clock. A jti is remembered for MaxAge+Leeway.
	MaxAge, Leeway time.Duration
	Replay         Replay
}

// Defaults of Verifier.
const (
	DefaultMaxAge = 5 * time.Minute
	DefaultLeeway = time.Minute
)

type claims struct {
	JTI   string   `json:"jti"`
	HTM   string   `json:"htm"`
	HTU   string   `json:"htu"`
	IAT   *float64 `json:"iat"`
	ATH   *string  `json:"ath"`
	Nonce *string  `json:"nonce"`
}

// Verify checks one proof against r: typ dpop+jwt, an allowed asymmetric
// algorithm, a public jwk that verifies the signature, htm and htu equal
// to r's, iat within the window, ath when r has a token, the nonce when r
// asks for one, and a jti not seen before (Replay). It returns *Error for
// a bad proof and any other error when Replay could not record.
func (v *Verifier) Verify(ctx context.Context, proof string, r Request) (*Proof, error) {
	if proof == "" {
		return nil, invalid("the DPoP proof is missing")
	}
	if len(proof) > MaxProofSize {
		return nil, invalid("the DPoP proof is too large")
	}
	jws, err := jose.ParseSignedCompact(proof, joseAlgs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, invalid("the DPoP proof is not a JWS signed with one of %s", AlgsParam)
	}
	sig := jws.Signatures[0]
	if typ, _ := sig.Header.ExtraHeaders["typ"].(string); typ != "dpop+jwt" {
		return nil, invalid("the DPoP proof's typ must be dpop+jwt")
	}
	jwk := sig.Header.JSONWebKey
	// go-jose refuses a private embedded key already; a symmetric key is
	// never public, and the algorithm list above has no HMAC.
	if jwk == nil || !jwk.IsPublic() || !jwk.Valid() {
		return nil, invalid("the DPoP proof's header must carry a public jwk")
	}
	payload, err := jws.Verify(jwk)
	if err != nil {
		return nil, invalid("the DPoP proof's signature does not verify with its jwk")
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, invalid("the DPoP proof's claims are not a JSON object")
	}
	if c.JTI == "" || len(c.JTI) > 256 {
		return nil, invalid("the DPoP proof needs a jti")
	}
	if c.HTM != r.Method {
		return nil, invalid("the DPoP proof's htm does not match the request method")
	}
	if !SameURL(c.HTU, r.URL) {
		return nil, invalid("the DPoP proof's htu does not match the request URL")
	}
	if c.IAT == nil {
		return nil, invalid("the DPoP proof needs a numeric iat")
	}
	iatF := *c.IAT
	now := v.now()
	maxAge, leeway := v.MaxAge, v.Leeway
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	if leeway <= 0 {
		leeway = DefaultLeeway
	}
	// Compared in float seconds: a huge iat cannot overflow a Duration.
	age := float64(now.UnixNano())/1e9 - iatF
	if age > maxAge.Seconds() || age < -leeway.Seconds() {
		return nil, invalid("the DPoP proof's iat is outside the accepted window")
	}
	iat := time.Unix(0, int64(iatF*1e9))
	if r.AccessToken != "" {
		if c.ATH == nil || subtle.ConstantTimeCompare([]byte(*c.ATH), []byte(ATH(r.AccessToken))) != 1 {
			return nil, invalid("the DPoP proof's ath does not match the access token")
		}
	}
	if r.Nonce != nil && (c.Nonce == nil || !r.Nonce(*c.Nonce)) {
		return nil, &Error{Code: CodeUseNonce, Description: "the authorization server requires a DPoP nonce"}
	}
	jkt, err := Thumbprint(jwk)
	if err != nil {
		return nil, invalid("the DPoP proof's jwk has no thumbprint")
	}
	if v.Replay != nil {
		h := sha256.Sum256([]byte(jkt + "\x00" + c.JTI))
		switch err := v.Replay(ctx, h[:], iat.Add(maxAge+leeway)); {
		case errors.Is(err, ErrReplayed):
			return nil, invalid("the DPoP proof was already used")
		case err != nil:
			return nil, fmt.Errorf("record dpop proof: %w", err)
		}
	}
	return &Proof{JKT: jkt, JTI: c.JTI, IssuedAt: iat}, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint of k, base64url.
func Thumbprint(k *jose.JSONWebKey) (string, error) {
	b, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ATH is the ath of a token: base64url(SHA-256(token)) (RFC 9449 4.2).
func ATH(token string) string {
	h := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// ValidJKT reports whether s looks like a SHA-256 thumbprint (dpop_jkt).
func ValidJKT(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == sha256.Size
}

// SameURL compares an htu with the request URL as RFC 9449 4.3 asks:
// without query and fragment, scheme and host case-insensitively, and
// default ports ignored (RFC 3986 6.2.3).
func SameURL(htu, want string) bool {
	a, ok1 := normURL(htu)
	b, ok2 := normURL(want)
	return ok1 && ok2 && a == b
}

func normURL(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && !(scheme == "https" && p == "443" || scheme == "http" && p == "80") {
		host += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path, true
}

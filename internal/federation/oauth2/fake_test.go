package oauth2_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// fake is a provider on loopback that speaks a provider's documented wire
// format: the authorization endpoint answers at once with a code (as if
// the person had signed in), the token endpoint checks the client, the
// code, the redirect URI and the PKCE verifier, and ID tokens are signed
// with its RSA key, published as a JWKS.
type fake struct {
	srv *httptest.Server
	key *rsa.PrivateKey
	// forger, when set, signs ID tokens instead of key (which the JWKS
	// still publishes).
	forger *rsa.PrivateKey

	mu     sync.Mutex
	codes  map[string]grant
	n      int
	tokens map[string]grant // access token -> grant

	// checkClient checks the token request's client authentication.
	checkClient func(r *http.Request) bool
	// claims are the ID token's (or userinfo's) claims for a grant.
	claims func(g grant) map[string]any
	// formToken answers the token endpoint form-encoded (GitHub's
	// default) instead of JSON.
	formToken bool
	// idToken says whether the token response carries an ID token.
	idToken bool
	// tokenStatus, when set, is the token endpoint's status.
	tokenStatus int
	// api serves the provider's other resources (userinfo, /user, …)
	// for an access token's grant.
	api map[string]func(g grant) any
}

type grant struct {
	ClientID, RedirectURI, Challenge, Nonce, Scope string
}

func newFake(t *testing.T) *fake {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{key: k, codes: map[string]grant{}, tokens: map[string]grant{}, api: map[string]func(grant) any{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) URL() string { return f.srv.URL }

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/authorize"):
		q := r.URL.Query()
		f.mu.Lock()
		f.n++
		code := "code-" + string(rune('a'+f.n%26)) + time.Now().Format("150405.000000000")
		f.codes[code] = grant{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"),
			Challenge: q.Get("code_challenge"), Nonce: q.Get("nonce"), Scope: q.Get("scope")}
		f.mu.Unlock()
		v := url.Values{"code": {code}, "state": {q.Get("state")}}
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+v.Encode(), http.StatusFound)
	case strings.HasSuffix(p, "/token") || strings.HasSuffix(p, "/access_token"):
		f.token(w, r)
	case strings.HasSuffix(p, "/keys"):
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	default:
		h, ok := f.api[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.mu.Lock()
		g, ok := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		f.mu.Unlock()
		if !ok {
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(h(g))
	}
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (f *fake) token(w http.ResponseWriter, r *http.Request) {
	if f.tokenStatus != 0 {
		w.WriteHeader(f.tokenStatus)
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "authorization_code" {
		oauthError(w, 400, "invalid_request")
		return
	}
	if !f.checkClient(r) {
		oauthError(w, 401, "invalid_client")
		return
	}
	f.mu.Lock()
	code := r.PostForm.Get("code")
	g, ok := f.codes[code]
	delete(f.codes, code) // single use
	f.mu.Unlock()
	if !ok || g.RedirectURI != r.PostForm.Get("redirect_uri") {
		oauthError(w, 400, "invalid_grant")
		return
	}
	if g.Challenge != "" {
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.Challenge)) != 1 {
			oauthError(w, 400, "invalid_grant")
			return
		}
	}
	at := "at-" + code
	f.mu.Lock()
	f.tokens[at] = g
	f.mu.Unlock()
	if f.formToken {
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		_, _ = w.Write([]byte(url.Values{"access_token": {at}, "token_type": {"bearer"}, "scope": {g.Scope}}.Encode()))
		return
	}
	resp := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": 3600}
	if f.idToken {
		resp["id_token"] = f.sign(f.claims(g))
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (f *fake) sign(claims map[string]any) string {
	k := f.key
	if f.forger != nil {
		k = f.forger
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k}, (&jose.SignerOptions{}).WithHeader("kid", "k1"))
	if err != nil {
		panic(err)
	}
	out, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		panic(err)
	}
	return out
}

// follow calls the authorization URL and returns the callback's
// parameters from the redirect, as the browser would bring them back.
func follow(t *testing.T, loginURL string) url.Values {
	t.Helper()
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Get(loginURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %s %v", resp.Status, err)
	}
	return loc.Query()
}

func secretIs(id, secret string) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		if !ok {
			u, p = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		return u == id && p == secret
	}
}

func newP256(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

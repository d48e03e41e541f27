package oidc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/oidc"
)

const redirectURI = "http://127.0.0.1:9/login/connections/upstream/callback"

// noRedirects is a browser that stops at every redirect, so the test
// walks the flow one hop at a time.
var noRedirects = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func location(t *testing.T, resp *http.Response, base string) *url.URL {
	t.Helper()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want a redirect: %s", resp.StatusCode, b)
	}
	b, _ := url.Parse(base)
	u, err := b.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// zitadelOP starts zitadel/oidc's example OpenID provider (an independent
// implementation) on loopback, with Gatehouse registered as a client.
func zitadelOP(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + l.Addr().String() + "/"
	storage.RegisterClients(storage.WebClient("gatehouse", "s3cret", redirectURI))
	router := exampleop.SetupServer(issuer, storage.NewStorage(storage.NewUserStore(issuer)),
		slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: router}}
	srv.Start()
	t.Cleanup(srv.Close)
	return issuer
}

// signIn walks the browser through the upstream: authorization request,
// its login form, back to the redirect URI; it returns the callback's
// parameters.
func signIn(t *testing.T, issuer, loginURL string) url.Values {
	t.Helper()
	resp, err := noRedirects.Get(loginURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	form := location(t, resp, issuer)
	id := form.Query().Get("authRequestID")
	if id == "" {
		t.Fatalf("no login form: %s", form)
	}
	host := strings.Split(strings.TrimPrefix(issuer, "http://"), ":")[0]
	resp, err = noRedirects.PostForm(strings.TrimSuffix(issuer, "/")+"/login/username",
		url.Values{"id": {id}, "username": {"test-user@" + host}, "password": {"verysecure"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	next := location(t, resp, issuer)
	resp, err = noRedirects.Get(next.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back := location(t, resp, issuer)
	if !strings.HasPrefix(back.String(), redirectURI+"?") {
		t.Fatalf("not sent back to the redirect URI: %s", back)
	}
	return back.Query()
}

func newConnector(t *testing.T, issuer, clientID, secret string) *oidc.Connector {
	t.Helper()
	c, err := oidc.New(federation.Config{Issuer: issuer, ClientID: clientID}, federation.Secrets{ClientSecret: secret},
		oidc.Options{RedirectURI: redirectURI})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAgainstZitadelOP(t *testing.T) {
	issuer := zitadelOP(t)
	c := newConnector(t, issuer, "gatehouse", "s3cret")
	ctx := t.Context()

	start := func() (string, string, federation.PKCE, url.Values) {
		state, nonce, pkce := "st-"+rand.Text(), "n-"+rand.Text(), federation.NewPKCE()
		u, err := c.LoginURL(ctx, state, nonce, pkce)
		if err != nil {
			t.Fatal(err)
		}
		q, _ := url.Parse(u)
		if q.Query().Get("code_challenge") != pkce.Challenge || q.Query().Get("code_challenge_method") != "S256" ||
			q.Query().Get("nonce") != nonce || q.Query().Get("state") != state || q.Query().Get("redirect_uri") != redirectURI {
			t.Fatalf("login URL: %s", u)
		}
		return state, nonce, pkce, signIn(t, issuer, u)
	}

	t.Run("sign-in", func(t *testing.T) {
		state, nonce, pkce, params := start()
		id, err := c.HandleCallback(ctx, federation.Callback{Params: params, State: state, Nonce: nonce, PKCE: pkce})
		if err != nil {
			t.Fatal(err)
		}
		if id.Subject != "id1" || id.Email != "test-user@zitadel.ch" || !id.EmailVerified || id.GivenName != "Test" {
			t.Fatalf("identity: %+v", id)
		}
		// The code is single-use.
		if _, err := c.HandleCallback(ctx, federation.Callback{Params: params, State: state, Nonce: nonce, PKCE: pkce}); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("replayed code: %v", err)
		}
	})
	t.Run("wrong state", func(t *testing.T) {
		_, nonce, pkce, params := start()
		for _, st := range []string{"", "st-other"} {
			if _, err := c.HandleCallback(ctx, federation.Callback{Params: params, State: st, Nonce: nonce, PKCE: pkce}); !errors.Is(err, federation.ErrState) {
				t.Fatalf("state %q: %v", st, err)
			}
		}
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		state, nonce, _, params := start()
		if _, err := c.HandleCallback(ctx, federation.Callback{Params: params, State: state, Nonce: nonce, PKCE: federation.NewPKCE()}); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("wrong verifier: %v", err)
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		state, _, pkce, params := start()
		if _, err := c.HandleCallback(ctx, federation.Callback{Params: params, State: state, Nonce: "n-other", PKCE: pkce}); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("wrong nonce: %v", err)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		bad := newConnector(t, issuer, "gatehouse", "not-the-secret")
		state, nonce, pkce, params := start()
		if _, err := bad.HandleCallback(ctx, federation.Callback{Params: params, State: state, Nonce: nonce, PKCE: pkce}); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("wrong secret: %v", err)
		}
	})
	t.Run("access denied", func(t *testing.T) {
		cb := federation.Callback{Params: url.Values{"error": {"access_denied"}, "state": {"s"}}, State: "s", Nonce: "n"}
		if _, err := c.HandleCallback(ctx, cb); !errors.Is(err, federation.ErrAccessDenied) {
			t.Fatalf("access_denied: %v", err)
		}
		cb.Params["error"] = []string{"server_error"}
		if _, err := c.HandleCallback(ctx, cb); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("server_error: %v", err)
		}
	})
}

// forger is an upstream whose token endpoint answers with whatever ID
// token the test makes: the checks on the token are tested one by one.
type forger struct {
	srv    *httptest.Server
	key    *rsa.PrivateKey // published in the JWKS as "k1"
	mu     sync.Mutex
	answer func(form url.Values) (int, map[string]any)
	form   url.Values
	header http.Header
}

func newForger(t *testing.T) *forger {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &forger{key: key}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": f.srv.URL, "authorization_endpoint": f.srv.URL + "/authorize",
			"token_endpoint": f.srv.URL + "/token", "jwks_uri": f.srv.URL + "/jwks",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.mu.Lock()
		f.form, f.header = r.PostForm, r.Header.Clone()
		answer := f.answer
		f.mu.Unlock()
		status, body := answer(r.PostForm)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	})
	return f
}

func sign(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIDTokenChecks(t *testing.T) {
	f := newForger(t)
	c := newConnector(t, f.srv.URL, "gatehouse", "s3cret")
	ctx := t.Context()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	claims := func(mut func(map[string]any)) map[string]any {
		now := time.Now()
		m := map[string]any{"iss": f.srv.URL, "sub": "u-42", "aud": "gatehouse", "exp": now.Add(5 * time.Minute).Unix(),
			"iat": now.Unix(), "nonce": "n-1", "email": "ann@upstream.example", "email_verified": true, "name": "Ann"}
		if mut != nil {
			mut(m)
		}
		return m
	}
	noneAlg := func(m map[string]any) string {
		b, _ := json.Marshal(m)
		enc := func(b []byte) string { return strings.TrimRight(b64(b), "=") }
		return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(b) + "."
	}
	pkce := federation.NewPKCE()
	cb := federation.Callback{Params: url.Values{"code": {"c-1"}, "state": {"s-1"}}, State: "s-1", Nonce: "n-1", PKCE: pkce}
	token := func(idToken string) func(url.Values) (int, map[string]any) {
		return func(url.Values) (int, map[string]any) {
			m := map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300}
			if idToken != "" {
				m["id_token"] = idToken
			}
			return 200, m
		}
	}
	set := func(a func(url.Values) (int, map[string]any)) { f.mu.Lock(); f.answer = a; f.mu.Unlock() }

	set(token(sign(t, f.key, "k1", claims(nil))))
	id, err := c.HandleCallback(ctx, cb)
	if err != nil || id.Subject != "u-42" || id.Email != "ann@upstream.example" || !id.EmailVerified || id.Name != "Ann" {
		t.Fatalf("valid token: %+v %v", id, err)
	}
	f.mu.Lock()
	form, hdr := f.form, f.header
	f.mu.Unlock()
	if form.Get("code_verifier") != pkce.Verifier || form.Get("code") != "c-1" || form.Get("redirect_uri") != redirectURI ||
		form.Get("client_secret") != "" || !strings.HasPrefix(hdr.Get("Authorization"), "Basic ") {
		t.Fatalf("token request: %v %v", form, hdr.Get("Authorization"))
	}

	for name, idToken := range map[string]string{
		"forged signature":   sign(t, other, "k1", claims(nil)),
		"unknown key":        sign(t, other, "k2", claims(nil)),
		"wrong audience":     sign(t, f.key, "k1", claims(func(m map[string]any) { m["aud"] = "someone-else" })),
		"expired":            sign(t, f.key, "k1", claims(func(m map[string]any) { m["exp"] = time.Now().Add(-time.Hour).Unix() })),
		"wrong issuer":       sign(t, f.key, "k1", claims(func(m map[string]any) { m["iss"] = "https://evil.example" })),
		"wrong nonce":        sign(t, f.key, "k1", claims(func(m map[string]any) { m["nonce"] = "n-2" })),
		"no nonce":           sign(t, f.key, "k1", claims(func(m map[string]any) { delete(m, "nonce") })),
		"alg none":           noneAlg(claims(nil)),
		"tampered payload":   tamper(sign(t, f.key, "k1", claims(nil))),
		"not a JWT":          "garbage",
		"no ID token at all": "",
	} {
		set(token(idToken))
		if id, err := c.HandleCallback(ctx, cb); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Errorf("%s: %+v %v", name, id, err)
		}
	}

	set(func(url.Values) (int, map[string]any) { return 400, map[string]any{"error": "invalid_grant"} })
	if _, err := c.HandleCallback(ctx, cb); !errors.Is(err, federation.ErrInvalidResponse) {
		t.Errorf("invalid_grant: %v", err)
	}
	set(func(url.Values) (int, map[string]any) { return 503, map[string]any{"error": "temporarily_unavailable"} })
	if _, err := c.HandleCallback(ctx, cb); !errors.Is(err, federation.ErrUnavailable) {
		t.Errorf("503: %v", err)
	}
	// An email the upstream does not assert verified is not verified.
	set(token(sign(t, f.key, "k1", claims(func(m map[string]any) { m["email_verified"] = false }))))
	if id, err := c.HandleCallback(ctx, cb); err != nil || id.EmailVerified {
		t.Errorf("unverified email: %+v %v", id, err)
	}
}

func TestUpstreamDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newConnector(t, "http://"+addr, "gatehouse", "s3cret")
	if _, err := c.LoginURL(t.Context(), "s", "n", federation.NewPKCE()); !errors.Is(err, federation.ErrUnavailable) {
		t.Fatalf("LoginURL: %v", err)
	}
	cb := federation.Callback{Params: url.Values{"code": {"c"}, "state": {"s"}}, State: "s", Nonce: "n"}
	if _, err := c.HandleCallback(t.Context(), cb); !errors.Is(err, federation.ErrUnavailable) {
		t.Fatalf("HandleCallback: %v", err)
	}
}

func TestNewValidates(t *testing.T) {
	for name, cfg := range map[string]federation.Config{
		"no issuer":     {ClientID: "c"},
		"http issuer":   {Issuer: "http://op.example.com", ClientID: "c"},
		"no client":     {Issuer: "https://op.example.com"},
		"ldap settings": {Issuer: "https://op.example.com", ClientID: "c", URL: "ldap://x"},
	} {
		if _, err := oidc.New(cfg, federation.Secrets{}, oidc.Options{RedirectURI: redirectURI}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// tamper changes the payload of a signed token and keeps its signature.
func tamper(jwt string) string {
	parts := strings.Split(jwt, ".")
	p, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var m map[string]any
	_ = json.Unmarshal(p, &m)
	m["sub"] = "admin"
	b, _ := json.Marshal(m)
	return parts[0] + "." + b64(b) + "." + parts[2]
}

func TestPrivateKeyJWT(t *testing.T) {
	f := newForger(t)
	ck, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(ck)
	c, err := oidc.New(federation.Config{Issuer: f.srv.URL, ClientID: "gatehouse", ClientAuthMethod: federation.AuthPrivateKeyJWT, KeyID: "gh-1"},
		federation.Secrets{PrivateKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))},
		oidc.Options{RedirectURI: redirectURI})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	idt := sign(t, f.key, "k1", map[string]any{"iss": f.srv.URL, "sub": "u-1", "aud": "gatehouse", "exp": now.Add(time.Minute).Unix(),
		"iat": now.Unix(), "nonce": "n-1", "email": "a@up.example"})
	f.mu.Lock()
	f.answer = func(form url.Values) (int, map[string]any) {
		// The upstream checks the client assertion with the client's
		// registered public key.
		tok, err := jwt.ParseSigned(form.Get("client_assertion"), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil || form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || tok.Headers[0].KeyID != "gh-1" {
			return 401, map[string]any{"error": "invalid_client"}
		}
		var cl jwt.Claims
		if err := tok.Claims(&ck.PublicKey, &cl); err != nil || cl.Issuer != "gatehouse" || cl.Subject != "gatehouse" || cl.ID == "" ||
			cl.Validate(jwt.Expected{AnyAudience: jwt.Audience{f.srv.URL + "/token"}, Time: time.Now()}) != nil {
			return 401, map[string]any{"error": "invalid_client"}
		}
		return 200, map[string]any{"access_token": "at", "token_type": "Bearer", "id_token": idt}
	}
	f.mu.Unlock()
	cb := federation.Callback{Params: url.Values{"code": {"c-1"}, "state": {"s-1"}}, State: "s-1", Nonce: "n-1", PKCE: federation.NewPKCE()}
	id, err := c.HandleCallback(t.Context(), cb)
	if err != nil || id.Subject != "u-1" {
		t.Fatalf("%+v %v", id, err)
	}
	f.mu.Lock()
	form, hdr := f.form, f.header
	f.mu.Unlock()
	if form.Get("client_secret") != "" || hdr.Get("Authorization") != "" || form.Get("client_id") != "gatehouse" {
		t.Fatalf("token request carries a secret: %v %v", form, hdr)
	}
	// A key of another client is refused by the upstream.
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ = x509.MarshalPKCS8PrivateKey(other)
	bad, _ := oidc.New(federation.Config{Issuer: f.srv.URL, ClientID: "gatehouse", ClientAuthMethod: federation.AuthPrivateKeyJWT, KeyID: "gh-1"},
		federation.Secrets{PrivateKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))},
		oidc.Options{RedirectURI: redirectURI})
	if _, err := bad.HandleCallback(t.Context(), cb); !errors.Is(err, federation.ErrInvalidResponse) {
		t.Fatalf("another key: %v", err)
	}
}

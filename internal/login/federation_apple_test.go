package login_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Sign in with Apple through the hosted login against a fake Apple on
// loopback that speaks Apple's documented wire format (the real
// appleid.apple.com cannot be reached from the tests): the authorization
// endpoint answers with a form_post page (code, state and, on the first
// sign-in only, the unsigned `user` JSON with the name), the token
// endpoint takes only an ES256 client-secret JWT signed with the
// registered key (iss team ID, sub client ID, aud https://appleid.apple.com,
// kid key ID), and ID tokens are RS256 with Apple's keys at /auth/keys.

const (
	appleTeam   = "TEAM123456"
	appleKeyID  = "KEY1234567"
	appleClient = "com.example.web"
	appleEmail  = "apple-user@privaterelay.appleid.com"
)

type fakeApple struct {
	srv     *httptest.Server
	key     *rsa.PrivateKey
	teamKey *ecdsa.PublicKey

	mu      sync.Mutex
	codes   map[string]string // code -> nonce
	seen    bool              // the person signed in before (no `user` any more)
	secrets []string          // client secrets the token endpoint accepted
}

func startFakeApple(t *testing.T, teamKey *ecdsa.PublicKey) *fakeApple {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeApple{key: key, teamKey: teamKey, codes: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/authorize", f.authorize)
	mux.HandleFunc("POST /auth/token", f.token)
	mux.HandleFunc("GET /auth/keys", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "apple-1", Algorithm: "RS256", Use: "sig"}}})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// authorize signs the person in at once and answers with Apple's
// form_post page.
func (f *fakeApple) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != appleClient || q.Get("response_mode") != "form_post" || q.Get("response_type") != "code" ||
		q.Get("nonce") == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	code := rand.Text()
	f.codes[code] = q.Get("nonce")
	first := !f.seen
	f.seen = true
	f.mu.Unlock()
	fields := map[string]string{"code": code, "state": q.Get("state")}
	if first {
		fields["user"] = `{"name":{"firstName":"Ada","lastName":"Lovelace"},"email":"` + appleEmail + `"}`
	}
	var b strings.Builder
	b.WriteString(`<html><body onload="document.forms[0].submit()"><form method="post" action="` + html.EscapeString(q.Get("redirect_uri")) + `">`)
	for k, v := range fields {
		b.WriteString(`<input type="hidden" name="` + k + `" value="` + html.EscapeString(v) + `">`)
	}
	b.WriteString(`</form></body></html>`)
	w.Header().Set("Content-Type", "text/html")
	_, _ = w.Write([]byte(b.String()))
}

// token redeems a code for a client whose secret is a valid ES256 JWT of
// the team's key.
func (f *fakeApple) token(w http.ResponseWriter, r *http.Request) {
	fail := func(e string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"` + e + `"}`))
	}
	if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("client_id") != appleClient {
		fail("invalid_request")
		return
	}
	secret := r.PostForm.Get("client_secret")
	tok, err := jwt.ParseSigned(secret, []jose.SignatureAlgorithm{jose.ES256})
	var c jwt.Claims
	if err != nil || len(tok.Headers) != 1 || tok.Headers[0].KeyID != appleKeyID || tok.Claims(f.teamKey, &c) != nil ||
		c.Validate(jwt.Expected{Issuer: appleTeam, Subject: appleClient, AnyAudience: jwt.Audience{"https://appleid.apple.com"}, Time: time.Now()}) != nil {
		fail("invalid_client")
		return
	}
	f.mu.Lock()
	nonce, ok := f.codes[r.PostForm.Get("code")]
	delete(f.codes, r.PostForm.Get("code"))
	f.secrets = append(f.secrets, secret)
	f.mu.Unlock()
	if !ok {
		fail("invalid_grant")
		return
	}
	sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: f.key}, (&jose.SignerOptions{}).WithHeader("kid", "apple-1"))
	now := time.Now()
	idt, _ := jwt.Signed(sig).Claims(map[string]any{"iss": f.srv.URL, "aud": appleClient, "sub": "001234.apple-subject",
		"iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "nonce": nonce, "email": appleEmail,
		"email_verified": "true", "is_private_email": "true"}).Serialize()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + rand.Text(), "token_type": "Bearer", "expires_in": 3600,
		"id_token": idt})
}

func TestSignInWithAppleThroughHostedLogin(t *testing.T) {
	teamKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	apple := startFakeApple(t, &teamKey.PublicKey)
	srv := testserver.New(t, testserver.Options{LoopbackIssuer: true, UpstreamBaseURLs: map[string]string{"apple": apple.srv.URL}})
	quietRisk(t, srv)
	e := &env{t: t, srv: srv}
	der, _ := x509.MarshalPKCS8PrivateKey(teamKey)
	e.createConnection(map[string]any{"id": "apple", "type": "apple", "display_name": "Apple", "client_id": appleClient,
		"team_id": appleTeam, "key_id": appleKeyID, "private_key_pem": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	client := e.createClient(clientSpec{name: "First App", firstParty: true})

	signIn := func() idClaims {
		t.Helper()
		b := newBrowser(t)
		a := newAuthz(client, "openid email profile")
		href, name := button(t, b.startLogin(e.issuer(""), a), "apple")
		if !strings.Contains(name, "Apple") {
			t.Fatalf("button name %q", name)
		}
		toApple := b.get(e.srv.URL + href).location(t)
		if !strings.HasPrefix(toApple.String(), apple.srv.URL+"/auth/authorize") {
			t.Fatalf("start sent the browser to %s", toApple)
		}
		page := b.get(toApple.String())
		f := page.form(t, "code", "state")
		if f.action != e.issuer("")+"/login/connections/apple/callback" {
			t.Fatalf("form_post to %q", f.action)
		}
		done := b.post(f.action, f.values)
		_, id := e.exchange(a, a.callback(t, done))
		return id
	}
	id := signIn()
	if id.Email != appleEmail || !id.EmailVerified {
		t.Fatalf("ID token: %+v", id)
	}
	// The name came with the first form_post only, and stays.
	u, err := e.srv.Admin.GetUserWithResponse(context.Background(), id.Subject)
	if err != nil || u.JSON200 == nil || u.JSON200.Name == nil || *u.JSON200.Name != "Ada Lovelace" {
		t.Fatalf("provisioned user: %v %s", err, u.Body)
	}
	again := signIn()
	if again.Subject != id.Subject {
		t.Fatalf("second sign-in is user %s, first %s", again.Subject, id.Subject)
	}
	if u, _ := e.srv.Admin.GetUserWithResponse(context.Background(), id.Subject); u.JSON200 == nil || u.JSON200.Name == nil ||
		*u.JSON200.Name != "Ada Lovelace" {
		t.Fatalf("the second sign-in (no name from Apple) lost the name: %s", u.Body)
	}
	// Each code exchange made a fresh client secret.
	apple.mu.Lock()
	secrets := apple.secrets
	apple.mu.Unlock()
	if len(secrets) != 2 || secrets[0] == secrets[1] {
		t.Fatalf("client secrets: %d, reused: %v", len(secrets), len(secrets) == 2 && secrets[0] == secrets[1])
	}

	t.Run("a client secret signed with another key", func(t *testing.T) {
		other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, _ := x509.MarshalPKCS8PrivateKey(other)
		e.createConnection(map[string]any{"id": "apple-wrong-key", "type": "apple", "display_name": "Apple (wrong key)",
			"client_id": appleClient, "team_id": appleTeam, "key_id": appleKeyID,
			"private_key_pem": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
		b := newBrowser(t)
		href, _ := button(t, b.startLogin(e.issuer(""), newAuthz(client, "openid")), "apple-wrong-key")
		f := b.get(b.get(e.srv.URL+href).location(t).String()).form(t, "code", "state")
		done := b.post(f.action, f.values)
		if done.status < 400 || done.status >= 500 || !strings.Contains(done.body, "could not be accepted") {
			t.Fatalf("Apple refused the client secret: %d %.500s", done.status, done.body)
		}
	})
	t.Run("a forged user member cannot set the email", func(t *testing.T) {
		// The `user` JSON is unsigned: only the name is read from it.
		b := newBrowser(t)
		a := newAuthz(client, "openid email")
		href, _ := button(t, b.startLogin(e.issuer(""), a), "apple")
		f := b.get(b.get(e.srv.URL+href).location(t).String()).form(t, "code", "state")
		f.values.Set("user", `{"name":{"firstName":"Eve"},"email":"victim@example.com"}`)
		_, id := e.exchange(a, a.callback(t, b.post(f.action, f.values)))
		if id.Email != appleEmail {
			t.Fatalf("email from the unsigned user member: %q", id.Email)
		}
	})
}

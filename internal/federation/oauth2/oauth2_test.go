package oauth2_test

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/oauth2"
)

const redirect = "https://gatehouse.test/t1/login/connections/x/callback"

type session struct {
	state, nonce string
	pkce         federation.PKCE
}

func newSession() session {
	return session{state: "st-" + time.Now().Format("150405.000000000"), nonce: "n-" + time.Now().Format("150405.000000000"), pkce: federation.NewPKCE()}
}

func (s session) callback(v url.Values) federation.Callback {
	return federation.Callback{Params: v, State: s.state, Nonce: s.nonce, PKCE: s.pkce}
}

// run signs in once through c at the fake and returns the callback
// parameters and the session.
func run(t *testing.T, c federation.RedirectConnector) (url.Values, session) {
	t.Helper()
	s := newSession()
	u, err := c.LoginURL(t.Context(), s.state, s.nonce, s.pkce)
	if err != nil {
		t.Fatal(err)
	}
	return follow(t, u), s
}

// common checks what every connector must refuse.
func common(t *testing.T, c federation.RedirectConnector, f *fake) {
	t.Run("wrong state", func(t *testing.T) {
		v, s := run(t, c)
		s.state = "other"
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrState) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("access_denied", func(t *testing.T) {
		_, s := run(t, c)
		if _, err := c.HandleCallback(t.Context(), s.callback(url.Values{"state": {s.state}, "error": {"access_denied"}})); !errors.Is(err, federation.ErrAccessDenied) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("code used twice", func(t *testing.T) {
		v, s := run(t, c)
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("no code", func(t *testing.T) {
		_, s := run(t, c)
		if _, err := c.HandleCallback(t.Context(), s.callback(url.Values{"state": {s.state}})); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("token endpoint down", func(t *testing.T) {
		v, s := run(t, c)
		f.tokenStatus = http.StatusServiceUnavailable
		defer func() { f.tokenStatus = 0 }()
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestGeneric(t *testing.T) {
	f := newFake(t)
	f.checkClient = secretIs("cid", "csecret")
	f.api["/userinfo"] = func(grant) any {
		return map[string]any{"id": 4200000001, "email": "bob@up.test", "email_verified": true, "name": "Bob", "groups": []string{"a"}}
	}
	c, err := oauth2.NewGeneric(federation.Config{ClientID: "cid", AuthorizationEndpoint: f.URL() + "/authorize",
		TokenEndpoint: f.URL() + "/token", UserinfoEndpoint: f.URL() + "/userinfo", Scopes: "profile"},
		federation.Secrets{ClientSecret: "csecret"}, oauth2.Options{RedirectURI: redirect})
	if err != nil {
		t.Fatal(err)
	}
	v, s := run(t, c)
	id, err := c.HandleCallback(t.Context(), s.callback(v))
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "4200000001" || id.Email != "bob@up.test" || !id.EmailVerified || id.Name != "Bob" || len(id.Groups) != 1 {
		t.Fatalf("%+v", id)
	}
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		v, s := run(t, c)
		s.pkce = federation.NewPKCE()
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		bad, _ := oauth2.NewGeneric(federation.Config{ClientID: "cid", AuthorizationEndpoint: f.URL() + "/authorize",
			TokenEndpoint: f.URL() + "/token", UserinfoEndpoint: f.URL() + "/userinfo"},
			federation.Secrets{ClientSecret: "nope"}, oauth2.Options{RedirectURI: redirect})
		v, s := run(t, bad)
		if _, err := bad.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("upstream down", func(t *testing.T) {
		down, _ := oauth2.NewGeneric(federation.Config{ClientID: "cid", AuthorizationEndpoint: "http://127.0.0.1:1/authorize",
			TokenEndpoint: "http://127.0.0.1:1/token", UserinfoEndpoint: "http://127.0.0.1:1/userinfo"},
			federation.Secrets{ClientSecret: "csecret"}, oauth2.Options{RedirectURI: redirect})
		s := newSession()
		if _, err := down.HandleCallback(t.Context(), s.callback(url.Values{"state": {s.state}, "code": {"c"}})); !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("got %v", err)
		}
	})
	common(t, c, f)
}

func TestGitHub(t *testing.T) {
	f := newFake(t)
	f.checkClient = secretIs("gh-client", "gh-secret")
	f.formToken = true // GitHub's default answer
	emails := []map[string]any{
		{"email": "octo@other.test", "primary": false, "verified": true, "visibility": nil},
		{"email": "octocat@github.test", "primary": true, "verified": true, "visibility": "public"},
	}
	f.api["/api/user"] = func(grant) any {
		return map[string]any{"login": "octocat", "id": 583231, "name": "The Octocat", "email": "public@profile.test"}
	}
	f.api["/api/user/emails"] = func(grant) any { return emails }
	c, err := oauth2.NewGitHub(federation.Config{ClientID: "gh-client"}, federation.Secrets{ClientSecret: "gh-secret"},
		oauth2.Options{RedirectURI: redirect, BaseURL: f.URL(), APIURL: f.URL() + "/api"})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := c.LoginURL(t.Context(), "s", "n", federation.NewPKCE())
	if q, _ := url.Parse(u); q.Path != "/login/oauth/authorize" || q.Query().Get("scope") != "read:user user:email" {
		t.Fatalf("authorize URL %s", u)
	}
	v, s := run(t, c)
	id, err := c.HandleCallback(t.Context(), s.callback(v))
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "583231" || id.PreferredUsername != "octocat" || id.Email != "octocat@github.test" || !id.EmailVerified {
		t.Fatalf("%+v", id)
	}
	t.Run("unverified primary email", func(t *testing.T) {
		emails[1]["verified"] = false
		defer func() { emails[1]["verified"] = true }()
		v, s := run(t, c)
		id, err := c.HandleCallback(t.Context(), s.callback(v))
		if err != nil {
			t.Fatal(err)
		}
		// Neither the unverified primary, nor the verified secondary, nor
		// the profile's public email.
		if id.Email != "" || id.EmailVerified || id.Claims["email"] != nil {
			t.Fatalf("%+v", id)
		}
	})
	common(t, c, f)
}

func TestMicrosoft(t *testing.T) {
	f := newFake(t)
	f.checkClient = secretIs("ms-client", "ms-secret")
	f.idToken = true
	tenantA, tenantB := "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
	tid := tenantA
	issTID := "" // when set, the iss names another tenant than tid
	f.claims = func(g grant) map[string]any {
		it := tid
		if issTID != "" {
			it = issTID
		}
		return map[string]any{"iss": f.URL() + "/" + it + "/v2.0", "aud": g.ClientID, "sub": "pairwise-sub", "tid": tid,
			"oid": "00000000-0000-0000-0000-00000000abcd", "preferred_username": "alice@contoso.test", "email": "alice@contoso.test",
			"name": "Alice", "nonce": g.Nonce, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	}
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/common/v2.0/.well-known/openid-configuration" {
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": f.URL() + "/{tenantid}/v2.0",
				"authorization_endpoint": f.URL() + "/common/oauth2/v2.0/authorize", "token_endpoint": f.URL() + "/common/oauth2/v2.0/token",
				"jwks_uri": f.URL() + "/common/discovery/v2.0/keys"})
			return
		}
		f.serve(w, r)
	})
	newMS := func(allowed ...string) *oauth2.Microsoft {
		c, err := oauth2.NewMicrosoft(federation.Config{ClientID: "ms-client", AllowedTenants: allowed},
			federation.Secrets{ClientSecret: "ms-secret"}, oauth2.Options{RedirectURI: redirect, BaseURL: f.URL()})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := newMS()
	v, s := run(t, c)
	id, err := c.HandleCallback(t.Context(), s.callback(v))
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != tenantA+"/00000000-0000-0000-0000-00000000abcd" || id.Email != "alice@contoso.test" || id.EmailVerified {
		t.Fatalf("%+v", id)
	}
	t.Run("same oid in another tenant is another person", func(t *testing.T) {
		tid = tenantB
		defer func() { tid = tenantA }()
		v, s := run(t, c)
		id2, err := c.HandleCallback(t.Context(), s.callback(v))
		if err != nil {
			t.Fatal(err)
		}
		if id2.Subject == id.Subject || id2.Email != id.Email {
			t.Fatalf("%+v", id2)
		}
	})
	t.Run("tenant not allowed", func(t *testing.T) {
		only := newMS(tenantA)
		tid = tenantB
		defer func() { tid = tenantA }()
		v, s := run(t, only)
		if _, err := only.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("issuer of another tenant than tid", func(t *testing.T) {
		issTID = tenantB
		defer func() { issTID = "" }()
		v, s := run(t, c)
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		v, s := run(t, c)
		s.nonce = "other"
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("forged signature", func(t *testing.T) {
		f.forger = newFake(t).key
		defer func() { f.forger = nil }()
		v, s := run(t, c)
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("discovery down", func(t *testing.T) {
		down, _ := oauth2.NewMicrosoft(federation.Config{ClientID: "ms-client"}, federation.Secrets{ClientSecret: "x"},
			oauth2.Options{RedirectURI: redirect, BaseURL: "http://127.0.0.1:1"})
		if _, err := down.LoginURL(t.Context(), "s", "n", federation.NewPKCE()); !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("got %v", err)
		}
	})
	common(t, c, f)
}

func TestApple(t *testing.T) {
	f := newFake(t)
	f.idToken = true
	appKey := newP256(t)
	der, _ := x509.MarshalPKCS8PrivateKey(appKey)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	// Apple checks the client secret: an ES256 JWT by the team's key.
	f.checkClient = func(r *http.Request) bool {
		if r.PostForm.Get("client_id") != "com.example.web" {
			return false
		}
		tok, err := jwt.ParseSigned(r.PostForm.Get("client_secret"), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil || tok.Headers[0].KeyID != "KEY123" {
			return false
		}
		var cl jwt.Claims
		if err := tok.Claims(&appKey.PublicKey, &cl); err != nil {
			return false
		}
		return cl.Issuer == "TEAM123" && cl.Subject == "com.example.web" &&
			cl.ValidateWithLeeway(jwt.Expected{AnyAudience: jwt.Audience{"https://appleid.apple.com"}, Time: time.Now()}, 0) == nil &&
			cl.Expiry.Time().Sub(cl.IssuedAt.Time()) <= 180*24*time.Hour
	}
	f.claims = func(g grant) map[string]any {
		return map[string]any{"iss": f.URL(), "aud": g.ClientID, "sub": "001234.abcdef.1234", "email": "x7y@privaterelay.appleid.test",
			"email_verified": "true", "is_private_email": "true", "nonce": g.Nonce, "nonce_supported": true,
			"iat": time.Now().Unix(), "exp": time.Now().Add(10 * time.Minute).Unix()}
	}
	newApple := func(pemKey string) (*oauth2.Apple, error) {
		return oauth2.NewApple(federation.Config{ClientID: "com.example.web", TeamID: "TEAM123", KeyID: "KEY123"},
			federation.Secrets{PrivateKeyPEM: pemKey}, oauth2.Options{RedirectURI: redirect, BaseURL: f.URL()})
	}
	c, err := newApple(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession()
	u, _ := c.LoginURL(t.Context(), s.state, s.nonce, s.pkce)
	if q, _ := url.Parse(u); q.Query().Get("response_mode") != "form_post" || q.Query().Get("scope") != "name email" {
		t.Fatalf("authorize URL %s", u)
	}
	// First sign-in: the form_post carries the name.
	v, s := run(t, c)
	v.Set("user", `{"name":{"firstName":"Jane","lastName":"Appleseed"},"email":"someone-else@evil.test"}`)
	id, err := c.HandleCallback(t.Context(), s.callback(v))
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "001234.abcdef.1234" || id.Name != "Jane Appleseed" || id.Email != "x7y@privaterelay.appleid.test" || !id.EmailVerified {
		t.Fatalf("%+v", id)
	}
	// Later sign-ins: no name.
	v, s = run(t, c)
	id, err = c.HandleCallback(t.Context(), s.callback(v))
	if err != nil || id.Name != "" || id.Subject != "001234.abcdef.1234" {
		t.Fatalf("%+v %v", id, err)
	}
	t.Run("user_cancelled_authorize", func(t *testing.T) {
		_, s := run(t, c)
		if _, err := c.HandleCallback(t.Context(), s.callback(url.Values{"state": {s.state}, "error": {"user_cancelled_authorize"}})); !errors.Is(err, federation.ErrAccessDenied) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("client secret signed by another key", func(t *testing.T) {
		k := newP256(t)
		d, _ := x509.MarshalPKCS8PrivateKey(k)
		other, err := newApple(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: d})))
		if err != nil {
			t.Fatal(err)
		}
		v, s := run(t, other)
		if _, err := other.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		v, s := run(t, c)
		s.nonce = "other"
		if _, err := c.HandleCallback(t.Context(), s.callback(v)); !errors.Is(err, federation.ErrInvalidResponse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("not a P-256 key", func(t *testing.T) {
		if _, err := newApple(""); err == nil {
			t.Fatal("no key accepted")
		}
		var ve *federation.ValidationError
		if _, err := newApple("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"); err == nil || !errors.As(err, &ve) {
			t.Fatalf("got %v", err)
		}
	})
	common(t, c, f)
}

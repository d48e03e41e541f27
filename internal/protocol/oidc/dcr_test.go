package oidc_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// dcrEngines runs fn against a server on SQLite and one on PostgreSQL
// (the latter with GATEHOUSE_TEST_POSTGRES_DSN, as in CI).
func dcrEngines(t *testing.T, fn func(t *testing.T, o *op)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newOP(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.SchemaURL(t, "gh_dcr")
		fn(t, newOPWith(t, testserver.Options{Env: map[string]string{"GATEHOUSE_DATABASE": dsn}}))
	})
}

// tenantPath is an Admin API path in a tenant ("" is the default one).
func tenantPath(slug, rest string) string {
	if slug == "" {
		return "/admin/v1" + rest
	}
	return "/admin/v1/tenants/" + slug + rest
}

// setDCR sets a tenant's registration mode (and further settings).
func (o *op) setDCR(t *testing.T, slug, mode string, extra map[string]any) {
	t.Helper()
	body := map[string]any{"dcr": mode}
	for k, v := range extra {
		body[k] = v
	}
	s := slug
	if s == "" {
		s = "default"
	}
	m := o.admin(t, "PATCH", "/admin/v1/tenants/"+s, body)
	if m["dcr"] != mode {
		t.Fatalf("tenant dcr %v, want %s", m["dcr"], mode)
	}
}

// iat creates an initial access token and returns its bearer value.
func (o *op) iat(t *testing.T, slug string, body map[string]any) string {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	m := o.admin(t, "POST", tenantPath(slug, "/initial-access-tokens"), body)
	tok, _ := m["token"].(string)
	if !strings.HasPrefix(tok, "giat_") {
		t.Fatalf("no token in %v", m)
	}
	return tok
}

// regCall sends a registration request (JSON body, optional bearer).
func (o *op) regCall(t *testing.T, method, u, bearer string, body any) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return o.do(t, req)
}

func (o *op) register(t *testing.T, slug, bearer string, body any) reply {
	t.Helper()
	return o.regCall(t, "POST", o.issuer(slug)+"/oauth/register", bearer, body)
}

func wantStatus(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.str("error") != code) {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, status, code)
	}
}

// clientCount counts a tenant's clients.
func (o *op) clientCount(t *testing.T, slug string) int {
	t.Helper()
	m := o.admin(t, "GET", tenantPath(slug, "/clients?limit=100"), nil)
	items, _ := m["items"].([]any)
	return len(items)
}

func (o *op) discoveryDoc(t *testing.T, slug string) map[string]any {
	t.Helper()
	r := o.get(t, o.issuer(slug)+"/.well-known/openid-configuration")
	if r.Status != http.StatusOK {
		t.Fatalf("discovery: %d", r.Status)
	}
	return r.Body
}

var codeClientMeta = map[string]any{
	"client_name":    "DCR web app",
	"redirect_uris":  []string{redirectURI},
	"grant_types":    []string{grantCode, grantRefresh},
	"response_types": []string{"code"},
	"scope":          "openid profile offline_access",
}

func TestDCROffByDefault(t *testing.T) {
	t.Parallel()
	dcrEngines(t, func(t *testing.T, o *op) {
		if _, ok := o.discoveryDoc(t, "")["registration_endpoint"]; ok {
			t.Fatal("registration_endpoint advertised while dcr is off")
		}
		r := o.register(t, "", "", codeClientMeta)
		if r.Status != http.StatusNotFound || !strings.Contains(string(r.Raw), "off") {
			t.Fatalf("register while off: %d %s", r.Status, r.Raw)
		}
		if r := o.regCall(t, "GET", o.URL+"/oauth/register/x", "x", nil); r.Status != http.StatusNotFound {
			t.Fatalf("read while off: %d", r.Status)
		}
		tn := o.admin(t, "GET", "/admin/v1/tenants/default", nil)
		if tn["dcr"] != "off" {
			t.Fatalf("tenant dcr %v", tn["dcr"])
		}
		// Turned on and off again, discovery follows at once.
		o.setDCR(t, "", "open", nil)
		if o.discoveryDoc(t, "")["registration_endpoint"] != o.URL+"/oauth/register" {
			t.Fatal("no registration_endpoint while open")
		}
		o.setDCR(t, "", "off", nil)
		if _, ok := o.discoveryDoc(t, "")["registration_endpoint"]; ok {
			t.Fatal("registration_endpoint still advertised")
		}
	})
}

func TestDCRInitialAccessTokens(t *testing.T) {
	t.Parallel()
	dcrEngines(t, func(t *testing.T, o *op) {
		o.createTenant(t, "acme")
		o.setDCR(t, "", "initial_access_token", nil)
		o.setDCR(t, "acme", "initial_access_token", nil)
		if o.discoveryDoc(t, "acme")["registration_endpoint"] != o.issuer("acme")+"/oauth/register" {
			t.Fatal("tenant's registration_endpoint is not under its issuer")
		}

		wantStatus(t, o.register(t, "", "", codeClientMeta), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, o.register(t, "", "giat_nonsense", codeClientMeta), http.StatusUnauthorized, "invalid_token")

		one := o.iat(t, "", map[string]any{"max_uses": 1, "expires_in": 3600})
		// A bad registration spends nothing.
		wantStatus(t, o.register(t, "", one, map[string]any{"redirect_uris": []string{"http://evil.example.com/cb"}}),
			http.StatusBadRequest, "invalid_redirect_uri")
		// A tampered secret is refused.
		wantStatus(t, o.register(t, "", one[:len(one)-2]+"xx", codeClientMeta), http.StatusUnauthorized, "invalid_token")
		r := o.register(t, "", one, codeClientMeta)
		wantStatus(t, r, http.StatusCreated, "")
		// Used up.
		wantStatus(t, o.register(t, "", one, codeClientMeta), http.StatusUnauthorized, "invalid_token")

		// Another tenant's token registers nothing here, and the other way round.
		acme := o.iat(t, "acme", nil)
		wantStatus(t, o.register(t, "", acme, codeClientMeta), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, o.register(t, "acme", acme, codeClientMeta), http.StatusCreated, "")

		// Expired (stored with an expiry in the past).
		tn := mustTenant(t, o, "")
		sec := secret.Token(32)
		past := time.Now().Add(-time.Minute)
		expired := &oauth.InitialAccessToken{TenantID: tn.ID, ID: secret.Token(12), MaxUses: 0, ExpiresAt: &past,
			SecretHash: o.App.Directory.Keyring.MAC("initial-access-token", []byte(sec))}
		if err := tn.Store.InitialAccessTokens().Create(t.Context(), expired); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, o.register(t, "", "giat_"+expired.ID+"_"+sec, codeClientMeta), http.StatusUnauthorized, "invalid_token")

		// The list shows uses and never the secret; DELETE removes.
		list := o.admin(t, "GET", "/admin/v1/initial-access-tokens", nil)
		items := list["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("%d tokens listed", len(items))
		}
		for _, it := range items {
			m := it.(map[string]any)
			if _, ok := m["token"]; ok {
				t.Fatal("a listed token shows its secret")
			}
		}
		unlimited := o.iat(t, "", nil)
		id := unlimited[len("giat_") : len("giat_")+16]
		o.admin(t, "DELETE", "/admin/v1/initial-access-tokens/"+id, nil)
		wantStatus(t, o.register(t, "", unlimited, codeClientMeta), http.StatusUnauthorized, "invalid_token")
	})
}

func TestDCRRegisterUseUpdateDelete(t *testing.T) {
	t.Parallel()
	dcrEngines(t, func(t *testing.T, o *op) {
		o.setDCR(t, "", "open", nil)
		u := o.createUser(t, "")
		r := o.register(t, "", "", codeClientMeta)
		wantStatus(t, r, http.StatusCreated, "")
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Fatal("registration response may be cached")
		}
		id, secretVal, regTok, regURI := r.str("client_id"), r.str("client_secret"), r.str("registration_access_token"), r.str("registration_client_uri")
		if id == "" || secretVal == "" || regTok == "" || regURI != o.URL+"/oauth/register/"+id {
			t.Fatalf("registration response: %s", r.Raw)
		}
		if r.Body["client_secret_expires_at"] != float64(0) || r.Body["client_id_issued_at"] == nil ||
			r.Body["token_endpoint_auth_method"] != "client_secret_basic" || r.str("scope") != "openid profile offline_access" {
			t.Fatalf("registered metadata: %s", r.Raw)
		}
		// The Admin API sees it, marked.
		ac := o.admin(t, "GET", "/admin/v1/clients/"+id, nil)
		if ac["registered_by"] != "dcr" {
			t.Fatalf("admin view: %v", ac)
		}

		// A full code flow with the new client (not first-party: consent).
		c := &rp{ID: id, Secret: secretVal}
		rpx := o.relyingParty(t, c, "", "openid", "profile")
		b := o.newBrowser(t)
		l := newLogin()
		tok := rpx.exchange(t, rpx.code(t, b, u, "allow", l), l)
		rpx.idToken(t, tok, l.Nonce)

		// Read.
		g := o.regCall(t, "GET", regURI, regTok, nil)
		wantStatus(t, g, http.StatusOK, "")
		if g.str("client_id") != id || g.str("client_secret") != "" || g.str("registration_client_uri") != regURI {
			t.Fatalf("read: %s", g.Raw)
		}
		// Another registered client's token cannot read this one.
		other := o.register(t, "", "", codeClientMeta)
		wantStatus(t, other, http.StatusCreated, "")
		wantStatus(t, o.regCall(t, "GET", regURI, other.str("registration_access_token"), nil), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, o.regCall(t, "GET", regURI, "", nil), http.StatusUnauthorized, "invalid_token")

		// Update replaces the metadata and rotates the token.
		upd := map[string]any{"client_id": id, "client_name": "Renamed", "redirect_uris": []string{redirectURI, "https://app.example.com/cb2"},
			"grant_types": []string{grantCode}, "response_types": []string{"code"}, "scope": "openid"}
		p := o.regCall(t, "PUT", regURI, regTok, upd)
		wantStatus(t, p, http.StatusOK, "")
		newTok := p.str("registration_access_token")
		if newTok == "" || newTok == regTok || p.str("client_name") != "Renamed" || p.str("scope") != "openid" || len(p.Body["redirect_uris"].([]any)) != 2 {
			t.Fatalf("update: %s", p.Raw)
		}
		wantStatus(t, o.regCall(t, "GET", regURI, regTok, nil), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, o.regCall(t, "PUT", regURI, regTok, upd), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, o.regCall(t, "GET", regURI, newTok, nil), http.StatusOK, "")
		// A bad update changes nothing.
		wantStatus(t, o.regCall(t, "PUT", regURI, newTok, map[string]any{"redirect_uris": []string{"javascript:alert(1)"}}),
			http.StatusBadRequest, "invalid_redirect_uri")
		wantStatus(t, o.regCall(t, "PUT", regURI, newTok, map[string]any{"client_id": "someone-else", "redirect_uris": []string{redirectURI}}),
			http.StatusBadRequest, "invalid_client_metadata")
		if g := o.regCall(t, "GET", regURI, newTok, nil); g.str("client_name") != "Renamed" {
			t.Fatalf("after a refused update: %s", g.Raw)
		}
		// The secret still authenticates the client after the update.
		o.wantActive(t, c, tok.AccessToken)

		// Delete: 204, then the client is gone for both APIs.
		d := o.regCall(t, "DELETE", regURI, newTok, nil)
		if d.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", d.Status, d.Raw)
		}
		wantStatus(t, o.regCall(t, "GET", regURI, newTok, nil), http.StatusUnauthorized, "invalid_token")
		req, _ := http.NewRequest("GET", o.URL+"/admin/v1/clients/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
		if r := o.do(t, req); r.Status != http.StatusNotFound {
			t.Fatalf("admin after delete: %d", r.Status)
		}
		// An Admin API client has no registration token: nothing manages it here.
		ad := o.registerClient(t, "", map[string]any{"redirect_uris": []string{redirectURI}})
		wantStatus(t, o.regCall(t, "GET", o.URL+"/oauth/register/"+ad.ID, newTok, nil), http.StatusUnauthorized, "invalid_token")
	})
}

func TestDCRBadMetadata(t *testing.T) {
	t.Parallel()
	dcrEngines(t, func(t *testing.T, o *op) {
		// With a one-use token: a refused registration spends nothing.
		o.setDCR(t, "", "initial_access_token", nil)
		tok := o.iat(t, "", map[string]any{"max_uses": 1})
		before := o.clientCount(t, "")
		for _, tc := range []struct {
			name string
			body any
			code string
		}{
			{"http redirect", map[string]any{"redirect_uris": []string{"http://app.example.com/cb"}}, "invalid_redirect_uri"},
			{"fragment", map[string]any{"redirect_uris": []string{"https://app.example.com/cb#x"}}, "invalid_redirect_uri"},
			{"no redirect for code", map[string]any{"grant_types": []string{grantCode}}, "invalid_redirect_uri"},
			{"implicit", map[string]any{"redirect_uris": []string{redirectURI}, "response_types": []string{"token"}}, "invalid_client_metadata"},
			{"inconsistent", map[string]any{"redirect_uris": []string{redirectURI}, "grant_types": []string{grantClientCred}, "response_types": []string{"code"}}, "invalid_client_metadata"},
			{"password grant", map[string]any{"grant_types": []string{"password"}}, "invalid_client_metadata"},
			{"unknown auth method", map[string]any{"redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "tls_client_auth"}, "invalid_client_metadata"},
			{"private_key_jwt without keys", map[string]any{"redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "private_key_jwt"}, "invalid_client_metadata"},
			{"public client_credentials", map[string]any{"grant_types": []string{grantClientCred}, "token_endpoint_auth_method": "none"}, "invalid_client_metadata"},
			{"jwks and jwks_uri", map[string]any{"grant_types": []string{grantClientCred}, "token_endpoint_auth_method": "private_key_jwt",
				"jwks_uri": "https://app.example.com/jwks", "jwks": map[string]any{"keys": []any{map[string]any{"kty": "EC"}}}}, "invalid_client_metadata"},
			{"wrong type", map[string]any{"redirect_uris": "https://app.example.com/cb"}, "invalid_client_metadata"},
			{"not an object", []string{"x"}, "invalid_client_metadata"},
			{"bad scope", map[string]any{"grant_types": []string{grantClientCred}, "scope": "a  b"}, "invalid_client_metadata"},
			{"bad logo", map[string]any{"grant_types": []string{grantClientCred}, "logo_uri": "javascript:x"}, "invalid_client_metadata"},
			{"statement not accepted", map[string]any{"grant_types": []string{grantClientCred}, "software_statement": "a.b.c"}, "unapproved_software_statement"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantStatus(t, o.register(t, "", tok, tc.body), http.StatusBadRequest, tc.code)
			})
		}
		if after := o.clientCount(t, ""); after != before {
			t.Fatalf("%d clients after refused registrations, want %d", after, before)
		}
		// A self-registered client cannot give itself Gatehouse's admin-only settings.
		r := o.register(t, "", tok, map[string]any{"grant_types": []string{grantClientCred}, "metadata": map[string]any{"first_party": true}, "first_party": true})
		wantStatus(t, r, http.StatusCreated, "")
		ac := o.admin(t, "GET", "/admin/v1/clients/"+r.str("client_id"), nil)
		if md, _ := ac["metadata"].(map[string]any); len(md) != 0 {
			t.Fatalf("registered client got settings %v", md)
		}
	})
}

func TestDCRTenantIsolation(t *testing.T) {
	t.Parallel()
	dcrEngines(t, func(t *testing.T, o *op) {
		o.createTenant(t, "x")
		o.createTenant(t, "y")
		o.setDCR(t, "x", "open", nil)
		o.setDCR(t, "y", "initial_access_token", nil)
		rx := o.register(t, "x", "", codeClientMeta)
		wantStatus(t, rx, http.StatusCreated, "")
		if !strings.HasPrefix(rx.str("registration_client_uri"), o.issuer("x")+"/oauth/register/") {
			t.Fatalf("registration_client_uri %s", rx.str("registration_client_uri"))
		}
		// X's registration token does not reach its client through Y.
		wantStatus(t, o.regCall(t, "GET", o.issuer("y")+"/oauth/register/"+rx.str("client_id"), rx.str("registration_access_token"), nil),
			http.StatusUnauthorized, "invalid_token")
		// A token of tenant X cannot register in Y.
		o.setDCR(t, "x", "initial_access_token", nil)
		tx := o.iat(t, "x", nil)
		wantStatus(t, o.register(t, "y", tx, codeClientMeta), http.StatusUnauthorized, "invalid_token")
		wantStatus(t, o.register(t, "x", tx, codeClientMeta), http.StatusCreated, "")
	})
}

func TestDCROpenIsRateLimited(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.setDCR(t, "", "open", nil)
	meta := map[string]any{"grant_types": []string{grantClientCred}}
	for i := range 10 {
		if r := o.register(t, "", "", meta); r.Status != http.StatusCreated {
			t.Fatalf("registration %d: %d %s", i, r.Status, r.Raw)
		}
	}
	r := o.register(t, "", "", meta)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("11th registration: %d %s", r.Status, r.Raw)
	}
}

// statement signs software-statement claims with key.
func statement(t *testing.T, key *ecdsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDCRSoftwareStatements(t *testing.T) {
	t.Parallel()
	dcrEngines(t, func(t *testing.T, o *op) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		forger, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		jwk := jose.JSONWebKey{Key: key.Public(), KeyID: "issuer-1", Algorithm: "ES256", Use: "sig"}
		set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk}})
		var jwks map[string]any
		_ = json.Unmarshal(set, &jwks)
		o.setDCR(t, "", "open", map[string]any{"dcr_require_software_statement": true, "dcr_software_statement_jwks": jwks})

		now := time.Now()
		good := statement(t, key, "issuer-1", map[string]any{"iss": "https://software.example.com", "software_id": "app-1",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "client_name": "Certified App", "scope": "openid"})
		req := map[string]any{"software_statement": good, "client_name": "Overridden", "scope": "openid profile",
			"redirect_uris": []string{redirectURI}}
		r := o.register(t, "", "", req)
		wantStatus(t, r, http.StatusCreated, "")
		if r.str("client_name") != "Certified App" || r.str("scope") != "openid" {
			t.Fatalf("the statement's claims did not take precedence: %s", r.Raw)
		}

		before := o.clientCount(t, "")
		delete(req, "software_statement")
		wantStatus(t, o.register(t, "", "", req), http.StatusBadRequest, "invalid_software_statement")
		req["software_statement"] = statement(t, forger, "issuer-1", map[string]any{"iss": "x", "client_name": "Forged"})
		wantStatus(t, o.register(t, "", "", req), http.StatusBadRequest, "unapproved_software_statement")
		req["software_statement"] = statement(t, key, "issuer-1", map[string]any{"iss": "x", "exp": now.Add(-time.Hour).Unix()})
		wantStatus(t, o.register(t, "", "", req), http.StatusBadRequest, "invalid_software_statement")
		// Tampered: the payload of a good statement swapped.
		parts := strings.Split(good, ".")
		evil := strings.Split(statement(t, forger, "issuer-1", map[string]any{"client_name": "Evil"}), ".")
		req["software_statement"] = parts[0] + "." + evil[1] + "." + parts[2]
		wantStatus(t, o.register(t, "", "", req), http.StatusBadRequest, "unapproved_software_statement")
		// HMAC with the public key as secret is not an accepted algorithm.
		req["software_statement"] = "eyJhbGciOiJIUzI1NiJ9.eyJjbGllbnRfbmFtZSI6IngifQ.c2ln"
		wantStatus(t, o.register(t, "", "", req), http.StatusBadRequest, "invalid_software_statement")
		if after := o.clientCount(t, ""); after != before {
			t.Fatalf("%d clients after refused statements, want %d", after, before)
		}
	})
}

package oidc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// dpopEngines runs fn against a provider on SQLite and one on PostgreSQL
// (the latter only with GATEHOUSE_TEST_POSTGRES_DSN, as in CI): the replay
// cache and the bound refresh tokens live in the database.
func dpopEngines(t *testing.T, fn func(t *testing.T, o *op)) {
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); fn(t, newOP(t)) })
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.SchemaURL(t, "gh_dpop")
		fn(t, newOPWith(t, testserver.Options{Env: map[string]string{"GATEHOUSE_DATABASE": dsn}}))
	})
}

// dpopKey is a client's DPoP key.
type dpopKey struct {
	k     *ecdsa.PrivateKey
	nonce string // the last DPoP-Nonce the server sent
}

func newDPoPKey(t testing.TB) *dpopKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &dpopKey{k: k}
}

func (d *dpopKey) jkt(t testing.TB) string {
	s, err := dpop.Thumbprint(&jose.JSONWebKey{Key: &d.k.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// proof signs a proof for method and u; token, when set, is its ath.
func (d *dpopKey) proof(t testing.TB, method, u, token string) string {
	claims := map[string]any{"jti": rand8() + rand8(), "htm": method, "htu": u, "iat": time.Now().Unix()}
	if d.nonce != "" {
		claims["nonce"] = d.nonce
	}
	if token != "" {
		claims["ath"] = dpop.ATH(token)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: d.k}, (&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

// tokenWithProof posts to the token endpoint with proof (none when "").
func (o *op) tokenWithProof(t *testing.T, slug string, form url.Values, proof string, basic ...string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, o.issuer(slug)+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	if len(basic) == 2 {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	return o.do(t, req)
}

// dpopToken makes a token request with a fresh proof of d, fetching a
// nonce first when the server asks for one (RFC 9449 8).
func (o *op) dpopToken(t *testing.T, d *dpopKey, slug string, form url.Values, basic ...string) reply {
	t.Helper()
	u := o.issuer(slug) + "/oauth/token"
	r := o.tokenWithProof(t, slug, form, d.proof(t, "POST", u, ""), basic...)
	if r.str("error") == dpop.CodeUseNonce {
		if r.Status != http.StatusBadRequest || r.Header.Get("DPoP-Nonce") == "" {
			t.Fatalf("use_dpop_nonce: %d, DPoP-Nonce %q", r.Status, r.Header.Get("DPoP-Nonce"))
		}
		d.nonce = r.Header.Get("DPoP-Nonce")
		r = o.tokenWithProof(t, slug, form, d.proof(t, "POST", u, ""), basic...)
	}
	if n := r.Header.Get("DPoP-Nonce"); n != "" {
		d.nonce = n
	}
	return r
}

// userinfoDPoP calls userinfo with scheme and proof (none when "").
func (o *op) userinfoWith(t *testing.T, slug, scheme, token, proof string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, o.issuer(slug)+"/userinfo", nil)
	req.Header.Set("Authorization", scheme+" "+token)
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	return o.do(t, req)
}

func wantJKT(t *testing.T, claims map[string]any, jkt string) {
	t.Helper()
	cnf, _ := claims["cnf"].(map[string]any)
	if cnf == nil || cnf["jkt"] != jkt {
		t.Fatalf("cnf %v, want jkt %s", claims["cnf"], jkt)
	}
}

func TestDPoPClientCredentials(t *testing.T) {
	dpopEngines(t, func(t *testing.T, o *op) {
		c := o.serviceClient(t, "", "client_secret_basic", "", nil)
		d := newDPoPKey(t)
		form := url.Values{"grant_type": {grantClientCred}}
		u := o.issuer("") + "/oauth/token"

		// Nonces are on by default: the first proof is answered with one.
		r := o.tokenWithProof(t, "", form, d.proof(t, "POST", u, ""), c.ID, c.Secret)
		wantOAuthError(t, r, http.StatusBadRequest, dpop.CodeUseNonce)
		if r.Header.Get("DPoP-Nonce") == "" {
			t.Fatal("use_dpop_nonce without a DPoP-Nonce header")
		}
		d.nonce = r.Header.Get("DPoP-Nonce")
		proof := d.proof(t, "POST", u, "")
		r = o.tokenWithProof(t, "", form, proof, c.ID, c.Secret)
		if r.Status != http.StatusOK || r.str("token_type") != "DPoP" {
			t.Fatalf("DPoP client credentials: %d %s", r.Status, r.Raw)
		}
		at := r.str("access_token")
		wantJKT(t, o.verifyWithJWKS(t, "", at), d.jkt(t))
		in := o.wantActive(t, c, at)
		if in.str("token_type") != "DPoP" {
			t.Fatalf("introspection token_type %q", in.str("token_type"))
		}
		wantJKT(t, in.Body, d.jkt(t))

		// The same proof again is a replay, refused.
		wantOAuthError(t, o.tokenWithProof(t, "", form, proof, c.ID, c.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)
		// Proofs for another endpoint or method, or a nonce forged, are refused.
		wantOAuthError(t, o.tokenWithProof(t, "", form, d.proof(t, "POST", o.issuer("")+"/userinfo", ""), c.ID, c.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)
		wantOAuthError(t, o.tokenWithProof(t, "", form, d.proof(t, "GET", u, ""), c.ID, c.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)
		forged := *d
		forged.nonce = "AAAAAAAAAAAAAAAAAAAAAAAA"
		wantOAuthError(t, o.tokenWithProof(t, "", form, forged.proof(t, "POST", u, ""), c.ID, c.Secret), http.StatusBadRequest, dpop.CodeUseNonce)

		// Without a proof the token is a bearer token, as before.
		r = o.tokenWithProof(t, "", form, "", c.ID, c.Secret)
		if r.Status != http.StatusOK || !strings.EqualFold(r.str("token_type"), "Bearer") {
			t.Fatalf("bearer client credentials: %d %s", r.Status, r.Raw)
		}
		if _, ok := o.verifyWithJWKS(t, "", r.str("access_token"))["cnf"]; ok {
			t.Fatal("a bearer token carries cnf")
		}

		// Opaque tokens are bound too, as introspection says.
		oc := o.serviceClient(t, "", "client_secret_basic", "", map[string]any{"metadata": map[string]any{"access_token_format": "opaque"}})
		r = o.dpopToken(t, d, "", form, oc.ID, oc.Secret)
		if r.Status != http.StatusOK || r.str("token_type") != "DPoP" {
			t.Fatalf("opaque DPoP: %d %s", r.Status, r.Raw)
		}
		in = o.wantActive(t, oc, r.str("access_token"))
		wantJKT(t, in.Body, d.jkt(t))

		// A client registered with dpop_bound_access_tokens must send a proof.
		bc := o.serviceClient(t, "", "client_secret_basic", "", map[string]any{"dpop_bound_access_tokens": true})
		if got := o.admin(t, "GET", "/admin/v1/clients/"+bc.ID, nil); got["dpop_bound_access_tokens"] != true || got["metadata"].(map[string]any)["dpop_bound_access_tokens"] != nil {
			t.Fatalf("client reads back %v / metadata %v", got["dpop_bound_access_tokens"], got["metadata"])
		}
		wantOAuthError(t, o.tokenWithProof(t, "", form, "", bc.ID, bc.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)
		if r = o.dpopToken(t, d, "", form, bc.ID, bc.Secret); r.Status != http.StatusOK {
			t.Fatalf("bound client with a proof: %d %s", r.Status, r.Raw)
		}

		disc := o.get(t, o.issuer("")+"/.well-known/openid-configuration")
		if algs := toStrings(disc.Body["dpop_signing_alg_values_supported"]); strings.Join(algs, " ") != dpop.AlgsParam {
			t.Fatalf("dpop_signing_alg_values_supported %v", algs)
		}
	})
}

// The code flow with dpop_jkt, userinfo with the DPoP scheme, and a public
// client's refresh token bound to the key; the attacker's attempts with a
// stolen token or refresh token and another key, or a replayed proof, fail.
func TestDPoPCodeFlowAndRefresh(t *testing.T) {
	dpopEngines(t, func(t *testing.T, o *op) {
		u := o.createUser(t, "")
		c := o.registerClient(t, "", map[string]any{
			"grant_types": []string{grantCode, grantRefresh}, "redirect_uris": []string{redirectURI},
			"token_endpoint_auth_method": "none", "scope": "openid profile offline_access",
			"metadata": map[string]any{"first_party": true},
		})
		r := o.relyingParty(t, c, "", "openid", "offline_access")
		d, attacker := newDPoPKey(t), newDPoPKey(t)
		l := newLogin()
		code := r.code(t, o.newBrowser(t), u, "", l, oauth2.SetAuthURLParam("dpop_jkt", d.jkt(t)))
		form := url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI}, "client_id": {c.ID}, "code_verifier": {l.Verifier}}

		// The code is bound by dpop_jkt: no proof, or another key's, fails
		// and leaves the code for its client.
		wantOAuthError(t, o.tokenWithProof(t, "", form, "", c.ID, ""), http.StatusBadRequest, dpop.CodeInvalidProof)
		wantOAuthError(t, o.dpopToken(t, attacker, "", form), http.StatusBadRequest, "invalid_grant")
		tok := o.dpopToken(t, d, "", form)
		if tok.Status != http.StatusOK || tok.str("token_type") != "DPoP" || tok.str("refresh_token") == "" {
			t.Fatalf("code exchange with DPoP: %d %s", tok.Status, tok.Raw)
		}
		at := tok.str("access_token")
		wantJKT(t, o.verifyWithJWKS(t, "", at), d.jkt(t))

		ui := o.issuer("") + "/userinfo"
		proof := d.proof(t, "GET", ui, at)
		res := o.userinfoWith(t, "", "DPoP", at, proof)
		if res.Status != http.StatusOK || res.str("sub") == "" {
			t.Fatalf("userinfo with DPoP: %d %s", res.Status, res.Raw)
		}
		wantDPoPChallenge := func(res reply, status int, code string) {
			t.Helper()
			h := res.Header.Get("WWW-Authenticate")
			if res.Status != status || !strings.HasPrefix(h, "DPoP ") || !strings.Contains(h, `error="`+code+`"`) || !strings.Contains(h, `algs="`) {
				t.Fatalf("want %d DPoP %s, got %d %q %s", status, code, res.Status, h, res.Raw)
			}
		}
		// A stolen DPoP-bound token is no bearer token, and a proof is
		// good once, for this token, made with the token's key.
		wantDPoPChallenge(o.userinfoWith(t, "", "Bearer", at, ""), http.StatusUnauthorized, "invalid_token")
		if res := o.post(t, ui, url.Values{"access_token": {at}}); res.Status != http.StatusUnauthorized {
			t.Fatalf("bound token in the body: %d %s", res.Status, res.Raw)
		}
		wantDPoPChallenge(o.userinfoWith(t, "", "DPoP", at, proof), http.StatusUnauthorized, dpop.CodeInvalidProof)
		wantDPoPChallenge(o.userinfoWith(t, "", "DPoP", at, attacker.proof(t, "GET", ui, at)), http.StatusUnauthorized, dpop.CodeInvalidProof)
		wantDPoPChallenge(o.userinfoWith(t, "", "DPoP", at, d.proof(t, "GET", ui, at+"x")), http.StatusUnauthorized, dpop.CodeInvalidProof)
		wantDPoPChallenge(o.userinfoWith(t, "", "DPoP", at, d.proof(t, "POST", ui, at)), http.StatusUnauthorized, dpop.CodeInvalidProof)
		wantDPoPChallenge(o.userinfoWith(t, "", "DPoP", at, ""), http.StatusUnauthorized, dpop.CodeInvalidProof)

		// The public client's refresh token is bound to the key too.
		rf := url.Values{"grant_type": {grantRefresh}, "refresh_token": {tok.str("refresh_token")}, "client_id": {c.ID}}
		wantOAuthError(t, o.tokenWithProof(t, "", rf, ""), http.StatusBadRequest, dpop.CodeInvalidProof)
		wantOAuthError(t, o.dpopToken(t, attacker, "", rf), http.StatusBadRequest, "invalid_grant")
		next := o.dpopToken(t, d, "", rf)
		if next.Status != http.StatusOK || next.str("token_type") != "DPoP" {
			t.Fatalf("bound refresh: %d %s", next.Status, next.Raw)
		}
		wantJKT(t, o.verifyWithJWKS(t, "", next.str("access_token")), d.jkt(t))
		// ... and so is its successor.
		rf.Set("refresh_token", next.str("refresh_token"))
		wantOAuthError(t, o.dpopToken(t, attacker, "", rf), http.StatusBadRequest, "invalid_grant")

		// dpop_jkt must be a thumbprint.
		res = o.get(t, r.authURL(newLogin(), oauth2.SetAuthURLParam("dpop_jkt", "not-a-thumbprint")))
		if res.Status < 300 || res.Status >= 400 || !strings.Contains(res.Header.Get("Location"), "error=invalid_request") {
			t.Fatalf("bad dpop_jkt: %d %s", res.Status, res.Header.Get("Location"))
		}
	})
}

package restapi_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The sessions, consents, refresh tokens and keys these tests work on are
// real rows, written through the test server's own store.

const notFound = "urn:gatehouse:problem:not-found"

// party is a tenant's scope with one user and one client made through the API.
type party struct {
	sc     *tenancy.Tenant
	user   string
	client string
	secret string
}

func mkParty(t *testing.T, s *testserver.Server, tenant, email string) party {
	t.Helper()
	if tenant != "" {
		if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: tenant}); err != nil || r.StatusCode() != 201 {
			t.Fatalf("create tenant: %v %s", err, r.Body)
		}
	}
	sc, err := s.App.Directory.Resolve(ctx, tenant)
	if err != nil {
		t.Fatal(err)
	}
	p := party{sc: sc}
	p.user = mkUser(t, s, tenant, email)
	p.client, p.secret = mkClient(t, s, tenant, "App", "client_credentials", "refresh_token")
	return p
}

func mkUser(t *testing.T, s *testserver.Server, tenant, email string) string {
	t.Helper()
	path := "/admin/v1/users"
	if tenant != "" {
		path = "/admin/v1/tenants/" + tenant + "/users"
	}
	resp, body := do(t, s, "POST", path, testserver.AdminToken, "application/json", `{"email":"`+email+`"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create user: %d %v", resp.StatusCode, body)
	}
	return body["id"].(string)
}

// mkClient registers a confidential client and returns its ID and secret.
func mkClient(t *testing.T, s *testserver.Server, tenant, name string, grants ...string) (string, string) {
	t.Helper()
	path := "/admin/v1/clients"
	if tenant != "" {
		path = "/admin/v1/tenants/" + tenant + "/clients"
	}
	g, _ := json.Marshal(grants)
	resp, body := do(t, s, "POST", path, testserver.AdminToken, "application/json",
		`{"client_name":"`+name+`","grant_types":`+string(g)+`,"token_endpoint_auth_method":"client_secret_basic","scope":"read"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create client: %d %v", resp.StatusCode, body)
	}
	return body["client_id"].(string), body["client_secret"].(string)
}

func digestOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func (p party) session(t *testing.T, userID string, mut ...func(*oauth.Session)) *oauth.Session {
	t.Helper()
	now := time.Now().UTC()
	x := &oauth.Session{
		TenantID: p.sc.Tenant.ID, UserID: userID, TokenHash: digestOf(rand.Text()),
		IP: "203.0.113.7", UserAgent: "Mozilla/5.0 (X11; Linux x86_64)", AuthTime: now.Add(-time.Minute).Truncate(time.Second),
		AMR: []string{"pwd", "otp"}, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour),
	}
	for _, m := range mut {
		m(x)
	}
	if err := p.sc.Store.Sessions().Create(ctx, x); err != nil {
		t.Fatal(err)
	}
	return x
}

func (p party) refresh(t *testing.T, userID, clientID, sessionID string) *oauth.RefreshToken {
	t.Helper()
	now := time.Now().UTC()
	rt := &oauth.RefreshToken{
		TenantID: p.sc.Tenant.ID, TokenHash: digestOf(rand.Text()), ClientID: clientID, UserID: userID, SessionID: sessionID,
		Scopes: []string{"openid", "offline_access"}, AuthTime: now, AMR: []string{"pwd"},
		ExpiresAt: now.Add(time.Hour), FamilyExpiresAt: now.Add(24 * time.Hour),
	}
	if err := p.sc.Store.RefreshTokens().Create(ctx, rt); err != nil {
		t.Fatal(err)
	}
	return rt
}

func (p party) consent(t *testing.T, userID, clientID string, scopes ...string) {
	t.Helper()
	if err := p.sc.Store.Consents().Upsert(ctx, &oauth.Consent{TenantID: p.sc.Tenant.ID, UserID: userID, ClientID: clientID, Scopes: scopes}); err != nil {
		t.Fatal(err)
	}
}

func (p party) sessionRevoked(t *testing.T, id string) bool {
	t.Helper()
	x, err := p.sc.Store.Sessions().Get(ctx, p.sc.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return x.RevokedAt != nil
}

func (p party) refreshRevoked(t *testing.T, id string) bool {
	t.Helper()
	rt, err := p.sc.Store.RefreshTokens().Get(ctx, p.sc.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return rt.RevokedAt != nil
}

// revocation returns the revocation-list entry for kind and key, or nil.
func (p party) revocation(t *testing.T, s *testserver.Server, kind oauth.RevocationKind, key string) *oauth.Revocation {
	t.Helper()
	r, err := s.App.Stores.Control().Revocations().Get(ctx, p.sc.Tenant.ID, kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sessionIDs(items []gen.Session) []string {
	var ids []string
	for _, x := range items {
		ids = append(ids, x.ID)
	}
	return ids
}

func TestUserSessionsListAndRevoke(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	p := mkParty(t, s, "", "ada@example.com")
	other := mkUser(t, s, "", "bob@example.com")

	s1, s2, s3 := p.session(t, p.user), p.session(t, p.user), p.session(t, p.user, func(x *oauth.Session) { x.IP, x.UserAgent = "", "" })
	idle := p.session(t, p.user, func(x *oauth.Session) { x.LastSeenAt = time.Now().Add(-25 * time.Hour) })
	revoked := p.session(t, p.user, func(x *oauth.Session) { now := time.Now(); x.RevokedAt = &now })
	bobs := p.session(t, other)
	rt1, rt2, rtBob := p.refresh(t, p.user, p.client, s1.ID), p.refresh(t, p.user, p.client, s2.ID), p.refresh(t, other, p.client, bobs.ID)

	// The list walks page by page and shows active sessions only.
	var got []gen.Session
	var cursor *string
	for pages := 0; ; pages++ {
		limit := 2
		r, err := s.Admin.ListUserSessionsWithResponse(ctx, p.user, &gen.ListUserSessionsParams{Limit: &limit, Cursor: cursor})
		if err != nil || r.JSON200 == nil {
			t.Fatalf("list: %v %s", err, r.Body)
		}
		got = append(got, r.JSON200.Items...)
		if r.JSON200.NextCursor.IsNull() {
			break
		}
		c, _ := r.JSON200.NextCursor.Get()
		cursor = &c
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if ids, want := sessionIDs(got), []string{s1.ID, s2.ID, s3.ID}; !slices.Equal(ids, want) {
		t.Fatalf("sessions %v, want %v (not the idle %s, revoked %s or another user's)", ids, want, idle.ID, revoked.ID)
	}
	first := got[0]
	if first.UserID != p.user || val(first.IP) != "203.0.113.7" || val(first.UserAgent) == "" || !slices.Equal(first.Amr, []string{"pwd", "otp"}) ||
		first.AuthTime == nil || !first.AuthTime.Equal(s1.AuthTime) || !first.ExpiresAt.Equal(s1.ExpiresAt.Truncate(time.Microsecond)) {
		t.Fatalf("session rendering: %+v", first)
	}
	if got[2].IP != nil || got[2].UserAgent != nil {
		t.Fatalf("unknown ip and user agent are absent: %+v", got[2])
	}

	// Revoke one: the session, its refresh tokens and its access tokens.
	if r, err := s.Admin.RevokeUserSessionWithResponse(ctx, p.user, s1.ID); err != nil || r.StatusCode() != 204 {
		t.Fatalf("revoke one: %v %d %s", err, r.StatusCode(), r.Body)
	}
	if !p.sessionRevoked(t, s1.ID) || p.sessionRevoked(t, s2.ID) || !p.refreshRevoked(t, rt1.ID) || p.refreshRevoked(t, rt2.ID) {
		t.Fatal("revoking s1 must revoke s1 and its refresh token only")
	}
	if p.revocation(t, s, oauth.RevokeSession, s1.ID) == nil {
		t.Fatal("no revocation-list entry for the session's access tokens")
	}
	if r, _ := s.Admin.RevokeUserSessionWithResponse(ctx, p.user, s1.ID); r.StatusCode() != 204 {
		t.Fatalf("revoking again is idempotent: %d", r.StatusCode())
	}

	// Another user's session, an unknown session or user: 404, nothing changes.
	for _, path := range []string{
		"/admin/v1/users/" + p.user + "/sessions/" + bobs.ID,
		"/admin/v1/users/" + p.user + "/sessions/01936a00-0000-7000-8000-000000000000",
		"/admin/v1/users/01936a00-0000-7000-8000-000000000000/sessions/" + s2.ID,
	} {
		resp, body := do(t, s, "DELETE", path, testserver.AdminToken, "", "")
		wantProblem(t, resp, body, 404, notFound)
	}
	resp, body := do(t, s, "GET", "/admin/v1/users/01936a00-0000-7000-8000-000000000000/sessions", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	if p.sessionRevoked(t, bobs.ID) || p.sessionRevoked(t, s2.ID) {
		t.Fatal("a 404 revoked a session")
	}

	// Revoke all: every session of the user (idle ones too), with their tokens.
	if r, err := s.Admin.RevokeUserSessionsWithResponse(ctx, p.user); err != nil || r.StatusCode() != 204 {
		t.Fatalf("revoke all: %v %d %s", err, r.StatusCode(), r.Body)
	}
	for _, id := range []string{s2.ID, s3.ID, idle.ID} {
		if !p.sessionRevoked(t, id) || p.revocation(t, s, oauth.RevokeSession, id) == nil {
			t.Fatalf("session %s not revoked", id)
		}
	}
	if !p.refreshRevoked(t, rt2.ID) || p.sessionRevoked(t, bobs.ID) || p.refreshRevoked(t, rtBob.ID) {
		t.Fatal("revoke all: wrong refresh tokens or sessions")
	}
	r, _ := s.Admin.ListUserSessionsWithResponse(ctx, p.user, nil)
	if r.JSON200 == nil || len(r.JSON200.Items) != 0 {
		t.Fatalf("after revoke all: %s", r.Body)
	}
}

func TestUserConsentsListAndRevoke(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	p := mkParty(t, s, "", "ada@example.com")
	c2, _ := mkClient(t, s, "", "Other app", "client_credentials")
	p.consent(t, p.user, p.client, "openid", "profile")
	p.consent(t, p.user, c2, "openid")
	rt1, rt2 := p.refresh(t, p.user, p.client, ""), p.refresh(t, p.user, c2, "")

	r, err := s.Admin.ListUserConsentsWithResponse(ctx, p.user, nil)
	if err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 2 || !r.JSON200.NextCursor.IsNull() {
		t.Fatalf("list: %v %s", err, r.Body)
	}
	byClient := map[string]gen.Consent{}
	for _, c := range r.JSON200.Items {
		byClient[c.ClientID] = c
	}
	if c := byClient[p.client]; val(c.ClientName) != "App" || !slices.Equal(c.Scopes, []string{"openid", "profile"}) || c.CreatedAt.IsZero() {
		t.Fatalf("consent to %s: %+v", p.client, c)
	}
	if c := byClient[c2]; val(c.ClientName) != "Other app" || !slices.Equal(c.Scopes, []string{"openid"}) {
		t.Fatalf("consent to %s: %+v", c2, c)
	}

	if r, err := s.Admin.RevokeUserConsentWithResponse(ctx, p.user, p.client); err != nil || r.StatusCode() != 204 {
		t.Fatalf("revoke: %v %d %s", err, r.StatusCode(), r.Body)
	}
	if _, err := p.sc.Store.Consents().Get(ctx, p.sc.Tenant.ID, p.user, p.client); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("consent still there: %v", err)
	}
	if !p.refreshRevoked(t, rt1.ID) || p.refreshRevoked(t, rt2.ID) {
		t.Fatal("revoking a consent revokes that client's refresh tokens for the user, and no others")
	}
	resp, body := do(t, s, "DELETE", "/admin/v1/users/"+p.user+"/consents/"+p.client, testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	resp, body = do(t, s, "GET", "/admin/v1/users/01936a00-0000-7000-8000-000000000000/consents", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	r, _ = s.Admin.ListUserConsentsWithResponse(ctx, p.user, nil)
	if r.JSON200 == nil || len(r.JSON200.Items) != 1 || r.JSON200.Items[0].ClientID != c2 {
		t.Fatalf("after revoke: %s", r.Body)
	}
}

// jwksKids fetches a JWKS (outside the contract) and returns its key IDs.
func jwksKids(t *testing.T, s *testserver.Server, path string) []string {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	resp, err := s.HTTP.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			D   string `json:"d"`
		} `json:"keys"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
	}
	var kids []string
	for _, k := range set.Keys {
		if k.D != "" {
			t.Fatal("the JWKS publishes private key material")
		}
		kids = append(kids, k.Kid)
	}
	return kids
}

func keysByStatus(items []gen.SigningKey) (active map[gen.SigningKeyAlg]gen.SigningKey, retired []gen.SigningKey) {
	active = map[gen.SigningKeyAlg]gen.SigningKey{}
	for _, k := range items {
		if k.Status == gen.SigningKeyStatusActive {
			active[k.Alg] = k
		} else {
			retired = append(retired, k)
		}
	}
	return active, retired
}

func TestSigningKeysListAndRotate(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	r, err := s.Admin.GetSigningKeysWithResponse(ctx)
	if err != nil || r.JSON200 == nil {
		t.Fatalf("get: %v %s", err, r.Body)
	}
	before, retired := keysByStatus(r.JSON200.Items)
	if len(before) != 2 || len(retired) != 0 || len(r.JSON200.Items) != 2 {
		t.Fatalf("want an active RS256 and ES256 key (EdDSA only once a client uses it): %s", r.Body)
	}
	// A client that asks for EdDSA ID tokens brings the tenant's EdDSA key.
	eddsa := gen.SigningAlgEdDSA
	if cr, err := s.Admin.CreateClientWithResponse(ctx, nil, gen.ClientCreate{ClientName: "eddsa",
		GrantTypes: &[]gen.GrantType{"client_credentials"}, IDTokenSignedResponseAlg: &eddsa}); err != nil || cr.JSON201 == nil {
		t.Fatalf("create client: %v %s", err, cr.Body)
	}
	if r, err = s.Admin.GetSigningKeysWithResponse(ctx); err != nil || r.JSON200 == nil {
		t.Fatalf("get: %v %s", err, r.Body)
	}
	if before, _ = keysByStatus(r.JSON200.Items); len(before) != 3 {
		t.Fatalf("want one active key per algorithm: %s", r.Body)
	}
	for alg, k := range before {
		if k.Use != gen.SigningKeyUseSig || k.PublicJwk["kid"] != k.Kid || k.PublicJwk["kty"] == nil || !k.RetiredAt.IsNull() || !k.ExpiresAt.IsNull() {
			t.Fatalf("%s key: %+v", alg, k)
		}
	}
	if strings.Contains(string(r.Body), `"d":`) {
		t.Fatalf("private key material in %s", r.Body)
	}

	// Rotating RS256 retires its key, which stays published until expires_at.
	rr, err := s.Admin.RotateSigningKeysWithResponse(ctx, nil, gen.SigningKeyRotation{Algs: &[]gen.SigningKeyAlg{gen.SigningKeyAlgRS256}})
	if err != nil || rr.JSON200 == nil {
		t.Fatalf("rotate: %v %s", err, rr.Body)
	}
	after, retired := keysByStatus(rr.JSON200.Items)
	old := before[gen.SigningKeyAlgRS256]
	if len(retired) != 1 || retired[0].Kid != old.Kid || after[gen.SigningKeyAlgRS256].Kid == old.Kid {
		t.Fatalf("rotate RS256: %s", rr.Body)
	}
	ra, _ := retired[0].RetiredAt.Get()
	ea, _ := retired[0].ExpiresAt.Get()
	if ea.Sub(ra) != 24*time.Hour {
		t.Fatalf("retired key: retired_at %v, expires_at %v; want the 24h maximum token lifetime between", ra, ea)
	}
	for _, alg := range []gen.SigningKeyAlg{gen.SigningKeyAlgES256, gen.SigningKeyAlgEdDSA} {
		if after[alg].Kid != before[alg].Kid {
			t.Fatalf("%s was rotated too", alg)
		}
	}
	kids := jwksKids(t, s, "/keys")
	if !slices.Contains(kids, old.Kid) || !slices.Contains(kids, after[gen.SigningKeyAlgRS256].Kid) {
		t.Fatalf("JWKS %v lacks the old %s or the new %s", kids, old.Kid, after[gen.SigningKeyAlgRS256].Kid)
	}
	if g, _ := s.Admin.GetSigningKeysWithResponse(ctx); g.JSON200 == nil || len(g.JSON200.Items) != 4 {
		t.Fatalf("get after rotate: %s", g.Body)
	}

	// Without a body every algorithm rotates.
	resp, body := do(t, s, "POST", "/admin/v1/signing-keys/rotate", testserver.AdminToken, "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("rotate all: %d %v", resp.StatusCode, body)
	}
	items, _ := json.Marshal(body["items"])
	var all []gen.SigningKey
	_ = json.Unmarshal(items, &all)
	active, retired := keysByStatus(all)
	if len(active) != 3 || len(retired) != 4 {
		t.Fatalf("rotate all: %d active, %d retired", len(active), len(retired))
	}
	for alg, k := range active {
		if k.Kid == after[alg].Kid || !slices.Contains(jwksKids(t, s, "/keys"), k.Kid) {
			t.Fatalf("%s: new key %s not rotated in or not published", alg, k.Kid)
		}
	}

	resp, body = do(t, s, "POST", "/admin/v1/signing-keys/rotate", testserver.AdminToken, "application/json", `{"algs":["HS256"]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "POST", "/admin/v1/signing-keys/rotate", testserver.AdminToken, "application/json", `{"algs":[]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
}

func TestRevokeUserTokens(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	p := mkParty(t, s, "", "ada@example.com")
	other := mkUser(t, s, "", "bob@example.com")
	s1, s2 := p.session(t, p.user), p.session(t, p.user)
	rts := []*oauth.RefreshToken{p.refresh(t, p.user, p.client, s1.ID), p.refresh(t, p.user, p.client, s2.ID), p.refresh(t, p.user, p.client, "")}
	rtBob := p.refresh(t, other, p.client, "")

	// Without a body: tokens only.
	resp, body := do(t, s, "POST", "/admin/v1/users/"+p.user+"/tokens/revoke", testserver.AdminToken, "", "")
	if resp.StatusCode != 200 || body["refresh_tokens_revoked"] != float64(3) || body["sessions_revoked"] != float64(0) {
		t.Fatalf("revoke tokens: %d %v", resp.StatusCode, body)
	}
	for _, rt := range rts {
		if !p.refreshRevoked(t, rt.ID) {
			t.Fatalf("refresh token %s not revoked", rt.ID)
		}
	}
	if p.refreshRevoked(t, rtBob.ID) || p.sessionRevoked(t, s1.ID) {
		t.Fatal("revoked another user's token, or a session without being asked")
	}
	rev := p.revocation(t, s, oauth.RevokeUser, p.user)
	if rev == nil || rev.ExpiresAt.Sub(rev.NotBefore) != 24*time.Hour || time.Since(rev.NotBefore) > time.Minute {
		t.Fatalf("revocation-list entry for the user's access tokens: %+v", rev)
	}

	// With sessions: the sessions too; refresh tokens revoked before are not counted again.
	r, err := s.Admin.RevokeUserTokensWithResponse(ctx, p.user, gen.UserTokenRevocation{Sessions: new(true)})
	if err != nil || r.JSON200 == nil || r.JSON200.RefreshTokensRevoked != 0 || r.JSON200.SessionsRevoked != 2 {
		t.Fatalf("revoke with sessions: %v %s", err, r.Body)
	}
	if !p.sessionRevoked(t, s1.ID) || !p.sessionRevoked(t, s2.ID) {
		t.Fatal("sessions not revoked")
	}

	resp, body = do(t, s, "POST", "/admin/v1/users/01936a00-0000-7000-8000-000000000000/tokens/revoke", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
	resp, body = do(t, s, "POST", "/admin/v1/users/"+p.user+"/tokens/revoke", testserver.AdminToken, "application/json", `{"sessions":"yes"}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "POST", "/admin/v1/users/"+p.user+"/tokens/revoke", testserver.AdminToken, "application/json", `{"all":true}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
}

// oauthPost posts a form to a protocol endpoint (outside the contract)
// with client_secret_basic authentication.
func oauthPost(t *testing.T, s *testserver.Server, path, clientID, secret string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := s.HTTP.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, raw)
	}
	return m
}

func TestRevokeClientTokensEndsAccessTokensAtOnce(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	p := mkParty(t, s, "", "ada@example.com")
	other, otherSecret := mkClient(t, s, "", "Other", "client_credentials")
	rt := p.refresh(t, p.user, p.client, "")
	rtOther := p.refresh(t, p.user, other, "")

	tok := oauthPost(t, s, "/oauth/token", p.client, p.secret, url.Values{"grant_type": {"client_credentials"}})
	at, _ := tok["access_token"].(string)
	otherAT, _ := oauthPost(t, s, "/oauth/token", other, otherSecret, url.Values{"grant_type": {"client_credentials"}})["access_token"].(string)
	if at == "" || otherAT == "" {
		t.Fatalf("token response: %v", tok)
	}
	introspect := func(token string) any {
		return oauthPost(t, s, "/oauth/introspect", p.client, p.secret, url.Values{"token": {token}})["active"]
	}
	if introspect(at) != true || introspect(otherAT) != true {
		t.Fatal("fresh tokens are not active")
	}

	r, err := s.Admin.RevokeClientTokensWithResponse(ctx, p.client)
	if err != nil || r.JSON200 == nil || r.JSON200.RefreshTokensRevoked != 1 {
		t.Fatalf("revoke: %v %s", err, r.Body)
	}
	// No waiting: this node's revocation cache applies the revocation at once.
	if introspect(at) != false {
		t.Fatal("the client's access token is still active")
	}
	if introspect(otherAT) != true || p.refreshRevoked(t, rtOther.ID) || !p.refreshRevoked(t, rt.ID) {
		t.Fatal("revoked another client's tokens, or not this client's refresh token")
	}

	resp, body := do(t, s, "POST", "/admin/v1/clients/nope/tokens/revoke", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, notFound)
}

func TestOAuthAdminScopes(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	p := mkParty(t, s, "", "ada@example.com")
	key := func(scopes ...gen.APIKeyScope) string {
		kr, err := s.Admin.CreateAPIKeyWithResponse(ctx, nil, gen.APIKeyCreate{Name: "k", Scopes: scopes})
		if err != nil || kr.JSON201 == nil {
			t.Fatalf("%v %s", err, kr.Body)
		}
		return kr.JSON201.Token
	}
	reader := key(gen.APIKeyScopeUsersRead, gen.APIKeyScopeClientsRead, gen.APIKeyScopeKeysRead)
	writer := key(gen.APIKeyScopeUsersWrite, gen.APIKeyScopeClientsWrite, gen.APIKeyScopeKeysWrite)
	users := "/admin/v1/users/" + p.user
	cases := []struct {
		method, path, ct, body string
		reader, writer         int
	}{
		{"GET", users + "/sessions", "", "", 200, 403},
		{"DELETE", users + "/sessions", "", "", 403, 204},
		{"DELETE", users + "/sessions/01936a00-0000-7000-8000-000000000000", "", "", 403, 404},
		{"GET", users + "/consents", "", "", 200, 403},
		{"DELETE", users + "/consents/" + p.client, "", "", 403, 404},
		{"POST", users + "/tokens/revoke", "application/json", `{}`, 403, 200},
		{"POST", "/admin/v1/clients/" + p.client + "/tokens/revoke", "", "", 403, 200},
		{"GET", "/admin/v1/signing-keys", "", "", 200, 403},
		{"POST", "/admin/v1/signing-keys/rotate", "application/json", `{"algs":["ES256"]}`, 403, 200},
	}
	for _, c := range cases {
		for _, who := range []struct {
			token string
			want  int
		}{{reader, c.reader}, {writer, c.writer}} {
			resp, body := do(t, s, c.method, c.path, who.token, c.ct, c.body)
			if resp.StatusCode != who.want {
				t.Errorf("%s %s: %d, want %d: %v", c.method, c.path, resp.StatusCode, who.want, body)
			}
			if who.want == 403 {
				wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
			}
		}
	}
}

func TestOAuthAdminTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	def := mkParty(t, s, "", "ada@example.com")
	acme := mkParty(t, s, "acme", "wile@acme.test")
	sess := acme.session(t, acme.user)
	acme.consent(t, acme.user, acme.client, "openid")
	rt := acme.refresh(t, acme.user, acme.client, sess.ID)

	// Through default-tenant paths, acme's user, session, consent and client do not exist.
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/v1/users/" + acme.user + "/sessions"},
		{"DELETE", "/admin/v1/users/" + acme.user + "/sessions"},
		{"DELETE", "/admin/v1/users/" + acme.user + "/sessions/" + sess.ID},
		{"DELETE", "/admin/v1/users/" + def.user + "/sessions/" + sess.ID},
		{"GET", "/admin/v1/users/" + acme.user + "/consents"},
		{"DELETE", "/admin/v1/users/" + acme.user + "/consents/" + acme.client},
		{"POST", "/admin/v1/users/" + acme.user + "/tokens/revoke"},
		{"POST", "/admin/v1/clients/" + acme.client + "/tokens/revoke"},
	} {
		resp, body := do(t, s, c.method, c.path, testserver.AdminToken, "", "")
		wantProblem(t, resp, body, 404, notFound)
	}
	if acme.sessionRevoked(t, sess.ID) || acme.refreshRevoked(t, rt.ID) || acme.revocation(t, s, oauth.RevokeUser, acme.user) != nil {
		t.Fatal("a request through the default tenant touched acme's state")
	}
	if _, err := acme.sc.Store.Consents().Get(ctx, acme.sc.Tenant.ID, acme.user, acme.client); err != nil {
		t.Fatalf("acme's consent: %v", err)
	}

	// Through acme's paths they do.
	lr, err := s.Admin.ListTenantUserSessionsWithResponse(ctx, "acme", acme.user, nil)
	if err != nil || lr.JSON200 == nil || !slices.Equal(sessionIDs(lr.JSON200.Items), []string{sess.ID}) {
		t.Fatalf("acme sessions: %v %s", err, lr.Body)
	}
	cr, err := s.Admin.ListTenantUserConsentsWithResponse(ctx, "acme", acme.user, nil)
	if err != nil || cr.JSON200 == nil || len(cr.JSON200.Items) != 1 {
		t.Fatalf("acme consents: %v %s", err, cr.Body)
	}
	if r, _ := s.Admin.RevokeTenantUserSessionWithResponse(ctx, "acme", acme.user, sess.ID); r.StatusCode() != 204 {
		t.Fatalf("acme revoke session: %d %s", r.StatusCode(), r.Body)
	}
	if !acme.sessionRevoked(t, sess.ID) || !acme.refreshRevoked(t, rt.ID) || acme.revocation(t, s, oauth.RevokeSession, sess.ID) == nil ||
		def.revocation(t, s, oauth.RevokeSession, sess.ID) != nil {
		t.Fatal("acme's session revocation went wrong or to the wrong tenant")
	}
	if r, _ := s.Admin.RevokeTenantUserConsentWithResponse(ctx, "acme", acme.user, acme.client); r.StatusCode() != 204 {
		t.Fatalf("acme revoke consent: %d %s", r.StatusCode(), r.Body)
	}
	if r, _ := s.Admin.RevokeTenantUserTokensWithResponse(ctx, "acme", acme.user, gen.UserTokenRevocation{}); r.JSON200 == nil {
		t.Fatalf("acme revoke user tokens: %s", r.Body)
	}
	if r, _ := s.Admin.RevokeTenantClientTokensWithResponse(ctx, "acme", acme.client); r.JSON200 == nil {
		t.Fatalf("acme revoke client tokens: %s", r.Body)
	}

	// Each tenant has its own keys; rotating acme's leaves the default tenant's alone.
	dk, _ := s.Admin.GetSigningKeysWithResponse(ctx)
	ak, _ := s.Admin.GetTenantSigningKeysWithResponse(ctx, "acme")
	if dk.JSON200 == nil || ak.JSON200 == nil {
		t.Fatalf("keys: %s %s", dk.Body, ak.Body)
	}
	rr, err := s.Admin.RotateTenantSigningKeysWithResponse(ctx, "acme", nil, gen.SigningKeyRotation{Algs: &[]gen.SigningKeyAlg{gen.SigningKeyAlgES256}})
	if err != nil || rr.JSON200 == nil {
		t.Fatalf("acme rotate: %v %s", err, rr.Body)
	}
	acmeActive, _ := keysByStatus(rr.JSON200.Items)
	defKids, acmeKids := jwksKids(t, s, "/keys"), jwksKids(t, s, "/t/acme/keys")
	for _, k := range dk.JSON200.Items {
		if slices.Contains(acmeKids, k.Kid) {
			t.Fatalf("default key %s in acme's JWKS", k.Kid)
		}
	}
	if slices.Contains(defKids, acmeActive[gen.SigningKeyAlgES256].Kid) || !slices.Contains(acmeKids, acmeActive[gen.SigningKeyAlgES256].Kid) {
		t.Fatal("acme's new key is published in the wrong JWKS")
	}
	if again, _ := s.Admin.GetSigningKeysWithResponse(ctx); string(again.Body) != string(dk.Body) {
		t.Fatal("rotating acme's keys changed the default tenant's")
	}

	// A key of acme reaches acme only.
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "acme", nil, gen.APIKeyCreate{Name: "acme ops", Scopes: []gen.APIKeyScope{gen.APIKeyScopeAdmin}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	for _, path := range []string{"/admin/v1/signing-keys", "/admin/v1/users/" + def.user + "/sessions"} {
		resp, body := do(t, s, "GET", path, kr.JSON201.Token, "", "")
		wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	}
	if resp, body := do(t, s, "GET", "/admin/v1/tenants/acme/signing-keys", kr.JSON201.Token, "", ""); resp.StatusCode != 200 {
		t.Fatalf("acme key on acme: %d %v", resp.StatusCode, body)
	}
}

func val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

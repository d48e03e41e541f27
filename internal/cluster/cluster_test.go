package cluster_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Several nodes in one process: test servers on one PostgreSQL schema, each
// with its own pool and its own change listener, sharing one issuer as a
// deployment behind a load balancer does.

// converge is how soon a change on one node must show on the others (the
// bus delivers in milliseconds; without it the caches take 2-30 s).
const converge = time.Second

const issuer = "http://gatehouse.test"

func requirePostgres(t *testing.T) string {
	t.Helper()
	if os.Getenv(pgtest.DSNEnv) == "" && os.Getenv("CI") != "" {
		t.Fatal(pgtest.DSNEnv + " is not set: CI runs the multi-node tests on PostgreSQL")
	}
	return pgtest.SchemaURL(t, "cluster")
}

// startNodes starts n servers on the database at dbURL and waits until each
// listens for changes.
func startNodes(t *testing.T, dbURL string, n int) []*testserver.Server {
	t.Helper()
	env := map[string]string{"GATEHOUSE_DATABASE": dbURL, "GATEHOUSE_ISSUER": issuer}
	var out []*testserver.Server
	for range n {
		s := testserver.New(t, testserver.Options{Env: env})
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan struct{})
		done := make(chan struct{})
		go func() { defer close(done); s.App.RunCluster(ctx, func() { close(ready) }) }()
		t.Cleanup(func() { cancel(); <-done })
		select {
		case <-ready:
		case <-time.After(30 * time.Second):
			t.Fatal("node never listened for changes")
		}
		out = append(out, s)
	}
	return out
}

// eventually polls cond until it holds and returns how long that took; it
// fails the test if it does not hold within converge.
func eventually(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		if cond() {
			d := time.Since(start)
			t.Logf("%s after %v", what, d.Round(time.Millisecond))
			return d
		}
		if time.Since(start) > converge {
			t.Fatalf("%s: not within %v", what, converge)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func postForm(t *testing.T, u, user, pass string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// token runs a client-credentials grant; "" if refused.
func token(t *testing.T, node *testserver.Server, id, secret string) string {
	t.Helper()
	code, out := postForm(t, node.URL+"/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}})
	if code != http.StatusOK {
		return ""
	}
	return out["access_token"].(string)
}

func active(t *testing.T, node *testserver.Server, id, secret, tok string) bool {
	t.Helper()
	code, out := postForm(t, node.URL+"/oauth/introspect", id, secret, url.Values{"token": {tok}})
	if code != http.StatusOK {
		t.Fatalf("introspection: %d %v", code, out)
	}
	return out["active"] == true
}

func mkClient(t *testing.T, node *testserver.Server) (id, secret string) {
	t.Helper()
	r, err := node.Admin.CreateClientWithResponse(t.Context(), nil, gen.ClientCreate{ClientName: "svc",
		GrantTypes: &[]gen.GrantType{gen.GrantTypeClientCredentials}})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("create client: %v %s", err, r.Body)
	}
	return r.JSON201.ClientID, *r.JSON201.ClientSecret
}

func TestNodesAgree(t *testing.T) {
	dbURL := requirePostgres(t)
	nodes := startNodes(t, dbURL, 3)
	a, b, c := nodes[0], nodes[1], nodes[2]

	t.Run("OneKeyPerTenantWhenStartingTogether", func(t *testing.T) {
		var wg sync.WaitGroup
		for _, n := range nodes {
			wg.Go(func() {
				def, err := n.App.Directory.Resolve(t.Context(), "")
				if err != nil {
					t.Error(err)
					return
				}
				if _, _, err := n.App.SigningKeys.JWKS(t.Context(), def.Tenant.ID); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		def, _ := a.App.Directory.Resolve(t.Context(), "")
		rows, err := a.App.SigningKeys.List(t.Context(), def.Tenant.ID)
		if err != nil {
			t.Fatal(err)
		}
		perAlg := map[string]int{}
		for _, r := range rows {
			perAlg[r.Alg]++
		}
		if len(rows) != 2 || perAlg[keys.RS256] != 1 || perAlg[keys.ES256] != 1 {
			t.Fatalf("keys after 3 nodes started together: %v, want one RS256 and one ES256", perAlg)
		}
	})

	id, secret := mkClient(t, a)

	t.Run("TokenFromAnyNodeVerifiesEverywhere", func(t *testing.T) {
		for i, issuing := range nodes {
			tok := token(t, issuing, id, secret)
			if tok == "" {
				t.Fatalf("node %d refused the client", i)
			}
			for j, n := range nodes {
				if !active(t, n, id, secret, tok) {
					t.Fatalf("a token of node %d is inactive on node %d", i, j)
				}
			}
		}
	})

	t.Run("RotatedKeyVerifiesEverywhereAtOnce", func(t *testing.T) {
		if r, err := a.Admin.RotateSigningKeysWithResponse(t.Context(), nil, gen.SigningKeyRotation{}); err != nil || r.StatusCode() != http.StatusOK {
			t.Fatalf("rotate: %v %v", err, r)
		}
		tok := token(t, a, id, secret)
		eventually(t, "node B verifies a token signed with node A's new key", func() bool { return active(t, b, id, secret, tok) })
		// Node C signs with the new key too, once told.
		eventually(t, "node C's tokens verify on A", func() bool {
			tc := token(t, c, id, secret)
			return active(t, a, id, secret, tc) && keyID(t, tc) == keyID(t, tok)
		})
	})

	t.Run("ClientSecretRotation", func(t *testing.T) {
		if token(t, b, id, secret) == "" { // B caches the client
			t.Fatal("B refuses the client")
		}
		r, err := a.Admin.RotateClientSecretWithResponse(t.Context(), id, nil)
		if err != nil || r.JSON200 == nil {
			t.Fatalf("rotate secret: %v %v", err, r)
		}
		fresh := r.JSON200.ClientSecret
		eventually(t, "B refuses the old secret and accepts the new one", func() bool {
			return token(t, b, id, secret) == "" && token(t, b, id, fresh) != ""
		})
		secret = fresh
	})

	t.Run("Revocation", func(t *testing.T) {
		tok := token(t, a, id, secret)
		if !active(t, b, id, secret, tok) || !active(t, c, id, secret, tok) { // B and C cache it as verified
			t.Fatal("fresh token inactive")
		}
		if code, out := postForm(t, a.URL+"/revoke", id, secret, url.Values{"token": {tok}}); code != http.StatusOK {
			t.Fatalf("revoke: %d %v", code, out)
		}
		eventually(t, "B and C introspect the revoked token inactive", func() bool {
			return !active(t, b, id, secret, tok) && !active(t, c, id, secret, tok)
		})
	})

	t.Run("DisabledUser", func(t *testing.T) {
		pw := rand.Text()
		r, err := a.Admin.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapi_types.Email("dis@example.com"), Password: &pw})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create user: %v %v", err, r)
		}
		at := b.SignIn(t, "", "dis@example.com", pw, "openid")
		userinfo := func(n *testserver.Server) int {
			req, _ := http.NewRequest(http.MethodGet, n.URL+"/userinfo", nil)
			req.Header.Set("Authorization", "Bearer "+at)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if userinfo(b) != http.StatusOK || userinfo(c) != http.StatusOK {
			t.Fatal("userinfo refused before the user was disabled")
		}
		if d, err := a.Admin.DisableUserWithResponse(t.Context(), r.JSON201.ID); err != nil || d.StatusCode() != http.StatusOK {
			t.Fatalf("disable: %v %v", err, d)
		}
		eventually(t, "B and C refuse the disabled user", func() bool {
			return userinfo(b) == http.StatusUnauthorized && userinfo(c) == http.StatusUnauthorized
		})
	})
}

// keyID returns the kid in a JWS header.
func keyID(t *testing.T, jws string) string {
	t.Helper()
	var h struct {
		Kid string `json:"kid"`
	}
	head, _, _ := strings.Cut(jws, ".")
	b, err := base64URL(head)
	if err != nil || json.Unmarshal(b, &h) != nil {
		t.Fatalf("bad JWS header %q", head)
	}
	return h.Kid
}

func base64URL(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

package cli_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

const opsAdminToken = "ops-test-admin-token-0123456789abcdef"

// opsServe starts serve on a free loopback port whose URL is also the
// issuer (so discovery, redirects and the login API agree), with a known
// admin token.
func opsServe(t *testing.T, env map[string]string) *proc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	env = serveEnv(maps.Clone(env))
	env["GATEHOUSE_ADDR"], env["GATEHOUSE_ISSUER"], env["GATEHOUSE_ADMIN_TOKEN"] = addr, "http://"+addr, opsAdminToken
	p := startServe(t, env)
	p.waitReady()
	return p
}

// opsBrowser is a client with a cookie jar that does not follow redirects,
// whose answers are checked against the contract where it covers them.
func opsBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The protocol endpoints are outside the contract.
	c := apitest.Client(t, apitest.UncheckedPrefix("/.well-known/", "/authorize", "/oauth/"))
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// opsDo sends a JSON or form request with c (a bearer token for the Admin
// API, basic client credentials as user:password) and decodes a JSON answer
// into out.
func opsDo(t *testing.T, c *http.Client, method, u, bearer string, body any, out any) *http.Response {
	t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if user, pw, ok := strings.Cut(bearer, ":"); ok {
		req.SetBasicAuth(user, pw)
	} else if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && json.Unmarshal(raw, out) != nil {
		t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, raw)
	}
	return resp
}

// signIn runs a code flow with PKCE through the headless login API in
// browser b and returns the token endpoint's status: the user's password
// hash, the client's secret hash and the sealed signing keys must all work
// (and the device cookie, or the risk engine asks for a second factor).
func signIn(t *testing.T, b *http.Client, p *proc, clientID, clientSecret, email, password string) int {
	t.Helper()
	var disc struct{ AuthorizationEndpoint, TokenEndpoint string }
	var raw map[string]any
	opsDo(t, b, http.MethodGet, p.url+"/.well-known/openid-configuration", "", nil, &raw)
	disc.AuthorizationEndpoint, _ = raw["authorization_endpoint"].(string)
	disc.TokenEndpoint, _ = raw["token_endpoint"].(string)
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {clientID}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s1"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	resp := opsDo(t, b, http.MethodGet, disc.AuthorizationEndpoint+"?"+q.Encode(), "", nil, nil)
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize: %d without a redirect", resp.StatusCode)
	}
	var res struct {
		Status     string `json:"status"`
		RedirectTo string `json:"redirect_to"`
	}
	opsDo(t, b, http.MethodPost, p.url+"/login/api/authenticate", "", map[string]string{
		"auth_request_id": loc.Query().Get("authRequestID"), "identifier": email, "password": password}, &res)
	cb, err := url.Parse(res.RedirectTo)
	if res.Status != "complete" || err != nil || cb.Query().Get("code") == "" {
		t.Fatalf("sign-in: %+v", res)
	}
	var tok map[string]any
	resp = opsDo(t, b, http.MethodPost, disc.TokenEndpoint, clientID+":"+clientSecret, url.Values{
		"grant_type": {"authorization_code"}, "code": {cb.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1:9/cb"},
		"code_verifier": {verifier}}, &tok)
	if resp.StatusCode == http.StatusOK && tok["id_token"] == nil {
		t.Fatalf("token response without an ID token: %v", tok)
	}
	return resp.StatusCode
}

// A backup taken while the server serves (and writes) restores into a new
// data directory, where a server lists the user and signs them in with
// their password through a client whose secret was made before the
// backup. A running server's database, a foreign file, a newer schema and
// the wrong secret key are all refused, and PostgreSQL gets the pg_dump
// procedure.
func TestBackupRestoreSignIn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := baseEnv(t, "sqlite:"+filepath.Join(dir, "gatehouse.db"))
	srv := opsServe(t, env)
	b := opsBrowser(t) // one browser: the restored server must know its device too

	const email, password = "ada@example.org", "correct horse battery staple"
	var user map[string]any
	if r := opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/users", opsAdminToken,
		map[string]any{"email": email, "password": password, "email_verified": true}, &user); r.StatusCode != http.StatusCreated {
		t.Fatalf("create user: %d %v", r.StatusCode, user)
	}
	var client map[string]any
	opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/clients", opsAdminToken, map[string]any{
		"client_name": "App", "redirect_uris": []string{"http://127.0.0.1:9/cb"}, "grant_types": []string{"authorization_code"},
		"response_types": []string{"code"}, "token_endpoint_auth_method": "client_secret_basic", "scope": "openid",
		"metadata": map[string]any{"first_party": true}}, &client)
	clientID, _ := client["client_id"].(string)
	clientSecret, _ := client["client_secret"].(string)
	if code := signIn(t, b, srv, clientID, clientSecret, email, password); code != http.StatusOK {
		t.Fatalf("sign-in before the backup: %d", code)
	}

	// Writes go on during the backup; every one must succeed.
	var stop atomic.Bool
	var writes sync.WaitGroup
	var failed atomic.Int32
	writes.Go(func() {
		for i := 0; !stop.Load(); i++ {
			req, _ := http.NewRequest(http.MethodPost, srv.url+"/admin/v1/users",
				strings.NewReader(`{"email":"w`+strconv.Itoa(i)+`@example.org"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+opsAdminToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				failed.Add(1)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				failed.Add(1)
			}
		}
	})
	out := filepath.Join(t.TempDir(), "gatehouse-backup.db")
	r := mustRun(t, env, "backup", "--out", out)
	stop.Store(true)
	writes.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d writes failed during the backup", failed.Load())
	}
	if !strings.Contains(r.stdout, "backed up") || !strings.Contains(r.stdout, "1 tenant(s)") {
		t.Errorf("backup output: %s", r)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", st, err)
	}
	if r := run(t, env, "backup", "--out", out); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("backup over an existing file:\n%s", r)
	}
	if r := run(t, env, "restore", "--from", out); r.code != 1 || !strings.Contains(r.stderr, "in use") {
		t.Errorf("restore over the running server's database:\n%s", r)
	}

	restored := baseEnv(t, "sqlite:"+filepath.Join(t.TempDir(), "data", "gatehouse.db"))
	wrongKey := maps.Clone(restored)
	wrongKey["GATEHOUSE_SECRET_KEY"] = "another-secret-key-0123456789abcdefghij"
	if r := run(t, wrongKey, "restore", "--from", out); r.code != 1 || !strings.Contains(r.stderr, "do not open with GATEHOUSE_SECRET_KEY") {
		t.Errorf("restore under another secret key:\n%s", r)
	}
	r = mustRun(t, restored, "restore", "--from", out)
	if !strings.Contains(r.stdout, "restored") || strings.Contains(r.stdout, "not checked") {
		t.Errorf("restore output: %s", r)
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}

	again := opsServe(t, restored)
	var list struct {
		Items []map[string]any `json:"items"`
	}
	opsDo(t, b, http.MethodGet, again.url+"/admin/v1/users?email="+url.QueryEscape(email), opsAdminToken, nil, &list)
	if len(list.Items) != 1 || list.Items[0]["id"] != user["id"] {
		t.Fatalf("the restored server lists %v, want user %v", list.Items, user["id"])
	}
	if code := signIn(t, b, again, clientID, clientSecret, email, password); code != http.StatusOK {
		t.Fatalf("sign-in on the restored database: token endpoint %d", code)
	}
	if code := again.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// restore checks what it is given before it touches the database.
func TestRestoreRefusesForeignFiles(t *testing.T) {
	t.Parallel()
	env := baseEnv(t, sqliteURL(t))
	mustRun(t, env, "migrate", "up")
	good := filepath.Join(t.TempDir(), "good.db")
	mustRun(t, env, "backup", "--out", good)

	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	_ = os.WriteFile(text, []byte("not a database at all, but long enough to be read as one"), 0o600)
	other := filepath.Join(dir, "other.db")
	newer := filepath.Join(dir, "newer.db")
	for _, f := range []struct {
		path  string
		stmts []string
	}{
		{other, []string{`CREATE TABLE notes (body TEXT)`}},
		{newer, nil},
	} {
		src := good
		if f.path == other {
			src = ""
		}
		if src != "" {
			b, _ := os.ReadFile(src)
			_ = os.WriteFile(f.path, b, 0o600)
		}
		db, err := sql.Open("sqlite", "file:"+f.path)
		if err != nil {
			t.Fatal(err)
		}
		stmts := f.stmts
		if f.path == newer {
			stmts = []string{`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`}
		}
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		_ = db.Close()
	}

	target := baseEnv(t, "sqlite:"+filepath.Join(t.TempDir(), "gatehouse.db"))
	for _, tc := range []struct{ from, want string }{
		{text, "not a Gatehouse database"},
		{other, "not a Gatehouse database"},
		{newer, "migration 99999 is unknown"},
		{filepath.Join(dir, "missing.db"), "no such file"},
	} {
		if r := run(t, target, "restore", "--from", tc.from); r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("restore --from %s: want %q\n%s", filepath.Base(tc.from), tc.want, r)
		}
	}
	if _, err := os.Stat(strings.TrimPrefix(target["GATEHOUSE_DATABASE"], "sqlite:")); err == nil {
		t.Error("a refused restore created the database")
	}
	if r := mustRun(t, target, "restore", "--from", good); !strings.Contains(r.stdout, "restored") {
		t.Errorf("restore of a good backup: %s", r)
	}
}

// PostgreSQL is backed up with its own tools: the commands say how.
func TestBackupOnPostgresPrintsProcedure(t *testing.T) {
	t.Parallel()
	env := baseEnv(t, "postgres://gatehouse:secret-pw@127.0.0.1:1/gatehouse")
	for _, args := range [][]string{{"backup", "--out", filepath.Join(t.TempDir(), "x")}, {"restore", "--from", "x"}} {
		r := run(t, env, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "pg_dump --format=custom") || !strings.Contains(r.stderr, "pg_restore") ||
			strings.Contains(r.stderr, "secret-pw") {
			t.Errorf("%s on PostgreSQL:\n%s", args[0], r)
		}
	}
	mem := baseEnv(t, "sqlite::memory:")
	if r := run(t, mem, "backup", "--out", filepath.Join(t.TempDir(), "x")); r.code != 1 || !strings.Contains(r.stderr, "in-memory") {
		t.Errorf("backup of an in-memory database:\n%s", r)
	}
}

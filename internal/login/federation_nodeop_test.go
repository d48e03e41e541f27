package login_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Federated sign-in through the hosted pages against panva's
// oidc-provider (node, testdata/nodeop/op.mjs) on loopback: an OpenID
// provider written independently of Gatehouse and of the Go libraries it
// uses. Without node or the npm package (npm ci in testdata/nodeop) the
// test is skipped, except in CI, which must run it.

const nodeOPEmail = "node-user@example.org"

// startNodeOP starts op.mjs with Gatehouse registered under redirectURI
// and returns its issuer.
func startNodeOP(t *testing.T, redirectURI string) string {
	t.Helper()
	dir := "testdata/nodeop"
	_, errNode := exec.LookPath("node")
	_, errPkg := os.Stat(dir + "/node_modules/oidc-provider/package.json")
	if errNode != nil || errPkg != nil {
		msg := "oidc-provider unavailable (node: %v, package: %v): run npm ci in internal/login/testdata/nodeop"
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, errNode, errPkg)
		}
		t.Skipf(msg, errNode, errPkg)
	}
	cfg, _ := json.Marshal(map[string]string{"client_id": "gatehouse", "client_secret": "node-s3cret",
		"redirect_uri": redirectURI, "email": nodeOPEmail})
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "node", "op.mjs", string(cfg))
	cmd.Dir = dir
	stdin, _ := cmd.StdinPipe() // closed at cleanup: the OP exits
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cancel()
			<-done
		}
		cancel()
		if t.Failed() {
			t.Logf("oidc-provider's stderr:\n%s", stderr.String())
		}
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
	}()
	var out struct{ Issuer string }
	select {
	case l := <-line:
		if err := json.Unmarshal([]byte(l), &out); err != nil || out.Issuer == "" {
			t.Fatalf("oidc-provider did not start: %q %v\n%s", l, err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("oidc-provider did not start within 30 s\n%s", stderr.String())
	}
	return out.Issuer
}

// atNodeOP signs in at oidc-provider's development interactions (login
// form, then consent) from its authorization URL, and returns the
// callback URL it sends the browser back to.
func atNodeOP(t *testing.T, b *browser, op string, authURL *url.URL) *url.URL {
	t.Helper()
	next := authURL
	for range 10 {
		if !strings.HasPrefix(next.String(), op) {
			return next
		}
		r := b.get(next.String())
		if r.status >= 300 && r.status < 400 {
			next = r.location(t)
			continue
		}
		if r.status != http.StatusOK {
			t.Fatalf("oidc-provider at %s: %d %.800s", next, r.status, r.body)
		}
		f := r.form(t, "prompt")
		if f.values.Get("prompt") == "login" {
			f.values.Set("login", "node-user-1")
			f.values.Set("password", "any")
		}
		action, err := r.url.Parse(f.action)
		if err != nil {
			t.Fatal(err)
		}
		next = b.post(action.String(), f.values).location(t)
	}
	t.Fatalf("oidc-provider never sent the browser back (last %s)", next)
	return nil
}

func TestFederatedSignInThroughNodeOIDCProvider(t *testing.T) {
	e := newEnv(t)
	redirect := e.issuer("") + "/login/connections/nodeop/callback"
	op := startNodeOP(t, redirect)
	out := e.createConnection(map[string]any{"id": "nodeop", "type": "oidc", "display_name": "Node OP", "issuer": op,
		"client_id": "gatehouse", "client_secret": "node-s3cret"})
	if out["redirect_uri"] != redirect {
		t.Fatalf("redirect_uri = %v, want %s", out["redirect_uri"], redirect)
	}
	client := e.createClient(clientSpec{name: "First App", firstParty: true})
	signIn := func() idClaims {
		t.Helper()
		b := newBrowser(t)
		a := newAuthz(client, "openid email profile")
		page := b.startLogin(e.issuer(""), a)
		href, name := button(t, page, "nodeop")
		if !strings.Contains(name, "Node OP") {
			t.Fatalf("button name %q", name)
		}
		toOP := b.get(e.srv.URL + href).location(t)
		if !strings.HasPrefix(toOP.String(), op) || toOP.Query().Get("code_challenge_method") != "S256" ||
			toOP.Query().Get("nonce") == "" {
			t.Fatalf("start sent the browser to %s", toOP)
		}
		back := atNodeOP(t, b, op, toOP)
		if !strings.HasPrefix(back.String(), redirect) {
			t.Fatalf("oidc-provider sent the browser to %s", back)
		}
		_, id := e.exchange(a, a.callback(t, b.get(back.String())))
		return id
	}
	id := signIn()
	if id.Email != nodeOPEmail || !id.EmailVerified {
		t.Fatalf("ID token: %+v", id)
	}
	if amr, _ := id.All["amr"].([]any); len(amr) != 1 || amr[0] != "fed" {
		t.Errorf("amr = %v", id.All["amr"])
	}
	// A second sign-in (a new browser) reuses the identity.
	if again := signIn(); again.Subject != id.Subject {
		t.Fatalf("second sign-in is user %s, first %s", again.Subject, id.Subject)
	}
	u, err := e.srv.Admin.GetUserWithResponse(context.Background(), id.Subject)
	if err != nil || u.JSON200 == nil || u.JSON200.Identities == nil || len(*u.JSON200.Identities) != 1 ||
		(*u.JSON200.Identities)[0].Subject != "node-user-1" {
		t.Fatalf("provisioned user: %v %s", err, u.Body)
	}
}

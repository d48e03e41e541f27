package gateway_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/gateway"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// issuer is a minimal OpenID provider for claims Gatehouse does not issue
// yet (region, acr on client tokens) and for broken tokens: discovery and
// a JWKS on loopback, and a signer.
type issuer struct {
	URL  string
	mu   sync.Mutex
	key  *ecdsa.PrivateKey
	kid  string
	old  []jose.JSONWebKey
	jwks int // JWKS fetches
}

func newIssuer(t testing.TB) *issuer {
	t.Helper()
	is := &issuer{}
	is.rotate()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": is.URL, "jwks_uri": is.URL + "/keys"})
		case "/keys":
			is.mu.Lock()
			is.jwks++
			set := jose.JSONWebKeySet{Keys: append([]jose.JSONWebKey{{Key: is.key.Public(), KeyID: is.kid, Algorithm: "ES256", Use: "sig"}}, is.old...)}
			is.mu.Unlock()
			_ = json.NewEncoder(w).Encode(set)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	is.URL = srv.URL
	return is
}

// rotate makes a new signing key; the old one stays published.
func (is *issuer) rotate() {
	is.mu.Lock()
	defer is.mu.Unlock()
	if is.key != nil {
		is.old = append(is.old, jose.JSONWebKey{Key: is.key.Public(), KeyID: is.kid, Algorithm: "ES256", Use: "sig"})
	}
	is.key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	is.kid = "k" + rand.Text()[:8]
}

func (is *issuer) fetches() int { is.mu.Lock(); defer is.mu.Unlock(); return is.jwks }

// token signs claims over defaults (iss, sub, aud billing, scope, exp in 5 min).
func (is *issuer) token(t testing.TB, claims map[string]any) string {
	t.Helper()
	return is.sign(t, "at+jwt", nil, claims)
}

func (is *issuer) sign(t testing.TB, typ string, key *ecdsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	now := time.Now()
	c := map[string]any{"iss": is.URL, "sub": "user-1", "client_id": "client-1", "aud": billingAud,
		"scope": "invoices:read", "exp": now.Add(5 * time.Minute).Unix(), "iat": now.Unix(), "jti": rand.Text()}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	is.mu.Lock()
	kid := is.kid
	if key == nil {
		key = is.key
	}
	is.mu.Unlock()
	opts := (&jose.SignerOptions{}).WithHeader("kid", kid)
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(c)
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

const billingAud = "https://api.example.com/billing"

// seen is what the upstream received.
type seen struct {
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Query  string      `json:"query"`
	Header http.Header `json:"header"`
	Host   string      `json:"host"`
	Name   string      `json:"name"`
}

// upstream is an API behind the gateway: it echoes the request as JSON.
// /status/NNN answers NNN, /slow waits 3 s, /ws upgrades and echoes lines.
type upstream struct {
	URL  string
	mu   sync.Mutex
	hits int
}

func newUpstream(t testing.TB, name string) *upstream {
	t.Helper()
	u := &upstream{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.hits++
		u.mu.Unlock()
		switch {
		case strings.HasPrefix(r.URL.Path, "/status/429") || strings.HasSuffix(r.URL.Path, "/status/429"):
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case strings.HasSuffix(r.URL.Path, "/status/401"):
			w.WriteHeader(http.StatusUnauthorized)
			return
		case strings.HasSuffix(r.URL.Path, "/slow"):
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		case strings.HasSuffix(r.URL.Path, "/ws"):
			if r.Header.Get("Upgrade") != "websocket" {
				http.Error(w, "want upgrade", 400)
				return
			}
			conn, rw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
			_ = rw.Flush()
			for {
				line, err := rw.ReadString('\n')
				if err != nil {
					return
				}
				_, _ = rw.WriteString("echo " + line)
				_ = rw.Flush()
			}
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header, Host: r.Host, Name: name})
	}))
	t.Cleanup(srv.Close)
	u.URL = srv.URL
	return u
}

func (u *upstream) count() int { u.mu.Lock(); defer u.mu.Unlock(); return u.hits }

// logBuf collects the gateway's log.
type logBuf = testserver.SyncBuffer

// startGateway serves yaml (with ISSUER and UPSTREAM placeholders
// replaced by the caller) on loopback.
func startGateway(t testing.TB, yaml string, opts gateway.Options) (*gateway.Gateway, string, *logBuf) {
	t.Helper()
	cfg, err := gateway.Parse([]byte(yaml))
	if err != nil {
		t.Fatalf("config: %v\n%s", err, yaml)
	}
	logs := &logBuf{}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.KeyRefreshInterval == 0 {
		opts.KeyRefreshInterval = time.Nanosecond
	}
	g, err := gateway.New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv.URL, logs
}

func loopback() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

type reply struct {
	Status int
	Header http.Header
	Body   []byte
	Seen   seen
	Prob   map[string]any
}

func call(t testing.TB, method, url, token string, hdr map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header[k] = []string{v} // as written: underscores and case kept
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		_ = json.Unmarshal(b, &r.Prob)
	} else if resp.StatusCode == 200 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(b, &r.Seen)
	}
	return r
}

// wantProblem checks status, problem type and content type.
func wantProblem(t testing.TB, r reply, status int, typ string) {
	t.Helper()
	if r.Status != status || r.Prob["type"] != typ {
		t.Fatalf("got %d %s %s, want %d %s", r.Status, r.Header.Get("Content-Type"), r.Body, status, typ)
	}
}

// rawWS opens a WebSocket-style upgrade through addr and echoes one line.
func rawWS(t testing.TB, base, path, token string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nAuthorization: Bearer "+token+"\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("upgrade: %d %s", resp.StatusCode, b)
	}
	_, _ = io.WriteString(conn, "hello\n")
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return line
}

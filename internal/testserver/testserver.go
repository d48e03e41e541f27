// Package testserver starts a complete Gatehouse on loopback for tests:
// real configuration, a real database (SQLite in a temp dir, or PostgreSQL
// in its own schema), the real handler stack, and a generated API client
// whose every response is checked against the contract.
package testserver

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/console"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// AdminToken is the bootstrap token every test server accepts.
const AdminToken = "test-admin-token-0123456789abcdef"

// Server is a running test instance.
type Server struct {
	URL   string
	App   *app.App
	Logs  *SyncBuffer
	HTTP  *http.Client // validates every response against the contract
	Admin *gen.ClientWithResponses
	// Handler is the root handler, for in-process benchmarks.
	Handler http.Handler
}

// Options adjust the instance.
type Options struct {
	// Env overrides configuration variables (GATEHOUSE_*).
	Env map[string]string
	// LoopbackIssuer picks a free 127.0.0.1 port before start, sets
	// GATEHOUSE_ISSUER to http://127.0.0.1:PORT and serves on it, so the
	// issuer equals URL, as OpenID Connect discovery requires. It takes
	// precedence over a GATEHOUSE_ISSUER in Env.
	LoopbackIssuer bool
	// LocalhostIssuer is LoopbackIssuer with the issuer named
	// http://localhost:PORT: WebAuthn needs a domain as relying-party ID.
	LocalhostIssuer bool
	// Now is the clock of the MFA service and the hosted login; nil means
	// time.Now.
	Now func() time.Time
	// ProviderNow is the clock of the OAuth/OIDC provider; nil means
	// time.Now.
	ProviderNow func() time.Time
	// UpstreamBaseURLs point the social presets (github, microsoft,
	// apple, github_api) at fakes on loopback.
	UpstreamBaseURLs map[string]string
	// Events receives the hosted login's sign-in events.
	Events events.Recorder
	// AccountEvents receives the account service's events (registration,
	// password and email changes, deletions).
	AccountEvents events.Recorder
	// ConsoleAnalytics feeds the admin console's dashboard; nil shows
	// that analytics are not configured.
	ConsoleAnalytics console.Analytics
}

// New starts a server and stops it when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"GATEHOUSE_DATABASE":          "sqlite:" + filepath.Join(dir, "gatehouse.db"),
		"GATEHOUSE_DATA_DIR":          dir,
		"GATEHOUSE_ADMIN_TOKEN":       AdminToken,
		"GATEHOUSE_SECRET_KEY":        "test-secret-key-0123456789abcdef0123456789",
		"GATEHOUSE_ARGON2_MEMORY_KIB": "8192", // cheap hashes keep the suite fast
		"GATEHOUSE_ARGON2_TIME":       "1",
		"GATEHOUSE_LOG_LEVEL":         "debug",
	}
	for k, v := range opts.Env {
		env[k] = v
	}
	var ln net.Listener
	if opts.LoopbackIssuer || opts.LocalhostIssuer {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ln.Close() }) // in case the server never takes it over
		env["GATEHOUSE_ISSUER"] = "http://" + ln.Addr().String()
		if opts.LocalhostIssuer {
			env["GATEHOUSE_ISSUER"] = "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		}
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &SyncBuffer{}
	log := httpx.NewLogger(logs, "json", cfg.LogLevel)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, log, app.Options{Migrate: true, Now: opts.Now, ProviderNow: opts.ProviderNow,
		Events: opts.Events, AccountEvents: opts.AccountEvents, UpstreamBaseURLs: opts.UpstreamBaseURLs, ConsoleAnalytics: opts.ConsoleAnalytics})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	// Stop the background work, then wait for it and close (a.Close).
	t.Cleanup(func() {
		cancel()
		_ = a.Close()
	})
	auth, _, err := a.Directory.Bootstrap(ctx, cfg.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := a.Handlers(ctx, auth)
	if err != nil {
		t.Fatal(err)
	}
	h := hs.Main
	ts := httptest.NewUnstartedServer(h)
	if ln != nil {
		_ = ts.Listener.Close()
		ts.Listener = ln
	}
	ts.Start()
	t.Cleanup(ts.Close)
	s := &Server{URL: ts.URL, App: a, Logs: logs, HTTP: apitest.Client(t), Handler: h}
	if opts.LocalhostIssuer {
		s.URL = cfg.Issuer
	}
	s.Admin = s.ClientWithToken(t, AdminToken)
	return s
}

// ClientWithToken returns a contract-checked API client using token.
func (s *Server) ClientWithToken(t testing.TB, token string) *gen.ClientWithResponses {
	t.Helper()
	c, err := gen.NewClientWithResponses(s.URL, gen.WithHTTPClient(s.HTTP),
		gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SyncBuffer is a goroutine-safe log sink.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

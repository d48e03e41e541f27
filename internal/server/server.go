// Package server owns the HTTP server's lifecycle and is the one place
// where routes are mounted: routes.go is the table of every path.
package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/accountapi"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi"
	"github.com/gatehouse-iam/gatehouse/internal/analytics"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/console"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/login"
	"github.com/gatehouse-iam/gatehouse/internal/loginapi"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/opsapi"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Readiness is what /readyz checks.
type Readiness interface {
	Ready(ctx context.Context) error
}

// Deps are what the server needs; every field is required.
type Deps struct {
	Directory    *directory.Service
	Auth         *directory.Authenticator
	Ready        Readiness
	MaxBodyBytes int64
	HSTS         bool
	Log          *slog.Logger
	// Jobs, if set, tracks the background work started here (it ends
	// when the ctx given to Handler ends), so callers can wait for it.
	Jobs *sync.WaitGroup
	// Protocol is the OAuth/OIDC provider's handler (routes.go mounts it
	// on the protocol paths); Login the hosted login, whose routes and
	// /authorize error pages routes.go mounts, and whose sign-in flow the
	// JSON login API (internal/loginapi) shares. Either may be nil in tests.
	Protocol http.Handler
	Login    *login.Handler
	// SAML serves the SAML IdP's endpoints; nil serves none.
	SAML http.Handler
	// Provider, SigningKeys and Sessions back the Admin API's sessions,
	// consents, tokens and signing-keys operations.
	Provider    *oidc.Provider
	Tokens      *tokens.Service
	SigningKeys *keys.Manager
	Sessions    *sessions.Manager
	// Accounts sends the Admin API's invitations and the account API's
	// email-change codes; nil makes those operations fail.
	Accounts *accounts.Service
	// Events records admin actions in the audit log; nil records nothing.
	Events events.Recorder
	// Collectors are extra Prometheus collectors served on /metrics (the
	// login counters fed by the audit recorder).
	Collectors []prometheus.Collector
	// Risk backs the Admin API's risk summary (live counters and locks).
	Risk *risk.Engine
	// ClientIP resolves client addresses (GATEHOUSE_TRUSTED_PROXIES) for
	// every handler: sessions.ClientIP and the risk signals read it.
	ClientIP clientip.Resolver
	// MFA manages users' second factors for the Admin and account APIs.
	MFA *mfa.Service
	// Analytics answers the Admin API's analytics; nil answers them 500.
	Analytics *analytics.Service
	// Privacy is the consent ledger (issue 15); nil builds one on
	// SigningKeys and Events.
	Privacy *privacy.Service
	// Connectors is the hosted login's cache of built federation
	// connectors, which the Admin API drops a connection from when it
	// changes; nil drops nothing (entries are checked against the stored
	// connection's version anyway).
	Connectors *connectors.Cache
	// MailTemplates are the embedded mail templates the Admin API checks
	// tenants' overrides against.
	MailTemplates *mail.Templates
	// Metrics says who may read /metrics (ops.go).
	Metrics MetricsAccess
	// Outages are extra checks of backing services (Redis when it fails
	// closed); a 5xx while one fails becomes the 503 unavailable problem.
	// The database's check is always there.
	Outages []httpx.Check
	// ConsoleAnalytics feeds the admin console's dashboard
	// (internal/console); nil reads Analytics' rollups.
	ConsoleAnalytics console.Analytics
	// OpsListener serves /metrics, /healthz and /readyz on a listener of
	// their own (Handlers.Ops, GATEHOUSE_OPS_ADDR); /metrics then answers
	// 404 on the main one.
	OpsListener bool
}

// Handlers are the root handlers of the server's listeners.
type Handlers struct {
	// Main serves every route.
	Main http.Handler
	// Ops serves the operational endpoints alone; nil unless
	// Deps.OpsListener.
	Ops http.Handler
}

// New builds the root handlers with all routes and middleware. Work tied
// to the server's life (expiring idempotency records) stops with ctx.
func New(ctx context.Context, d Deps) (*Handlers, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := httpx.NewMetrics(reg)
	reg.MustRegister(d.Collectors...)

	ops := opsapi.Ops{
		Health:      http.HandlerFunc(health),
		Ready:       readiness(d.Ready),
		Metrics:     metricsGuard(d.Metrics, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})),
		OpenAPIJSON: specHandler("application/json", api.JSON()),
		OpenAPIYAML: specHandler("application/yaml", api.YAML()),
		Docs:        api.DocsHandler(),
	}
	var out Handlers
	if d.OpsListener {
		out.Ops = opsHandler(ops, d)
		ops.Metrics = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteProblem(w, r, httpx.NotFound("Metrics are served on the operations listener (GATEHOUSE_OPS_ADDR)."))
		})
	}
	if d.Privacy == nil {
		d.Privacy = &privacy.Service{Keys: d.SigningKeys, Events: d.Events, Log: d.Log}
	}
	admin, err := adminapi.New(adminapi.Deps{Directory: d.Directory, Auth: d.Auth, Log: d.Log,
		Provider: d.Provider, Tokens: d.Tokens, SigningKeys: d.SigningKeys, Sessions: d.Sessions, Accounts: d.Accounts, Events: d.Events, Risk: d.Risk, MFA: d.MFA, MailTemplates: d.MailTemplates, Privacy: d.Privacy,
		Connectors: d.Connectors, Analytics: d.Analytics})
	if err != nil {
		return nil, err
	}
	account, err := accountapi.New(accountapi.Deps{Directory: d.Directory, Log: d.Log,
		Provider: d.Provider, Tokens: d.Tokens, Sessions: d.Sessions, Accounts: d.Accounts, Events: d.Events, MFA: d.MFA, Privacy: d.Privacy})
	if err != nil {
		return nil, err
	}
	opsAPI, err := opsapi.Handler(ops)
	if err != nil {
		return nil, err
	}
	if d.Jobs != nil {
		d.Jobs.Go(func() { admin.RunJanitor(ctx) })
	} else {
		go admin.RunJanitor(ctx)
	}

	var consoleHandler http.Handler
	if d.Protocol != nil && d.Provider != nil && d.Directory != nil && d.Directory.Keyring != nil && d.Sessions != nil {
		prov := d.Provider
		cons, err := console.New(console.Deps{Directory: d.Directory, Issuer: prov.Issuer(), Admin: admin.InProcessHandler(),
			Protocol: d.Protocol, Keyring: d.Directory.Keyring, Idle: d.Sessions.Idle, Analytics: dashboard(d), Log: d.Log,
			ClientChanged: func(ctx context.Context, tenantID, clientID string) { prov.ClientChanged(ctx, tenantID, clientID, nil) }})
		if err != nil {
			return nil, err
		}
		consoleHandler = cons
	}

	var loginAPI *loginapi.API
	if d.Login != nil {
		loginAPI, err = loginapi.New(loginapi.Deps{Flow: d.Login.SignInFlow()})
		if err != nil {
			return nil, err
		}
	}

	root := mux(routes(routeHandlers{admin: admin.Handler(), account: account.Handler(), ops: opsAPI,
		login: d.Login, loginAPI: loginAPI, protocol: d.Protocol, saml: d.SAML, console: consoleHandler}))

	deprecations, err := apicontract.ContractDeprecations()
	if err != nil {
		return nil, err
	}
	out.Main = httpx.Chain(root,
		httpx.RequestIDs,
		telemetry.Middleware,
		d.ClientIP.Middleware,
		httpx.Logging(d.Log),
		metrics.Observe,
		httpx.Outages(append([]httpx.Check{databaseDown(d.Ready)}, d.Outages...)...),
		httpx.Recover,
		httpx.SecurityHeaders(d.HSTS),
		httpx.KnownMethods,
		httpx.BodyLimit(d.MaxBodyBytes),
		httpx.CleanText,
		deprecations.Middleware,
	)
	return &out, nil
}

// databaseDown is the outage check of the database: only unreachability
// counts (a pending migration is /readyz's business, not an outage).
func databaseDown(ready Readiness) httpx.Check {
	return func(ctx context.Context) error {
		if err := ready.Ready(ctx); errors.Is(err, store.ErrUnavailable) {
			return err
		}
		return nil
	}
}

// specHandler serves the embedded contract with an ETag, so clients and
// the docs page revalidate cheaply.
func specHandler(contentType string, body []byte) http.Handler {
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", tag)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	})
}

// Serve runs h on ln until ctx is cancelled, then shuts down gracefully:
// the listener closes at once and in-flight requests get up to grace to
// finish.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// Past the grace: cut what is left rather than outlive the
		// orchestrator's patience (its SIGKILL would cut it anyway).
		_ = srv.Close()
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("requests still in flight after the %v drain (GATEHOUSE_SHUTDOWN_TIMEOUT) were cut", grace)
		}
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// dashboard is the console's analytics: a test's, or the rollups the
// Admin API reads.
func dashboard(d Deps) console.Analytics {
	if d.ConsoleAnalytics != nil {
		return d.ConsoleAnalytics
	}
	return console.FromAnalytics(d.Analytics)
}

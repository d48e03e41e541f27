// Package app wires a process together from its configuration: the secret
// keyring, the database, the services and the HTTP handlers. `serve`, the
// admin CLI and the test server all start here, so they share one setup.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/analytics"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/backchannel"
	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/console"
	"github.com/gatehouse-iam/gatehouse/internal/devicecookie"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/geoip"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/login"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/password"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	samlprotocol "github.com/gatehouse-iam/gatehouse/internal/protocol/saml"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/rekey"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/server"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/regional"
	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// App is an opened process: close it when done.
type App struct {
	// consoleAnalytics is Options.ConsoleAnalytics, for Handlers.
	consoleAnalytics console.Analytics

	Cfg *config.Config
	DB  storeopen.DB
	// Regions routes users' personal data to regional databases
	// (GATEHOUSE_REGIONS); nil with one database.
	Regions   *regional.Router
	Stores    store.Resolver
	Keyring   *secret.Keyring
	Directory *directory.Service
	// Tenants resolves the request's tenant, for every transport.
	Tenants *tenancy.Resolver
	Log     *slog.Logger

	SigningKeys *keys.Manager
	Sessions    *sessions.Manager
	Provider    *oidc.Provider
	// Tokens mints, verifies and revokes tokens for the provider, the
	// Admin API and the account API (one instance: one revocation cache).
	Tokens *tokens.Service
	// Authn decides sign-ins for the login pages and guards refreshes
	// for the provider.
	Authn *authn.Service
	// Login serves the hosted login pages in front of the provider.
	Login *login.Handler
	// Mail sends transactional mail (SMTP, or stdout in development).
	Mail mail.Sender
	// MailTemplates are the embedded mail templates, parsed once for the
	// services that send mail and the Admin API that checks overrides.
	MailTemplates *mail.Templates
	// RateLimits is the shared throttling state (memory or Redis).
	RateLimits ratelimit.Store
	// Accounts registers users and verifies their email addresses.
	Accounts *accounts.Service
	// Events is the audit recorder: the hash-chained audit log, which also
	// queues webhook deliveries. EventMetrics are its Prometheus counters.
	Events       events.Recorder
	EventMetrics *audit.Metrics
	// AuditLog is the same recorder as Events, for what only it does:
	// retention purges behind a checkpoint.
	AuditLog *audit.Recorder
	// Webhooks delivers the webhook outbox (serve runs it).
	Webhooks *audit.Worker
	// Logouts delivers OIDC back-channel logout tokens (Handlers runs it).
	Logouts *backchannel.Worker
	// Gauges read the database at scrape time for /metrics: the webhook
	// backlog and the signing keys' ages.
	Gauges []prometheus.Collector
	// Outages check backing services for server.Deps.Outages (Redis when
	// GATEHOUSE_REDIS_FAILURE=closed).
	Outages []httpx.Check
	// Risk assesses sign-in attempts (counters in RateLimits).
	Risk *risk.Engine
	// GeoIP locates addresses (nil without GATEHOUSE_GEOIP_DB).
	GeoIP *geoip.Reader
	// ClientIP resolves client addresses behind trusted proxies.
	ClientIP clientip.Resolver
	// Devices reads and issues the signed device-ID cookie.
	Devices *devicecookie.Cookies
	// MFA enrols and verifies users' second factors; the hosted login
	// uses it for second factors, passkeys and remembered devices.
	MFA *mfa.Service
	// Privacy is the consent ledger: purposes, decisions and receipts
	// (registration, the Admin API and the account API share it).
	Privacy *privacy.Service
	// Analytics keeps the analytics rollups (the audit recorder and the
	// token service feed it; Handlers runs its flusher, Close flushes
	// it) and AnalyticsQueries answers from them.
	Analytics        *analytics.Collector
	AnalyticsQueries *analytics.Service
	// Connectors caches the federation connections' built connectors
	// (the hosted login's), dropped when a connection changes here (the
	// Admin API) or on another node (the cluster bus).
	Connectors *connectors.Cache

	// jobs tracks the background work Close waits for.
	jobs sync.WaitGroup
}

// Options tune Open for the caller.
type Options struct {
	// Migrate applies pending migrations (serve does unless told not to;
	// CLI commands do not, so they never change a schema by surprise).
	Migrate bool
	// Now is the clock of the MFA service and the hosted login (TOTP
	// steps, enrolment grace); nil means time.Now. Tests control it.
	Now func() time.Time
	// ProviderNow is the clock of the OAuth/OIDC provider (token times,
	// code and device-code expiry, device polling); nil means time.Now.
	ProviderNow func() time.Time
	// Events records the hosted login's sign-in events instead of the
	// audit recorder (tests); nil means the audit recorder.
	Events events.Recorder
	// AccountEvents records the account service's events (registration,
	// password and email changes, deletions) instead of the audit
	// recorder (tests); nil means the audit recorder.
	AccountEvents events.Recorder
	// UpstreamBaseURLs replace the social presets' fixed addresses
	// (github, microsoft, apple, github_api) with fakes on loopback
	// (tests); nil keeps the real ones.
	UpstreamBaseURLs map[string]string
	// ConsoleAnalytics feeds the admin console's dashboard (tests give a
	// fake); nil shows that analytics are not configured.
	ConsoleAnalytics console.Analytics
}

// Open builds an App from cfg, every component at once: nothing is set
// on it afterwards, so serve, the test server and the CLI all run the
// same wiring.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) (*App, error) {
	keyring, err := loadKeyring(cfg, log)
	if err != nil {
		return nil, err
	}
	db, err := storeopen.Open(ctx, cfg.Database, storeopen.Options{AutoMigrate: opts.Migrate})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	a, err := build(ctx, cfg, log, opts, keyring, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

// build wires the components over an open database.
func build(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options, keyring *secret.Keyring, db storeopen.DB) (*App, error) {
	if err := loadCarried(ctx, db, keyring); err != nil {
		return nil, err
	}
	policy, err := passwordPolicy(cfg, log)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	providerNow := opts.ProviderNow
	if providerNow == nil {
		providerNow = time.Now
	}
	var main store.Store = db
	var regions *regional.Router
	if len(cfg.Regions) > 0 {
		var err error
		if regions, err = openRegions(ctx, cfg, opts, keyring, db); err != nil {
			return nil, err
		}
		main = regions
	}
	stores := store.Single{S: main}
	hasher := &password.Hasher{Params: password.Params{
		Memory:  cfg.Argon2MemoryKiB,
		Time:    cfg.Argon2Time,
		Threads: cfg.Argon2Threads,
		SaltLen: password.DefaultParams.SaltLen,
		KeyLen:  password.DefaultParams.KeyLen,
	}}
	secure := strings.HasPrefix(cfg.Issuer, "https://")
	// Geolocation serves the risk engine and residency policies by country.
	geo, err := geoip.Open(cfg.GeoIPDB)
	if err != nil {
		return nil, err
	}
	dir := &directory.Service{Stores: stores, Hasher: hasher, Keyring: keyring, Issuer: cfg.Issuer, Policy: policy, Now: time.Now, Log: log, Geo: geo}
	eventMetrics := audit.NewMetrics()
	collector := &analytics.Collector{Store: dir.StoreForTenantID, Purge: db.Analytics(), Log: log.With("job", "analytics"), Now: time.Now}
	recorder := &audit.Recorder{Store: dir.StoreForTenantID, Metrics: eventMetrics, Now: time.Now, Keyring: keyring, Analytics: collector}
	pcfg := oidc.DefaultConfig(cfg.Issuer)
	pcfg.DPoPNonceDisabled = !cfg.DPoPNonce
	kcfg := keys.DefaultConfig
	kcfg.MaxTokenLifetime = pcfg.MaxTokenLifetime
	signingKeys := keys.New(dir.StoreForTenantID, keyring, kcfg, time.Now, log)
	gauges := []prometheus.Collector{&audit.BacklogMetrics{Stats: db.Stats(), Now: time.Now, Log: log}, signingKeys.Metrics(db.Stats())}

	// Onboarding: mail, rate limits, registration. Without
	// GATEHOUSE_SMTP_URL mail goes to stdout, for development; the console
	// sender marks every such mail as not sent.
	smtp, err := mail.ParseURL(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	sender, err := mail.New(smtp, cfg.SMTPFrom, os.Stdout)
	if err != nil {
		return nil, err
	}
	// Parsed once for every user of them (about 5 MB of live heap).
	tmpl, err := mail.LoadTemplates()
	if err != nil {
		return nil, err
	}
	limits, err := ratelimit.Open(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	var outages []httpx.Check
	if cfg.RedisURL != "" {
		f := ratelimit.NewFailover(limits, ratelimit.FailureMode(cfg.RedisFailure), log, time.Now)
		limits, gauges, outages = f, append(gauges, f), append(outages, f.Check)
	}
	accountEvents := opts.AccountEvents
	if accountEvents == nil {
		accountEvents = recorder
	}
	priv := &privacy.Service{Keys: signingKeys, Events: recorder, Now: now, Log: log, Keyring: keyring}
	acc := &accounts.Service{Directory: dir, Mail: sender, Templates: tmpl, Keyring: keyring, Events: accountEvents, Now: time.Now, Log: log, Privacy: priv}
	mfaSvc := &mfa.Service{Keyring: keyring, Mail: sender, Templates: tmpl, Events: recorder, Limiter: limits, Now: now, Log: log}

	// Risk: client addresses, device cookies, geolocation and the engine
	// on the shared counters.
	riskEngine := &risk.Engine{Risk: main.Risk(), Counters: limits, Geo: geo, Keyring: keyring, Now: now}
	devices := &devicecookie.Cookies{Keyring: keyring, Secure: secure}

	loginEvents := opts.Events
	if loginEvents == nil {
		loginEvents = recorder
	}
	authnSvc := authn.New(authn.Deps{
		Directory: dir, MFA: mfaSvc, Risk: riskEngine, Accounts: acc, Events: loginEvents, Log: log, Now: now,
	})
	tenants := tenancy.NewResolver(dir, cfg.Issuer, 5*time.Second)
	sess := sessions.DefaultManager(secure)
	tok := tokens.New(tokens.Deps{Config: pcfg.Tokens(), Keys: signingKeys, Stores: dir.Stores, Now: providerNow, Log: log, Issued: collector.TokenIssued})
	provider, err := oidc.New(ctx, oidc.Deps{
		Config: pcfg, Directory: dir, Tokens: tok, Tenants: tenants, SigningKeys: signingKeys, Sessions: sess,
		RefreshGuard: authnSvc, Bridges: samlprotocol.Bridges{}, LoginPath: "/login", DevicePath: "/device", Now: providerNow, Log: log,
		Events: recorder, Limiter: limits,
	})
	if err != nil {
		_ = limits.Close()
		_ = geo.Close()
		return nil, err
	}
	fedConnectors := connectors.NewCache(0, nil)
	logouts := &backchannel.Worker{Store: main, Tenants: dir, Tokens: tok, Log: log.With("job", "backchannel-logout")}
	tok.OnSessionLogout((&backchannel.Notifier{Worker: logouts, Log: log, Now: providerNow}).SessionsEnded)
	authnSvc.OnSessionRevoked(tok.EndSession) // the refresh guard's revocations notify like any other session end
	return &App{
		consoleAnalytics: opts.ConsoleAnalytics,
		Cfg:              cfg,
		DB:               db,
		Regions:          regions,
		Stores:           stores,
		Keyring:          keyring,
		Directory:        dir,
		Tenants:          tenants,
		Log:              log,
		SigningKeys:      signingKeys,
		Sessions:         sess,
		Provider:         provider,
		Tokens:           tok,
		Authn:            authnSvc,
		Mail:             sender,
		MailTemplates:    tmpl,
		RateLimits:       limits,
		Accounts:         acc,
		Events:           recorder,
		EventMetrics:     eventMetrics,
		AuditLog:         recorder,
		Webhooks:         &audit.Worker{Store: db, Keyring: keyring, Log: log.With("job", "webhooks"), Now: time.Now},
		Logouts:          logouts,
		Gauges:           gauges,
		Outages:          outages,
		Risk:             riskEngine,
		GeoIP:            geo,
		ClientIP:         clientip.Resolver{Trusted: cfg.TrustedProxies},
		Devices:          devices,
		MFA:              mfaSvc,
		Privacy:          priv,
		Connectors:       fedConnectors,
		Analytics:        collector,
		AnalyticsQueries: &analytics.Service{Store: dir.StoreForTenantID},
		Login: login.New(login.Deps{
			Provider: provider, Sessions: sess, Keyring: keyring, Log: log, Now: now,
			Accounts: acc, Limiter: limits, Registration: cfg.Registration, MFA: mfaSvc, Events: loginEvents,
			Authn: authnSvc, Devices: devices, Connectors: fedConnectors,
			UpstreamBaseURLs: opts.UpstreamBaseURLs,
		}),
	}, nil
}

// Handlers builds the HTTP handlers over the App's components: serve and
// the test server both call it, so they answer alike (HSTS when the
// issuer is https, the operations listener when GATEHOUSE_OPS_ADDR is
// set). auth checks the Admin API's bearer tokens (Directory.Bootstrap).
// The background work it starts ends with ctx; Close waits for it.
func (a *App) Handlers(ctx context.Context, auth *directory.Authenticator) (*server.Handlers, error) {
	samlEndpoints, err := samlprotocol.New(samlprotocol.Deps{IdP: &samlidp.Service{Keys: a.SigningKeys}, Tenants: a.Tenants, Log: a.Log,
		Provider: a.Provider, Sessions: a.Sessions, Keyring: a.Keyring, Events: a.Events, Outbox: a.Logouts})
	if err != nil {
		return nil, err
	}
	// Sessions ended by OIDC end_session are logged out of their SAML
	// service providers through the browser; those ended without it are
	// logged out of the SPs with a SOAP SingleLogoutService through the
	// logout outbox, and recorded as not reaching the others.
	a.Provider.OnEndSession(samlEndpoints)
	a.Tokens.OnSessionsEnded(samlEndpoints.SessionsEnded)
	a.Logouts.SAML = samlEndpoints
	a.Go(func() { a.Logouts.Run(ctx) })
	a.Go(func() { a.Analytics.Run(ctx) })
	return server.New(ctx, server.Deps{
		SAML:             samlEndpoints,
		Directory:        a.Directory,
		Auth:             auth,
		Ready:            a.DB,
		MaxBodyBytes:     a.Cfg.MaxBodyBytes,
		HSTS:             strings.HasPrefix(a.Cfg.Issuer, "https://"),
		Log:              a.Log,
		Protocol:         a.Provider.Handler(),
		Login:            a.Login,
		Provider:         a.Provider,
		Tokens:           a.Tokens,
		SigningKeys:      a.SigningKeys,
		Sessions:         a.Sessions,
		Accounts:         a.Accounts,
		Risk:             a.Risk,
		ClientIP:         a.ClientIP,
		MFA:              a.MFA,
		Privacy:          a.Privacy,
		Analytics:        a.AnalyticsQueries,
		MailTemplates:    a.MailTemplates,
		Connectors:       a.Connectors,
		Jobs:             &a.jobs,
		Events:           a.Events,
		Collectors:       append([]prometheus.Collector{a.EventMetrics, samlEndpoints.Collector()}, a.Gauges...),
		Metrics:          server.MetricsAccess{Allow: a.Cfg.MetricsAllow, Token: a.Cfg.MetricsToken},
		OpsListener:      a.Cfg.OpsAddr != "",
		Outages:          a.Outages,
		ConsoleAnalytics: a.consoleAnalytics,
	})
}

// Go runs f as background work of the App (maintenance, webhooks, the
// cluster listener); f must return once the ctx it watches ends, and
// Close waits for it.
func (a *App) Go(f func()) { a.jobs.Go(f) }

// passwordPolicy is the NIST default, plus the range lookup when
// GATEHOUSE_HIBP_URL is set. The lookup fails open (a password is not
// refused because the service is down); its failures are logged.
func passwordPolicy(cfg *config.Config, log *slog.Logger) (*passpolicy.Policy, error) {
	p := passpolicy.Default()
	if cfg.HIBPURL == "" {
		return p, nil
	}
	rc, err := passpolicy.NewRangeChecker(cfg.HIBPURL)
	if err != nil {
		return nil, err
	}
	p.Range = rc
	p.OnRangeError = func(err error) { log.Warn("password range lookup failed, password accepted", "err", err) }
	return p, nil
}

// Close waits for the background work (Handlers, Go: cancel its ctx
// first) and for detached onboarding work (password recoveries answered
// before their mail went out), then releases the database, the rate-limit
// store and the GeoIP database.
func (a *App) Close() error {
	a.jobs.Wait()
	if a.Accounts != nil {
		a.Accounts.Wait()
	}
	// Counts of work done without Handlers (CLI commands), or after its
	// flusher stopped.
	if err := a.Analytics.Flush(context.Background()); err != nil {
		a.Log.Warn("analytics: flush on close failed", "err", err)
	}
	if a.RateLimits != nil {
		_ = a.RateLimits.Close()
	}
	_ = a.GeoIP.Close()
	if a.Regions != nil {
		_ = a.Regions.Close()
	}
	return a.DB.Close()
}

// loadKeyring takes GATEHOUSE_SECRET_KEY, or in dev mode a key file in the
// data dir, generated on first start with a loud warning: losing that file
// makes every encrypted secret and keyed hash unusable. Previous keys in
// GATEHOUSE_SECRET_KEY_OLD join it for a rotation (internal/rekey).
func loadKeyring(cfg *config.Config, log *slog.Logger) (*secret.Keyring, error) {
	previous, err := previousKeys(cfg.SecretKeyOld)
	if err != nil {
		return nil, err
	}
	if len(previous) > 0 {
		log.Warn("GATEHOUSE_SECRET_KEY_OLD is set: stored secrets sealed under a previous key still open. Run `gatehouse secret-key rotate`, then remove GATEHOUSE_SECRET_KEY_OLD.", "previous_keys", len(previous))
	}
	if cfg.SecretKey != "" {
		key, err := secret.ParseMasterKey(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("invalid GATEHOUSE_SECRET_KEY: %w", err)
		}
		k, err := secret.NewKeyring(key, previous...)
		if err != nil {
			return nil, fmt.Errorf("invalid GATEHOUSE_SECRET_KEY: %w", err)
		}
		return k, nil
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	raw, created, err := secret.LoadOrCreateKeyFile(path)
	if err != nil {
		return nil, fmt.Errorf("dev secret key %s: %w", path, err)
	}
	if created {
		log.Warn("GATEHOUSE_SECRET_KEY is not set: generated a development key. Set GATEHOUSE_SECRET_KEY in production; losing this file makes stored secrets unusable.", "path", path)
	} else {
		log.Warn("GATEHOUSE_SECRET_KEY is not set: using the development key file", "path", path)
	}
	return secret.NewKeyring(raw, previous...)
}

// Keyring returns the master keyring cfg configures, as Open builds it
// (commands that read stored secrets without opening the app use it).
func Keyring(cfg *config.Config, log *slog.Logger) (*secret.Keyring, error) {
	return loadKeyring(cfg, log)
}

// previousKeys parses GATEHOUSE_SECRET_KEY_OLD: master keys separated by
// commas, each in GATEHOUSE_SECRET_KEY's format. The values are never
// echoed, only their position.
func previousKeys(v string) ([][]byte, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out [][]byte
	for i, s := range strings.Split(v, ",") {
		key, err := secret.ParseMasterKey(s)
		if err != nil {
			return nil, fmt.Errorf("invalid GATEHOUSE_SECRET_KEY_OLD (key %d of the list): %w", i+1, err)
		}
		out = append(out, key)
	}
	return out, nil
}

// loadCarried installs the carried MAC keys a rotation stored, once the
// schema exists (commands such as `migrate up` open a database that may
// not have it yet; they hash nothing).
func loadCarried(ctx context.Context, db storeopen.DB, k *secret.Keyring) error {
	if db.Ready(ctx) != nil {
		return nil
	}
	if _, err := rekey.LoadCarried(ctx, db.Settings(), k); err != nil {
		return fmt.Errorf("secret keys: %w", err)
	}
	return nil
}

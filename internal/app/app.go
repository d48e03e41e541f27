// Package app wires a process together from its configuration: the secret
// keyring, the database, the password hasher and the management service.
// `serve` and the admin CLI both start here, so they share one setup.
package app

import (
	"context"
	"fmt"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/devicecookie"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/geoip"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/login"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/password"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/rekey"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// App is an opened process: close it when done.
type App struct {
	Cfg       *config.Config
	DB        storeopen.DB
	Stores    store.Resolver
	Keyring   *secret.Keyring
	Directory *directory.Service
	// Tenants resolves the request's tenant, for every transport.
	Tenants *tenancy.Resolver
	Log     *slog.Logger

	SigningKeys *keys.Manager
	Sessions    *sessions.Manager
	Provider    *oidc.Provider
	// Authn decides sign-ins for the login pages and guards refreshes
	// for the provider.
	Authn *authn.Service
	// Login serves the hosted login pages in front of the provider.
	Login *login.Handler
	// Mail sends transactional mail (SMTP, or stdout in development).
	Mail mail.Sender
	// RateLimits is the shared throttling state (memory or Redis).
	RateLimits ratelimit.Store
	// Accounts registers users and verifies their email addresses.
	Accounts *accounts.Service
	// Events is the audit recorder: the hash-chained audit log, which also
	// queues webhook deliveries. EventMetrics are its Prometheus counters.
	Events       events.Recorder
	EventMetrics *audit.Metrics
	// Webhooks delivers the webhook outbox (serve runs it).
	Webhooks *audit.Worker
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
}

// Open builds an App from cfg.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) (*App, error) {
	keyring, err := loadKeyring(cfg, log)
	if err != nil {
		return nil, err
	}
	db, err := storeopen.Open(ctx, cfg.Database, storeopen.Options{AutoMigrate: opts.Migrate})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := loadCarried(ctx, db, keyring); err != nil {
		_ = db.Close()
		return nil, err
	}
	stores := store.Single{S: db}
	hasher := &password.Hasher{Params: password.Params{
		Memory:  cfg.Argon2MemoryKiB,
		Time:    cfg.Argon2Time,
		Threads: cfg.Argon2Threads,
		SaltLen: password.DefaultParams.SaltLen,
		KeyLen:  password.DefaultParams.KeyLen,
	}}
	a := &App{
		Cfg:       cfg,
		DB:        db,
		Stores:    stores,
		Keyring:   keyring,
		Directory: &directory.Service{Stores: stores, Hasher: hasher, Keyring: keyring, Now: time.Now, Log: log},
		Log:       log,
	}
	a.Tenants = tenancy.NewResolver(a.Directory, cfg.Issuer, 5*time.Second)
	a.EventMetrics = audit.NewMetrics()
	a.Events = &audit.Recorder{Store: a.Directory.StoreForTenantID, Metrics: a.EventMetrics, Now: time.Now}
	a.Webhooks = &audit.Worker{Store: db, Keyring: keyring, Log: log.With("job", "webhooks"), Now: time.Now}
	pcfg := oidc.DefaultConfig(cfg.Issuer)
	kcfg := keys.DefaultConfig
	kcfg.MaxTokenLifetime = pcfg.MaxTokenLifetime
	a.SigningKeys = keys.New(a.Directory.StoreForTenantID, keyring, kcfg, time.Now, log)
	a.Gauges = []prometheus.Collector{&audit.BacklogMetrics{Stats: db.Stats(), Now: time.Now, Log: log}, a.SigningKeys.Metrics(db.Stats())}
	a.Sessions = sessions.DefaultManager(strings.HasPrefix(cfg.Issuer, "https://"))
	if err := a.openOnboarding(cfg, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	if a.Directory.Policy, err = passwordPolicy(cfg, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := a.openRisk(cfg, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	a.MFA.Now = now
	a.Risk.Now = now
	loginEvents := opts.Events
	if loginEvents == nil {
		loginEvents = a.Events
	}
	a.Authn = authn.New(authn.Deps{
		Directory: a.Directory, MFA: a.MFA, Risk: a.Risk, Accounts: a.Accounts, Events: loginEvents, Log: log, Now: now,
	})
	providerNow := opts.ProviderNow
	if providerNow == nil {
		providerNow = time.Now
	}
	a.Provider, err = oidc.New(ctx, oidc.Deps{
		Config: pcfg, Directory: a.Directory, Tenants: a.Tenants, SigningKeys: a.SigningKeys, Sessions: a.Sessions,
		RefreshGuard: a.Authn, LoginPath: "/login", DevicePath: "/device", Now: providerNow, Log: log,
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	a.Login = login.New(login.Deps{
		Provider: a.Provider, Directory: a.Directory, Sessions: a.Sessions, Keyring: keyring, Log: log, Now: now,
		Accounts: a.Accounts, Limiter: a.RateLimits, Registration: cfg.Registration, MFA: a.MFA, Events: loginEvents,
		Authn: a.Authn, Devices: a.Devices,
	})
	return a, nil
}

// openOnboarding sets up mail, rate limits and registration. Without
// GATEHOUSE_SMTP_URL mail goes to stdout, for development; the console
// sender marks every such mail as not sent.
func (a *App) openOnboarding(cfg *config.Config, log *slog.Logger) error {
	smtp, err := mail.ParseURL(cfg.SMTPURL)
	if err != nil {
		return err
	}
	if a.Mail, err = mail.New(smtp, cfg.SMTPFrom, os.Stdout); err != nil {
		return err
	}
	tmpl, err := mail.LoadTemplates()
	if err != nil {
		return err
	}
	if a.RateLimits, err = ratelimit.Open(cfg.RedisURL); err != nil {
		return err
	}
	if cfg.RedisURL != "" {
		f := ratelimit.NewFailover(a.RateLimits, ratelimit.FailureMode(cfg.RedisFailure), log, time.Now)
		a.RateLimits, a.Gauges = f, append(a.Gauges, f)
		a.Outages = append(a.Outages, f.Check)
	}
	a.Accounts = &accounts.Service{Directory: a.Directory, Mail: a.Mail, Templates: tmpl, Keyring: a.Keyring, Events: a.Events, Now: time.Now, Log: log}
	a.MFA = &mfa.Service{Keyring: a.Keyring, Mail: a.Mail, Templates: tmpl, Events: a.Events, Limiter: a.RateLimits, Now: time.Now, Log: log}
	return nil
}

// openRisk sets up the risk engine: client addresses, device cookies,
// geolocation and the engine on the shared counters.
func (a *App) openRisk(cfg *config.Config, db store.Store) error {
	geo, err := geoip.Open(cfg.GeoIPDB)
	if err != nil {
		return err
	}
	a.GeoIP = geo
	a.ClientIP = clientip.Resolver{Trusted: cfg.TrustedProxies}
	a.Devices = &devicecookie.Cookies{Keyring: a.Keyring, Secure: strings.HasPrefix(cfg.Issuer, "https://")}
	a.Risk = &risk.Engine{Risk: db.Risk(), Counters: a.RateLimits, Geo: geo, Keyring: a.Keyring, Now: time.Now}
	return nil
}

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

// Close waits for detached onboarding work (password recoveries answered
// before their mail went out), then releases the database, the rate-limit
// store and the GeoIP database.
func (a *App) Close() error {
	if a.Accounts != nil {
		a.Accounts.Wait()
	}
	if a.RateLimits != nil {
		_ = a.RateLimits.Close()
	}
	_ = a.GeoIP.Close()
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

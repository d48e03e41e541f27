// Package oidc is Gatehouse's OAuth 2.0 / OpenID Connect provider. It
// builds on zitadel/oidc's op package, which parses and validates the
// protocol requests, and adds what that engine lacks or does slowly:
// per-tenant issuers, RFC 9068 at+jwt access tokens signed with the
// tenant's ES256 key, ID tokens in the algorithm each client asks for,
// refresh-token rotation with reuse detection, authorization-code replay
// revocation, pushed authorization requests (RFC 9126), opaque tokens as a
// per-client option, revocation of stateless JWTs, and caches for clients,
// tenants and keys on the hot path. What a grant entitles a client to is
// decided here, one file per grant and endpoint; the tokens themselves are
// minted, verified and revoked by internal/tokens.
//
// The default tenant's issuer is GATEHOUSE_ISSUER; every other tenant's is
// GATEHOUSE_ISSUER/t/{slug}, with its own discovery, keys and clients.
package oidc

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/maypok86/otter/v2"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oauthhttp"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Config is the provider's configuration.
type Config struct {
	// Issuer is the default tenant's issuer and the base of the others'.
	Issuer string
	// Lifetimes, each overridable per client in its metadata.
	AccessTokenLifetime     time.Duration
	IDTokenLifetime         time.Duration
	RefreshTokenLifetime    time.Duration // sliding
	RefreshTokenMaxLifetime time.Duration // absolute, per family
	AuthCodeLifetime        time.Duration
	AuthRequestLifetime     time.Duration
	DeviceCodeLifetime      time.Duration
	PARLifetime             time.Duration
	// MaxTokenLifetime caps every access/ID token lifetime, and so how long
	// a retired signing key stays published.
	MaxTokenLifetime time.Duration
	// Insecure allows an http issuer (development).
	Insecure bool
	// DPoPNonceDisabled stops requiring DPoP-Nonce at the token endpoint
	// (RFC 9449 8; required by default).
	DPoPNonceDisabled bool
}

// Tokens is the part of the configuration the token service takes.
func (c Config) Tokens() tokens.Config {
	return tokens.Config{AccessTokenLifetime: c.AccessTokenLifetime, IDTokenLifetime: c.IDTokenLifetime,
		RefreshTokenLifetime: c.RefreshTokenLifetime, RefreshTokenMaxLifetime: c.RefreshTokenMaxLifetime,
		MaxTokenLifetime: c.MaxTokenLifetime}
}

// DefaultConfig holds the defaults of the lifetimes.
func DefaultConfig(issuer string) Config {
	return Config{
		Issuer:                  strings.TrimSuffix(issuer, "/"),
		AccessTokenLifetime:     time.Hour,
		IDTokenLifetime:         time.Hour,
		RefreshTokenLifetime:    30 * 24 * time.Hour,
		RefreshTokenMaxLifetime: 90 * 24 * time.Hour,
		AuthCodeLifetime:        time.Minute,
		AuthRequestLifetime:     30 * time.Minute,
		DeviceCodeLifetime:      10 * time.Minute,
		PARLifetime:             90 * time.Second,
		MaxTokenLifetime:        24 * time.Hour,
		Insecure:                strings.HasPrefix(issuer, "http://"),
	}
}

// Deps are the provider's collaborators.
type Deps struct {
	Config      Config
	Directory   *directory.Service
	SigningKeys *keys.Manager
	// Tenants resolves request tenants; nil builds one (5 s cache).
	Tenants *tenancy.Resolver
	// LoginPath is where the hosted login lives, relative to a tenant's
	// issuer (e.g. "/login"); the auth request ID is appended as ?authRequestID=.
	LoginPath string
	// DevicePath is the user-code page, relative to the issuer.
	DevicePath string
	Sessions   *sessions.Manager
	// Tokens mints, verifies and revokes tokens; nil builds one from
	// Config (the Admin and account APIs must share the provider's, whose
	// caches apply revocations at once).
	Tokens *tokens.Service
	// RefreshGuard, when set, is asked before a refresh token is rotated
	// (the sign-in service's risk re-evaluation); nil asks nothing.
	RefreshGuard RefreshGuard
	// Bridges are clients not in the store that only the hosted login
	// sees (bridge.go): the SAML IdP's service providers. Nil: none.
	Bridges BridgeClients
	// Events records dynamic client registrations (dcr.go); nil: none.
	Events events.Recorder
	// Limiter rate-limits open dynamic client registration per IP; nil:
	// a per-process one.
	Limiter ratelimit.Limiter
	Now     func() time.Time
	Log     *slog.Logger
}

// RefreshGuard re-evaluates a refresh token's session before the token is
// rotated. An error refuses the refresh with invalid_grant. It is
// declared here, where it is used, so the protocol package does not
// depend on the sign-in service (internal/authn implements it).
type RefreshGuard interface {
	CheckRefresh(ctx context.Context, t *tenancy.Tenant, rt *oauth.RefreshToken) error
}

// Provider serves the OAuth/OIDC endpoints of every tenant.
type Provider struct {
	cfg        Config
	dir        *directory.Service
	keys       *keys.Manager
	loginPath  string
	devicePath string
	now        func() time.Time
	log        *slog.Logger

	refreshGuard RefreshGuard
	bridges      BridgeClients
	logout       BrowserLogout // logout.go; nil: none

	// dcr.go: registration's audit events and open-mode rate limit.
	events  events.Recorder
	limiter ratelimit.Limiter

	sessions  *sessions.Manager
	op        *op.Provider // the engine; implements op.Authorizer for our login pages
	storage   *storage
	tenants   *tenancy.Resolver
	clients   *clientCache
	apis      *tokens.APIAccess                     // resource.go
	rar       *detailTypes                          // rar.go
	origins   *otter.Cache[string, map[string]bool] // tenant ID -> allowed CORS origins
	tokens    *tokens.Service
	endpoints op.Endpoints
	// corsAllowedPaths are the endpoints that answer CORS (cors.go).
	corsAllowedPaths map[string]bool
	rootOP           http.Handler
	tenantsOP        http.Handler
	codeCrypto       op.Crypto
	dpop             *dpop.Verifier // dpop.go
	nonces           *dpop.Nonces

	// requestURIClient fetches request objects by request_uri (jar.go).
	requestURIClient *http.Client
}

// New builds the provider.
func New(ctx context.Context, d Deps) (*Provider, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	p := &Provider{
		cfg: d.Config, dir: d.Directory, keys: d.SigningKeys, loginPath: d.LoginPath, devicePath: d.DevicePath,
		now: d.Now, log: d.Log, sessions: d.Sessions, refreshGuard: d.RefreshGuard, bridges: d.Bridges,
	}
	if p.events = d.Events; p.events == nil {
		p.events = events.Nop{}
	}
	if p.limiter = d.Limiter; p.limiter == nil {
		p.limiter = ratelimit.NewMemory(d.Now)
	}
	if p.tenants = d.Tenants; p.tenants == nil {
		p.tenants = tenancy.NewResolver(d.Directory, d.Config.Issuer, 5*time.Second)
	}
	p.clients = newClientCache(p, 30*time.Second)
	p.requestURIClient = newRequestURIClient()
	p.apis = tokens.NewAPIAccess(30 * time.Second)
	p.rar = newDetailTypes(30 * time.Second)
	p.origins = newOriginCache(30 * time.Second)
	if p.tokens = d.Tokens; p.tokens == nil {
		p.tokens = tokens.New(tokens.Deps{Config: d.Config.Tokens(), Keys: d.SigningKeys, Stores: d.Directory.Stores, Now: d.Now, Log: d.Log})
	}
	p.storage = &storage{p: p}
	p.initDPoP()

	// Authorization codes are the engine's AES-GCM encryption of the
	// request ID; the key derives from the master key so every node agrees.
	var codeKey [32]byte
	copy(codeKey[:], d.Directory.Keyring.MAC("oidc-code-key", []byte("v1")))
	opCfg := &op.Config{
		CryptoKey:               codeKey,
		CodeMethodS256:          true,
		AuthMethodPost:          true,
		AuthMethodPrivateKeyJWT: true,
		GrantTypeRefreshToken:   true,
		SupportedUILocales:      []language.Tag{language.English, language.German},
		SupportedScopes:         supportedScopes,
		SupportedClaims:         supportedClaims,
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime:     d.Config.DeviceCodeLifetime,
			PollInterval: devicePollInterval,
			UserFormPath: d.DevicePath,
			UserCode:     op.UserCodeBase20,
		},
	}
	// id_token_hint (at /authorize and end_session) in every algorithm
	// Gatehouse signs ID tokens with; the engine's default lacks EdDSA.
	opts := []op.Option{op.WithIDTokenHintVerifierOpts(op.WithSupportedIDTokenHintSigningAlgorithms(keys.RS256, keys.ES256, keys.EdDSA))}
	if d.Config.Insecure {
		opts = append(opts, op.WithAllowInsecure())
	}
	engine, err := op.NewProvider(opCfg, p.storage, op.StaticIssuer(d.Config.Issuer), opts...)
	if err != nil {
		return nil, err
	}
	p.op = engine
	p.codeCrypto = engine.Crypto()
	p.endpoints = *op.DefaultEndpoints
	p.corsAllowedPaths = p.corsPaths()
	srv := &server{LegacyServer: op.NewLegacyServer(engine, p.endpoints), p: p}
	notFound := op.WithSetRouter(func(r chi.Router) {
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteProblem(w, r, httpx.NotFound("No route matches "+r.Method+" "+r.URL.Path+"."))
		})
	})
	// The engine logs every route it registers at INFO through slog's
	// default logger: pure start-up noise, so it is muted while it runs.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	defer slog.SetDefault(prev)
	// CORS is Gatehouse's (cors.go), not the engine's.
	noCORS := op.WithServerCORSOptions(nil)
	p.rootOP = op.RegisterServer(srv, p.endpoints, notFound, noCORS, op.WithHTTPMiddleware(p.tenantMiddleware(false)))
	p.tenantsOP = op.RegisterServer(srv, p.endpoints, notFound, noCORS, op.WithTenantPrefix(tenancy.Prefix),
		op.WithHTTPMiddleware(p.tenantMiddleware(true)))
	return p, nil
}

// devicePollInterval is the device flow's initial polling interval.
const devicePollInterval = 5 * time.Second

var supportedScopes = []string{"openid", "profile", "email", "phone", "address", "offline_access", "account", "roles", "privacy"}

var supportedClaims = []string{
	"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash", "c_hash",
	"client_id", "scope", "jti",
	"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
	"website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
	"email", "email_verified", "phone_number", "phone_number_verified", "address",
	"roles", "permissions", // resource.go
	"privacy_consents", // internal/privacy (scope privacy)
	"authorization_details",
}

// WithTenant returns ctx carrying t and its issuer, as the engine expects.
func WithTenant(ctx context.Context, t *tenancy.Tenant) context.Context {
	return op.ContextWithIssuer(tenancy.With(ctx, t), t.Issuer)
}

// ResolveTenant finds a tenant by slug ("" for the default) for a request.
func (p *Provider) ResolveTenant(ctx context.Context, slug string) (*tenancy.Tenant, error) {
	return p.tenants.Resolve(ctx, slug)
}

// tenantMiddleware resolves the tenant (from the path under /t, or the
// default one) before any engine handler runs.
func (p *Provider) tenantMiddleware(named bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			slug := ""
			if named {
				if slug = op.TenantFromContext(r.Context()); slug == "" {
					httpx.WriteProblem(w, r, httpx.NotFound("No tenant in the path."))
					return
				}
			}
			t, err := p.ResolveTenant(r.Context(), slug)
			if errors.Is(err, store.ErrNotFound) {
				httpx.WriteProblem(w, r, httpx.NotFound("No such tenant."))
				return
			}
			if err != nil {
				httpx.WriteProblem(w, r, httpx.Internal(err))
				return
			}
			if strings.HasSuffix(r.URL.Path, p.endpoints.Authorization.Relative()) {
				w = oauthhttp.IssRedirects(w, t.Issuer, t.Issuer+p.loginPath+"?")
			}
			next.ServeHTTP(w, r.WithContext(WithTenant(r.Context(), t)))
			// The engine's router has matched by now, so its pattern is
			// whole (before, it is empty). Never the raw path or method:
			// they are metrics labels.
			if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
				httpx.SetRoute(r.Context(), httpx.MethodLabel(r.Method)+" "+rc.RoutePattern())
			}
		})
	}
}

// Handler serves every tenant's protocol endpoints.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	// Served by Gatehouse rather than the engine: the JWKS from
	// pre-serialised bytes, pushed authorization requests, and the
	// RFC 8414 metadata alias of discovery.
	for _, base := range []string{"", tenancy.Prefix + "/{tenant}"} {
		named := base != ""
		engine := p.rootOP
		if named {
			engine = p.tenantsOP
		}
		// DPoP proofs are checked before the engine (dpop.go).
		mux.Handle("POST "+base+p.endpoints.Token.Relative(), p.withTenant(named, p.dpopToken(engine)))
		mux.Handle(base+p.endpoints.Userinfo.Relative(), p.withTenant(named, p.dpopUserinfo(engine)))
		mux.Handle("GET "+base+"/keys", p.withTenant(named, http.HandlerFunc(p.serveJWKS)))
		mux.Handle("POST "+base+parPath, p.withTenant(named, http.HandlerFunc(p.servePAR)))
		mux.Handle("POST "+base+registerPath, p.withTenant(named, http.HandlerFunc(p.serveRegister)))
		mux.Handle(base+registerPath+"/{client_id}", p.withTenant(named, http.HandlerFunc(p.serveRegisteredClient)))
		mux.Handle("POST "+base+"/oauth/introspect", p.withTenant(named, http.HandlerFunc(p.serveIntrospect)))
		mux.Handle("GET "+base+"/.well-known/oauth-authorization-server", p.withTenant(named, http.HandlerFunc(p.serveDiscovery)))
		mux.Handle("GET "+base+"/.well-known/openid-configuration", p.withTenant(named, http.HandlerFunc(p.serveDiscovery)))
		mux.Handle("GET "+base+frontchannelPath, p.withTenant(named, http.HandlerFunc(p.serveFrontchannel)))
	}
	mux.Handle("GET /.well-known/oauth-authorization-server"+tenancy.Prefix+"/{tenant}", p.withTenant(true, http.HandlerFunc(p.serveDiscovery)))
	mux.Handle(tenancy.Prefix+"/", p.tenantsOP)
	mux.Handle("/", p.rootOP)
	return p.cors(oauthhttp.Challenges(oauthhttp.RejectBadParams(mux)))
}

// withTenant resolves the tenant from the {tenant} path value (or the
// default one) for Gatehouse's own handlers.
func (p *Provider) withTenant(named bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := ""
		if named {
			slug = r.PathValue("tenant")
		}
		t, err := p.ResolveTenant(r.Context(), slug)
		if errors.Is(err, store.ErrNotFound) {
			httpx.WriteProblem(w, r, httpx.NotFound("No such tenant."))
			return
		}
		if err != nil {
			httpx.WriteProblem(w, r, httpx.Internal(err))
			return
		}
		httpx.SetRoute(r.Context(), r.Pattern)
		next.ServeHTTP(w, r.WithContext(WithTenant(r.Context(), t)))
	})
}

// Engine returns the protocol engine, which the hosted login uses to
// answer authorization requests (op.AuthResponse, op.AuthRequestError).
func (p *Provider) Engine() *op.Provider { return p.op }

// Issuer is the default tenant's issuer, the root of the others'.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// InvalidateTenant drops a tenant from the cache after it was deleted, so
// its endpoints answer 404 at once on this node (other nodes when the
// change is announced, invalidate.go; the cache's TTL is the backstop).
func (p *Provider) InvalidateTenant(slug string) {
	p.tenants.Invalidate(slug)
}

// ClientChanged drops what this node cached about a client the Admin API
// created, changed, deleted or gave a new secret: the client itself and
// its tenant's CORS origins. Other nodes drop theirs when the change is
// announced (invalidate.go), within 30 seconds at worst. c is
// the client as it is now (nil once deleted): a client that wants EdDSA
// ID tokens gets its tenant an EdDSA key now, so the JWKS publishes the
// key before the first such token (keys.Manager makes it on demand).
func (p *Provider) ClientChanged(ctx context.Context, tenantID, clientID string, c *oauth.Client) {
	p.clients.invalidate(tenantID, clientID)
	p.origins.Invalidate(tenantID)
	if c != nil && c.IDTokenSignedResponseAlg == keys.EdDSA {
		if err := p.keys.Ensure(ctx, tenantID, keys.EdDSA); err != nil {
			// Signing creates it too; the JWKS then lags on other nodes.
			p.log.WarnContext(ctx, "creating the tenant's EdDSA key failed", "tenant_id", tenantID, "err", err)
		}
	}
}

// authorizer answers authorization requests of tenant t, with its issuer
// on every response (RFC 9207).
func (p *Provider) authorizer(t *tenancy.Tenant) oauthhttp.IssuerAuthorizer {
	return oauthhttp.Authorizer(p.op, t.Issuer)
}

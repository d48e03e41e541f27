// Package gateway is Gatehouse's API gateway: a reverse proxy that checks
// Gatehouse access tokens (locally against the issuer's JWKS, or by
// introspection), scopes, step-up (acr), residency (the region claim) and
// rate limits in front of customers' APIs, and a forward-auth endpoint
// that answers the same questions for nginx, Traefik, Caddy and Envoy.
//
// The gateway is stateless: its configuration is one YAML file, its rate
// limits live in Redis when several instances share them, and it reads
// nothing from Gatehouse's database.
package gateway

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Auth modes.
const (
	ModeJWT        = "jwt"
	ModeIntrospect = "introspect"
	ModeOptional   = "optional"
	ModeNone       = "none"
)

// Rate-limit keys.
const (
	PerSubject = "subject"
	PerClient  = "client"
	PerIP      = "ip"
)

// Config is the gateway's YAML file.
type Config struct {
	// Listen is the gateway's address, e.g. 127.0.0.1:8081.
	Listen string `yaml:"listen"`
	// Issuer is the Gatehouse issuer whose tokens are accepted. Discovery
	// and JWKS are read from it and cached.
	Issuer string `yaml:"issuer"`
	// Algorithms is the signature allow-list (default ES256, RS256, EdDSA).
	Algorithms []string `yaml:"algorithms"`
	// LeewaySeconds is the clock skew allowed on exp and nbf (default 5).
	LeewaySeconds *int `yaml:"leeway_seconds"`
	// Introspection holds the credentials of the client that calls the
	// issuer's introspection endpoint, for routes with mode introspect.
	Introspection *Introspection `yaml:"introspection"`
	// MaxBodyBytes caps request bodies sent upstream (default 10 MiB; -1: no cap).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// TimeoutSeconds is the default time an upstream has to send its
	// response headers (default 30).
	TimeoutSeconds int `yaml:"timeout_seconds"`
	// Routes are matched in order; the first match wins.
	Routes []Route `yaml:"routes"`
}

// Introspection is the client the gateway introspects opaque tokens with.
type Introspection struct {
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	// CacheSeconds caps how long an answer is cached (default 60); never
	// longer than the token lives.
	CacheSeconds int `yaml:"cache_seconds"`
}

// Route is one protected API.
type Route struct {
	Name  string `yaml:"name"`
	Match Match  `yaml:"match"`
	// Upstream is the base URL requests are forwarded to. It may be empty
	// for a route used only through forward-auth.
	Upstream string `yaml:"upstream"`
	// RegionUpstreams forwards a token of region R to RegionUpstreams[R].
	RegionUpstreams map[string]string `yaml:"region_upstreams"`
	// StripPrefix removes Match.PathPrefix from the path sent upstream.
	StripPrefix bool `yaml:"strip_prefix"`
	// StripAuthorization drops the Authorization header before forwarding.
	StripAuthorization bool `yaml:"strip_authorization"`
	// RevocationCheck also asks the issuer's introspection endpoint about
	// a locally valid JWT, so that a revoked token is refused before it
	// expires (answers cached up to introspection.cache_seconds).
	RevocationCheck bool       `yaml:"revocation_check"`
	Auth            Auth       `yaml:"auth"`
	RateLimit       *RateLimit `yaml:"rate_limit"`
	// Region refuses tokens whose region claim differs.
	Region string `yaml:"region"`
	// TimeoutSeconds overrides Config.TimeoutSeconds for this route.
	TimeoutSeconds int `yaml:"timeout_seconds"`
	// Retries is how often an idempotent request (GET, HEAD, OPTIONS, PUT,
	// DELETE without a body) is retried on another attempt when the upstream could
	// not be reached (default 1; 0 disables).
	Retries *int  `yaml:"retries"`
	CORS    *CORS `yaml:"cors"`
	// HealthCheck probes the route's upstreams; an unhealthy one gets no
	// requests (503) until a probe succeeds again.
	HealthCheck *HealthCheck `yaml:"health_check"`
}

// HealthCheck is an active probe: GET Path on each upstream every
// IntervalSeconds; a 2xx or 3xx within TimeoutSeconds is healthy.
type HealthCheck struct {
	Path            string `yaml:"path"`
	IntervalSeconds int    `yaml:"interval_seconds"`
	TimeoutSeconds  int    `yaml:"timeout_seconds"`
}

// Match selects the requests of a route.
type Match struct {
	PathPrefix string   `yaml:"path_prefix"`
	Methods    []string `yaml:"methods"`
	Host       string   `yaml:"host"`
}

// Auth is what a route demands of the token.
type Auth struct {
	Mode     string   `yaml:"mode"`
	Audience string   `yaml:"audience"`
	Scopes   []string `yaml:"scopes"`
	ACR      string   `yaml:"acr"`
}

// RateLimit is a per-route budget: Requests per WindowSeconds per key.
type RateLimit struct {
	Per           string `yaml:"per"`
	Requests      int    `yaml:"requests"`
	WindowSeconds int    `yaml:"window_seconds"`
}

// CORS answers preflights and decorates responses of a route.
type CORS struct {
	AllowedOrigins   []string `yaml:"allowed_origins"`
	AllowedMethods   []string `yaml:"allowed_methods"`
	AllowedHeaders   []string `yaml:"allowed_headers"`
	AllowCredentials bool     `yaml:"allow_credentials"`
	MaxAgeSeconds    int      `yaml:"max_age_seconds"`
}

// LoadFile reads and validates a configuration file.
func LoadFile(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("gateway config: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("gateway config %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes YAML strictly (unknown keys are errors) and validates it.
func Parse(b []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

var knownAlgs = []string{"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"}

// Validate fills defaults and returns every problem at once.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8081"
	}
	if c.Issuer == "" {
		bad("issuer: required")
	} else if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("issuer: %q is not an http(s) URL", c.Issuer)
	}
	c.Issuer = strings.TrimSuffix(c.Issuer, "/")
	if len(c.Algorithms) == 0 {
		c.Algorithms = []string{"ES256", "RS256", "EdDSA"}
	}
	for _, a := range c.Algorithms {
		if !slices.Contains(knownAlgs, a) {
			bad("algorithms: %q is not an asymmetric JWS algorithm (allowed: %s)", a, strings.Join(knownAlgs, ", "))
		}
	}
	if c.LeewaySeconds == nil {
		five := 5
		c.LeewaySeconds = &five
	} else if *c.LeewaySeconds < 0 || *c.LeewaySeconds > 300 {
		bad("leeway_seconds: %d is outside 0..300", *c.LeewaySeconds)
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 10 << 20
	} else if c.MaxBodyBytes < -1 {
		bad("max_body_bytes: %d is negative", c.MaxBodyBytes)
	}
	if c.TimeoutSeconds == 0 {
		c.TimeoutSeconds = 30
	} else if c.TimeoutSeconds < 0 {
		bad("timeout_seconds: %d is negative", c.TimeoutSeconds)
	}
	if c.Introspection != nil {
		if c.Introspection.ClientID == "" || c.Introspection.ClientSecret == "" {
			bad("introspection: client_id and client_secret are required")
		}
		if c.Introspection.CacheSeconds == 0 {
			c.Introspection.CacheSeconds = 60
		} else if c.Introspection.CacheSeconds < 0 {
			bad("introspection.cache_seconds: %d is negative", c.Introspection.CacheSeconds)
		}
	}
	if len(c.Routes) == 0 {
		bad("routes: at least one route is required")
	}
	names := map[string]bool{}
	for i := range c.Routes {
		r := &c.Routes[i]
		at := fmt.Sprintf("routes[%d]", i)
		if r.Name == "" {
			bad("%s.name: required", at)
		} else {
			at = fmt.Sprintf("routes[%d] (%s)", i, r.Name)
			if names[r.Name] {
				bad("%s.name: duplicate", at)
			}
			names[r.Name] = true
		}
		if r.Match.PathPrefix == "" {
			bad("%s.match.path_prefix: required (use / for everything)", at)
		} else if !strings.HasPrefix(r.Match.PathPrefix, "/") {
			bad("%s.match.path_prefix: %q must start with /", at, r.Match.PathPrefix)
		} else if reserved(r.Match.PathPrefix) {
			bad("%s.match.path_prefix: %q is the gateway's own endpoint", at, r.Match.PathPrefix)
		}
		for j, m := range r.Match.Methods {
			up := strings.ToUpper(m)
			if up == "" || strings.ContainsAny(up, " \t/") {
				bad("%s.match.methods[%d]: %q is not a method", at, j, m)
			}
			r.Match.Methods[j] = up
		}
		r.Match.Host = strings.ToLower(r.Match.Host)
		checkUpstream := func(field, u string) {
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
				bad("%s.%s: %q is not an http(s) base URL", at, field, u)
			}
		}
		if r.Upstream != "" {
			checkUpstream("upstream", r.Upstream)
		}
		for reg, u := range r.RegionUpstreams {
			checkUpstream("region_upstreams."+reg, u)
		}
		if r.Region != "" && len(r.RegionUpstreams) > 0 {
			bad("%s: region and region_upstreams exclude each other", at)
		}
		switch r.Auth.Mode {
		case "":
			bad("%s.auth.mode: required (jwt, introspect, optional or none)", at)
		case ModeJWT, ModeOptional:
		case ModeIntrospect:
			if c.Introspection == nil {
				bad("%s.auth.mode: introspect needs the top-level introspection client", at)
			}
		case ModeNone:
			if r.Auth.Audience != "" || len(r.Auth.Scopes) > 0 || r.Auth.ACR != "" {
				bad("%s.auth: mode none takes no audience, scopes or acr", at)
			}
			if r.Region != "" || len(r.RegionUpstreams) > 0 {
				bad("%s: region needs a token (mode none has none)", at)
			}
		default:
			bad("%s.auth.mode: %q is not one of jwt, introspect, optional, none", at, r.Auth.Mode)
		}
		if r.RevocationCheck && c.Introspection == nil {
			bad("%s.revocation_check: needs the top-level introspection client", at)
		}
		if r.RevocationCheck && r.Auth.Mode != ModeJWT && r.Auth.Mode != ModeOptional {
			bad("%s.revocation_check: only for modes jwt and optional (introspect always asks)", at)
		}
		if (r.Auth.Mode == ModeJWT || r.Auth.Mode == ModeIntrospect) && r.Auth.Audience == "" {
			bad("%s.auth.audience: required for mode %s (a token for another API must not pass)", at, r.Auth.Mode)
		}
		for j, s := range r.Auth.Scopes {
			if s == "" || strings.ContainsAny(s, " \"\\") {
				bad("%s.auth.scopes[%d]: %q is not a scope", at, j, s)
			}
		}
		if strings.ContainsAny(r.Auth.ACR, " \"\\") {
			bad("%s.auth.acr: %q is not an acr value", at, r.Auth.ACR)
		}
		if rl := r.RateLimit; rl != nil {
			switch rl.Per {
			case PerSubject, PerClient:
				if r.Auth.Mode == ModeNone {
					bad("%s.rate_limit.per: %s needs a token (mode none has none)", at, rl.Per)
				}
			case PerIP:
			default:
				bad("%s.rate_limit.per: %q is not subject, client or ip", at, rl.Per)
			}
			if rl.Requests <= 0 {
				bad("%s.rate_limit.requests: must be positive", at)
			}
			if rl.WindowSeconds <= 0 {
				bad("%s.rate_limit.window_seconds: must be positive", at)
			} else if rl.Requests > 0 && time.Duration(rl.WindowSeconds)*time.Second/time.Duration(rl.Requests) < time.Microsecond {
				bad("%s.rate_limit: %d requests per %d s is too fine", at, rl.Requests, rl.WindowSeconds)
			}
		}
		if r.TimeoutSeconds < 0 {
			bad("%s.timeout_seconds: negative", at)
		}
		if r.Retries == nil {
			one := 1
			r.Retries = &one
		} else if *r.Retries < 0 || *r.Retries > 5 {
			bad("%s.retries: %d is outside 0..5", at, *r.Retries)
		}
		if hc := r.HealthCheck; hc != nil {
			if !strings.HasPrefix(hc.Path, "/") {
				bad("%s.health_check.path: %q must start with /", at, hc.Path)
			}
			if hc.IntervalSeconds == 0 {
				hc.IntervalSeconds = 10
			}
			if hc.TimeoutSeconds == 0 {
				hc.TimeoutSeconds = 2
			}
			if hc.IntervalSeconds < 0 || hc.TimeoutSeconds < 0 {
				bad("%s.health_check: negative interval or timeout", at)
			}
		}
		if r.CORS != nil && len(r.CORS.AllowedOrigins) == 0 {
			bad("%s.cors.allowed_origins: required", at)
		}
		if r.CORS != nil && r.CORS.AllowCredentials && slices.Contains(r.CORS.AllowedOrigins, "*") {
			bad("%s.cors: allow_credentials with origin * is refused by browsers", at)
		}
	}
	return errors.Join(errs...)
}

// reserved reports whether a route would live under one of the gateway's
// own endpoints, which are answered before any route is matched.
func reserved(prefix string) bool {
	for _, p := range []string{ForwardAuthPath, MetricsPath, HealthPath} {
		if strings.HasPrefix(prefix, p) {
			return true
		}
	}
	return false
}

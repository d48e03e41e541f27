package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// The gateway's own endpoints, answered before any route.
const (
	ForwardAuthPath = "/forward-auth"
	MetricsPath     = "/metrics"
	HealthPath      = "/healthz"
)

// Options are the gateway's dependencies.
type Options struct {
	// Limiter holds the rate-limit budgets (memory, or Redis shared by
	// several gateways).
	Limiter ratelimit.Limiter
	// Replay records used DPoP proofs (dpop.go); nil: the Limiter when it
	// is also a Counter (a ratelimit.Store is), else process memory.
	Replay ratelimit.Counter
	// TrustedProxies (GATEHOUSE_TRUSTED_PROXIES) are the peers whose
	// X-Forwarded-* and X-Original-* headers are believed.
	TrustedProxies []netip.Prefix
	Log            *slog.Logger
	// IssuerClient fetches discovery, JWKS and introspection (default: 10 s timeout).
	IssuerClient *http.Client
	Now          func() time.Time
	// KeyRefreshInterval is the least time between two JWKS fetches
	// caused by unknown key IDs (default 5 s).
	KeyRefreshInterval time.Duration
}

// Gateway is the proxy and forward-auth handler. Its configuration can be
// replaced while it serves (Reload).
type Gateway struct {
	opts    Options
	ip      clientip.Resolver
	cur     atomic.Pointer[state]
	metrics *metrics
	reg     *prometheus.Registry

	breakersMu sync.Mutex
	breakers   map[string]*breaker

	healthMu   sync.Mutex
	stopHealth context.CancelFunc

	dpop *dpop.Verifier
}

// Close stops the active health checks.
func (g *Gateway) Close() {
	g.healthMu.Lock()
	defer g.healthMu.Unlock()
	if g.stopHealth != nil {
		g.stopHealth()
		g.stopHealth = nil
	}
}

// state is one loaded configuration, compiled.
type state struct {
	cfg          *Config
	verifier     *Verifier
	introspector *Introspector
	routes       []*route
	dpop         *dpop.Verifier
}

// New builds a gateway serving cfg (already validated).
func New(cfg *Config, opts Options) (*Gateway, error) {
	if opts.Limiter == nil {
		opts.Limiter = ratelimit.NewMemory(time.Now)
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.KeyRefreshInterval == 0 {
		opts.KeyRefreshInterval = 5 * time.Second
	}
	g := &Gateway{opts: opts, ip: clientip.Resolver{Trusted: opts.TrustedProxies}, reg: prometheus.NewRegistry(),
		breakers: map[string]*breaker{}}
	g.metrics = newMetrics(g.reg)
	if opts.Replay == nil {
		if c, ok := opts.Limiter.(ratelimit.Counter); ok {
			opts.Replay = c
		} else {
			opts.Replay = ratelimit.NewMemory(time.Now)
		}
	}
	g.dpop = newDPoPVerifier(opts.Replay, opts.Now)
	if err := g.Reload(cfg); err != nil {
		return nil, err
	}
	return g, nil
}

// Config is the configuration being served.
func (g *Gateway) Config() *Config { return g.cur.Load().cfg }

// Registry holds the gateway's metrics.
func (g *Gateway) Registry() *prometheus.Registry { return g.reg }

// Reload replaces the configuration; requests in flight finish on the old
// one. The key cache survives when the issuer is unchanged.
func (g *Gateway) Reload(cfg *Config) error {
	old := g.cur.Load()
	st := &state{cfg: cfg, dpop: g.dpop}
	if old != nil && old.cfg.Issuer == cfg.Issuer && strings.Join(old.cfg.Algorithms, ",") == strings.Join(cfg.Algorithms, ",") &&
		*old.cfg.LeewaySeconds == *cfg.LeewaySeconds {
		st.verifier = old.verifier
	} else {
		st.verifier = NewVerifier(cfg.Issuer, cfg.Algorithms, time.Duration(*cfg.LeewaySeconds)*time.Second, g.opts.IssuerClient, g.opts.Now)
		st.verifier.minRefresh = g.opts.KeyRefreshInterval
	}
	if cfg.Introspection != nil {
		st.introspector = NewIntrospector(st.verifier, cfg.Introspection)
	}
	for i := range cfg.Routes {
		rt, err := g.compile(cfg, &cfg.Routes[i])
		if err != nil {
			return err
		}
		st.routes = append(st.routes, rt)
	}
	g.cur.Store(st)
	g.healthMu.Lock()
	if g.stopHealth != nil {
		g.stopHealth()
	}
	hctx, cancel := context.WithCancel(context.Background())
	g.stopHealth = cancel
	g.healthMu.Unlock()
	g.breakersMu.Lock()
	for _, b := range g.breakers { // the new probes decide again
		b.setHealthy(true)
	}
	g.breakersMu.Unlock()
	g.startHealthChecks(hctx, st)
	if old != nil {
		for _, rt := range old.routes {
			rt.transport.CloseIdleConnections()
		}
	}
	return nil
}

// Warm fetches discovery and the JWKS, so that a misconfigured issuer is
// seen at start rather than on the first request.
func (g *Gateway) Warm(ctx context.Context) error {
	st := g.cur.Load()
	if _, err := st.verifier.Discovery(ctx); err != nil {
		return err
	}
	_, err := st.verifier.key(ctx, "")
	var it *errInvalidToken
	if errors.As(err, &it) {
		return nil
	}
	return err
}

// match finds the route of a request: host (without port), method and
// normalised path. allow lists the methods of routes whose path and host
// matched but whose methods did not.
func (st *state) match(host, method, p string) (rt *route, allow []string) {
	host = strings.ToLower(host)
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		host = h
	} else if strings.HasPrefix(host, "[") {
		if i := strings.LastIndex(host, "]"); i > 0 {
			host = host[:i+1]
		}
	}
	for _, r := range st.routes {
		if r.Match.Host != "" && r.Match.Host != host {
			continue
		}
		if !pathMatches(r.Match.PathPrefix, p) {
			continue
		}
		if len(r.Match.Methods) > 0 && !containsMethod(r.Match.Methods, method) {
			allow = append(allow, r.Match.Methods...)
			continue
		}
		return r, nil
	}
	return nil, allow
}

func containsMethod(ms []string, m string) bool {
	for _, x := range ms {
		if x == m || (x == http.MethodGet && m == http.MethodHead) {
			return true
		}
	}
	return false
}

// pathMatches: /billing/ matches /billing/x and /billing; /billing
// matches /billing and /billing/x but not /billingx.
func pathMatches(prefix, p string) bool {
	if prefix == "/" {
		return true
	}
	base := strings.TrimSuffix(prefix, "/")
	return p == base || strings.HasPrefix(p, base+"/")
}

// ServeHTTP answers the gateway's own endpoints and proxies the rest.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if telemetry.Enabled() && r.URL.Path != MetricsPath && r.URL.Path != HealthPath {
		g.serveTraced(w, r) // trace.go
		return
	}
	g.serve(w, r)
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case ForwardAuthPath:
		g.forwardAuth(w, r)
		return
	case MetricsPath:
		promhttp.HandlerFor(g.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
		return
	case HealthPath:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
		return
	}
	if strings.HasPrefix(r.URL.Path, ForwardAuthPath+"/") { // Envoy ext_authz: path_prefix + the original path
		g.forwardAuth(w, r)
		return
	}
	g.proxy(w, r)
}

// hostOf is the host a request was sent to: X-Forwarded-Host from a
// trusted proxy, else the Host header.
func (g *Gateway) trusted(r *http.Request) bool {
	p := clientip.Peer(r)
	return p.IsValid() && clientip.Contains(g.opts.TrustedProxies, p)
}

// writeRefusal sends a refusal and counts it.
func (g *Gateway) writeRefusal(w http.ResponseWriter, r *http.Request, routeName string, f *refusal) {
	g.metrics.refusals.WithLabelValues(routeName, f.reason).Inc()
	p := *f.problem
	p.Instance = r.URL.Path
	httpx.WriteProblem(w, r, &p)
}

func parseUpstream(s string) *url.URL {
	if s == "" {
		return nil
	}
	u, _ := url.Parse(strings.TrimSuffix(s, "/"))
	return u
}

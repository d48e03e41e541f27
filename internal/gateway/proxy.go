package gateway

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// route is a configured route, compiled.
type route struct {
	Route
	upstream  *url.URL
	regionUps map[string]*url.URL
	limit     ratelimit.Limit
	transport *http.Transport
	proxy     *httputil.ReverseProxy
	maxBody   int64
}

// forward is what Rewrite needs to know about one request.
type forward struct {
	target  *url.URL
	path    string // normalised, prefix stripped when configured
	id      *Identity
	rt      *route
	trusted bool
	errKind string // set by ErrorHandler
}

type forwardKey struct{}

func (g *Gateway) compile(cfg *Config, r *Route) (*route, error) {
	rt := &route{Route: *r, upstream: parseUpstream(r.Upstream), maxBody: cfg.MaxBodyBytes}
	if len(r.RegionUpstreams) > 0 {
		rt.regionUps = map[string]*url.URL{}
		for reg, u := range r.RegionUpstreams {
			rt.regionUps[reg] = parseUpstream(u)
		}
	}
	if r.RateLimit != nil {
		rt.limit = ratelimit.Limit{Rate: r.RateLimit.Requests, Per: time.Duration(r.RateLimit.WindowSeconds) * time.Second}
	}
	timeout := time.Duration(cfg.TimeoutSeconds) * time.Second
	if r.TimeoutSeconds > 0 {
		timeout = time.Duration(r.TimeoutSeconds) * time.Second
	}
	rt.transport = &http.Transport{
		Proxy:                 nil, // never through an environment proxy
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
	rt.proxy = &httputil.ReverseProxy{
		Rewrite:   rewrite,
		Transport: &retrying{g: g, base: rt.transport, retries: *r.Retries},
		// 0: streamed responses (no Content-Length, text/event-stream)
		// are flushed at once by ReverseProxy itself; others are buffered.
		FlushInterval: 0,
		BufferPool:    bufferPool{},
		ErrorHandler:  g.proxyError,
	}
	return rt, nil
}

// rewrite builds the outbound request (httputil.ProxyRequest has already
// dropped hop-by-hop and inbound X-Forwarded-* headers).
func rewrite(pr *httputil.ProxyRequest) {
	f := pr.In.Context().Value(forwardKey{}).(*forward)
	pr.SetURL(f.target)
	pr.Out.URL.Path = singleJoin(f.target.Path, f.path)
	pr.Out.URL.RawPath = ""
	stripIdentity(pr.Out.Header)
	for k, v := range identityHeaders(f.id) {
		pr.Out.Header[k] = v
	}
	if f.rt.StripAuthorization {
		pr.Out.Header.Del("Authorization")
	}
	// X-Forwarded-For: the inbound chain only from a trusted proxy.
	peer := clientip.Peer(pr.In)
	xff := ""
	if peer.IsValid() {
		xff = peer.String()
	}
	if prior := strings.Join(pr.In.Header.Values("X-Forwarded-For"), ", "); f.trusted && prior != "" {
		xff = prior + ", " + xff
	}
	if xff != "" {
		pr.Out.Header.Set("X-Forwarded-For", xff)
	}
	host, proto := pr.In.Host, "http"
	if pr.In.TLS != nil {
		proto = "https"
	}
	if f.trusted {
		if h := pr.In.Header.Get("X-Forwarded-Host"); h != "" {
			host = h
		}
		if p := pr.In.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			proto = p
		}
	}
	pr.Out.Header.Set("X-Forwarded-Host", host)
	pr.Out.Header.Set("X-Forwarded-Proto", proto)
}

func singleJoin(base, p string) string {
	if base == "" || base == "/" {
		return p
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(p, "/")
}

// proxy is the gateway's main path: normalise, match, CORS, authorize,
// rate-limit, forward.
func (g *Gateway) proxy(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	st := g.cur.Load()
	lw := &logWriter{ResponseWriter: w, status: http.StatusOK}
	routeName := ""
	var id *Identity
	defer func() {
		name := routeName
		if name == "" {
			name = "(none)"
		}
		d := time.Since(start)
		g.metrics.observe(name, lw.status, d)
		spanResult(r, name, lw.status, id)
		attrs := []any{"route", name, "method", r.Method, "path", r.URL.Path, "status", lw.status,
			"latency_ms", float64(d.Microseconds()) / 1000, "ip", g.ip.IP(r).String()}
		if id != nil {
			attrs = append(attrs, "subject", id.Subject, "client_id", id.ClientID)
		}
		g.opts.Log.InfoContext(r.Context(), "gateway request", attrs...)
	}()

	p, ok := normalisePath(r.URL.Path)
	if !ok {
		g.writeRefusal(lw, r, "(none)", &refusal{reason: reasonBadRequest,
			problem: httpx.Validation("The request path is not valid.")})
		return
	}
	if r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		if rt, _ := st.match(r.Host, r.Header.Get("Access-Control-Request-Method"), p); rt != nil && rt.CORS != nil {
			routeName = rt.Name
			preflight(lw, r, rt.CORS)
			return
		}
	}
	rt, allow := st.match(r.Host, r.Method, p)
	if rt == nil {
		if len(allow) > 0 {
			pb := httpx.NewProblem(http.StatusMethodNotAllowed, httpx.TypeMethodNotAllowed, "Method not allowed",
				"This route does not take "+r.Method+".")
			pb.Header = http.Header{"Allow": {strings.Join(allow, ", ")}}
			g.writeRefusal(lw, r, "(none)", &refusal{reason: reasonNoRoute, problem: pb})
			return
		}
		g.writeRefusal(lw, r, "(none)", &refusal{reason: reasonNoRoute, problem: httpx.NotFound("No route matches this request.")})
		return
	}
	routeName = rt.Name
	if rt.CORS != nil {
		corsHeaders(lw.Header(), r, rt.CORS)
	}
	var f *refusal
	id, f = st.authorize(r.Context(), rt, &described{method: r.Method, url: requestURL(r, g.trusted(r), r.Host, r.URL.EscapedPath()), header: r.Header})
	if f != nil {
		g.writeRefusal(lw, r, rt.Name, f)
		return
	}
	rlh, f := g.limit(r.Context(), rt, id, g.ip.IP(r).String())
	if f != nil {
		g.writeRefusal(lw, r, rt.Name, f)
		return
	}
	for k, v := range rlh {
		lw.Header()[k] = v
	}
	target := rt.upstream
	if id != nil && rt.regionUps[id.Region] != nil {
		target = rt.regionUps[id.Region]
	}
	if target == nil {
		g.writeRefusal(lw, r, rt.Name, &refusal{reason: reasonNoRoute, problem: httpx.NotFound("This route has no upstream; it serves forward-auth only.")})
		return
	}
	if rt.maxBody > 0 {
		if r.ContentLength > rt.maxBody {
			g.writeRefusal(lw, r, rt.Name, &refusal{reason: reasonTooLarge, problem: httpx.NewProblem(http.StatusRequestEntityTooLarge,
				httpx.TypePayloadTooLarge, "Payload too large", "The request body exceeds "+strconv.FormatInt(rt.maxBody, 10)+" bytes.")})
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(lw, r.Body, rt.maxBody)
		}
	}
	up := p
	if rt.StripPrefix {
		up = strings.TrimPrefix(p, strings.TrimSuffix(rt.Match.PathPrefix, "/"))
		if up == "" {
			up = "/"
		}
	}
	fw := &forward{target: target, path: up, id: id, rt: rt, trusted: g.trusted(r)}
	if b := g.breaker(target.Host); !b.allow(g.opts.Now()) {
		g.metrics.upstreamErrors.WithLabelValues(rt.Name, "circuit_open").Inc()
		g.writeRefusal(lw, r, rt.Name, unavailable("circuit_open", "The upstream is failing; the gateway is giving it a rest."))
		return
	}
	rt.proxy.ServeHTTP(lw, r.WithContext(context.WithValue(r.Context(), forwardKey{}, fw)))
	if fw.errKind != "" {
		g.metrics.upstreamErrors.WithLabelValues(rt.Name, fw.errKind).Inc()
	}
}

// proxyError answers for an upstream that failed: 504 when it did not
// answer in time, 413 for a body over the limit, 502 otherwise.
func (g *Gateway) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	f := r.Context().Value(forwardKey{}).(*forward)
	var mbe *http.MaxBytesError
	var ne net.Error
	var p *httpx.Problem
	switch {
	case errors.As(err, &mbe):
		f.errKind = "too_large"
		p = httpx.NewProblem(http.StatusRequestEntityTooLarge, httpx.TypePayloadTooLarge, "Payload too large",
			"The request body exceeds "+strconv.FormatInt(mbe.Limit, 10)+" bytes.")
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		f.errKind = "client_gone"
		w.WriteHeader(499) // nobody is listening; the status is for the log
		return
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) || strings.Contains(err.Error(), "timeout awaiting response headers"):
		f.errKind = "timeout"
		p = httpx.NewProblem(http.StatusGatewayTimeout, TypeGatewayTimeout, "Gateway timeout", "The upstream did not answer in time.")
	default:
		f.errKind = "unreachable"
		p = httpx.NewProblem(http.StatusBadGateway, TypeBadGateway, "Bad gateway", "The upstream could not be reached.")
	}
	g.opts.Log.WarnContext(r.Context(), "gateway: upstream failed", "route", f.rt.Name, "upstream", f.target.Host, "err", err)
	p.Instance = r.URL.Path
	httpx.WriteProblem(w, r, p)
}

// retrying retries idempotent requests without a body when the upstream
// could not be reached, and feeds the upstream's circuit breaker.
type retrying struct {
	g       *Gateway
	base    http.RoundTripper
	retries int
}

func idempotent(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace:
		return true
	}
	return false
}

func (t *retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	b := t.g.breaker(req.URL.Host)
	n := 0
	if idempotent(req.Method) && (req.Body == nil || req.Body == http.NoBody) && req.Header.Get("Upgrade") == "" {
		n = t.retries
	}
	for attempt := 0; ; attempt++ {
		span := startUpstream(req, attempt) // trace.go
		resp, err := t.base.RoundTrip(req)
		endUpstream(span, resp, err)
		now := t.g.opts.Now()
		if err == nil {
			b.result(now, resp.StatusCode != http.StatusBadGateway && resp.StatusCode != http.StatusServiceUnavailable && resp.StatusCode != http.StatusGatewayTimeout)
			return resp, nil
		}
		b.result(now, false)
		if attempt >= n || req.Context().Err() != nil || !retryable(err) {
			return nil, err
		}
		t.g.metrics.retries.WithLabelValues(req.URL.Host).Inc()
	}
}

// retryable: the request certainly did not reach the upstream's handler
// (refused or reset connection, dial failure).
func retryable(err error) bool {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection refused") || strings.Contains(s, "connection reset") ||
		strings.Contains(s, "EOF") && !strings.Contains(s, "timeout")
}

// bufferPool lends ReverseProxy its 32 KiB copy buffers (by default it
// allocates one per response).
type bufferPool struct{}

var buffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *(buffers.Get().(*[]byte)) }
func (bufferPool) Put(b []byte) { buffers.Put(&b) }

// logWriter records the status for the access log and metrics; Unwrap
// lets ReverseProxy flush and hijack (WebSockets) through it.
type logWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *logWriter) WriteHeader(code int) {
	if !w.wroteHeader && code >= 200 {
		w.status, w.wroteHeader = code, true
	} else if code == http.StatusSwitchingProtocols {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(b)
}

func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

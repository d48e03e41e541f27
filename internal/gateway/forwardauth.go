package gateway

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// forwardAuth answers GET /forward-auth for a proxy (nginx auth_request,
// Traefik ForwardAuth, Caddy forward_auth, Envoy ext_authz): it decides
// for the request the proxy describes in X-Original-URI and
// X-Original-Method (nginx) or X-Forwarded-Uri, X-Forwarded-Method and
// X-Forwarded-Host (Traefik, Caddy) with the matching route's rules. 200
// carries the identity headers; refusals are those of the proxy path.
//
// Only a peer in GATEHOUSE_TRUSTED_PROXIES may describe a request: from
// anyone else those headers would be a client's word, so forward-auth
// refuses to answer (403).
func (g *Gateway) forwardAuth(w http.ResponseWriter, r *http.Request) {
	st := g.cur.Load()
	routeName := "(none)"
	code := http.StatusOK
	var id *Identity
	defer func() {
		g.metrics.forwardAuth.WithLabelValues(routeName, strconv.Itoa(code)).Inc()
		spanResult(r, routeName, code, id)
		attrs := []any{"route", routeName, "status", code, "ip", g.ip.IP(r).String()}
		if id != nil {
			attrs = append(attrs, "subject", id.Subject, "client_id", id.ClientID)
		}
		g.opts.Log.InfoContext(r.Context(), "gateway forward-auth", attrs...)
	}()
	refuse := func(f *refusal) {
		code = f.problem.Status
		g.writeRefusal(w, r, routeName, f)
	}
	w.Header().Set("Cache-Control", "no-store")
	if !g.trusted(r) {
		refuse(&refusal{reason: reasonUntrusted, problem: httpx.Forbidden(
			"Forward-auth answers only the proxies in GATEHOUSE_TRUSTED_PROXIES.")})
		return
	}
	uri := first(r.Header.Get("X-Original-URI"), r.Header.Get("X-Forwarded-Uri"))
	method := strings.ToUpper(first(r.Header.Get("X-Original-Method"), r.Header.Get("X-Forwarded-Method"), http.MethodGet))
	if rest, ok := strings.CutPrefix(r.URL.EscapedPath(), ForwardAuthPath+"/"); ok {
		// Envoy ext_authz (HTTP) sends the original method, and the
		// original path after its path_prefix /forward-auth.
		uri, method = "/"+rest, r.Method
	}
	host := first(r.Header.Get("X-Forwarded-Host"), r.Header.Get("X-Original-Host"), r.Host)
	if uri == "" {
		refuse(&refusal{reason: reasonBadRequest, problem: httpx.Validation(
			"Forward-auth needs X-Original-URI (nginx) or X-Forwarded-Uri (Traefik, Caddy).")})
		return
	}
	p, ok := describedPath(uri)
	if !ok {
		refuse(&refusal{reason: reasonBadRequest, problem: httpx.Validation("The described request path is not valid.")})
		return
	}
	rt, _ := st.match(host, method, p)
	if rt == nil {
		refuse(&refusal{reason: reasonNoRoute, problem: httpx.Forbidden("No route allows this request.")})
		return
	}
	routeName = rt.Name
	var f *refusal
	req := &described{method: method, url: requestURL(r, true, host, p), header: r.Header}
	if id, f = st.authorize(r.Context(), rt, req); f != nil {
		refuse(f)
		return
	}
	rlh, f := g.limit(r.Context(), rt, id, g.ip.IP(r).String())
	if f != nil {
		refuse(f)
		return
	}
	for k, v := range rlh {
		w.Header()[k] = v
	}
	// Every identity header is sent, empty when unknown: Caddy before
	// 2.10 otherwise copies its unreplaced placeholder, or leaves the
	// client's own header in place.
	for _, k := range identityHeaderNames {
		w.Header()[k] = []string{""}
	}
	for k, v := range identityHeaders(id) {
		w.Header()[k] = v
	}
	w.Header().Set("X-Gatehouse-Route", rt.Name)
	w.WriteHeader(http.StatusOK)
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

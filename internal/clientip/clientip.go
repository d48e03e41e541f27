// Package clientip finds the address of the client behind a request. The
// peer address is the client unless the peer is a trusted proxy
// (GATEHOUSE_TRUSTED_PROXIES); then X-Forwarded-For is read from the right,
// skipping trusted proxies, and the first untrusted hop is the client. The
// leftmost entries are whatever the client chose to send, so they are never
// believed.
package clientip

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
)

// Resolver holds the trusted proxy networks. The zero value trusts no
// proxy: the peer address is always the client.
type Resolver struct {
	Trusted []netip.Prefix
}

// ParseCIDRs parses a comma- or space-separated list of CIDRs (a bare
// address means a single host). The empty string is an empty list.
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	return riskpolicy.ParsePrefixes(strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }))
}

// Contains reports whether a is in one of the prefixes.
func Contains(list []netip.Prefix, a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range list {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Peer is the address of the TCP peer of r (invalid if RemoteAddr is not
// an IP, as with some test transports).
func Peer(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// IP returns the client address of r: the peer, or, when the peer is a
// trusted proxy, the rightmost X-Forwarded-For hop that is not trusted. If
// every hop is trusted, the leftmost one is the client; a malformed hop
// stops the walk at the last good address.
func (res Resolver) IP(r *http.Request) netip.Addr {
	ip := Peer(r)
	if !ip.IsValid() || len(res.Trusted) == 0 || !Contains(res.Trusted, ip) {
		return ip
	}
	hops := forwarded(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return ip
		}
		ip = a.Unmap()
		if !Contains(res.Trusted, ip) {
			return ip
		}
	}
	return ip
}

// forwarded splits the X-Forwarded-For header lines into hops, in order.
func forwarded(lines []string) []string {
	var hops []string
	for _, l := range lines {
		for _, h := range strings.Split(l, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	return hops
}

// Network is the key of the network an address belongs to: its /24 for
// IPv4 and its /48 for IPv6 (what one customer or one small provider
// usually holds), e.g. "203.0.113.0/24". Invalid addresses give "".
func Network(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}

type ctxKey struct{}

// Middleware resolves the client address once per request and stores it in
// the request's context, where FromRequest finds it.
func (res Resolver) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := res.IP(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, ip)))
	})
}

// FromContext returns the address Middleware stored, if any.
func FromContext(ctx context.Context) (netip.Addr, bool) {
	a, ok := ctx.Value(ctxKey{}).(netip.Addr)
	return a, ok && a.IsValid()
}

// FromRequest is the client address as a string: the one Middleware
// resolved, or else the peer address (RemoteAddr without its port).
func FromRequest(r *http.Request) string {
	if a, ok := FromContext(r.Context()); ok {
		return a.String()
	}
	if a := Peer(r); a.IsValid() {
		return a.String()
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

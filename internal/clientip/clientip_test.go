package clientip_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
)

func mustCIDRs(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := clientip.ParseCIDRs(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseCIDRs(t *testing.T) {
	got := mustCIDRs(t, "10.0.0.0/8, 192.0.2.7 2001:db8::/32,::ffff:198.51.100.0/120")
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "198.51.100.0/24"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %s, want %s", i, got[i], want[i])
		}
	}
	if p := mustCIDRs(t, ""); len(p) != 0 {
		t.Errorf("empty list parsed as %v", p)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0/8", "1.2.3.4/x"} {
		if _, err := clientip.ParseCIDRs(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestResolverIP(t *testing.T) {
	trusted := clientip.Resolver{Trusted: mustCIDRs(t, "10.0.0.0/8,2001:db8:ffff::/48")}
	cases := []struct {
		name, peer string
		xff        []string
		res        clientip.Resolver
		want       string
	}{
		{"no proxies trusted: header ignored", "203.0.113.5:1234", []string{"198.51.100.1"}, clientip.Resolver{}, "203.0.113.5"},
		{"untrusted peer: header ignored", "203.0.113.5:1234", []string{"198.51.100.1"}, trusted, "203.0.113.5"},
		{"trusted peer, one hop", "10.1.2.3:80", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"spoofed leftmost is skipped", "10.1.2.3:80", []string{"1.1.1.1, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"chain of trusted proxies", "10.1.2.3:80", []string{"1.1.1.1, 198.51.100.1, 10.9.9.9", "10.4.4.4"}, trusted, "198.51.100.1"},
		{"all hops trusted: leftmost", "10.1.2.3:80", []string{"10.7.7.7, 10.8.8.8"}, trusted, "10.7.7.7"},
		{"no header: the proxy itself", "10.1.2.3:80", nil, trusted, "10.1.2.3"},
		{"garbage hop stops the walk", "10.1.2.3:80", []string{"198.51.100.1, bogus"}, trusted, "10.1.2.3"},
		{"ipv6 proxy and client", "[2001:db8:ffff::1]:443", []string{"2001:db8:1::9"}, trusted, "2001:db8:1::9"},
		{"mapped peer", "[::ffff:10.1.2.3]:80", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := c.res.IP(r).String(); got != c.want {
				t.Errorf("IP = %s, want %s", got, c.want)
			}
		})
	}
}

func TestNetwork(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.77":         "203.0.113.0/24",
		"::ffff:203.0.113.77":  "203.0.113.0/24",
		"2001:db8:1:2:3::4":    "2001:db8:1::/48",
		"2001:db8:1:ffff::abc": "2001:db8:1::/48",
	} {
		if got := clientip.Network(netip.MustParseAddr(in)); got != want {
			t.Errorf("Network(%s) = %s, want %s", in, got, want)
		}
	}
	if got := clientip.Network(netip.Addr{}); got != "" {
		t.Errorf("invalid address gave %q", got)
	}
}

func TestMiddlewareAndFromRequest(t *testing.T) {
	res := clientip.Resolver{Trusted: mustCIDRs(t, "127.0.0.0/8")}
	var seen string
	h := res.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = clientip.FromRequest(r) }))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:5555"
	r.Header.Set("X-Forwarded-For", "192.0.2.44")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if seen != "192.0.2.44" {
		t.Errorf("behind middleware: %q", seen)
	}
	// Without the middleware the peer is the answer, and a RemoteAddr that
	// is no address is passed through.
	if got := clientip.FromRequest(r); got != "127.0.0.1" {
		t.Errorf("without middleware: %q", got)
	}
	r.RemoteAddr = "pipe"
	if got := clientip.FromRequest(r); got != "pipe" {
		t.Errorf("non-IP peer: %q", got)
	}
}

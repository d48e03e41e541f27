package gateway

import (
	"strings"
	"testing"
)

// The paths proxies describe to forward-auth come from the client: the
// normalised path is absolute, has no dot segment, no repeated slash, no
// fragment, and normalising it again changes nothing (so matching and the
// upstream see the same path).
func FuzzDescribedPath(f *testing.F) {
	for _, s := range []string{"/billing/x", "/billing/../admin", "/%2e%2e/admin", "//billing//x/", "/a#/b",
		"http://h/x?y", "/a/%2fb", "/a\\b", "/%zz", "", "/.", "/a/./b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		p, ok := describedPath(uri)
		if !ok {
			return
		}
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") || strings.Contains(p, "#") ||
			strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") || strings.Contains(p, "/./") || strings.HasSuffix(p, "/.") {
			t.Fatalf("describedPath(%q) = %q", uri, p)
		}
		if again, ok := normalisePath(p); !ok || again != p {
			t.Fatalf("normalising %q again gives %q, %v", p, again, ok)
		}
	})
}

// A configuration file never panics the parser: it is valid, or an error.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("listen: 127.0.0.1:8081\nissuer: http://127.0.0.1:8080\nroutes:\n  - name: a\n    match: {path_prefix: /a/}\n    upstream: http://127.0.0.1:9001\n    auth: {mode: none}\n"))
	f.Add([]byte("routes: [{name: x, match: {path_prefix: /}, upstream: 'http://[::1', auth: {mode: jwt}}]"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err == nil && c == nil {
			t.Fatal("nil config without an error")
		}
	})
}

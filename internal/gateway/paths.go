package gateway

import (
	"net/url"
	"path"
	"strings"
)

// normalisePath is the path a route is matched on and the upstream gets:
// decoded (%2e is a dot, %2f a slash), without a fragment, with repeated
// slashes collapsed and dot segments resolved, a trailing slash kept. A
// path that climbs above the root, or holds a NUL, a backslash or invalid
// escapes, is refused: no upstream should have to guess what it means.
func normalisePath(p string) (string, bool) {
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i]
	}
	if p == "" {
		return "/", true
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") {
		return "", false
	}
	depth := 0
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return "", false
			}
		default:
			depth++
		}
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c, true
}

// describedPath is the path of a request a proxy describes to
// forward-auth (X-Original-URI, X-Forwarded-Uri): the raw URI, cut at the
// fragment and the query, percent-decoded once, then normalised.
func describedPath(uri string) (string, bool) {
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri = uri[:i]
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://") {
		u, err := url.Parse(uri)
		if err != nil {
			return "", false
		}
		uri = u.EscapedPath()
	}
	dec, err := url.PathUnescape(uri)
	if err != nil {
		return "", false
	}
	return normalisePath(dec)
}

package gateway

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

func originAllowed(c *CORS, origin string) bool {
	return slices.Contains(c.AllowedOrigins, "*") || slices.Contains(c.AllowedOrigins, origin)
}

// corsHeaders decorates an actual (non-preflight) response.
func corsHeaders(h http.Header, r *http.Request, c *CORS) {
	origin := r.Header.Get("Origin")
	h.Add("Vary", "Origin")
	if origin == "" || !originAllowed(c, origin) {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	if c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// preflight answers an OPTIONS preflight for a route with CORS; it needs
// no token (browsers send none).
func preflight(w http.ResponseWriter, r *http.Request, c *CORS) {
	corsHeaders(w.Header(), r, c)
	origin := r.Header.Get("Origin")
	if originAllowed(c, origin) {
		methods := c.AllowedMethods
		if len(methods) == 0 {
			methods = []string{"GET", "HEAD", "POST"}
		}
		w.Header().Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
		if len(c.AllowedHeaders) > 0 {
			w.Header().Set("Access-Control-Allow-Headers", strings.Join(c.AllowedHeaders, ", "))
		} else if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		}
		if c.MaxAgeSeconds > 0 {
			w.Header().Set("Access-Control-Max-Age", strconv.Itoa(c.MaxAgeSeconds))
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

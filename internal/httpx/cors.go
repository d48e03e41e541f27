package httpx

import (
	"context"
	"net/http"
)

// CORS answers preflights and marks the responses of the endpoints match
// accepts, for the origins allowed accepts; other paths pass through
// without CORS headers. match returns the key (a tenant slug, say) that
// allowed is asked with. Credentials are never allowed, so nothing is
// read with cookies; the endpoints may be called with GET and POST, the
// Authorization and content headers, and expose WWW-Authenticate. maxAge
// is how long (seconds) a browser may cache a preflight answer.
func CORS(next http.Handler, match func(path string) (key string, ok bool),
	allowed func(ctx context.Context, key, origin string) bool, maxAge string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := match(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		ok = origin != "" && allowed(r.Context(), key, origin)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			if ok {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Methods", "GET, POST")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Accept-Language, DPoP")
				h.Set("Access-Control-Max-Age", maxAge)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if ok {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", "WWW-Authenticate, DPoP-Nonce")
		}
		next.ServeHTTP(w, r)
	})
}

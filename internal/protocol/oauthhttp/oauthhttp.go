// Package oauthhttp holds what the OAuth 2.0 / OpenID Connect wire asks
// of HTTP apart from any grant, engine state or store: the issuer on
// every authorization response (RFC 9207), the form_post response page,
// protocol-parameter hygiene, and the WWW-Authenticate challenges of
// RFC 6749 5.2 and RFC 6750 3. internal/protocol/oidc wraps its
// endpoints with these; none of them knows a tenant or a client.
package oauthhttp

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// RejectBadParams refuses protocol parameters with NUL or other control
// characters, or invalid UTF-8: no OAuth parameter may carry them
// (RFC 6749 A), PostgreSQL cannot store NUL, and logs must not receive
// them. The form is parsed once here; handlers reuse it.
func RejectBadParams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			if httpx.IsTooLarge(err) {
				httpx.WriteProblem(w, r, httpx.PayloadTooLarge(0).WithDetail("The request body is too large."))
				return
			}
			op.WriteError(w, r, oidc.ErrInvalidRequest().WithDescription("malformed request parameters"), nil)
			return
		}
		for k, vs := range r.Form {
			if !cleanParam(k) {
				op.WriteError(w, r, oidc.ErrInvalidRequest().WithDescription("malformed parameter name"), nil)
				return
			}
			for _, v := range vs {
				if !cleanParam(v) {
					op.WriteError(w, r, oidc.ErrInvalidRequest().WithDescription("parameter %s contains invalid characters", k), nil)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func cleanParam(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// Challenges adds the WWW-Authenticate header RFC 6749 5.2 and RFC 6750 3
// require to 401 and 403 answers.
func Challenges(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&challengeWriter{ResponseWriter: w, r: r}, r)
	})
}

type challengeWriter struct {
	http.ResponseWriter
	r *http.Request
}

func (cw *challengeWriter) WriteHeader(code int) {
	h := cw.Header()
	if h.Get("WWW-Authenticate") == "" {
		auth := cw.r.Header.Get("Authorization")
		userinfo := strings.HasSuffix(cw.r.URL.Path, "/userinfo")
		switch {
		case userinfo && code == http.StatusUnauthorized && auth == "":
			h.Set("WWW-Authenticate", `Bearer`)
		case userinfo && code == http.StatusUnauthorized:
			h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		case userinfo && code == http.StatusForbidden:
			h.Set("WWW-Authenticate", `Bearer error="insufficient_scope"`)
		case code == http.StatusUnauthorized && strings.HasPrefix(auth, "Basic "):
			h.Set("WWW-Authenticate", `Basic realm="gatehouse"`)
		}
	}
	cw.ResponseWriter.WriteHeader(code)
}

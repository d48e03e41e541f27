package loginpage

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// CSRF protection is a double-submit token bound to the server key: the
// browser holds a random cookie, and each form carries
// HMAC(cookie, tenant, form name). Another site can neither read the
// cookie nor compute the MAC, and a token is valid only for the form and
// tenant it was made for. The cookie is SameSite=Strict, so even a
// stolen token is useless from another site.

const csrfPurpose = "csrf"

// csrfCookieName is per tenant, like the session cookie: the default
// tenant's cookie (path /) is also sent to /t/{slug}/ URLs.
func csrfCookieName(t *tenancy.Tenant) string {
	if t.Base == "" {
		return "gh_csrf"
	}
	return "gh_csrf_" + t.Slug
}

// csrfCookieLen is the length of secret.Token(32).
const csrfCookieLen = 43

// csrfCookie returns the browser's CSRF cookie value, setting a new one on
// w when there is none. A cross-site navigation into the login (the normal
// way in, from the client) does not send a Strict cookie, so the first page
// of a flow usually sets a fresh one.
func (h *Pages) csrfCookie(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) string {
	if c, err := r.Cookie(csrfCookieName(t)); err == nil && validCSRFCookie(c.Value) {
		return c.Value
	}
	v := secret.Token(32)
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookieName(t), Value: v, Path: loginflow.CookiePath(t), HttpOnly: true,
		Secure: strings.HasPrefix(t.Issuer, "https://"), SameSite: http.SameSiteStrictMode,
	})
	// Later calls in this request must see the same value.
	r.AddCookie(&http.Cookie{Name: csrfCookieName(t), Value: v})
	return v
}

func validCSRFCookie(v string) bool {
	if len(v) != csrfCookieLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

func csrfData(t *tenancy.Tenant, cookie, form string) []byte {
	return []byte(t.ID + "\x00" + form + "\x00" + cookie)
}

// CSRFToken is the hidden form field for form.
func (h *Pages) CSRFToken(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, form string) string {
	c := h.csrfCookie(w, r, t)
	return base64.RawURLEncoding.EncodeToString(h.keys.MAC(csrfPurpose, csrfData(t, c, form)))
}

// CheckCSRF verifies a submitted form's token against the cookie, in
// constant time.
func (h *Pages) CheckCSRF(r *http.Request, t *tenancy.Tenant, form string) bool {
	return h.CheckCSRFToken(r, t, form, r.PostFormValue("csrf"))
}

// CheckCSRFToken verifies a token sent otherwise than as a form field
// (webauthn.js sends it in the X-CSRF-Token header).
func (h *Pages) CheckCSRFToken(r *http.Request, t *tenancy.Tenant, form, token string) bool {
	c, err := r.Cookie(csrfCookieName(t))
	if err != nil || !validCSRFCookie(c.Value) {
		return false
	}
	mac, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(mac) == 0 {
		return false
	}
	return h.keys.Equal(csrfPurpose, csrfData(t, c.Value, form), mac)
}

// CheckForm parses a submitted form and applies the cross-site checks:
// the Origin header, when present, must be the issuer's, and the CSRF
// token must match. Failures are 403 and change nothing.
func (h *Pages) CheckForm(r *http.Request, t *tenancy.Tenant, form string) error {
	if err := r.ParseForm(); err != nil {
		return &Error{Status: http.StatusBadRequest, Key: "error_bad_request", Cause: err}
	}
	if !SameOrigin(r, t) || !h.CheckCSRF(r, t, form) {
		return &Error{Status: http.StatusForbidden, Key: "error_csrf"}
	}
	return nil
}

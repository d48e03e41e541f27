package loginflow

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The state of a federated sign-in on the hosted pages
// (internal/login/federationpages): sealed in a short-lived cookie between
// start and callback, and, after authn.LinkRequiredError, until the
// person signed in to the account the identity is to be linked to.

// FedStateTTL bounds the time a person may spend at the upstream.
const FedStateTTL = 10 * time.Minute

// fedPurpose seals the federation cookie.
const fedPurpose = "login-federation-v1"

// FedState is what the browser keeps between start and callback (and,
// after LinkRequiredError, until the person signed in to the account).
type FedState struct {
	TenantID      string `json:"t"`
	ConnectionID  string `json:"c"`
	AuthRequestID string `json:"a"`
	State         string `json:"s"`
	Nonce         string `json:"n"`
	Verifier      string `json:"v"`
	Challenge     string `json:"h"`
	Expires       int64  `json:"e"`
	// Link is the identity waiting to be linked to Link.UserID once the
	// person signed in to that account.
	Link *PendingLink `json:"l,omitempty"`
	// LinkUser, set when the user started linking from their account
	// settings (/v1/me/identities), is the signed-in user the callback
	// links the identity to; AuthRequestID is empty then.
	LinkUser string `json:"lu,omitempty"`
}

// PendingLink is an upstream identity waiting to be linked to UserID.
type PendingLink struct {
	UserID   string              `json:"u"`
	Identity federation.Identity `json:"i"`
}

func fedCookieName(t *tenancy.Tenant) string { return "gh_fed_" + t.ID }

// WriteFedState seals fc into the browser's federation cookie.
func (h *Flow) WriteFedState(w http.ResponseWriter, t *tenancy.Tenant, fc *FedState) error {
	raw, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	sealed, err := h.keyring.Seal(fedPurpose, raw, []byte(t.ID))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: fedCookieName(t), Value: base64.RawURLEncoding.EncodeToString(sealed),
		Path: fedCookiePath(t), MaxAge: int(FedStateTTL / time.Second), HttpOnly: true,
		Secure: strings.HasPrefix(t.Issuer, "https://"), SameSite: http.SameSiteLaxMode})
	return nil
}

func fedCookiePath(t *tenancy.Tenant) string {
	if t.Base == "" {
		return "/login"
	}
	return t.Base + "/login"
}

// ClearFedState clears the browser's federation cookie.
func ClearFedState(w http.ResponseWriter, t *tenancy.Tenant) {
	http.SetCookie(w, &http.Cookie{Name: fedCookieName(t), Value: "", Path: fedCookiePath(t), MaxAge: -1, HttpOnly: true,
		Secure: strings.HasPrefix(t.Issuer, "https://"), SameSite: http.SameSiteLaxMode})
}

// ReadFedState opens the browser's federation cookie; nil when there is
// none, it does not open, or it expired.
func (h *Flow) ReadFedState(r *http.Request, t *tenancy.Tenant) *FedState {
	c, err := r.Cookie(fedCookieName(t))
	if err != nil || len(c.Value) > 8192 {
		return nil
	}
	sealed, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	raw, err := h.keyring.Open(fedPurpose, sealed, []byte(t.ID))
	if err != nil {
		return nil
	}
	var fc FedState
	if json.Unmarshal(raw, &fc) != nil || fc.TenantID != t.ID || time.Unix(fc.Expires, 0).Before(h.now()) {
		return nil
	}
	return &fc
}

// RandomToken is a fresh state or nonce.
func RandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SlimIdentity is the part of an identity a pending link needs (the
// cookie stays small): the claims are not kept.
func SlimIdentity(id federation.Identity) federation.Identity {
	return federation.Identity{Subject: id.Subject, Email: id.Email, EmailVerified: id.EmailVerified}
}

// UpstreamMFA reports whether the upstream asserted a multi-factor
// sign-in in its amr (RFC 8176): "mfa", or a one-time password ("otp")
// or a hardware key ("hwk") with another method beside it ("otp" alone
// may be a passwordless code, one factor). Whether that is believed is
// the tenant's choice (MFAPolicy.TrustUpstreamMFA, authn.FederatedAMR).
func UpstreamMFA(id federation.Identity) bool {
	var amr []string
	switch v := id.Claims["amr"].(type) {
	case []string:
		amr = slices.Clone(v)
	case []any:
		for _, a := range v {
			if s, ok := a.(string); ok {
				amr = append(amr, s)
			}
		}
	}
	if slices.Contains(amr, "mfa") {
		return true
	}
	second := slices.Contains(amr, "otp") || slices.Contains(amr, "hwk")
	slices.Sort(amr)
	return second && len(slices.Compact(amr)) > 1
}

// WithConnectionParam carries the authorize parameter connection={id}
// (Auth0's name) to the login page: the provider keeps no parameter it
// does not know, so its redirect to the login URL gains it.
func WithConnectionParam(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("connection")
		if r.Method == http.MethodPost {
			id = r.PostFormValue("connection")
		}
		if id == "" || len(id) > 64 {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&connectionParamWriter{ResponseWriter: w, id: id}, r)
	})
}

type connectionParamWriter struct {
	http.ResponseWriter
	id string
}

func (c *connectionParamWriter) WriteHeader(status int) {
	if status >= 300 && status < 400 {
		if loc := c.Header().Get("Location"); strings.Contains(loc, "/login?authRequestID=") {
			c.Header().Set("Location", loc+"&connection="+url.QueryEscape(c.id))
		}
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *connectionParamWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// Package devicecookie gives each browser a long-lived device identifier in a
// signed cookie, the "device" signal of the risk engine. The ID is random
// and carries nothing about the user; the HMAC (keyring purpose
// "device-cookie") makes it unforgeable, so an attacker cannot claim to be
// on a device the user already signed in from. The hosted login reads the
// cookie before assessing an attempt and issues it when absent.
package devicecookie

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
)

// CookieName is the cookie that carries the device ID.
const CookieName = "gh_did"

// MaxAge is how long the cookie lives: 400 days, the most browsers keep.
const MaxAge = 400 * 24 * time.Hour

const purpose = "device-cookie"

// Cookies reads and issues device cookies.
type Cookies struct {
	Keyring *secret.Keyring
	// Secure marks the cookie Secure (set it when the issuer is https).
	Secure bool
}

// Read returns the device ID of r's verified cookie; ok is false when
// there is none or its signature does not verify.
func (c *Cookies) Read(r *http.Request) (id string, ok bool) {
	ck, err := r.Cookie(CookieName)
	if err != nil {
		return "", false
	}
	return c.Verify(ck.Value)
}

// Verify checks a cookie value and returns its device ID.
func (c *Cookies) Verify(value string) (id string, ok bool) {
	id, sig, found := strings.Cut(value, ".")
	if !found || len(id) != 22 || len(value) > 128 {
		return "", false
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !c.Keyring.Equal(purpose, []byte(id), mac) {
		return "", false
	}
	return id, true
}

// Value is the signed cookie value for id.
func (c *Cookies) Value(id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(c.Keyring.MAC(purpose, []byte(id)))
}

// Issue returns r's device ID, minting a new one if r has no valid cookie,
// and (re)sets the cookie on w so its lifetime restarts with each use.
func (c *Cookies) Issue(w http.ResponseWriter, r *http.Request) string {
	id, ok := c.Read(r)
	if !ok {
		id = NewID()
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: c.Value(id), Path: "/",
		MaxAge: int(MaxAge / time.Second), HttpOnly: true, Secure: c.Secure, SameSite: http.SameSiteLaxMode,
	})
	return id
}

// NewID returns a fresh random device ID (128 bits, 22 characters).
func NewID() string { return secret.Token(16) }

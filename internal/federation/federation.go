// Package federation signs users in through upstream identity providers
// and directories (issue 12), after dex's connector model: a connection
// (store.Connection, managed through the Admin API) is turned into a
// Connector, which is either a PasswordConnector (the user's identifier
// and password are checked against the upstream: LDAP / Active Directory)
// or a RedirectConnector (the browser is sent to the upstream and comes
// back with a code: OpenID Connect, OAuth 2.0, SAML). A Connector only
// answers "who is this, according to the upstream?"; linking that answer
// to a Gatehouse user, provisioning and sessions belong to the sign-in
// service.
//
// Implementations live in subpackages, one per protocol (ldap, oidc);
// package connectors builds one from a stored connection.
package federation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
)

// Connection types, as the Admin API names them.
const (
	TypeOIDC      = "oidc"
	TypeOAuth2    = "oauth2"
	TypeGitHub    = "github"
	TypeGoogle    = "google"
	TypeMicrosoft = "microsoft"
	TypeApple     = "apple"
	TypeSAML      = "saml"
	TypeLDAP      = "ldap"
)

// Types lists every connection type.
var Types = []string{TypeOIDC, TypeOAuth2, TypeGitHub, TypeGoogle, TypeMicrosoft, TypeApple, TypeSAML, TypeLDAP}

// Identity is what an upstream says about the person who signed in.
type Identity struct {
	// Subject is the upstream's stable identifier: never an email, which
	// the person (or the upstream's admin) can change.
	Subject           string
	Email             string
	EmailVerified     bool // only when the upstream asserts it
	PreferredUsername string
	Name              string
	GivenName         string
	FamilyName        string
	Groups            []string
	// Claims are the upstream's claims or attributes, which the
	// connection's attribute mapping reads.
	Claims map[string]any
}

// Connector is a connection made usable.
type Connector interface {
	// Type is the connection type it serves.
	Type() string
}

// PasswordConnector checks credentials against the upstream.
type PasswordConnector interface {
	Connector
	// Login returns the identity of username when password is right;
	// ok is false for an unknown user or a wrong (or empty) password,
	// which callers must not tell apart. err is ErrUnavailable when the
	// upstream cannot be reached.
	Login(ctx context.Context, username, password string) (id Identity, ok bool, err error)
}

// RedirectConnector sends the browser to the upstream and reads its
// answer.
type RedirectConnector interface {
	Connector
	// LoginURL is where to send the browser. state, nonce and the PKCE
	// challenge are the caller's, kept (e.g. in a cookie-bound login
	// request) until the callback.
	LoginURL(ctx context.Context, state, nonce string, pkce PKCE) (string, error)
	// HandleCallback checks the upstream's answer against what LoginURL
	// was given and returns the identity. Every failure is an error the
	// caller shows as a clear page, never a 500: ErrAccessDenied when the
	// person declined, ErrState for a wrong state, ErrUnavailable when the
	// upstream is down, ErrInvalidResponse for everything else.
	HandleCallback(ctx context.Context, cb Callback) (Identity, error)
}

// Callback is the upstream's answer and what the login request kept.
type Callback struct {
	// Params are the query (or form_post) parameters of the callback.
	Params map[string][]string
	// State, Nonce and PKCE are what LoginURL was given.
	State string
	Nonce string
	PKCE  PKCE
}

// Param returns the first value of a callback parameter.
func (c Callback) Param(name string) string {
	if v := c.Params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// PKCE is an RFC 7636 verifier and its S256 challenge.
type PKCE struct {
	Verifier  string
	Challenge string
}

// NewPKCE makes a fresh verifier (43 characters) and its challenge.
func NewPKCE() PKCE {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	v := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(v))
	return PKCE{Verifier: v, Challenge: base64.RawURLEncoding.EncodeToString(sum[:])}
}

// Errors connectors return; callers map them to pages and problems.
var (
	// ErrUnavailable: the upstream cannot be reached or timed out ("sign-in
	// with this directory is unavailable", a 503 problem).
	ErrUnavailable = errors.New("federation: the upstream is unavailable")
	// ErrAccessDenied: the person declined at the upstream.
	ErrAccessDenied = errors.New("federation: access denied at the upstream")
	// ErrState: the callback's state is not the one this login started.
	ErrState = errors.New("federation: the callback's state does not match")
	// ErrInvalidResponse: the upstream's answer failed a check (signature,
	// issuer, audience, expiry, nonce, a missing claim).
	ErrInvalidResponse = errors.New("federation: the upstream's response is invalid")
	// ErrNotSupported: the connection's type has no connector yet.
	ErrNotSupported = errors.New("federation: this connection type is not supported yet")
)

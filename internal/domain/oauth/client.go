package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// Limits shared with api/openapi.yaml, so other entry points (imports,
// dynamic registration) get the same answer as the admin API.
const (
	maxClientNameLen = 200
	maxURIListLen    = 50 // redirect_uris, post_logout_redirect_uris
	maxContacts      = 20
	maxContactLen    = 320
	maxJWKSKeys      = 20
	maxScopeLen      = 2048
)

// Client is an OAuth 2.0 client; field names follow RFC 7591 metadata.
type Client struct {
	TenantID string
	ID       string // client_id
	// SecretHash is the keyed hash (HMAC-SHA256) of the client secret; empty
	// for public clients. The secret itself is shown once and never stored.
	SecretHash               []byte
	SecretExpiresAt          *time.Time
	ClientName               string
	RedirectURIs             []string
	PostLogoutRedirectURIs   []string
	GrantTypes               []string
	ResponseTypes            []string
	TokenEndpointAuthMethod  string
	Scope                    string // space-separated
	ClientURI                string
	LogoURI                  string
	PolicyURI                string
	TosURI                   string
	Contacts                 []string
	JWKSURI                  string
	JWKS                     json.RawMessage
	IDTokenSignedResponseAlg string
	ApplicationType          string // web | native
	// Logout channels (OIDC Back-Channel and Front-Channel Logout 1.0):
	// where the client hears that a session it had tokens in ended.
	BackchannelLogoutURI              string
	BackchannelLogoutSessionRequired  bool
	FrontchannelLogoutURI             string
	FrontchannelLogoutSessionRequired bool
	// Metadata holds further settings (first-party flag, token format,
	// lifetimes, claim mappings) as a JSON object, so later features add keys
	// without a schema migration.
	Metadata map[string]any
	// RegisteredBy is RegisteredByDCR for a client that registered itself
	// (RFC 7591), "" otherwise. RegistrationTokenHash is the keyed hash of
	// its registration access token (RFC 7592), which manages it.
	RegisteredBy          string
	RegistrationTokenHash []byte
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int64
}

// Public reports whether the client has no secret (token_endpoint_auth_method none).
func (c *Client) Public() bool { return c.TokenEndpointAuthMethod == "none" }

// OAuth 2.0 client metadata values (RFC 7591, RFC 8628, RFC 8693, RFC 7523,
// OIDC Dynamic Client Registration).
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"

	ResponseTypeCode = "code"

	AuthMethodClientSecretBasic = "client_secret_basic"
	AuthMethodClientSecretPost  = "client_secret_post"
	AuthMethodPrivateKeyJWT     = "private_key_jwt"
	AuthMethodNone              = "none"

	ApplicationTypeWeb    = "web"
	ApplicationTypeNative = "native"
)

// Supported values. The implicit and password grants are absent on purpose
// (OAuth 2.0 Security BCP, RFC 9700 §2.1.2 and §2.4).
var (
	supportedGrantTypes   = []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials, GrantDeviceCode, GrantTokenExchange, GrantJWTBearer}
	supportedAuthMethods  = []string{AuthMethodClientSecretBasic, AuthMethodClientSecretPost, AuthMethodPrivateKeyJWT, AuthMethodNone}
	supportedIDTokenAlgs  = []string{"RS256", "ES256", "EdDSA"}
	supportedResponseType = []string{ResponseTypeCode}
)

// ValidateRedirectURI checks one registered redirect URI for a client of
// applicationType ("" means web). Every URI must be absolute, without
// fragment (RFC 6749 §3.1.2) or credentials. Web clients need https, or
// http on a loopback host for local development. Native clients (RFC 8252)
// may also use a private-use scheme named after a domain they control, in
// reverse order (com.example.app:/cb), which rules out javascript:, data:
// and the like.
func ValidateRedirectURI(uri, applicationType string) error {
	u, err := identity.ParseAbsoluteURI(uri)
	if err != nil {
		return err
	}
	errWeb := errors.New("must be https with a host; http is allowed only for localhost, 127.0.0.1 and [::1]")
	switch applicationType {
	case "", ApplicationTypeWeb:
		if !identity.HTTPSOrLoopback(u) {
			return errWeb
		}
	case ApplicationTypeNative:
		if u.Scheme == "https" || u.Scheme == "http" {
			if !identity.HTTPSOrLoopback(u) {
				return errWeb
			}
			return nil
		}
		if !strings.Contains(u.Scheme, ".") {
			return errors.New("a private-use scheme must be a reversed domain name such as com.example.app (RFC 8252 §7.1)")
		}
	default:
		return fmt.Errorf("application_type %q is not web or native", applicationType)
	}
	return nil
}

// ApplyClientDefaults fills unset metadata with the RFC 7591 and OIDC
// Registration defaults (response_types only when the code grant is used,
// so a client_credentials-only client stays consistent).
func ApplyClientDefaults(c *Client) {
	if len(c.GrantTypes) == 0 {
		c.GrantTypes = []string{GrantAuthorizationCode}
	}
	if len(c.ResponseTypes) == 0 && slices.Contains(c.GrantTypes, GrantAuthorizationCode) {
		c.ResponseTypes = []string{ResponseTypeCode}
	}
	if c.TokenEndpointAuthMethod == "" {
		c.TokenEndpointAuthMethod = AuthMethodClientSecretBasic
	}
	if c.ApplicationType == "" {
		c.ApplicationType = ApplicationTypeWeb
	}
	if c.IDTokenSignedResponseAlg == "" {
		c.IDTokenSignedResponseAlg = "RS256"
		if c.Profile() == ProfileFAPI2 { // FAPI 2.0 5.4 rules out RS256
			c.IDTokenSignedResponseAlg = "ES256"
		}
	}
}

// ValidateClient checks client metadata with RFC 7591 field names. Unset
// fields are judged as ApplyClientDefaults would fill them, so validating
// before or after applying defaults gives the same answer; c is not
// modified.
func ValidateClient(c *Client) error {
	ve := &identity.ValidationError{}
	eff := *c
	ApplyClientDefaults(&eff)

	ve.AddErr("/client_name", identity.ValidText(c.ClientName, maxClientNameLen))

	appTypeOK := eff.ApplicationType == ApplicationTypeWeb || eff.ApplicationType == ApplicationTypeNative
	if !appTypeOK {
		ve.Add("/application_type", "must be web or native")
	}

	grants := validateEnumList(ve, "/grant_types", eff.GrantTypes, supportedGrantTypes)
	responses := validateEnumList(ve, "/response_types", eff.ResponseTypes, supportedResponseType)
	hasCodeGrant := slices.Contains(grants, GrantAuthorizationCode)
	hasCodeResponse := slices.Contains(responses, ResponseTypeCode)
	switch {
	case hasCodeGrant && !hasCodeResponse:
		ve.Add("/response_types", "must include %q when grant_types includes %s", ResponseTypeCode, GrantAuthorizationCode)
	case hasCodeResponse && !hasCodeGrant:
		ve.Add("/grant_types", "must include %s when response_types includes %q", GrantAuthorizationCode, ResponseTypeCode)
	}

	// Without a valid application_type, per-URI rules would only repeat
	// that error.
	if appTypeOK {
		validateURIList(ve, "/redirect_uris", eff.RedirectURIs, eff.ApplicationType)
		validateURIList(ve, "/post_logout_redirect_uris", eff.PostLogoutRedirectURIs, eff.ApplicationType)
	}
	validateLogoutURIs(ve, c)
	if hasCodeGrant && len(eff.RedirectURIs) == 0 {
		ve.Add("/redirect_uris", "at least one is required for the %s grant", GrantAuthorizationCode)
	}

	switch m := eff.TokenEndpointAuthMethod; {
	case !slices.Contains(supportedAuthMethods, m):
		ve.Add("/token_endpoint_auth_method", "must be one of %s", strings.Join(supportedAuthMethods, ", "))
	case m == AuthMethodNone:
		if len(c.SecretHash) > 0 {
			ve.Add("/token_endpoint_auth_method", "a client with a secret cannot use none")
		}
		// RFC 6749 §4.4: client_credentials is for confidential clients only.
		if i := slices.Index(eff.GrantTypes, GrantClientCredentials); i >= 0 {
			ve.Add(identity.Index("/grant_types", i), "%s requires client authentication; not allowed with token_endpoint_auth_method none", GrantClientCredentials)
		}
	case m == AuthMethodPrivateKeyJWT:
		if c.JWKSURI == "" && len(bytes.TrimSpace(c.JWKS)) == 0 {
			ve.Add("/token_endpoint_auth_method", "%s requires jwks or jwks_uri", AuthMethodPrivateKeyJWT)
		}
	}

	if c.JWKSURI != "" {
		ve.AddErr("/jwks_uri", identity.ValidateWebURL(c.JWKSURI))
	}
	if len(bytes.TrimSpace(c.JWKS)) > 0 {
		if c.JWKSURI != "" {
			ve.Add("/jwks", "must not be set together with jwks_uri (RFC 7591 §2)")
		}
		ve.AddErr("/jwks", validateJWKS(c.JWKS))
	}

	if eff.IDTokenSignedResponseAlg != "" && !slices.Contains(supportedIDTokenAlgs, eff.IDTokenSignedResponseAlg) {
		ve.Add("/id_token_signed_response_alg", "must be one of %s", strings.Join(supportedIDTokenAlgs, ", "))
	}

	ve.AddErr("/scope", validateScope(c.Scope))

	for _, f := range []struct{ name, value string }{
		{"/client_uri", c.ClientURI}, {"/logo_uri", c.LogoURI},
		{"/policy_uri", c.PolicyURI}, {"/tos_uri", c.TosURI},
	} {
		if f.value != "" {
			ve.AddErr(f.name, identity.ValidateWebURL(f.value))
		}
	}

	if len(c.Contacts) > maxContacts {
		ve.Add("/contacts", "must have at most %d entries", maxContacts)
	}
	for i, ct := range c.Contacts {
		if strings.TrimSpace(ct) == "" {
			ve.Add(identity.Index("/contacts", i), "must not be empty")
			continue
		}
		ve.AddErr(identity.Index("/contacts", i), identity.ValidText(ct, maxContactLen))
	}

	if c.Metadata != nil {
		if b, err := json.Marshal(c.Metadata); err != nil {
			ve.Add("/metadata", "must be representable as JSON")
		} else if len(b) > identity.MaxAttributesSize {
			ve.Add("/metadata", "must be at most %d bytes when encoded as JSON", identity.MaxAttributesSize)
		} else if err := identity.CheckDepth(map[string]any(c.Metadata), 0, identity.MaxAttributesDepth); err != nil {
			ve.AddErr("/metadata", err)
		} else {
			_, err := ParseClientSettings(c.Metadata)
			ve.AddErr("", err)
		}
	}
	validateJAR(ve, c)         // profile.go
	validateFAPI2(ve, c, &eff) // profile.go
	return ve.Err()
}

// validateEnumList reports unknown and repeated values and returns the
// known ones, so consistency checks do not pile more errors on typos.
func validateEnumList(ve *identity.ValidationError, field string, values, allowed []string) []string {
	if len(values) > len(allowed) {
		ve.Add(field, "must have at most %d entries", len(allowed))
		return nil
	}
	var ok []string
	for i, v := range values {
		switch {
		case !slices.Contains(allowed, v):
			ve.Add(identity.Index(field, i), "unsupported value %q; supported: %s", v, strings.Join(allowed, ", "))
		case slices.Contains(values[:i], v):
			ve.Add(identity.Index(field, i), "duplicate value %q", v)
		default:
			ok = append(ok, v)
		}
	}
	return ok
}

func validateURIList(ve *identity.ValidationError, field string, uris []string, applicationType string) {
	if len(uris) > maxURIListLen {
		ve.Add(field, "must have at most %d entries", maxURIListLen)
		return
	}
	for i, u := range uris {
		if err := ValidateRedirectURI(u, applicationType); err != nil {
			ve.AddErr(identity.Index(field, i), err)
		} else if slices.Contains(uris[:i], u) {
			ve.Add(identity.Index(field, i), "duplicate URI")
		}
	}
}

// validateJWKS checks only the JWK Set envelope (RFC 7517 §5); the keys
// themselves are parsed by the JOSE layer when used.
func validateJWKS(raw json.RawMessage) error {
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return errors.New(`must be a JWK Set: {"keys": [...]}`)
	}
	if len(set.Keys) == 0 || len(set.Keys) > maxJWKSKeys {
		return fmt.Errorf("must contain 1 to %d keys", maxJWKSKeys)
	}
	for _, k := range set.Keys {
		if kty, _ := k["kty"].(string); kty == "" {
			return errors.New(`every key needs a "kty"`)
		}
	}
	return nil
}

// validateScope checks a space-separated list of scope tokens
// (RFC 6749 §3.3: printable ASCII except space, '"' and '\').
func validateScope(s string) error {
	if s == "" {
		return nil
	}
	if len(s) > maxScopeLen {
		return fmt.Errorf("must be at most %d characters", maxScopeLen)
	}
	for _, tok := range strings.Split(s, " ") {
		if tok == "" {
			return errors.New("scopes must be separated by single spaces")
		}
		for i := 0; i < len(tok); i++ {
			if c := tok[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
				return fmt.Errorf("scope %q has a character not allowed by RFC 6749 §3.3", tok)
			}
		}
	}
	return nil
}

// LoopbackRedirectRegistered reports whether uri is one of the client's
// registered loopback redirect URIs with another port (RFC 8252 7.3):
// the scheme, the loopback literal, the path and the query must be the
// same.
func (c *Client) LoopbackRedirectRegistered(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.User != nil || u.Fragment != "" || u.Opaque != "" || !isLoopbackHost(u.Hostname()) {
		return false
	}
	for _, reg := range c.RedirectURIs {
		r, err := url.Parse(reg)
		if err == nil && r.Scheme == u.Scheme && r.Hostname() == u.Hostname() && r.EscapedPath() == u.EscapedPath() &&
			r.RawQuery == u.RawQuery && r.ForceQuery == u.ForceQuery && r.User == nil && isLoopbackHost(r.Hostname()) {
			return true
		}
	}
	return false
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP
// literal as URLs write it (127.0.0.1, ::1).
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

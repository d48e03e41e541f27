package federation

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Config is a connection's type-specific settings, stored as JSON in
// store.Connection.Config, with the Admin API's member names. Only the
// members of the connection's type are set.
type Config struct {
	// OpenID Connect and OAuth 2.0 types.
	Issuer                string   `json:"issuer,omitempty"`
	ClientID              string   `json:"client_id,omitempty"`
	Scopes                string   `json:"scopes,omitempty"`
	PKCE                  *bool    `json:"pkce,omitempty"`
	ClientAuthMethod      string   `json:"client_auth_method,omitempty"`
	AuthorizationEndpoint string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint         string   `json:"token_endpoint,omitempty"`
	UserinfoEndpoint      string   `json:"userinfo_endpoint,omitempty"`
	AllowedTenants        []string `json:"allowed_tenants,omitempty"`
	TeamID                string   `json:"team_id,omitempty"`
	KeyID                 string   `json:"key_id,omitempty"`
	// SAML.
	IdPMetadataURL string `json:"idp_metadata_url,omitempty"`
	IdPMetadataXML string `json:"idp_metadata_xml,omitempty"`
	SignRequests   *bool  `json:"sign_requests,omitempty"`
	// LDAP.
	URL                string `json:"url,omitempty"`
	StartTLS           *bool  `json:"start_tls,omitempty"`
	CAPEM              string `json:"ca_pem,omitempty"`
	BindDN             string `json:"bind_dn,omitempty"`
	UserSearchBase     string `json:"user_search_base,omitempty"`
	UserSearchFilter   string `json:"user_search_filter,omitempty"`
	UserIDAttribute    string `json:"user_id_attribute,omitempty"`
	GroupSearchBase    string `json:"group_search_base,omitempty"`
	GroupSearchFilter  string `json:"group_search_filter,omitempty"`
	GroupNameAttribute string `json:"group_name_attribute,omitempty"`
	Preset             string `json:"preset,omitempty"`
}

// ParseConfig reads a stored connection's settings.
func ParseConfig(c *store.Connection) (Config, error) {
	var cfg Config
	if len(c.Config) == 0 {
		return cfg, nil
	}
	if err := json.Unmarshal(c.Config, &cfg); err != nil {
		return cfg, fmt.Errorf("federation: connection %s: unreadable settings: %w", c.ID, err)
	}
	return cfg, nil
}

// JSON encodes the settings for store.Connection.Config.
func (c Config) JSON() (json.RawMessage, error) { return json.Marshal(c) }

// LDAP presets.
const (
	PresetOpenLDAP        = "openldap"
	PresetActiveDirectory = "active_directory"
)

// Client authentication methods at an upstream's token endpoint.
const (
	AuthClientSecretBasic = "client_secret_basic"
	AuthClientSecretPost  = "client_secret_post"
	AuthPrivateKeyJWT     = "private_key_jwt"
)

// FieldError is one refused member, named by its JSON pointer.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists everything wrong with a connection's settings;
// the Admin API answers it with a 400 problem.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "federation: invalid connection: " + strings.Join(parts, "; ")
}

// members names the Config members each type may set (the JSON names).
var members = map[string][]string{
	TypeOIDC:      {"issuer", "client_id", "scopes", "pkce", "client_auth_method", "key_id"},
	TypeOAuth2:    {"client_id", "scopes", "pkce", "client_auth_method", "authorization_endpoint", "token_endpoint", "userinfo_endpoint"},
	TypeGitHub:    {"client_id", "scopes"},
	TypeGoogle:    {"client_id", "scopes", "pkce"},
	TypeMicrosoft: {"issuer", "client_id", "scopes", "pkce", "client_auth_method", "allowed_tenants", "key_id"},
	TypeApple:     {"client_id", "scopes", "team_id", "key_id"},
	TypeSAML:      {"idp_metadata_url", "idp_metadata_xml", "sign_requests"},
	TypeLDAP: {"url", "start_tls", "ca_pem", "bind_dn", "user_search_base", "user_search_filter", "user_id_attribute",
		"group_search_base", "group_search_filter", "group_name_attribute", "preset"},
}

// secretMembers names the secrets each type may set.
var secretMembers = map[string][]string{
	TypeOIDC:      {"client_secret", "private_key_pem"},
	TypeOAuth2:    {"client_secret", "private_key_pem"},
	TypeGitHub:    {"client_secret"},
	TypeGoogle:    {"client_secret"},
	TypeMicrosoft: {"client_secret", "private_key_pem"},
	TypeApple:     {"private_key_pem"},
	TypeSAML:      {"private_key_pem"},
	TypeLDAP:      {"bind_password"},
}

// Members are the settings and the secrets a connection of type typ
// takes, as the Admin API names them (none for an unknown type).
func Members(typ string) (settings, secrets []string) {
	return slices.Clone(members[typ]), slices.Clone(secretMembers[typ])
}

// KnownType reports whether typ is a connection type.
func KnownType(typ string) bool { return slices.Contains(Types, typ) }

// ShowOnLoginDefault is show_on_login when the admin did not say: every
// type shows a button except ldap, which home-realm discovery reaches.
func ShowOnLoginDefault(typ string) bool { return typ != TypeLDAP }

// Validate checks a connection's settings and secrets for its type and
// returns a *ValidationError listing every problem, or nil. It reaches no
// network: an issuer that does not answer is found at sign-in.
func Validate(typ string, cfg Config, sec Secrets) error {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: "/" + field, Message: fmt.Sprintf(format, args...)})
	}
	if !KnownType(typ) {
		add("type", "must be one of %s", strings.Join(Types, ", "))
		return &ValidationError{Fields: errs}
	}
	var set map[string]any
	b, _ := json.Marshal(cfg) // a Config always encodes
	_ = json.Unmarshal(b, &set)
	for k := range set {
		if !slices.Contains(members[typ], k) {
			add(k, "is not a setting of type %s", typ)
		}
	}
	for _, k := range sec.Names() {
		if !slices.Contains(secretMembers[typ], k) {
			add(k, "is not a setting of type %s", typ)
		}
	}
	required := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			add(field, "is required for type %s", typ)
		}
	}
	httpsURL := func(field, v string) {
		if v == "" {
			return
		}
		if err := checkURL(v, "https", "http"); err != "" {
			add(field, "%s", err)
		}
	}
	httpsURL("issuer", cfg.Issuer)
	httpsURL("authorization_endpoint", cfg.AuthorizationEndpoint)
	httpsURL("token_endpoint", cfg.TokenEndpoint)
	httpsURL("userinfo_endpoint", cfg.UserinfoEndpoint)
	httpsURL("idp_metadata_url", cfg.IdPMetadataURL)
	if m := cfg.ClientAuthMethod; m != "" && m != AuthClientSecretBasic && m != AuthClientSecretPost && m != AuthPrivateKeyJWT {
		add("client_auth_method", "must be client_secret_basic, client_secret_post or private_key_jwt")
	}
	switch typ {
	case TypeOIDC, TypeMicrosoft:
		if typ == TypeOIDC {
			required("issuer", cfg.Issuer)
		}
		required("client_id", cfg.ClientID)
		if cfg.ClientAuthMethod == AuthPrivateKeyJWT {
			required("private_key_pem", sec.PrivateKeyPEM)
		}
	case TypeOAuth2:
		required("client_id", cfg.ClientID)
		required("authorization_endpoint", cfg.AuthorizationEndpoint)
		required("token_endpoint", cfg.TokenEndpoint)
		required("userinfo_endpoint", cfg.UserinfoEndpoint)
	case TypeGitHub, TypeGoogle:
		required("client_id", cfg.ClientID)
	case TypeApple:
		required("client_id", cfg.ClientID)
		required("team_id", cfg.TeamID)
		required("key_id", cfg.KeyID)
	case TypeSAML:
		if (cfg.IdPMetadataURL == "") == (cfg.IdPMetadataXML == "") {
			add("idp_metadata_url", "set exactly one of idp_metadata_url and idp_metadata_xml")
		}
		if x := cfg.IdPMetadataXML; x != "" && strings.Contains(strings.ToUpper(x), "<!DOCTYPE") {
			add("idp_metadata_xml", "must not contain a DTD")
		}
	case TypeLDAP:
		validateLDAP(cfg, sec, add)
	}
	if sec.PrivateKeyPEM != "" {
		if blk, _ := pem.Decode([]byte(sec.PrivateKeyPEM)); blk == nil {
			add("private_key_pem", "must be a PEM private key")
		} else if _, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
			if _, err2 := x509.ParseECPrivateKey(blk.Bytes); err2 != nil {
				if _, err3 := x509.ParsePKCS1PrivateKey(blk.Bytes); err3 != nil {
					add("private_key_pem", "must be a PKCS #8, SEC 1 or PKCS #1 private key")
				}
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
	return &ValidationError{Fields: errs}
}

func validateLDAP(cfg Config, sec Secrets, add func(field, format string, args ...any)) {
	if cfg.URL == "" {
		add("url", "is required for type ldap")
	} else if msg := checkURL(cfg.URL, "ldap", "ldaps"); msg != "" {
		add("url", "%s", msg)
	} else if u, _ := url.Parse(cfg.URL); u.Scheme == "ldaps" && cfg.StartTLS != nil && *cfg.StartTLS {
		add("start_tls", "is for ldap:// URLs; ldaps:// is TLS already")
	}
	if cfg.Preset != "" && cfg.Preset != PresetOpenLDAP && cfg.Preset != PresetActiveDirectory {
		add("preset", "must be openldap or active_directory")
	}
	if cfg.UserSearchBase == "" {
		add("user_search_base", "is required for type ldap")
	}
	filter := cfg.UserSearchFilter
	if filter == "" {
		filter = LDAPDefaults(cfg.Preset).UserSearchFilter
	}
	if !strings.Contains(filter, "{username}") {
		add("user_search_filter", "must contain the {username} placeholder")
	} else if !balanced(filter) {
		add("user_search_filter", "must be an LDAP filter in parentheses (RFC 4515)")
	}
	if cfg.GroupSearchBase != "" {
		gf := cfg.GroupSearchFilter
		if gf == "" {
			gf = LDAPDefaults(cfg.Preset).GroupSearchFilter
		}
		if !strings.Contains(gf, "{dn}") {
			add("group_search_filter", "must contain the {dn} placeholder")
		} else if !balanced(gf) {
			add("group_search_filter", "must be an LDAP filter in parentheses (RFC 4515)")
		}
	} else if cfg.GroupSearchFilter != "" {
		add("group_search_base", "is required with group_search_filter")
	}
	if (cfg.BindDN == "") != (sec.BindPassword == "") {
		add("bind_password", "bind_dn and bind_password go together")
	}
	if cfg.CAPEM != "" {
		if !x509.NewCertPool().AppendCertsFromPEM([]byte(cfg.CAPEM)) {
			add("ca_pem", "must hold PEM certificates")
		}
	}
}

// balanced is a cheap shape check of an LDAP filter: it starts with "("
// and its parentheses balance. The directory checks the rest.
func balanced(f string) bool {
	if !strings.HasPrefix(f, "(") || !strings.HasSuffix(f, ")") {
		return false
	}
	depth := 0
	for _, r := range f {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// checkURL returns why raw is not an absolute URL with one of schemes (the
// last one allowed only to a loopback host when it is "http"), or "".
func checkURL(raw string, schemes ...string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "must be an absolute URL"
	}
	if u.User != nil || u.Fragment != "" {
		return "must not carry credentials or a fragment"
	}
	if !slices.Contains(schemes, u.Scheme) {
		return "the scheme must be " + strings.Join(schemes, " or ")
	}
	if u.Scheme == "http" {
		h := strings.ToLower(u.Hostname())
		if h != "localhost" && h != "127.0.0.1" && h != "::1" {
			return "http is allowed only to a loopback address; use https"
		}
	}
	return ""
}

// LDAPSettings are an LDAP connection's search settings once the preset's
// defaults are applied.
type LDAPSettings struct {
	UserSearchFilter   string
	UserIDAttribute    string
	EmailAttribute     string
	NameAttribute      string
	UsernameAttribute  string
	GroupSearchFilter  string
	GroupNameAttribute string
	// DownLevelLogon accepts DOMAIN\user identifiers: the user part is
	// searched as usual (Active Directory).
	DownLevelLogon bool
}

// LDAPDefaults are a preset's defaults ("" is openldap).
func LDAPDefaults(preset string) LDAPSettings {
	if preset == PresetActiveDirectory {
		return LDAPSettings{
			UserSearchFilter:  "(&(objectCategory=person)(objectClass=user)(|(sAMAccountName={username})(userPrincipalName={username})(mail={username})))",
			UserIDAttribute:   "objectGUID",
			EmailAttribute:    "mail",
			NameAttribute:     "displayName",
			UsernameAttribute: "sAMAccountName",
			// LDAP_MATCHING_RULE_IN_CHAIN: the groups the user is in,
			// directly or through nested groups.
			GroupSearchFilter:  "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={dn}))",
			GroupNameAttribute: "cn",
			DownLevelLogon:     true,
		}
	}
	return LDAPSettings{
		UserSearchFilter:   "(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))",
		UserIDAttribute:    "entryUUID",
		EmailAttribute:     "mail",
		NameAttribute:      "cn",
		UsernameAttribute:  "uid",
		GroupSearchFilter:  "(&(objectClass=groupOfNames)(member={dn}))",
		GroupNameAttribute: "cn",
	}
}

// LDAP returns the settings with the preset's defaults filled in.
func (c Config) LDAP() LDAPSettings {
	s := LDAPDefaults(c.Preset)
	if c.UserSearchFilter != "" {
		s.UserSearchFilter = c.UserSearchFilter
	}
	if c.UserIDAttribute != "" {
		s.UserIDAttribute = c.UserIDAttribute
	}
	if c.GroupSearchFilter != "" {
		s.GroupSearchFilter = c.GroupSearchFilter
	}
	if c.GroupNameAttribute != "" {
		s.GroupNameAttribute = c.GroupNameAttribute
	}
	return s
}

// CallbackPath is where an upstream sends the browser back for a
// connection, under the tenant's issuer. The login round serves it.
func CallbackPath(connectionID string) string {
	return "/login/connections/" + connectionID + "/callback"
}

// URLs are the addresses an admin registers at the upstream.
type URLs struct {
	RedirectURI   string
	SPMetadataURL string // saml
	ACSURL        string // saml
}

// URLsFor returns a connection's URLs under the tenant's issuer.
func URLsFor(issuer, typ, connectionID string) URLs {
	base := strings.TrimSuffix(issuer, "/") + "/login/connections/" + url.PathEscape(connectionID)
	switch typ {
	case TypeLDAP:
		return URLs{}
	case TypeSAML:
		return URLs{RedirectURI: base + "/saml/acs", SPMetadataURL: base + "/saml/metadata", ACSURL: base + "/saml/acs"}
	}
	return URLs{RedirectURI: base + "/callback"}
}

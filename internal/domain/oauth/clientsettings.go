package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// ClientSettings are the Gatehouse extensions a client carries in its
// metadata object. Every key is typed: ParseClientSettings refuses unknown
// keys and values of the wrong type, so a setting is never silently
// ignored.
type ClientSettings struct {
	// FirstParty clients skip the consent page and may use the headless
	// login API.
	FirstParty bool
	// AccessTokenFormat is "jwt" (RFC 9068, the default) or "opaque".
	AccessTokenFormat string
	// Lifetimes in seconds; 0 means the server default.
	AccessTokenLifetime     int64
	IDTokenLifetime         int64
	RefreshTokenLifetime    int64
	RefreshTokenMaxLifetime int64
	// Audience of access tokens; empty means the client's own ID.
	Audience []string
	// TokenExchangeAudiences are the audiences the client may request in a
	// token exchange (RFC 8693).
	TokenExchangeAudiences []string
	// ClaimMappings adds custom user attributes to ID tokens, userinfo and
	// access tokens: claim name -> attribute key.
	ClaimMappings map[string]string
	// AllowedCORSOrigins are the browser origins (scheme://host[:port])
	// that may call the tenant's protocol endpoints with CORS.
	AllowedCORSOrigins []string
	// RequiredPurposes are privacy purposes (IDs) a user must have granted,
	// in their current version, before a sign-in to the client completes.
	RequiredPurposes []string
	// OrganizationUsage says how the client's sign-ins use organizations
	// (B2B): "" or "none" (an organization only when /authorize names
	// one), "optional" (a member of organizations picks one, or none) or
	// "required" (every sign-in is for an organization: picked by the
	// user when they are in several).
	OrganizationUsage string
	// DPoPBoundAccessTokens requires DPoP (RFC 9449 5.2) on every token
	// request of the client; the Admin API shows it as the client's
	// top-level dpop_bound_access_tokens.
	DPoPBoundAccessTokens bool

	// Profile, RequireSignedRequestObject and RequestURIs are top-level
	// client members in the Admin API, kept here as required_purposes is
	// (profile.go).
	Profile                    string
	RequireSignedRequestObject bool
	RequestURIs                []string
	// RequirePAR is require_pushed_authorization_requests (RFC 9126 6):
	// /authorize takes only a request_uri from the PAR endpoint.
	RequirePAR bool
}

// Organization usages (ClientSettings.OrganizationUsage).
const (
	OrganizationNone     = "none"
	OrganizationOptional = "optional"
	OrganizationRequired = "required"
)

// Access token formats.
const (
	AccessTokenJWT    = "jwt"
	AccessTokenOpaque = "opaque"
)

// Limits of the list settings, so one client cannot make every token or
// CORS check expensive.
const (
	maxSettingList    = 50
	maxSettingText    = 2048
	maxClaimMappings  = 50
	maxCORSOriginsLen = 50
)

// settingDecoders decode one metadata key each into the settings. The
// error message says what the key expects; it goes into the problem's
// field error.
var settingDecoders = map[string]func(s *ClientSettings, raw json.RawMessage) error{
	"first_party":         func(s *ClientSettings, raw json.RawMessage) error { return decodeBool(raw, &s.FirstParty) },
	"access_token_format": decodeAccessTokenFormat,
	"access_token_lifetime": func(s *ClientSettings, raw json.RawMessage) error {
		return decodeSeconds(raw, &s.AccessTokenLifetime)
	},
	"id_token_lifetime": func(s *ClientSettings, raw json.RawMessage) error {
		return decodeSeconds(raw, &s.IDTokenLifetime)
	},
	"refresh_token_lifetime": func(s *ClientSettings, raw json.RawMessage) error {
		return decodeSeconds(raw, &s.RefreshTokenLifetime)
	},
	"refresh_token_absolute_lifetime": func(s *ClientSettings, raw json.RawMessage) error {
		return decodeSeconds(raw, &s.RefreshTokenMaxLifetime)
	},
	"audience": func(s *ClientSettings, raw json.RawMessage) error { return decodeStrings(raw, &s.Audience) },
	"token_exchange_audiences": func(s *ClientSettings, raw json.RawMessage) error {
		return decodeStrings(raw, &s.TokenExchangeAudiences)
	},
	"claim_mappings":       decodeClaimMappings,
	"allowed_cors_origins": decodeCORSOrigins,
	"required_purposes": func(s *ClientSettings, raw json.RawMessage) error {
		return decodeStrings(raw, &s.RequiredPurposes)
	},
	"organization_usage": decodeOrganizationUsage,
	DPoPBoundAccessTokensKey: func(s *ClientSettings, raw json.RawMessage) error {
		return decodeBool(raw, &s.DPoPBoundAccessTokens)
	},

	ProfileKey: decodeProfile,
	RequireSignedRequestObjectKey: func(s *ClientSettings, raw json.RawMessage) error {
		return decodeBool(raw, &s.RequireSignedRequestObject)
	},
	RequestURIsKey: func(s *ClientSettings, raw json.RawMessage) error { return decodeStrings(raw, &s.RequestURIs) },
	RequirePARKey:  func(s *ClientSettings, raw json.RawMessage) error { return decodeBool(raw, &s.RequirePAR) },
}

// DPoPBoundAccessTokensKey is the metadata key of DPoPBoundAccessTokens.
const DPoPBoundAccessTokensKey = "dpop_bound_access_tokens"

// RequiredPurposesKey is the metadata key of RequiredPurposes; the Admin
// API also shows it as the client's top-level required_purposes.
const RequiredPurposesKey = "required_purposes"

// RequiredPurposes reads the client's required_purposes without parsing
// the other settings (every sign-in completion asks).
func (c *Client) RequiredPurposes() []string {
	var out []string
	switch v := c.Metadata[RequiredPurposesKey].(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = v
	case string:
		out = []string{v}
	}
	return out
}

// ClientSettingKeys lists the metadata keys ParseClientSettings knows.
func ClientSettingKeys() []string {
	keys := make([]string, 0, len(settingDecoders))
	for k := range settingDecoders {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ParseClientSettings decodes a client's metadata. It returns the settings
// of every valid key and, when some key is unknown or its value has the
// wrong type or range, a *identity.ValidationError naming each such key as
// /metadata/<key>: the Admin API refuses such metadata, while a client
// stored before the check still loads with the valid keys (the rest keep
// their defaults).
func ParseClientSettings(metadata map[string]any) (ClientSettings, error) {
	var s ClientSettings
	ve := &identity.ValidationError{}
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys) // errors in a stable order
	for _, k := range keys {
		field := identity.Pointer("/metadata", k)
		decode, ok := settingDecoders[k]
		if !ok {
			ve.Add(field, "unknown setting; known: %s", strings.Join(ClientSettingKeys(), ", "))
			continue
		}
		raw, err := json.Marshal(metadata[k])
		if err != nil {
			ve.Add(field, "must be representable as JSON")
			continue
		}
		if bytes.Equal(raw, []byte("null")) {
			continue // the default
		}
		ve.AddErr(field, decode(&s, raw))
	}
	return s, ve.Err()
}

func decodeBool(raw json.RawMessage, dst *bool) error {
	if json.Unmarshal(raw, dst) != nil {
		return errors.New("must be true or false")
	}
	return nil
}

func decodeSeconds(raw json.RawMessage, dst *int64) error {
	var n int64
	if json.Unmarshal(raw, &n) != nil || n < 0 {
		return errors.New("must be a whole number of seconds, 0 or more")
	}
	*dst = n
	return nil
}

func decodeAccessTokenFormat(s *ClientSettings, raw json.RawMessage) error {
	var f string
	if json.Unmarshal(raw, &f) != nil || (f != AccessTokenJWT && f != AccessTokenOpaque) {
		return errors.New(`must be "jwt" or "opaque"`)
	}
	s.AccessTokenFormat = f
	return nil
}

// decodeStrings takes a list of strings, or one string where a single
// value is natural ("audience": "urn:example:api").
func decodeStrings(raw json.RawMessage, dst *[]string) error {
	bad := errors.New("must be a non-empty string or a list of them")
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		var one string
		if json.Unmarshal(raw, &one) != nil {
			return bad
		}
		list = []string{one}
	}
	if len(list) > maxSettingList {
		return errors.New("must have at most 50 entries")
	}
	for _, v := range list {
		if strings.TrimSpace(v) == "" || identity.ValidText(v, maxSettingText) != nil {
			return bad
		}
	}
	*dst = list
	return nil
}

func decodeOrganizationUsage(s *ClientSettings, raw json.RawMessage) error {
	var v string
	if json.Unmarshal(raw, &v) != nil || (v != OrganizationNone && v != OrganizationOptional && v != OrganizationRequired) {
		return errors.New(`must be "none", "optional" or "required"`)
	}
	s.OrganizationUsage = v
	return nil
}

func decodeClaimMappings(s *ClientSettings, raw json.RawMessage) error {
	var m map[string]string
	if json.Unmarshal(raw, &m) != nil {
		return errors.New(`must be an object of claim names to attribute keys, e.g. {"department": "department"}`)
	}
	if len(m) > maxClaimMappings {
		return errors.New("must have at most 50 entries")
	}
	for claim, attr := range m {
		if claim == "" || attr == "" || identity.ValidText(claim, 256) != nil || identity.ValidText(attr, 256) != nil {
			return errors.New("claim names and attribute keys must be non-empty text")
		}
	}
	s.ClaimMappings = m
	return nil
}

func decodeCORSOrigins(s *ClientSettings, raw json.RawMessage) error {
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return errors.New("must be a list of origins such as https://app.example.com")
	}
	if len(list) > maxCORSOriginsLen {
		return errors.New("must have at most 50 entries")
	}
	ve := &identity.ValidationError{}
	for i, o := range list {
		if err := ValidateOrigin(o); err != nil {
			ve.Add(identity.Index("", i), "%s", err.Error())
		}
	}
	if err := ve.Err(); err != nil {
		return err
	}
	s.AllowedCORSOrigins = list
	return nil
}

// ValidateOrigin checks a web origin (RFC 6454) as browsers send it in the
// Origin header: http or https, a host, an optional non-default port, in
// lower case, and nothing else (no path, not even "/").
func ValidateOrigin(s string) error {
	bad := errors.New("must be an origin as browsers send it: scheme://host[:port] in lower case, " +
		"no default port, no path or trailing slash (e.g. https://app.example.com)")
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil ||
		u.Opaque != "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return bad
	}
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") || strings.HasSuffix(u.Host, ":") {
		return bad
	}
	if s != u.Scheme+"://"+strings.ToLower(u.Host) || strings.ContainsAny(u.Host, "*") {
		return bad
	}
	return nil
}

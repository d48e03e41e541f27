package identity

import (
	"bytes"
	"encoding/json"

	"github.com/go-jose/go-jose/v4"
)

// Dynamic client registration modes (RFC 7591): who may register clients
// at {issuer}/oauth/register.
const (
	DCROff                = "off" // the default: nobody
	DCRInitialAccessToken = "initial_access_token"
	DCROpen               = "open"
)

// maxStatementKeys bounds the software-statement JWKS, as clients' JWKS.
const maxStatementKeys = 20

// DCRPolicy is a tenant's dynamic client registration setting, stored as
// JSON. The zero value is off.
type DCRPolicy struct {
	Mode string `json:"mode,omitempty"`
	// RequireSoftwareStatement refuses registrations without a
	// software_statement signed by a key of SoftwareStatementJWKS.
	RequireSoftwareStatement bool `json:"require_software_statement,omitempty"`
	// SoftwareStatementJWKS are the public keys that sign software
	// statements (RFC 7591 §2.3); empty for none.
	SoftwareStatementJWKS json.RawMessage `json:"software_statement_jwks,omitempty"`
}

// EffectiveMode is Mode with "" read as off.
func (p DCRPolicy) EffectiveMode() string {
	if p.Mode == "" {
		return DCROff
	}
	return p.Mode
}

// Enabled reports whether the registration endpoint is served.
func (p DCRPolicy) Enabled() bool { return p.EffectiveMode() != DCROff }

// StatementKeys parses SoftwareStatementJWKS; nil when none is set.
func (p DCRPolicy) StatementKeys() (*jose.JSONWebKeySet, error) {
	if len(bytes.TrimSpace(p.SoftwareStatementJWKS)) == 0 || string(p.SoftwareStatementJWKS) == "null" {
		return nil, nil
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(p.SoftwareStatementJWKS, &set); err != nil {
		return nil, err
	}
	return &set, nil
}

// ValidateDCRPolicy checks a tenant's registration setting: a known mode,
// a JWKS of 1 to 20 public keys, and keys whenever statements are
// required (else no registration could succeed).
func ValidateDCRPolicy(p *DCRPolicy) error {
	ve := &ValidationError{}
	switch p.EffectiveMode() {
	case DCROff, DCRInitialAccessToken, DCROpen:
	default:
		ve.Add("/dcr", "must be off, initial_access_token or open")
	}
	set, err := p.StatementKeys()
	switch {
	case err != nil:
		ve.Add("/dcr_software_statement_jwks", `must be a JWK Set of public keys: {"keys": [...]}`)
	case set == nil:
		p.SoftwareStatementJWKS = nil
		if p.RequireSoftwareStatement {
			ve.Add("/dcr_require_software_statement", "needs dcr_software_statement_jwks")
		}
	case len(set.Keys) == 0 || len(set.Keys) > maxStatementKeys:
		ve.Add("/dcr_software_statement_jwks", "must contain 1 to 20 keys")
	default:
		for _, k := range set.Keys {
			if !k.Valid() || !k.IsPublic() {
				ve.Add("/dcr_software_statement_jwks", "every key must be a valid public key")
				break
			}
		}
	}
	return ve.Err()
}

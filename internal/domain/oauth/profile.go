package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// Client security profiles (the client's top-level profile).
const (
	ProfileDefault = "default"
	// ProfileFAPI2 is the FAPI 2.0 Security Profile (final, 2025).
	ProfileFAPI2 = "fapi2"
)

// Metadata keys of the top-level members profile, require_signed_request_object
// and request_uris: like required_purposes they live with the client's
// settings, so they need no schema migration, and the Admin API shows them
// at the top level only.
const (
	ProfileKey                    = "profile"
	RequireSignedRequestObjectKey = "require_signed_request_object"
	RequestURIsKey                = "request_uris"
	// RequirePARKey is require_pushed_authorization_requests (RFC 9126 6).
	RequirePARKey = "require_pushed_authorization_requests"
)

// TopLevelMetadataKeys are the metadata keys the Admin API shows as
// top-level client members rather than in metadata.
var TopLevelMetadataKeys = []string{RequiredPurposesKey, ProfileKey, RequireSignedRequestObjectKey, RequestURIsKey, DPoPBoundAccessTokensKey, RequirePARKey}

// FAPI2SigningAlgs are the JWS algorithms FAPI 2.0 (5.4) allows: for a
// fapi2 client's assertions and request objects.
var FAPI2SigningAlgs = []string{"PS256", "ES256", "EdDSA"}

// maxRequestURIs bounds a client's request_uris allow-list.
const maxRequestURIs = 10

func decodeProfile(s *ClientSettings, raw json.RawMessage) error {
	var v string
	if json.Unmarshal(raw, &v) != nil || (v != ProfileDefault && v != ProfileFAPI2) {
		return errors.New(`must be "default" or "fapi2"`)
	}
	s.Profile = v
	return nil
}

// Profile is the client's security profile ("default" when unset).
func (c *Client) Profile() string {
	if p, _ := c.Metadata[ProfileKey].(string); p == ProfileFAPI2 {
		return p
	}
	return ProfileDefault
}

// validateJAR checks request_uris: https URLs only (RFC 9101 5.2, the
// server fetches them), without fragment or credentials.
func validateJAR(ve *identity.ValidationError, c *Client) {
	raw, ok := c.Metadata[RequestURIsKey]
	if !ok || raw == nil {
		return
	}
	var list []string
	b, _ := json.Marshal(raw)
	if json.Unmarshal(b, &list) != nil {
		return // reported as /metadata/request_uris by the settings check
	}
	if len(list) > maxRequestURIs {
		ve.Add("/request_uris", "must have at most %d entries", maxRequestURIs)
		return
	}
	for i, s := range list {
		u, err := url.Parse(s)
		switch {
		case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" || len(s) > 2048:
			ve.Add(identity.Index("/request_uris", i), "must be an https URL without credentials or fragment")
		case slices.Contains(list[:i], s):
			ve.Add(identity.Index("/request_uris", i), "duplicate URL")
		}
	}
}

// validateFAPI2 checks the static rules of the FAPI 2.0 Security Profile
// for a client whose profile is fapi2, one field error per broken rule,
// each naming the rule. eff is c with its defaults applied. The rules
// that concern a request (PAR, PKCE, the DPoP proof, algorithms of what
// the client signs, code lifetime) are applied by the protocol package.
func validateFAPI2(ve *identity.ValidationError, c, eff *Client) {
	if c.Profile() != ProfileFAPI2 {
		return
	}
	const rule = "FAPI 2.0 (profile fapi2): "
	for i, rt := range eff.ResponseTypes {
		if rt != ResponseTypeCode {
			ve.Add(identity.Index("/response_types", i), rule+"only the code response type; implicit and hybrid response types are not allowed")
		}
	}
	if eff.TokenEndpointAuthMethod != AuthMethodPrivateKeyJWT {
		ve.Add("/token_endpoint_auth_method", rule+"client authentication must be private_key_jwt (mTLS is not supported)")
	}
	if eff.IDTokenSignedResponseAlg != "" && !slices.Contains(FAPI2SigningAlgs, eff.IDTokenSignedResponseAlg) {
		ve.Add("/id_token_signed_response_alg", rule+"ID tokens must be signed with %s", strings.Join([]string{"ES256", "EdDSA"}, " or "))
	}
	for i, g := range eff.GrantTypes {
		if g == GrantJWTBearer || g == GrantDeviceCode {
			ve.Add(identity.Index("/grant_types", i), rule+"%s is not part of the profile", g)
		}
	}
	if len(c.JWKS) > 0 {
		var set struct {
			Keys []struct {
				Alg string `json:"alg"`
				Kty string `json:"kty"`
			} `json:"keys"`
		}
		if json.Unmarshal(c.JWKS, &set) == nil {
			for i, k := range set.Keys {
				if k.Alg != "" && !slices.Contains(FAPI2SigningAlgs, k.Alg) {
					ve.Add(fmt.Sprintf("/jwks/keys/%d/alg", i), rule+"keys must be for %s", strings.Join(FAPI2SigningAlgs, ", "))
				}
			}
		}
	}
}

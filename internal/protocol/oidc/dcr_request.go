package oidc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// Dynamic client registration requests (RFC 7591 §2, §3.1) and their
// errors (§3.2.2). The parser turns outside JSON into an oauth.Client for
// the Admin API's validation; nothing here touches the store.

// RFC 7591 §3.2.2 error codes.
const (
	errInvalidClientMetadata        = "invalid_client_metadata"
	errInvalidRedirectURI           = "invalid_redirect_uri"
	errInvalidSoftwareStatement     = "invalid_software_statement"
	errUnapprovedSoftwareStatement  = "unapproved_software_statement"
	maxRegistrationBody             = 64 << 10
	maxSoftwareStatementLen         = 16 << 10
	softwareStatementClockTolerance = time.Minute
)

// regError is a registration error: its status and RFC 7591 body.
type regError struct {
	Status      int    `json:"-"`
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func (e *regError) Error() string { return e.Code + ": " + e.Description }

func badMetadata(format string, args ...any) *regError {
	return &regError{Status: 400, Code: errInvalidClientMetadata, Description: fmt.Sprintf(format, args...)}
}

func badStatement(format string, args ...any) *regError {
	return &regError{Status: 400, Code: errInvalidSoftwareStatement, Description: fmt.Sprintf(format, args...)}
}

// registrationMetadata are the RFC 7591 (and OIDC Registration) members
// Gatehouse keeps. Unknown members are ignored, as §2 asks; Gatehouse's
// own client settings (first_party, lifetimes, ...) are not among them,
// so a self-registered client cannot grant itself what only an
// administrator may.
type registrationMetadata struct {
	RedirectURIs             []string        `json:"redirect_uris"`
	PostLogoutRedirectURIs   []string        `json:"post_logout_redirect_uris"`
	TokenEndpointAuthMethod  string          `json:"token_endpoint_auth_method"`
	GrantTypes               []string        `json:"grant_types"`
	ResponseTypes            []string        `json:"response_types"`
	ClientName               string          `json:"client_name"`
	ClientURI                string          `json:"client_uri"`
	LogoURI                  string          `json:"logo_uri"`
	Scope                    string          `json:"scope"`
	Contacts                 []string        `json:"contacts"`
	TosURI                   string          `json:"tos_uri"`
	PolicyURI                string          `json:"policy_uri"`
	JWKSURI                  string          `json:"jwks_uri"`
	JWKS                     json.RawMessage `json:"jwks"`
	IDTokenSignedResponseAlg string          `json:"id_token_signed_response_alg"`
	RequirePAR               bool            `json:"require_pushed_authorization_requests"`
	ApplicationType          string          `json:"application_type"`
}

// registrationRequest is a parsed request: the metadata after the
// software statement's claims were applied, plus the management members
// of an RFC 7592 update.
type registrationRequest struct {
	Client       *oauth.Client
	HasStatement bool
	// ClientID and ClientSecret, when an update names them (RFC 7592 §2.2).
	ClientID, ClientSecret string
}

// statementVerifier checks a software statement and returns its claims;
// nil when the tenant has no statement keys.
type statementVerifier func(statement string) (map[string]json.RawMessage, error)

// parseRegistrationRequest reads a registration (or update) body. verify
// is the tenant's statement check (nil: none configured) and require
// says a statement must be present.
func parseRegistrationRequest(body []byte, verify statementVerifier, require bool) (*registrationRequest, error) {
	if len(body) > maxRegistrationBody {
		return nil, badMetadata("the request body is larger than %d bytes", maxRegistrationBody)
	}
	var members map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&members); err != nil || members == nil || dec.More() {
		return nil, badMetadata("the body must be one JSON object")
	}
	out := &registrationRequest{}
	if err := decodeOptString(members, "client_id", &out.ClientID); err != nil {
		return nil, err
	}
	if err := decodeOptString(members, "client_secret", &out.ClientSecret); err != nil {
		return nil, err
	}
	var statement string
	if err := decodeOptString(members, "software_statement", &statement); err != nil {
		return nil, err
	}
	switch {
	case statement == "" && require:
		return nil, badStatement("this server requires a software_statement")
	case statement != "" && verify == nil:
		return nil, &regError{Status: 400, Code: errUnapprovedSoftwareStatement, Description: "this server accepts no software statements"}
	case statement != "":
		claims, err := verify(statement)
		if err != nil {
			return nil, err
		}
		// The statement's claims take precedence over the request's
		// members (RFC 7591 §2.3); its JWT claims are not metadata.
		for k, v := range claims {
			switch k {
			case "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "software_statement", "client_id", "client_secret":
				continue
			}
			members[k] = v
		}
		out.HasStatement = true
	}
	var md registrationMetadata
	for name, dst := range map[string]any{
		"redirect_uris": &md.RedirectURIs, "post_logout_redirect_uris": &md.PostLogoutRedirectURIs,
		"token_endpoint_auth_method": &md.TokenEndpointAuthMethod, "grant_types": &md.GrantTypes,
		"response_types": &md.ResponseTypes, "client_name": &md.ClientName, "client_uri": &md.ClientURI,
		"logo_uri": &md.LogoURI, "scope": &md.Scope, "contacts": &md.Contacts, "tos_uri": &md.TosURI,
		"policy_uri": &md.PolicyURI, "jwks_uri": &md.JWKSURI, "jwks": &md.JWKS,
		"id_token_signed_response_alg": &md.IDTokenSignedResponseAlg, "application_type": &md.ApplicationType,
		"require_pushed_authorization_requests": &md.RequirePAR,
	} {
		raw, ok := members[name]
		if !ok || string(raw) == "null" {
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return nil, badMetadata("%s has the wrong type", name)
		}
	}
	if len(md.JWKS) > 0 && md.JWKS[0] != '{' {
		return nil, badMetadata("jwks must be a JWK Set object")
	}
	if md.ClientName == "" {
		// The Admin API requires a name; a registration may omit it
		// (RFC 7591 §2), so it gets a generic one.
		md.ClientName = "Dynamically registered client"
	}
	out.Client = &oauth.Client{
		ClientName: md.ClientName, RedirectURIs: md.RedirectURIs, PostLogoutRedirectURIs: md.PostLogoutRedirectURIs,
		GrantTypes: md.GrantTypes, ResponseTypes: md.ResponseTypes, TokenEndpointAuthMethod: md.TokenEndpointAuthMethod,
		Scope: md.Scope, ClientURI: md.ClientURI, LogoURI: md.LogoURI, PolicyURI: md.PolicyURI, TosURI: md.TosURI,
		Contacts: md.Contacts, JWKSURI: md.JWKSURI, JWKS: md.JWKS, IDTokenSignedResponseAlg: md.IDTokenSignedResponseAlg,
		ApplicationType: md.ApplicationType, RegisteredBy: oauth.RegisteredByDCR,
	}
	if md.RequirePAR { // RFC 9126 6: a client may only tighten its own policy
		out.Client.Metadata = map[string]any{oauth.RequirePARKey: true}
	}
	return out, nil
}

func decodeOptString(members map[string]json.RawMessage, name string, dst *string) error {
	raw, ok := members[name]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return badMetadata("%s must be a string", name)
	}
	return nil
}

// metadataError turns the Admin API's validation problem into RFC 7591's
// error: invalid_redirect_uri for the redirect URI lists, else
// invalid_client_metadata, with the first field's message.
func metadataError(err error) *regError {
	var ve *identity.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) == 0 {
		return badMetadata("the client metadata is invalid")
	}
	code := errInvalidClientMetadata
	for _, fe := range ve.Errors {
		if strings.HasPrefix(fe.Field, "/redirect_uris") || strings.HasPrefix(fe.Field, "/post_logout_redirect_uris") {
			code = errInvalidRedirectURI
			break
		}
	}
	descs := make([]string, 0, len(ve.Errors))
	for _, fe := range ve.Errors {
		descs = append(descs, strings.TrimPrefix(fe.Field, "/")+": "+fe.Message)
	}
	return &regError{Status: 400, Code: code, Description: strings.Join(descs, "; ")}
}

// softwareStatementAlgs are the signature algorithms accepted for software
// statements: asymmetric only, so a statement cannot be forged with a
// public key used as an HMAC secret.
var softwareStatementAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.ES384, jose.EdDSA}

// newStatementVerifier checks software statements against keys at now: a
// signature by one of the keys (by kid when the header names one), and
// exp, nbf and iat when present.
func newStatementVerifier(keys *jose.JSONWebKeySet, now func() time.Time) statementVerifier {
	if keys == nil || len(keys.Keys) == 0 {
		return nil
	}
	return func(statement string) (map[string]json.RawMessage, error) {
		if len(statement) > maxSoftwareStatementLen {
			return nil, badStatement("the software_statement is too long")
		}
		tok, err := jwt.ParseSigned(statement, softwareStatementAlgs)
		if err != nil || len(tok.Headers) != 1 {
			return nil, badStatement("the software_statement is not a signed JWT with an accepted algorithm")
		}
		candidates := keys.Keys
		if kid := tok.Headers[0].KeyID; kid != "" {
			candidates = keys.Key(kid)
		}
		var std jwt.Claims
		var claims map[string]json.RawMessage
		verified := false
		for _, k := range candidates {
			if err := tok.Claims(k.Key, &std, &claims); err == nil {
				verified = true
				break
			}
		}
		if !verified {
			return nil, &regError{Status: 400, Code: errUnapprovedSoftwareStatement, Description: "the software_statement is not signed by a key this server trusts"}
		}
		if err := std.ValidateWithLeeway(jwt.Expected{Time: now()}, softwareStatementClockTolerance); err != nil {
			return nil, badStatement("the software_statement is expired or not yet valid")
		}
		return claims, nil
	}
}

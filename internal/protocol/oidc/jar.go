package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Signed request objects (JAR, RFC 9101). The engine's own request-object
// support (op.ParseRequestObject) checks the signature only (no typ, exp,
// aud or jti) and merges the object into the query's parameters; it stays
// switched off (op.Config.RequestObjectSupported is false) and Gatehouse
// intercepts the request object before the engine sees the request
// (VerifyAuthRequest in authorize.go, and servePAR).

const (
	// MaxRequestObjectLifetime bounds exp (and how far in the past nbf may
	// lie): the jti is remembered until exp (FAPI 2.0 asks for at most 60 min).
	MaxRequestObjectLifetime = 60 * time.Minute
	// maxRequestObjectSize caps a request object, by value or fetched.
	maxRequestObjectSize = 32 << 10
	// requestObjectSkew tolerates a client clock slightly ahead for nbf.
	requestObjectSkew = 10 * time.Second
	// requestURIFetchTimeout bounds fetching a request_uri from a client's
	// allow-list, so a slow host cannot hold an /authorize request.
	requestURIFetchTimeout = 5 * time.Second
	// requestObjectJTINamespace keeps request-object jtis apart from client
	// assertion jtis in the same replay store.
	requestObjectJTINamespace = "jar\x00"
)

// requestObjectAlgs are the asymmetric algorithms accepted for request
// objects: "none" and the HMAC algorithms are refused by construction
// (the client's secret is stored only as a keyed hash anyway).
var requestObjectAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.EdDSA}

// jarDiscovery advertises request objects (RFC 9101 10.1): by value and
// by request_uri, which must be registered unless it comes from PAR.
// require_signed_request_object is per client, so the server-wide value
// is left out (false).
func jarDiscovery(d *oidc.DiscoveryConfiguration) {
	d.RequestParameterSupported = true
	d.RequestURIParameterSupported = true
	d.RequireRequestURIRegistration = true
	d.RequestObjectSigningAlgValuesSupported = requestObjectAlgNames()
}

// requestObjectAlgNames is what discovery lists.
func requestObjectAlgNames() []string {
	out := make([]string, len(requestObjectAlgs))
	for i, a := range requestObjectAlgs {
		out[i] = string(a)
	}
	return out
}

// registeredClaims are the request object's own claims, not authorization
// parameters.
var registeredClaims = []string{"iss", "aud", "exp", "nbf", "iat", "jti", "sub"}

func invalidRequestObject(format string, a ...any) *oidc.Error {
	return protoErr("invalid_request_object", fmt.Sprintf(format, a...))
}

// verifyRequestObject checks a request object of client c and returns its
// claims as authorization parameters, which replace the request's own
// (RFC 9101 6.3: no merging): signed with an asymmetric algorithm (for
// fapi2 clients PS256, ES256 or EdDSA) by a key in the client's JWKS,
// typ oauth-authz-req+jwt or JWT, iss and client_id the client, aud the
// issuer, exp required and at most MaxRequestObjectLifetime ahead, nbf
// (when present) reached and at most that far in the past, and a jti used
// only once: the jti is stored in the tenant's database until exp, so
// every node refuses a replay.
func (p *Provider) verifyRequestObject(ctx context.Context, t *tenancy.Tenant, c *client, raw string) (url.Values, error) {
	if len(raw) > maxRequestObjectSize {
		return nil, invalidRequestObject("the request object is larger than %d bytes", maxRequestObjectSize)
	}
	params, claims, err := parseRequestObject(raw, c, c.fapi2())
	if err != nil {
		return nil, err
	}
	now := p.now()
	var reg struct {
		Iss      string          `json:"iss"`
		Aud      json.RawMessage `json:"aud"`
		Exp      *json.Number    `json:"exp"`
		Nbf      *json.Number    `json:"nbf"`
		JTI      string          `json:"jti"`
		ClientID *string         `json:"client_id"`
	}
	if err := json.Unmarshal(claims, &reg); err != nil {
		return nil, invalidRequestObject("the request object's registered claims are malformed")
	}
	exp, expOK := numericDate(reg.Exp)
	switch {
	case reg.Iss != c.c.ID:
		return nil, invalidRequestObject("iss must be the client_id")
	case reg.ClientID != nil && *reg.ClientID != c.c.ID:
		return nil, invalidRequestObject("client_id does not match the client")
	case !audienceIs(reg.Aud, t.Issuer):
		return nil, invalidRequestObject("aud must be the issuer %s", t.Issuer)
	case reg.Exp == nil:
		return nil, invalidRequestObject("the request object has no exp")
	case !expOK || !now.Before(exp):
		return nil, invalidRequestObject("the request object has expired")
	case exp.After(now.Add(MaxRequestObjectLifetime)):
		return nil, invalidRequestObject("the request object's exp is more than %v away", MaxRequestObjectLifetime)
	case reg.JTI == "":
		return nil, invalidRequestObject("the request object has no jti")
	}
	if reg.Nbf != nil {
		nbf, ok := numericDate(reg.Nbf)
		switch {
		case !ok || nbf.After(now.Add(requestObjectSkew)):
			return nil, invalidRequestObject("the request object is not valid yet (nbf)")
		case nbf.Before(now.Add(-MaxRequestObjectLifetime)):
			return nil, invalidRequestObject("the request object's nbf is more than %v ago", MaxRequestObjectLifetime)
		}
	}
	err = t.Store.ClientAssertions().Use(ctx, t.ID, c.c.ID, tokens.Hash(requestObjectJTINamespace+reg.JTI), exp, now)
	switch {
	case errors.Is(err, store.ErrReused):
		p.log.WarnContext(ctx, "request object replayed", "tenant_id", t.ID, "client_id", c.c.ID)
		return nil, invalidRequestObject("the request object was already used")
	case errors.Is(err, store.ErrNotFound): // the client was deleted meanwhile
		return nil, oidc.ErrInvalidClient().WithDescription("unknown client")
	case err != nil:
		return nil, p.serverError(ctx, t, c.c.ID, "request object: record jti", err)
	}
	params.Set("client_id", c.c.ID)
	return params, nil
}

// parseRequestObject verifies the signature and header of a request
// object and returns its authorization parameters and raw claims. It does
// not look at the time or the store, so it is what FuzzRequestObject runs.
func parseRequestObject(raw string, c *client, fapi2 bool) (url.Values, json.RawMessage, error) {
	jws, err := jose.ParseSignedCompact(strings.TrimSpace(raw), requestObjectAlgs)
	if err != nil {
		return nil, nil, invalidRequestObject("the request object must be a JWS signed with one of %s", strings.Join(requestObjectAlgNames(), ", "))
	}
	if len(jws.Signatures) != 1 {
		return nil, nil, invalidRequestObject("the request object must have one signature")
	}
	h := jws.Signatures[0].Protected
	alg := h.Algorithm
	if fapi2 && !slices.Contains(oauth.FAPI2SigningAlgs, alg) {
		return nil, nil, invalidRequestObject("FAPI 2.0: the request object must be signed with %s", strings.Join(oauth.FAPI2SigningAlgs, ", "))
	}
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != "" {
		switch strings.ToLower(strings.TrimPrefix(strings.ToLower(typ), "application/")) {
		case "oauth-authz-req+jwt", "jwt":
		default:
			return nil, nil, invalidRequestObject("the request object's typ must be oauth-authz-req+jwt")
		}
	}
	key, err := c.publicKey(h.KeyID)
	if err != nil {
		return nil, nil, invalidRequestObject("no registered key of the client verifies the request object")
	}
	if key.Algorithm != "" && key.Algorithm != alg {
		return nil, nil, invalidRequestObject("the key %q is not for %s", h.KeyID, alg)
	}
	payload, err := jws.Verify(key.Key)
	if err != nil {
		return nil, nil, invalidRequestObject("the request object's signature does not verify")
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payload, &claims); err != nil || claims == nil {
		return nil, nil, invalidRequestObject("the request object's payload must be a JSON object")
	}
	if _, ok := claims["request"]; ok {
		return nil, nil, invalidRequestObject("a request object must not contain request")
	}
	if _, ok := claims["request_uri"]; ok {
		return nil, nil, invalidRequestObject("a request object must not contain request_uri")
	}
	params := url.Values{}
	for k, v := range claims {
		if slices.Contains(registeredClaims, k) || string(v) == "null" { // null: absent
			continue
		}
		s, err := claimParam(v)
		if err != nil {
			return nil, nil, invalidRequestObject("the claim %q cannot be an authorization parameter", k)
		}
		params.Set(k, s)
	}
	return params, payload, nil
}

// claimParam turns a claim into a parameter value: a string as it is, a
// number or boolean as written, and an object or array (claims,
// authorization_details) as its JSON text, which is how those parameters
// travel in a query (OIDC Core 6.1, RFC 9396).
func claimParam(v json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), nil
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return strconv.FormatBool(b), nil
	}
	if len(v) > 0 && (v[0] == '{' || v[0] == '[') && json.Valid(v) {
		return string(v), nil
	}
	return "", errors.New("not a parameter value")
}

// numericDate reads a NumericDate (seconds, possibly fractional).
func numericDate(n *json.Number) (time.Time, bool) {
	if n == nil {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0), true
}

// audienceIs reports whether aud (a string or an array) names the issuer.
func audienceIs(aud json.RawMessage, issuer string) bool {
	var one string
	if json.Unmarshal(aud, &one) == nil {
		return one == issuer
	}
	var many []string
	return json.Unmarshal(aud, &many) == nil && slices.Contains(many, issuer)
}

// fetchRequestURI gets a request object from one of the client's
// registered request_uris (RFC 9101 5.2): exact match, https only, no
// redirects, a short timeout and a size cap.
func (p *Provider) fetchRequestURI(ctx context.Context, c *client, uri string) (string, error) {
	if !slices.Contains(c.settings.RequestURIs, uri) {
		return "", protoErr("invalid_request_uri", "the request_uri is not registered for the client")
	}
	ctx, cancel := context.WithTimeout(ctx, requestURIFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil || req.URL.Scheme != "https" {
		return "", protoErr("invalid_request_uri", "the request_uri must be an https URL")
	}
	req.Header.Set("Accept", "application/oauth-authz-req+jwt, application/jwt")
	resp, err := p.requestURIClient.Do(req)
	if err != nil {
		p.log.InfoContext(ctx, "fetching a request_uri failed", "tenant_id", c.t.ID, "client_id", c.c.ID, "err", err)
		return "", protoErr("invalid_request_uri", "the request_uri could not be fetched")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRequestObjectSize+1))
	switch {
	case resp.StatusCode != http.StatusOK:
		return "", protoErr("invalid_request_uri", "the request_uri answered "+strconv.Itoa(resp.StatusCode))
	case err != nil:
		return "", protoErr("invalid_request_uri", "the request_uri could not be read")
	case len(body) > maxRequestObjectSize:
		return "", invalidRequestObject("the request object is larger than %d bytes", maxRequestObjectSize)
	}
	return string(body), nil
}

// newRequestURIClient fetches request_uris: no redirects (the URL is the
// one the client registered, not where it points to).
func newRequestURIClient() *http.Client {
	return &http.Client{
		Timeout:       requestURIFetchTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// fapi2 reports whether the client follows the FAPI 2.0 Security Profile.
func (c *client) fapi2() bool { return c.settings.Profile == oauth.ProfileFAPI2 }

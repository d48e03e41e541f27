package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// serveJWKS answers from bytes serialised once per key change, with an
// ETag so caches revalidate for free.
func (p *Provider) serveJWKS(w http.ResponseWriter, r *http.Request) {
	t := tenancy.From(r.Context())
	body, etag, err := p.keys.JWKS(r.Context(), t.ID)
	if errors.Is(err, store.ErrNotFound) { // deleted since another node cached it
		httpx.WriteProblem(w, r, httpx.NotFound("No such tenant."))
		return
	}
	if err != nil {
		op.WriteError(w, r, oidc.ErrServerError().WithParent(err), nil)
		return
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=300, stale-while-revalidate=60")
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/jwk-set+json")
	_, _ = w.Write(body)
}

// discoveryCache holds each issuer's serialised metadata.
var discoveryCache sync.Map // issuer, registration on -> []byte

// serveDiscovery answers OpenID Connect Discovery and RFC 8414 metadata
// with what Gatehouse actually supports.
func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	t := tenancy.From(r.Context())
	// The document differs only by issuer and whether registration is
	// on (registration_endpoint).
	key := t.Issuer + "\x00" + strconv.FormatBool(t.DCR.Enabled())
	body, ok := discoveryCache.Load(key)
	if !ok {
		b, err := p.discovery(r.Context(), t)
		if err != nil {
			op.WriteError(w, r, oidc.ErrServerError().WithParent(err), nil)
			return
		}
		discoveryCache.Store(key, b)
		body = b
	}
	out, err := p.withDetailTypes(r.Context(), t, body.([]byte)) // rar.go: per tenant, changes with its APIs
	if err != nil {
		op.WriteError(w, r, oidc.ErrServerError().WithParent(err), nil)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(out)
}

func (p *Provider) discovery(ctx context.Context, t *tenancy.Tenant) ([]byte, error) {
	d := op.CreateDiscoveryConfig(ctx, p.op, p.storage)
	d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
	d.ResponseModesSupported = []string{"query", "fragment", "form_post"}
	d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken, oidc.GrantTypeClientCredentials, oidc.GrantTypeDeviceCode, oidc.GrantTypeTokenExchange}
	d.CodeChallengeMethodsSupported = []oidc.CodeChallengeMethod{oidc.CodeChallengeMethodS256}
	d.IDTokenSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.TokenEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodPrivateKeyJWT, oidc.AuthMethodNone}
	d.TokenEndpointAuthSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.IntrospectionEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodPrivateKeyJWT}
	d.RevocationEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodPrivateKeyJWT, oidc.AuthMethodNone}
	d.IntrospectionEndpointAuthSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.RevocationEndpointAuthSigningAlgValuesSupported = []string{"RS256", "ES256", "EdDSA"}
	d.ScopesSupported = supportedScopes
	d.ClaimsSupported = supportedClaims
	jarDiscovery(d) // jar.go
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["pushed_authorization_request_endpoint"] = t.Issuer + parPath
	m["require_pushed_authorization_requests"] = false
	m["prompt_values_supported"] = []string{"none", "login", "consent", "select_account"}
	m["authorization_response_iss_parameter_supported"] = true
	m["subject_types_supported"] = []string{"public"}
	m["acr_values_supported"] = ACRValuesSupported
	m["dpop_signing_alg_values_supported"] = dpop.Algs
	if t.DCR.Enabled() {
		m["registration_endpoint"] = t.Issuer + registerPath
	}
	// OIDC Back-Channel and Front-Channel Logout 1.0 (internal/backchannel, frontchannel.go).
	m["backchannel_logout_supported"], m["backchannel_logout_session_supported"] = true, true
	m["frontchannel_logout_supported"], m["frontchannel_logout_session_supported"] = true, true
	return json.Marshal(m)
}

package oidc_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
)

// metadata is what a relying party reads from discovery.
type metadata struct {
	Issuer                   string   `json:"issuer"`
	AuthorizationEndpoint    string   `json:"authorization_endpoint"`
	TokenEndpoint            string   `json:"token_endpoint"`
	JWKSURI                  string   `json:"jwks_uri"`
	UserinfoEndpoint         string   `json:"userinfo_endpoint"`
	IntrospectionEndpoint    string   `json:"introspection_endpoint"`
	RevocationEndpoint       string   `json:"revocation_endpoint"`
	EndSessionEndpoint       string   `json:"end_session_endpoint"`
	DeviceEndpoint           string   `json:"device_authorization_endpoint"`
	PAREndpoint              string   `json:"pushed_authorization_request_endpoint"`
	ResponseTypes            []string `json:"response_types_supported"`
	GrantTypes               []string `json:"grant_types_supported"`
	CodeChallengeMethods     []string `json:"code_challenge_methods_supported"`
	IDTokenAlgs              []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	ScopesSupported          []string `json:"scopes_supported"`
	SubjectTypes             []string `json:"subject_types_supported"`
	ACRValues                []string `json:"acr_values_supported"`
}

// checkDiscovery runs go-oidc's discovery against a tenant's issuer and
// checks the metadata Gatehouse promises.
func checkDiscovery(t *testing.T, o *op, slug string) *oidc.Provider {
	t.Helper()
	iss := o.issuer(slug)
	p, err := oidc.NewProvider(o.rpContext(t), iss)
	if err != nil {
		t.Fatalf("go-oidc discovery of %s: %v", iss, err)
	}
	var m metadata
	if err := p.Claims(&m); err != nil {
		t.Fatal(err)
	}
	if m.Issuer != iss {
		t.Fatalf("issuer %q, want %q", m.Issuer, iss)
	}
	for name, ep := range map[string]string{
		"authorization": m.AuthorizationEndpoint, "token": m.TokenEndpoint, "jwks": m.JWKSURI,
		"userinfo": m.UserinfoEndpoint, "introspection": m.IntrospectionEndpoint, "revocation": m.RevocationEndpoint,
		"end_session": m.EndSessionEndpoint, "device": m.DeviceEndpoint, "par": m.PAREndpoint,
	} {
		if !strings.HasPrefix(ep, iss+"/") {
			t.Errorf("%s endpoint %q is not under the issuer %s", name, ep, iss)
		}
	}
	if m.PAREndpoint != iss+"/oauth/par" || m.TokenEndpoint != iss+"/oauth/token" {
		t.Errorf("par %q token %q", m.PAREndpoint, m.TokenEndpoint)
	}
	if !slices.Equal(m.ResponseTypes, []string{"code"}) {
		t.Errorf("response_types_supported %v, want only code", m.ResponseTypes)
	}
	if !slices.Equal(m.CodeChallengeMethods, []string{"S256"}) {
		t.Errorf("code_challenge_methods_supported %v, want only S256", m.CodeChallengeMethods)
	}
	if !hasAll(m.IDTokenAlgs, "RS256", "ES256", "EdDSA") {
		t.Errorf("id_token_signing_alg_values_supported %v", m.IDTokenAlgs)
	}
	if !hasAll(m.GrantTypes, grantCode, grantRefresh, grantClientCred, grantDevice) || slices.Contains(m.GrantTypes, "implicit") {
		t.Errorf("grant_types_supported %v", m.GrantTypes)
	}
	if !hasAll(m.TokenEndpointAuthMethods, "client_secret_basic", "client_secret_post", "private_key_jwt", "none") {
		t.Errorf("token_endpoint_auth_methods_supported %v", m.TokenEndpointAuthMethods)
	}
	if !hasAll(m.ACRValues, "urn:gatehouse:acr:pwd", "urn:gatehouse:acr:mfa", "phr", "urn:gatehouse:acr:phr") {
		t.Errorf("acr_values_supported %v", m.ACRValues)
	}
	if !hasAll(m.ScopesSupported, "openid", "offline_access") || !slices.Contains(m.SubjectTypes, "public") {
		t.Errorf("scopes %v subject types %v", m.ScopesSupported, m.SubjectTypes)
	}
	if ep := p.Endpoint(); ep.AuthURL != m.AuthorizationEndpoint || ep.TokenURL != m.TokenEndpoint {
		t.Errorf("go-oidc endpoints %+v", ep)
	}
	return p
}

func TestDiscoveryDefaultTenant(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	checkDiscovery(t, o, "")

	// RFC 8414: the authorization-server metadata is the same document.
	oidcDoc := o.get(t, o.issuer("")+"/.well-known/openid-configuration")
	asDoc := o.get(t, o.issuer("")+"/.well-known/oauth-authorization-server")
	if asDoc.Status != http.StatusOK || !bytes.Equal(asDoc.Raw, oidcDoc.Raw) {
		t.Fatalf("RFC 8414 metadata: %d %s\nvs %s", asDoc.Status, asDoc.Raw, oidcDoc.Raw)
	}
	if ct := asDoc.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q", ct)
	}
}

func TestDiscoveryNamedTenant(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	checkDiscovery(t, o, "acme")

	doc := o.get(t, o.issuer("acme")+"/.well-known/openid-configuration")
	as := o.get(t, o.issuer("acme")+"/.well-known/oauth-authorization-server")
	if as.Status != http.StatusOK || !bytes.Equal(as.Raw, doc.Raw) {
		t.Fatalf("metadata under the tenant path: %d %s", as.Status, as.Raw)
	}
	// Each tenant signs with its own keys.
	def, acme := kids(o.fetchJWKS(t, "")), kids(o.fetchJWKS(t, "acme"))
	if len(acme) != 2 {
		t.Fatalf("acme publishes %v, want an RS256 and an ES256 key", acme)
	}
	for _, k := range acme {
		if slices.Contains(def, k) {
			t.Fatalf("key %s is shared by the default tenant and acme", k)
		}
	}
	// An unknown tenant has no issuer.
	if r := o.get(t, o.issuer("nope")+"/.well-known/openid-configuration"); r.Status != http.StatusNotFound {
		t.Fatalf("unknown tenant: %d %s", r.Status, r.Raw)
	}
}

// RFC 8414 section 3.1 builds the metadata URL of an issuer with a path by
// inserting the well-known segment between host and path:
// https://host/.well-known/oauth-authorization-server/t/acme. RFC 8414
// clients only ever ask there.
func TestDiscoveryRFC8414PathInsertion(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	doc := o.get(t, o.issuer("acme")+"/.well-known/openid-configuration")
	r := o.get(t, o.URL+"/.well-known/oauth-authorization-server/t/acme")
	if r.Status != http.StatusOK || !bytes.Equal(r.Raw, doc.Raw) {
		t.Fatalf("GET /.well-known/oauth-authorization-server/t/acme: %d %s", r.Status, r.Raw)
	}
}

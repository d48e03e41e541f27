package restapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// samlCert is a throwaway RSA certificate, PEM and bare base64.
func samlCert(t *testing.T) (string, string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), base64.StdEncoding.EncodeToString(der)
}

func spMetadata(entityID, acs, certB64 string) string {
	return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + entityID + `">` +
		`<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true">` +
		`<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64 + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
		`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.net/slo"/>` +
		`<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="` + acs + `" index="0"/>` +
		`</md:SPSSODescriptor></md:EntityDescriptor>`
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSAMLServiceProvidersAPI(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	certPEM, certB64 := samlCert(t)

	// Explicit: the defaults of the contract.
	cr, err := s.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{
		EntityID: strp("https://portal.example.net/sp"), AcsUrls: &[]string{"https://portal.example.net/acs"}})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("%v %s", err, cr.Body)
	}
	sp := cr.JSON201
	if sp.NameIDFormat != "emailAddress" || !sp.SignResponse || !sp.SignAssertion || sp.EncryptAssertion || sp.RequireSignedRequests ||
		sp.AllowIdpInitiated || sp.SessionLifetimeSeconds != 28800 || sp.Name != "https://portal.example.net/sp" ||
		!sp.SloURL.IsNull() || !sp.MetadataURL.IsNull() || len(sp.SigningCertificates) != 0 ||
		cr.HTTPResponse.Header.Get("Location") != "/admin/v1/saml-service-providers/"+sp.ID {
		t.Fatalf("created: %s %v", cr.Body, cr.HTTPResponse.Header)
	}
	// The same entity ID again: conflict.
	resp, body := do(t, s, "POST", "/admin/v1/saml-service-providers", testserver.AdminToken, "application/json",
		`{"entity_id":"https://portal.example.net/sp","acs_urls":["https://portal.example.net/acs"]}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")

	// From metadata_xml: entity ID, ACS, SLO and the certificate are read.
	xr, err := s.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{
		MetadataXML: strp(spMetadata("https://wiki.example.net/saml", "https://wiki.example.net/acs", certB64)),
		Attributes:  &gen.SamlAttributeMapping{"email": "email", "givenName": "given_name", "groups": "groups"}})
	if err != nil || xr.JSON201 == nil {
		t.Fatalf("%v %s", err, xr.Body)
	}
	w := xr.JSON201
	if w.EntityID != "https://wiki.example.net/saml" || w.AcsUrls[0] != "https://wiki.example.net/acs" || w.SloURL.MustGet() != "https://sp.example.net/slo" ||
		len(w.SigningCertificates) != 1 || w.SigningCertificates[0] != certPEM || w.EncryptionCertificate.MustGet() != certPEM || w.Attributes["groups"] != "groups" {
		t.Fatalf("from metadata: %s", xr.Body)
	}

	// From metadata_url, fetched from a loopback server.
	mdSrv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/samlmetadata+xml")
		_, _ = rw.Write([]byte(spMetadata("https://expenses.example.net/saml", "https://expenses.example.net/acs", certB64)))
	}))
	defer mdSrv.Close()
	ur, err := s.Admin.CreateSamlServiceProviderWithResponse(ctx, nil, gen.SamlServiceProviderCreate{MetadataURL: strp(mdSrv.URL + "/md"),
		RequireSignedRequests: new(true), EncryptAssertion: new(true), NameIDFormat: new(gen.SamlNameIDFormat("persistent"))})
	if err != nil || ur.JSON201 == nil {
		t.Fatalf("%v %s", err, ur.Body)
	}
	if ur.JSON201.EntityID != "https://expenses.example.net/saml" || ur.JSON201.MetadataURL.MustGet() != mdSrv.URL+"/md" {
		t.Fatalf("from metadata_url: %s", ur.Body)
	}

	// Bad input: 400, nothing stored.
	for name, bad := range map[string]string{
		"javascript ACS":             `{"entity_id":"https://x.example/sp","acs_urls":["javascript:alert(document.cookie)"]}`,
		"data ACS":                   `{"entity_id":"https://x.example/sp","acs_urls":["data:text/html,<script>1</script>"]}`,
		"http ACS":                   `{"entity_id":"https://x.example/sp","acs_urls":["http://x.example/acs"]}`,
		"javascript ACS in metadata": jsonBody(t, map[string]any{"metadata_xml": spMetadata("https://x.example/sp", "javascript:alert(1)", certB64)}),
		"bad metadata":               `{"metadata_xml":"<html><body>hello</body></html>"}`,
		"DTD in metadata":            jsonBody(t, map[string]any{"metadata_xml": `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + spMetadata("https://x.example/sp", "https://x.example/acs", certB64)}),
		"two sources":                jsonBody(t, map[string]any{"entity_id": "https://x.example/sp", "acs_urls": []string{"https://x.example/acs"}, "metadata_url": mdSrv.URL}),
		"metadata and acs":           jsonBody(t, map[string]any{"metadata_xml": spMetadata("https://x.example/sp", "https://x.example/acs", certB64), "acs_urls": []string{"https://x.example/acs"}}),
		"no source":                  `{"name":"x"}`,
		"no ACS":                     `{"entity_id":"https://x.example/sp"}`,
		"unreachable metadata_url":   `{"metadata_url":"http://127.0.0.1:1/md"}`,
		"metadata_url not http(s)":   `{"metadata_url":"file:///etc/passwd"}`,
		"bad certificate":            `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"signing_certificates":["not a cert"]}`,
		"encrypt without cert":       `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"encrypt_assertion":true}`,
		"signed without cert":        `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"require_signed_requests":true}`,
		"nothing signed":             `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"sign_response":false,"sign_assertion":false}`,
		"unknown NameID format":      `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"name_id_format":"kerberos"}`,
		"short lifetime":             `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"session_lifetime_seconds":5}`,
		"unknown member":             `{"entity_id":"https://x.example/sp","acs_urls":["https://x.example/acs"],"evil":1}`,
	} {
		resp, body := do(t, s, "POST", "/admin/v1/saml-service-providers", testserver.AdminToken, "application/json", bad)
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d %v", name, resp.StatusCode, body)
			continue
		}
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	}
	lr, err := s.Admin.ListSamlServiceProvidersWithResponse(ctx, nil)
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 3 {
		t.Fatalf("list after bad input: %v %s", err, lr.Body)
	}

	// Merge patch with If-Match; a javascript: ACS is refused there too.
	path := "/admin/v1/saml-service-providers/" + sp.ID
	resp, body = do(t, s, "PATCH", path, testserver.AdminToken, "application/merge-patch+json", `{"acs_urls":["javascript:alert(1)"]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "PATCH", path, testserver.AdminToken, "application/merge-patch+json",
		jsonBody(t, map[string]any{"signing_certificates": []string{certPEM}, "require_signed_requests": true, "slo_url": "https://portal.example.net/slo"}), "If-Match", `"1"`)
	if resp.StatusCode != 200 || body["require_signed_requests"] != true || body["slo_url"] != "https://portal.example.net/slo" || resp.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", path, testserver.AdminToken, "application/merge-patch+json", `{"slo_url":null}`, "If-Match", `"1"`)
	wantProblem(t, resp, body, 412, "urn:gatehouse:problem:precondition-failed")
	resp, body = do(t, s, "PATCH", path, testserver.AdminToken, "application/merge-patch+json", `{"slo_url":null}`)
	if resp.StatusCode != 200 || body["slo_url"] != nil {
		t.Fatalf("clear slo_url: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", path, testserver.AdminToken, "application/merge-patch+json", `{"entity_id":"https://wiki.example.net/saml"}`)
	wantProblem(t, resp, body, 409, "urn:gatehouse:problem:conflict")
	resp, body = do(t, s, "PATCH", "/admin/v1/saml-service-providers/"+w.ID, testserver.AdminToken, "application/merge-patch+json",
		jsonBody(t, map[string]any{"metadata_xml": spMetadata("https://wiki.example.net/saml2", "https://wiki.example.net/acs2", certB64)}))
	if resp.StatusCode != 200 || body["entity_id"] != "https://wiki.example.net/saml2" {
		t.Fatalf("patch metadata: %d %v", resp.StatusCode, body)
	}

	// The audit log has the changes.
	er, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{})
	if err != nil || er.JSON200 == nil {
		t.Fatalf("%v %s", err, er.Body)
	}
	seen := map[string]bool{}
	for _, e := range er.JSON200.Items {
		if strings.Contains(e.Type, "saml_service_provider.") {
			seen[e.Type] = true
		}
	}
	if len(seen) != 2 {
		t.Errorf("audit events: %v", seen)
	}

	// Delete.
	if r, _ := s.Admin.DeleteSamlServiceProviderWithResponse(ctx, sp.ID); r.StatusCode() != 204 {
		t.Fatalf("delete: %d %s", r.StatusCode(), r.Body)
	}
	resp, body = do(t, s, "GET", path, testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
}

// A tenant's service providers are invisible from other tenants, and a
// tenant-bound key reaches only its own.
func TestSAMLServiceProvidersTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	for _, slug := range []string{"acme", "globex"} {
		if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: slug}); err != nil || r.StatusCode() != 201 {
			t.Fatalf("%v %s", err, r.Body)
		}
	}
	cr, err := s.Admin.CreateTenantSamlServiceProviderWithResponse(ctx, "acme", nil, gen.SamlServiceProviderCreate{
		EntityID: strp("https://app.example.net/sp"), AcsUrls: &[]string{"https://app.example.net/acs"}})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("%v %s", err, cr.Body)
	}
	id := cr.JSON201.ID
	if loc := cr.HTTPResponse.Header.Get("Location"); loc != "/admin/v1/tenants/acme/saml-service-providers/"+id {
		t.Fatalf("Location %q", loc)
	}
	for _, path := range []string{"/admin/v1/tenants/globex/saml-service-providers/" + id, "/admin/v1/saml-service-providers/" + id} {
		for _, m := range []string{"GET", "DELETE"} {
			resp, body := do(t, s, m, path, testserver.AdminToken, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
		}
		resp, body := do(t, s, "PATCH", path, testserver.AdminToken, "application/merge-patch+json", `{"name":"x"}`)
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	}
	if r, _ := s.Admin.ListTenantSamlServiceProvidersWithResponse(ctx, "globex", nil); r.JSON200 == nil || len(r.JSON200.Items) != 0 {
		t.Fatalf("globex lists acme's: %s", r.Body)
	}
	// The same entity ID is free in another tenant.
	if r, _ := s.Admin.CreateTenantSamlServiceProviderWithResponse(ctx, "globex", nil, gen.SamlServiceProviderCreate{
		EntityID: strp("https://app.example.net/sp"), AcsUrls: &[]string{"https://app.example.net/acs"}}); r.StatusCode() != 201 {
		t.Fatalf("same entity ID in another tenant: %d %s", r.StatusCode(), r.Body)
	}
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "acme", nil, gen.APIKeyCreate{Name: "acme", Scopes: []gen.APIKeyScope{"clients:read"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	tok := kr.JSON201.Token
	if resp, _ := do(t, s, "GET", "/admin/v1/tenants/acme/saml-service-providers/"+id, tok, "", ""); resp.StatusCode != 200 {
		t.Fatalf("own tenant: %d", resp.StatusCode)
	}
	resp, body := do(t, s, "GET", "/admin/v1/tenants/globex/saml-service-providers", tok, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	resp, body = do(t, s, "DELETE", "/admin/v1/tenants/acme/saml-service-providers/"+id, tok, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden") // clients:read does not write
}

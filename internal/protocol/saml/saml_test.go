package saml_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"testing"

	crewjam "github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Each tenant publishes its IdP metadata at {tenant base}/saml/metadata,
// with that URL as entity ID, a signing certificate of its own, SSO over
// HTTP-Redirect and HTTP-POST, SLO and the NameID formats.
func TestMetadataEndpoint(t *testing.T) {
	srv := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ctx := context.Background()
	if err := srv.App.Directory.CreateTenant(ctx, &identity.Tenant{Slug: "acme", DisplayName: "Acme"}); err != nil {
		t.Fatal(err)
	}
	get := func(path string) (*http.Response, *crewjam.EntityDescriptor) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return resp, nil
		}
		var ed crewjam.EntityDescriptor
		if err := xml.Unmarshal(body, &ed); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, body)
		}
		return resp, &ed
	}
	certs := map[string]string{}
	for _, base := range []string{"", "/t/acme"} {
		resp, ed := get(base + "/saml/metadata")
		if ed == nil {
			t.Fatalf("%s/saml/metadata: %s", base, resp.Status)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/samlmetadata+xml" {
			t.Errorf("Content-Type %q", ct)
		}
		if ed.EntityID != srv.URL+base+"/saml/metadata" {
			t.Errorf("entityID %q", ed.EntityID)
		}
		d := ed.IDPSSODescriptors[0]
		if len(d.SingleSignOnServices) != 2 || d.SingleSignOnServices[0].Location != srv.URL+base+"/saml/sso" ||
			d.SingleSignOnServices[0].Binding != crewjam.HTTPRedirectBinding || d.SingleSignOnServices[1].Binding != crewjam.HTTPPostBinding {
			t.Errorf("SSO %+v", d.SingleSignOnServices)
		}
		if len(d.SingleLogoutServices) != 2 || d.SingleLogoutServices[0].Location != srv.URL+base+"/saml/slo" {
			t.Errorf("SLO %+v", d.SingleLogoutServices)
		}
		if len(d.NameIDFormats) != 4 || len(d.KeyDescriptors) != 1 || d.KeyDescriptors[0].Use != "signing" {
			t.Errorf("NameID formats %v, keys %+v", d.NameIDFormats, d.KeyDescriptors)
		}
		certs[base] = d.KeyDescriptors[0].KeyInfo.X509Data.X509Certificates[0].Data
	}
	if certs[""] == certs["/t/acme"] {
		t.Error("two tenants publish the same signing certificate")
	}
	if resp, _ := get("/t/nope/saml/metadata"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown tenant: %s", resp.Status)
	}
	resp, err := http.Post(srv.URL+"/saml/metadata", "text/xml", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound { // only GET and HEAD are routed here
		t.Errorf("POST: %s", resp.Status)
	}
}

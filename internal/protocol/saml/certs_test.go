package saml_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"

	"github.com/crewjam/saml/samlsp"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Rotating the SAML certificate through the Admin API: announce lists the
// next certificate in metadata while the old one signs; an SP that read
// the metadata again accepts Responses once activate makes the new one
// sign; the old one then leaves metadata. activate with nothing announced
// is a 409.
func TestSAMLCertificateRotationAPI(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	ctx := context.Background()
	get, err := e.srv.Admin.GetSamlCertificatesWithResponse(ctx)
	if err != nil || get.JSON200 == nil || len(get.JSON200.Items) != 1 || get.JSON200.Items[0].Status != gen.SamlSigningCertificateStatusActive {
		t.Fatalf("get: %v %s", err, get.Body)
	}
	old := get.JSON200.Items[0]
	if b, _ := pem.Decode([]byte(old.Certificate)); b == nil {
		t.Fatalf("certificate is not PEM: %q", old.Certificate)
	} else if c, err := x509.ParseCertificate(b.Bytes); err != nil || len(old.Sha256Fingerprint) != 95 || !c.NotAfter.Equal(old.NotAfter) {
		t.Fatalf("certificate: %v %+v", err, old)
	}
	rotate := func(step gen.SamlCertificateRotationStep) *gen.RotateSamlCertificatesResponse {
		t.Helper()
		r, err := e.srv.Admin.RotateSamlCertificatesWithResponse(ctx, nil, gen.SamlCertificateRotation{Step: step})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := rotate(gen.SamlCertificateRotationStepActivate); r.StatusCode() != http.StatusConflict {
		t.Fatalf("activate with nothing announced: %d %s", r.StatusCode(), r.Body)
	}
	r := rotate(gen.SamlCertificateRotationStepAnnounce)
	if r.JSON200 == nil || len(r.JSON200.Items) != 2 || r.JSON200.Items[0].ID != old.ID ||
		r.JSON200.Items[1].Status != gen.SamlSigningCertificateStatusAnnounced || !r.JSON200.Items[1].ActivatedAt.IsNull() {
		t.Fatalf("announce: %d %s", r.StatusCode(), r.Body)
	}
	next := r.JSON200.Items[1]
	if again := rotate(gen.SamlCertificateRotationStepAnnounce); again.JSON200 == nil || len(again.JSON200.Items) != 2 || again.JSON200.Items[1].ID != next.ID {
		t.Fatalf("a second announce: %s", again.Body)
	}
	md := metadataCerts(t, e.srv.URL)
	if len(md) != 2 || md[0] != pemBody(old.Certificate) || md[1] != pemBody(next.Certificate) {
		t.Fatalf("metadata during the announcement lists %d certificates", len(md))
	}
	b := newBrowser(t)
	e.signInAt(b, a) // still the old certificate

	idpMD, err := samlsp.FetchMetadata(ctx, http.DefaultClient, *mustURL(e.srv.URL + "/saml/metadata"))
	if err != nil {
		t.Fatal(err)
	}
	a.mw.ServiceProvider.IDPMetadata = idpMD // the SP reads metadata again
	r = rotate(gen.SamlCertificateRotationStepActivate)
	if r.JSON200 == nil || len(r.JSON200.Items) != 1 || r.JSON200.Items[0].ID != next.ID || r.JSON200.Items[0].Status != gen.SamlSigningCertificateStatusActive {
		t.Fatalf("activate: %d %s", r.StatusCode(), r.Body)
	}
	if md := metadataCerts(t, e.srv.URL); len(md) != 1 || md[0] != pemBody(next.Certificate) {
		t.Fatalf("metadata after activation: %d certificates", len(md))
	}
	b.c.Jar.SetCookies(mustURL(a.url), []*http.Cookie{{Name: "token", Value: "", Path: "/", MaxAge: -1}})
	e.signInAt(b, a) // signed with the new certificate, which the SP trusts

	tg, err := e.srv.Admin.GetTenantSamlCertificatesWithResponse(ctx, "default")
	if err != nil || tg.JSON200 == nil || len(tg.JSON200.Items) != 1 || tg.JSON200.Items[0].ID != next.ID {
		t.Fatalf("tenant get: %v %s", err, tg.Body)
	}
	if tg, _ := e.srv.Admin.GetTenantSamlCertificatesWithResponse(ctx, "no-such-tenant"); tg.StatusCode() != http.StatusNotFound {
		t.Fatalf("unknown tenant: %d", tg.StatusCode())
	}
}

// metadataCerts are the base64 signing certificates the metadata lists.
func metadataCerts(t *testing.T, base string) []string {
	t.Helper()
	md, err := samlsp.FetchMetadata(context.Background(), http.DefaultClient, *mustURL(base + "/saml/metadata"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, kd := range md.IDPSSODescriptors[0].KeyDescriptors {
		for _, c := range kd.KeyInfo.X509Data.X509Certificates {
			out = append(out, strings.Join(strings.Fields(c.Data), ""))
		}
	}
	return out
}

func pemBody(p string) string {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(b.Bytes)
}

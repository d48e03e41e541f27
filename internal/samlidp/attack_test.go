package samlidp_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The attacks crewjam/saml and goxmldsig had advisories for, tried on our
// own Responses: a service provider must refuse each altered Response.
func TestAttackedResponsesRefused(t *testing.T) {
	e := newEnv(t)
	assertionOnly := func(r *store.SAMLServiceProvider) { r.SignResponse = false }
	cases := []struct {
		name  string
		edit  func(*store.SAMLServiceProvider)
		alter func(t *testing.T, doc *etree.Document)
	}{
		{"signatures stripped", nil, func(t *testing.T, doc *etree.Document) {
			for _, sig := range doc.FindElements("//Signature") {
				sig.Parent().RemoveChild(sig)
			}
		}},
		{"NameID changed", nil, func(t *testing.T, doc *etree.Document) {
			doc.FindElement("//NameID").SetText("admin@example.org")
		}},
		{"NameID changed, assertion-only signature", assertionOnly, func(t *testing.T, doc *etree.Document) {
			doc.FindElement("//NameID").SetText("admin@example.org")
		}},
		{"second, unsigned assertion first", assertionOnly, func(t *testing.T, doc *etree.Document) {
			a := doc.FindElement("//Assertion")
			evil := a.Copy()
			evil.RemoveChild(evil.SelectElement("Signature"))
			evil.FindElement(".//NameID").SetText("admin@example.org")
			evil.CreateAttr("ID", "_evil")
			doc.Root().InsertChildAt(a.Index(), evil)
		}},
		{"second assertion after a signed Response", nil, func(t *testing.T, doc *etree.Document) {
			a := doc.FindElement("//Assertion")
			evil := a.Copy()
			evil.FindElement(".//NameID").SetText("admin@example.org")
			doc.Root().AddChild(evil)
		}},
		{"signature wrapping (XSW)", assertionOnly, func(t *testing.T, doc *etree.Document) {
			// The signed assertion moves into the evil one's Signature, whose
			// reference still finds it by ID; the evil one is what a naive
			// reader sees.
			a := doc.FindElement("//Assertion")
			evil := a.Copy()
			evil.CreateAttr("ID", "_evil")
			evil.FindElement(".//NameID").SetText("admin@example.org")
			sig := evil.SelectElement("Signature")
			obj := sig.CreateElement("ds:Object")
			obj.AddChild(a.Copy())
			doc.Root().RemoveChild(a)
			doc.Root().AddChild(evil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := e.newSP(t, strings.NewReplacer(" ", "-", ",", "").Replace(tc.name), tc.edit)
			resp, id := e.build(t, s)
			if _, err := s.ParseXMLResponse(resp.XML, []string{id}, s.AcsURL); err != nil {
				t.Fatalf("the unaltered Response was refused: %v", err)
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(resp.XML); err != nil {
				t.Fatal(err)
			}
			tc.alter(t, doc)
			altered, _ := doc.WriteToBytes()
			if bytes.Equal(altered, resp.XML) {
				t.Fatal("the attack changed nothing")
			}
			a, err := s.ParseXMLResponse(altered, []string{id}, s.AcsURL)
			if err == nil {
				t.Fatalf("the service provider accepted the altered Response (NameID %q)", a.Subject.NameID.Value)
			}
		})
	}
}

// xmlsec1, an independent implementation, verifies the Response's and the
// Assertion's signatures with the certificate from our metadata.
func TestResponseVerifiedByXMLSec1(t *testing.T) {
	bin, err := exec.LookPath("xmlsec1")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmlsec1 is not installed (apt-get install xmlsec1); CI runs this test")
		}
		t.Skip("xmlsec1 not installed (Debian package xmlsec1); skipping the independent signature check")
	}
	e := newEnv(t)
	set, err := e.svc.Keys.SAML(t.Context(), e.tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile := filepath.Join(dir, "idp.pem")
	if err := os.WriteFile(certFile, []byte(pemOf(set.Active.Cert.Raw)), 0o600); err != nil {
		t.Fatal(err)
	}
	verify := func(xml []byte, node string) error {
		f := filepath.Join(dir, "resp.xml")
		if err := os.WriteFile(f, xml, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "--verify", "--pubkey-cert-pem", certFile,
			"--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
			"--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
			"--node-name", node, f).CombinedOutput()
		if err != nil {
			return &exec.ExitError{Stderr: out}
		}
		return nil
	}
	s := e.newSP(t, "xmlsec", nil)
	resp, _ := e.build(t, s)
	for _, node := range []string{"urn:oasis:names:tc:SAML:2.0:protocol:Response", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"} {
		if err := verify(resp.XML, node); err != nil {
			t.Fatalf("xmlsec1 refused the %s signature: %s", node, err.(*exec.ExitError).Stderr)
		}
	}
	tampered := bytes.Replace(resp.XML, []byte("jane@example.org"), []byte("evil@example.org"), 1)
	if err := verify(tampered, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"); err == nil {
		t.Fatal("xmlsec1 verified a tampered Assertion")
	}
}

func pemOf(der []byte) string {
	var b strings.Builder
	b.WriteString("-----BEGIN CERTIFICATE-----\n")
	enc := []byte(base64Std(der))
	for len(enc) > 64 {
		b.Write(enc[:64])
		b.WriteByte('\n')
		enc = enc[64:]
	}
	b.Write(enc)
	b.WriteString("\n-----END CERTIFICATE-----\n")
	return b.String()
}

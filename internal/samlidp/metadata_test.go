package samlidp_test

import (
	"context"
	"encoding/xml"
	"testing"

	"github.com/crewjam/saml"
)

// Metadata lists the signing certificate, then the announced one; after
// the rotation the announced one alone, and Responses verify with it.
func TestMetadataAnnouncesNextCertificate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	certs := func() []string {
		t.Helper()
		md, err := e.svc.Metadata(ctx, e.tenant)
		if err != nil {
			t.Fatal(err)
		}
		var ed saml.EntityDescriptor
		if err := xml.Unmarshal(md, &ed); err != nil {
			t.Fatal(err)
		}
		if ed.EntityID != e.tenant.Issuer+"/saml/metadata" {
			t.Fatalf("entityID %q", ed.EntityID)
		}
		var out []string
		for _, kd := range ed.IDPSSODescriptors[0].KeyDescriptors {
			if kd.Use != "signing" {
				t.Fatalf("a %q key in metadata", kd.Use)
			}
			out = append(out, kd.KeyInfo.X509Data.X509Certificates[0].Data)
		}
		return out
	}
	first := certs()
	if len(first) != 1 {
		t.Fatalf("%d certificates", len(first))
	}
	if err := e.svc.Keys.AnnounceSAML(ctx, e.tenant.ID); err != nil {
		t.Fatal(err)
	}
	announced := certs()
	if len(announced) != 2 || announced[0] != first[0] {
		t.Fatalf("after announcing: %d certificates", len(announced))
	}
	// Still signed with the current key: an SP that trusts both accepts.
	s := e.newSP(t, "rollover", nil)
	resp, id := e.build(t, s)
	if _, err := s.ParseXMLResponse(resp.XML, []string{id}, s.AcsURL); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Keys.RotateSAML(ctx, e.tenant.ID); err != nil {
		t.Fatal(err)
	}
	rotated := certs()
	if len(rotated) != 1 || rotated[0] != announced[1] {
		t.Fatal("after rotating, metadata does not list the announced certificate alone")
	}
	// The SP still holds the metadata with both certificates: the new
	// signatures verify.
	resp, id = e.build(t, s)
	if _, err := s.ParseXMLResponse(resp.XML, []string{id}, s.AcsURL); err != nil {
		t.Fatalf("signed with the new key: %v", err)
	}
}

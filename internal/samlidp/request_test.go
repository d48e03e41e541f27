package samlidp_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// authnXML is an AuthnRequest from issuer for acs, issued at at.
func authnXML(id, issuer, acs, dest string, at time.Time) string {
	return fmt.Sprintf(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" Version="2.0" IssueInstant="%s" Destination="%s" AssertionConsumerServiceURL="%s" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>%s</saml:Issuer></samlp:AuthnRequest>`,
		id, at.UTC().Format(time.RFC3339), dest, acs, issuer)
}

func redirectQuery(x string) string {
	return url.Values{"SAMLRequest": {deflate64([]byte(x))}, "RelayState": {"r"}}.Encode()
}

func postForm(x string) url.Values {
	return url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(x))}}
}

func TestParseAuthnRequest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.newSP(t, "app", nil)
	signed := e.newSP(t, "signed", func(r *store.SAMLServiceProvider) { r.RequireSignedRequests = true })
	signed.SignatureMethod = dsig.RSASHA256SignatureMethod
	sso := e.tenant.Issuer + samlidp.SSOPath
	acs := s.AcsURL.String()
	now := time.Now()
	parse := func(m samlidp.Message) (*samlidp.AuthnRequest, error) {
		return e.svc.ParseAuthnRequest(ctx, e.tenant, m)
	}

	t.Run("redirect", func(t *testing.T) {
		q, id := s.redirect(t, "state")
		r, err := parse(samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: q})
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != id || r.ACSURL != acs || r.RelayState != "state" || r.SP.ID != s.reg.ID || r.Signed {
			t.Fatalf("%+v", r)
		}
		_, err = parse(samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: q})
		if !errors.Is(err, samlidp.ErrReplayed) {
			t.Fatalf("replayed request ID: %v", err)
		}
	})
	t.Run("post", func(t *testing.T) {
		x := `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_post1" Version="2.0" IssueInstant="` +
			now.UTC().Format(time.RFC3339) + `" Destination="` + sso + `" AssertionConsumerServiceURL="` + acs +
			`" ForceAuthn="true" IsPassive="false"><saml:Issuer>` + s.EntityID + `</saml:Issuer>` +
			`<samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>https://refeds.org/profile/mfa</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>`
		r, err := parse(samlidp.Message{Binding: samlidp.BindingPOST, Form: postForm(x)})
		if err != nil {
			t.Fatal(err)
		}
		if !r.ForceAuthn || r.IsPassive || len(r.ACRValues) != 1 || r.ACRValues[0] != "urn:gatehouse:acr:mfa" {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("signed redirect", func(t *testing.T) {
		q, _ := signed.redirect(t, "")
		if !strings.Contains(q, "Signature=") {
			t.Fatal("the SP did not sign")
		}
		r, err := parse(samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: q})
		if err != nil || !r.Signed {
			t.Fatalf("%+v %v", r, err)
		}
		tampered := strings.Replace(q, "RelayState=", "RelayState=x", 1)
		if _, err := parse(samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: tampered + "&RelayState=x"}); err == nil {
			t.Fatal("a tampered signed request was accepted")
		}
	})

	bomb := strings.Repeat("A", 50<<20)
	cases := []struct {
		name string
		m    samlidp.Message
		want error
	}{
		{"unknown SP", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u1", "https://unknown.example.net/", acs, sso, now))}, samlidp.ErrUnknownSP},
		{"another SP's ACS", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u2", s.EntityID, signed.AcsURL.String(), sso, now))}, samlidp.ErrUnknownACS},
		{"unregistered ACS", samlidp.Message{Binding: samlidp.BindingPOST,
			Form: postForm(authnXML("_u3", s.EntityID, "https://evil.example.com/acs", sso, now))}, samlidp.ErrUnknownACS},
		{"javascript ACS", samlidp.Message{Binding: samlidp.BindingPOST,
			Form: postForm(authnXML("_u4", s.EntityID, "javascript:alert(document.domain)", sso, now))}, samlidp.ErrUnknownACS},
		{"unsigned where required", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u5", signed.EntityID, signed.AcsURL.String(), sso, now))}, samlidp.ErrSignature},
		{"forged signature", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u6", signed.EntityID, signed.AcsURL.String(), sso, now)) +
				"&SigAlg=" + url.QueryEscape(dsig.RSASHA256SignatureMethod) + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(make([]byte, 256)))},
			samlidp.ErrSignature},
		{"stale", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u7", s.EntityID, acs, sso, now.Add(-10*time.Minute)))}, samlidp.ErrStale},
		{"from the future", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u8", s.EntityID, acs, sso, now.Add(time.Hour)))}, samlidp.ErrStale},
		{"wrong destination", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: redirectQuery(authnXML("_u9", s.EntityID, acs, "https://other.example.com/sso", now))}, samlidp.ErrMalformed},
		{"DTD", samlidp.Message{Binding: samlidp.BindingPOST, Form: postForm(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` +
			authnXML("_u10", s.EntityID, acs, sso, now))}, samlidp.ErrMalformed},
		{"XXE in redirect", samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: redirectQuery(`<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>` +
			authnXML("_u11", s.EntityID, acs, sso, now))}, samlidp.ErrMalformed},
		{"deflate bomb", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: url.Values{"SAMLRequest": {deflate64([]byte(bomb))}}.Encode()}, samlidp.ErrTooLarge},
		{"too large", samlidp.Message{Binding: samlidp.BindingPOST,
			Form: url.Values{"SAMLRequest": {strings.Repeat("QUFB", 20<<10)}}}, samlidp.ErrTooLarge},
		{"not base64", samlidp.Message{Binding: samlidp.BindingPOST, Form: url.Values{"SAMLRequest": {"%%%"}}}, samlidp.ErrMalformed},
		{"not deflated", samlidp.Message{Binding: samlidp.BindingRedirect,
			RawQuery: "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("<x/>")))}, samlidp.ErrMalformed},
		{"not XML", samlidp.Message{Binding: samlidp.BindingPOST, Form: postForm("hello")}, samlidp.ErrMalformed},
		{"no ID", samlidp.Message{Binding: samlidp.BindingPOST, Form: postForm(authnXML("", s.EntityID, acs, sso, now))}, samlidp.ErrMalformed},
		{"two SAMLRequests", samlidp.Message{Binding: samlidp.BindingPOST,
			Form: url.Values{"SAMLRequest": {"a", "b"}}}, samlidp.ErrMalformed},
		{"no SAMLRequest", samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: "RelayState=x"}, samlidp.ErrMalformed},
		{"other binding", samlidp.Message{Binding: "soap"}, samlidp.ErrUnsupported},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parse(tc.m)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %+v, %v; want %v", r, err, tc.want)
			}
		})
	}
	// Nothing refused was recorded: a valid request with a refused
	// request's ID still passes.
	if _, err := parse(samlidp.Message{Binding: samlidp.BindingPOST, Form: postForm(authnXML("_u7", s.EntityID, acs, sso, now))}); err != nil {
		t.Fatal(err)
	}
}

// Metadata: one SPSSODescriptor, http(s) endpoints only, no DTD.
func TestParseMetadata(t *testing.T) {
	_, cert := spCredentials(t)
	certB64 := base64.StdEncoding.EncodeToString(cert.Raw)
	md := func(acs, extra string) string {
		return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://sp.example.net/">` +
			`<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
			`<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64 + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
			`<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64 + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
			`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.net/slo"/>` +
			`<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.net/acs2" index="1"/>` +
			`<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="` + acs + `" index="0" isDefault="true"/>` +
			extra + `</md:SPSSODescriptor></md:EntityDescriptor>`
	}
	got, err := samlidp.ParseMetadata([]byte(md("https://sp.example.net/acs", "")), "/metadata_xml")
	if err != nil {
		t.Fatal(err)
	}
	if got.EntityID != "https://sp.example.net/" || len(got.ACSURLs) != 2 || got.ACSURLs[0] != "https://sp.example.net/acs" ||
		got.SLOURL != "https://sp.example.net/slo" || len(got.SigningCerts) != 1 || got.EncryptionCert == "" {
		t.Fatalf("%+v", got)
	}
	for name, doc := range map[string]string{
		"javascript ACS": md("javascript:alert(1)", ""),
		"data ACS":       md("data:text/html,hi", ""),
		"plain http ACS": md("http://sp.example.net/acs", ""),
		"DTD":            `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + md("https://sp.example.net/acs", ""),
		"not metadata":   `<html/>`,
		"two SPs":        `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`,
		"bad cert":       strings.Replace(md("https://sp.example.net/acs", ""), certB64[:40], "AAAA", 1),
		"huge":           md("https://sp.example.net/acs", strings.Repeat(" ", samlidp.MaxMetadataBytes)),
	} {
		if _, err := samlidp.ParseMetadata([]byte(doc), "/metadata_xml"); err == nil {
			t.Errorf("%s: accepted", name)
		} else if ie := (*samlidp.InvalidError)(nil); !errors.As(err, &ie) || ie.Field != "/metadata_xml" {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, u := range []string{"javascript:alert(1)", "JAVASCRIPT://x/%0aalert(1)", "data:text/html,x", "ftp://x/", "//x/acs",
		"http://evil.example.com/acs", "https://user:pw@x/acs", "https://x/acs#f", "vbscript:x"} {
		if samlidp.CheckEndpointURL(u) == nil {
			t.Errorf("CheckEndpointURL(%q) allowed it", u)
		}
	}
	for _, u := range []string{"https://x.example/acs", "http://127.0.0.1:8080/acs", "http://localhost/acs", "http://[::1]/acs"} {
		if err := samlidp.CheckEndpointURL(u); err != nil {
			t.Errorf("CheckEndpointURL(%q): %v", u, err)
		}
	}
	_ = saml.HTTPPostBinding
}

// A database outage while the service provider is looked up is not the
// requester's fault: it is passed on, not reported as a bad request.
func TestParseAuthnRequestStoreDown(t *testing.T) {
	e := newEnv(t)
	s := e.newSP(t, "down", nil)
	q, _ := s.redirect(t, "")
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.ParseAuthnRequest(context.Background(), e.tenant, samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: q})
	if err == nil || errors.Is(err, samlidp.ErrMalformed) || errors.Is(err, samlidp.ErrUnknownSP) {
		t.Fatalf("with the store closed: %v", err)
	}
}
